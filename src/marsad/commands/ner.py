"""``marsad tag --conll``, ``marsad eval ner`` and ``marsad train ner``."""

from __future__ import annotations

import json
import sys

from marsad.cli import group


def register(sub) -> None:
    p = sub.add_parser("tag", help="tag named entities in a CoNLL token file (token<TAB>IOB2 tag)")
    p.add_argument("--conll", required=True, metavar="FILE", help="one token per line (first column), blank line between sentences")
    _consistency_option(p)
    p.set_defaults(func=run_tag)

    p = group(sub, "eval", "score the pipeline against reference data").add_parser(
        "ner", help="entity-level micro P/R/F1 (exact span and type) on CoNLL files"
    )
    p.add_argument("--test", required=True, nargs="+", metavar="PATH", help="CoNLL files or folders of them")
    p.add_argument("--format", choices=["text", "json"], default="text")
    _consistency_option(p)
    p.set_defaults(func=run_eval)

    p = group(sub, "train", "train a model from ../shared data").add_parser(
        "ner", help="build clusters and name lists, then fit the CRF on ANERcorp train"
    )
    p.add_argument("--seed", type=int, default=0, help="seed of the cluster k-means and SVD")
    p.add_argument("--tune", action="store_true", help="choose c1/c2 on the dev split (a grid of fits)")
    p.add_argument("--reuse-resources", action="store_true", help="keep the existing clusters and name lists")
    p.add_argument("--neural", action="store_true", help="train the BiLSTM-CRF instead (needs the `train` extra; uses the CRF's tables)")
    p.add_argument("--no-language-model", dest="language_model", action="store_false",
                   help="with --neural: leave out the ANT language model's states and the weight averaging")
    p.add_argument("--no-char-lm", dest="char_lm", action="store_false",
                   help="with --neural: leave out the ANT character language model")
    p.add_argument("--members", type=int, default=None,
                   help="with --neural: networks of consecutive seeds per language model, all merged into the shipped tagger (default: train.MEMBERS)")
    p.add_argument("--silver-docs", type=int, default=None,
                   help="with --neural: ANT articles a teacher network tags for the shipped student (0: ship the teacher)")
    p.add_argument("--fast", action="store_true",
                   help="distil the shipped networks into the fast student, kept beside them (needs the `train` extra)")
    p.set_defaults(func=run_train)


def _consistency_option(p) -> None:
    p.add_argument("--no-consistency", action="store_true",
                   help="tag each sentence alone (by default a name tagged once is tagged where it recurs nearby)")
    add_tagger_option(p, "--tagger", default="accurate")


def add_tagger_option(p, flag: str, default: str | None) -> None:
    """The choice of NER tagger (``marsad.nlp.ner.TAGGERS``, listed here so the CLI starts without loading NER)."""
    p.add_argument(flag, choices=["accurate", "fast", "crf"], default=default,
                   help="the NER tagger: accurate (the merged networks, default), fast (their distilled student), crf")


def _tag_file(sentences: list[list[str]], args) -> list[list[str]]:
    from marsad.nlp.ner import default_tagger
    from marsad.nlp.ner.consistency import propagate

    tagger = default_tagger(args.tagger)
    tags = tagger.tag_many(sentences) if hasattr(tagger, "tag_many") else [tagger.tag(w) for w in sentences]
    return tags if args.no_consistency else propagate(sentences, tags)


def run_tag(args) -> int:
    from marsad.nlp.ner.conll import read_conll

    sentences = [words for words, _ in read_conll(args.conll, with_tags=False)]
    out = sys.stdout
    for i, (words, tags) in enumerate(zip(sentences, _tag_file(sentences, args))):
        if i:
            out.write("\n")
        for word, tag in zip(words, tags):
            out.write(f"{word}\t{tag}\n")
    out.flush()
    return 0


def run_eval(args) -> int:
    from marsad.nlp.ner.conll import TYPES, conll_files, read_conll, score

    gold, pred, tokens = [], [], 0
    for path in args.test:
        for f in conll_files(path):  # each file is a document (or a stream of them)
            sentences = read_conll(f)
            gold += [tags for _, tags in sentences]
            pred += _tag_file([words for words, _ in sentences], args)
            tokens += sum(len(words) for words, _ in sentences)
    result = {"sentences": len(gold), "tokens": tokens, "all": score(gold, pred), "no_misc": score(gold, pred, exclude=("MISC",))}
    if args.format == "json":
        print(json.dumps(result, indent=1))
        return 0
    print(f"{len(gold)} sentences, {tokens} tokens")
    print(f"{'':10}{'P':>8}{'R':>8}{'F1':>8}{'gold':>8}")
    rows = [("micro", result["all"]["micro"]), ("no MISC", result["no_misc"]["micro"])]
    rows += [(t, result["all"][t]) for t in TYPES if t in result["all"]]
    for name, s in rows:
        print(f"{name:10}{100 * s['precision']:8.2f}{100 * s['recall']:8.2f}{100 * s['f1']:8.2f}{s['support']:8d}")
    return 0


def run_train(args) -> int:
    from marsad.nlp.ner.train import train
    from marsad.paths import require_shared

    if args.fast:
        from marsad.nlp.ner.neural.distill import train as train_student

        print(json.dumps(train_student(require_shared(), seed=args.seed), indent=1))
        return 0
    if args.neural:
        from marsad.nlp.ner.neural.train import MEMBERS, SILVER_DOCS
        from marsad.nlp.ner.neural.train import train as train_neural

        silver = SILVER_DOCS if args.silver_docs is None else args.silver_docs
        members = MEMBERS if args.members is None else args.members
        report = train_neural(require_shared(), seed=args.seed, silver_docs=silver, use_language_model=args.language_model,
                              members=members, use_char_lm=args.char_lm)
        print(json.dumps(report, indent=1))
        return 0
    report = train(require_shared(), seed=args.seed, tune=args.tune, rebuild=not args.reuse_resources)
    print(json.dumps(report, indent=1))
    return 0
