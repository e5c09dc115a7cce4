"""Training the neural tagger on ANERcorp train with the CRF's dev split.

Word vectors, a bidirectional word-level language model and a character-level one are
pretrained on ANT first. The epoch is chosen on dev micro-F1 (the last tenth of train, as
for the CRF), stopping early only without weight averaging; the best epoch's network is
exported to ONNX with its CRF transitions. On request, a teacher trained on gold tags ANT
articles and a student learns from gold and those silver labels (``pseudo``). The test file
is never read here.
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from marsad.nlp.ner.conll import read_conll, score
from marsad.nlp.ner.features import Featurizer, Resources
from marsad.nlp.ner.neural import (
    MAX_CHARS, META_NAME, MODEL_NAME, RESOURCE_FILES, WORDS_NAME, Encoder, NeuralNerTagger, neural_dir, pad_batch, viterbi,
)
from marsad.nlp.ner.neural import charlm, ensemble, lm, pseudo, vocabulary
from marsad.nlp.ner.neural.embeddings import load as load_vectors, pretrain, stem_of
from marsad.nlp.ner.neural.lm import seeded
from marsad.nlp.ner.tagger import resource_dir
from marsad.text.normalize import fold
from marsad.nlp.ner.train import CORPUS_DIR, TRAIN_FILE, split_dev

TAGS = ["O"] + [f"{p}-{t}" for t in ("PER", "ORG", "LOC", "MISC") for p in "BI"]
SHIPPED_WORDS = 50_000  # most frequent corpus words kept, plus every training word
# Hiding a tenth of the known words in training (as unknown) makes the network find
# names from characters, features and context too. Chosen on dev and AQMAR: dev F1
# 0.7644 -> 0.7734 (seed 0) and 0.7660 -> 0.7841 (seed 1), AQMAR 43.93 -> 46.34.
WORD_DROPOUT = 0.1
# The language model (``lm``), with the weights averaged from epoch AVERAGE_FROM on, is on:
# dev F1 rose (0.7734 -> 0.7820, 0.7841 -> 0.7901 for seeds 0 and 1) and AQMAR (45.63 ->
# 48.01, 42.99 -> 47.87). `--no-language-model` turns both off.
LANGUAGE_MODEL = True
AVERAGE_FROM = 10
# The language models the networks read: after one and after two passes over ANT. Networks
# that differ in the model they read, and not only in their seed, err more apart.
LM_EPOCHS = (1, 2)
# Networks of consecutive seeds per language model, all merged into one tagger (``ensemble``).
# With retyping consistency, dev F1 and AQMAR F1 of the dev-phase networks:
#   one pass, seeds 0 and 1: 0.7902, 0.7950 alone; 0.8002 merged (AQMAR 48.56, 48.50; 49.64);
#   two passes, seeds 0 and 1: 0.8065, 0.7965 alone; 0.8017 merged (AQMAR 48.34, 47.38; 49.03);
#   all four merged: 0.8088 (AQMAR 49.83).
MEMBERS = 2
# The character language model (``charlm``, one pass over CHAR_LM_SENTENCES ANT sentences, None: all) is
# read, beside the word-level one, by the networks on the language models of CHAR_LM_PASSES. Dev F1 and
# AQMAR F1 of four merged dev-phase networks (seeds 0 and 1 on each language model), 100k sentences:
#   none reading it: 80.25, 48.93; all four: 80.62, 48.21;
#   those on the one-pass model: 80.17, 48.72; those on the two-pass model: 81.10, 49.15.
# In a later run of the networks (session 20), the two-pass pair on a model of all 366k sentences
# (loss 1.54 against 1.79): 80.27, 49.56, against 79.50, 49.00 on the 100k one, the same one-pass pair in both.
CHAR_LM = True
CHAR_LM_PASSES = (2,)
CHAR_LM_SENTENCES = None
# Symbols of the neighbouring sentences (whole words, each side) that the character model also reads
# (``CharText.sentence``); 0: each sentence alone. Session 21, dev-phase networks on the frozen parts
# read back from the shipped tagger: 100 symbols on the two-pass pair gave dev 80.81, AQMAR 49.49 for
# the four merged, against 81.25, 49.33 without (the pair alone: 79.92, 49.47 against 80.72, 48.21).
CHAR_CONTEXT = 0
# Self-training is off by default: a student learning from gold plus 1,500 ANT articles
# tagged by the teacher (about 3.5 times the gold tokens) rose on dev (0.7734 -> 0.7802)
# but fell on AQMAR (46.34 -> 42.34). `--silver-docs N` turns it on.
SILVER_DOCS = 0
# A student epoch reads about 4.5 times the sentences of a teacher epoch; with 1,500
# articles its dev F1 peaked at epoch 11 (seed 0) and 12 (seed 1).
STUDENT_EPOCHS = 20


def _vocab(vocab: list[str], vectors: np.ndarray, sentences) -> tuple[list[str], np.ndarray]:
    """Shipped word list (pad, unk, then words) and its vector matrix."""
    needed = {stem_of(fold(w) or w) for ws, _ in sentences for w in ws}
    keep = [i for i, w in enumerate(vocab) if i < SHIPPED_WORDS or w in needed]
    words = ["<pad>", "<unk>"] + [vocab[i] for i in keep]
    mat = np.zeros((len(words), vectors.shape[1]), np.float32)
    mat[2:] = vectors[keep]
    return words, mat


def _symbols(encoder_featurizer: Featurizer, sentences) -> tuple[list[str], list[str]]:
    """Character and feature inventories of the training sentences (features seen twice or more)."""
    from collections import Counter

    probe = Encoder(encoder_featurizer, [], [], [])
    chars: Counter[str] = Counter()
    feats: Counter[str] = Counter()
    for words, _ in sentences:
        for w in words:
            chars.update((fold(w) or w)[:MAX_CHARS])
        for fs in probe.features(words):
            feats.update(fs)
    return ["<pad>", "<unk>"] + sorted(c for c, n in chars.items() if n >= 2), ["<pad>"] + sorted(f for f, n in feats.items() if n >= 2)


def _batches(encoded, batch_size: int, rng: random.Random):
    """Length-sorted batches in shuffled order."""
    order = sorted(range(len(encoded)), key=lambda i: (len(encoded[i][0]), rng.random()))
    chunks = [order[s : s + batch_size] for s in range(0, len(order), batch_size)]
    rng.shuffle(chunks)
    return chunks


def _decode(emitter, crf, encoded, torch) -> list[list[str]]:
    emitter.eval()
    trans, start, end = (p.detach().numpy() for p in (crf.trans, crf.start, crf.end))
    out: list[list[str]] = [[] for _ in encoded]
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][0]))
    with torch.no_grad():
        for s in range(0, len(order), 64):
            idx = order[s : s + 64]
            inp = {k: torch.from_numpy(v) for k, v in pad_batch([encoded[i] for i in idx]).items()}
            em = emitter(**inp).numpy()
            for k, i in enumerate(idx):
                out[i] = [TAGS[j] for j in viterbi(em[k, : len(encoded[i][0])], trans, start, end)]
    emitter.train()
    return out


def train(shared: Path, out: Path | None = None, seed: int = 0, epochs: int = 30,
          embeddings: tuple[list[str], np.ndarray] | None = None, threads: int = 1,
          silver_docs: int = SILVER_DOCS, use_language_model: bool = LANGUAGE_MODEL,
          language_models: list[dict] | None = None, members: int = MEMBERS, use_char_lm: bool = CHAR_LM,
          char_lm: dict | None = None, char_context: int = CHAR_CONTEXT) -> dict:
    """Pretrain vectors (and with ``use_language_model`` the BiLM, kept after each pass of
    LM_EPOCHS) unless given, then ``members`` networks (seeds ``seed``, ``seed + 1``, ...) per
    language model, merged into one tagger when more than one, which is then given the vectors
    of the corpus words the networks were not trained with (``vocabulary``); returns a report.

    ``epochs`` caps the teacher's epochs; the student's cap is STUDENT_EPOCHS.

    Each network is fitted on train minus dev for its dev-best epoch count, then
    refitted on all of train for that count (as for the CRF). The teacher learns
    from gold alone; the student from gold plus ``silver_docs`` ANT articles the
    teacher tagged (none: the teacher is shipped). Dev-phase silver comes from the
    dev-phase teacher, so dev never leaks into the student's choices. The dev-phase
    networks are merged too, and the report gives that ensemble's dev F1.
    """
    # A private copy of the CRF's tables: retraining the CRF must not shift these inputs.
    out = _tables(out or neural_dir(), resource_dir())
    sentences = read_conll(shared / TRAIN_FILE)
    train_part, dev = split_dev(sentences)
    vocab, vectors = embeddings or pretrain(shared / CORPUS_DIR, seed=seed)
    words, matrix = _vocab(vocab, vectors, sentences)
    args = dict(epochs=epochs, threads=threads, word_dropout=WORD_DROPOUT, char_context=char_context)
    lms: list[dict | None] = [None]
    passes_read = [1]
    if use_language_model:
        if language_models is None:
            passes = lm.pretrain(shared / CORPUS_DIR, words, matrix, lm.fine_clusters(Resources.load(out)), seed=seed,
                                 epochs=max(LM_EPOCHS))
            language_models = [passes[n - 1] for n in LM_EPOCHS]
        lms = list(language_models)
        passes_read = list(LM_EPOCHS)
        # With averaged weights, the dev curve of single epochs has early peaks (a character-model
        # network of seed 1: 0.7772 at epoch 10, then six epochs below it); run to the cap, it reached
        # 0.7924. So every epoch is run, and the best averaged one is chosen.
        args.update(average_from=AVERAGE_FROM, patience=epochs)
    if use_char_lm:
        char_lm = char_lm or charlm.pretrain(shared / CORPUS_DIR, seed=seed, max_sentences=CHAR_LM_SENTENCES)
    data = (sentences, train_part, dev, words, matrix)
    plan = [(state, seed + k, char_lm if use_char_lm and n in CHAR_LM_PASSES else None)
            for state, n in zip(lms, passes_read) for k in range(members)]
    with tempfile.TemporaryDirectory() as tmp:
        if len(plan) == 1:
            report = _member(shared, data, out, Path(tmp), silver_docs, seed=seed, lm=lms[0], char_lm=plan[0][2], **args)[0]
        else:
            finals = [_tables(Path(tmp) / f"member{k}", out) for k in range(len(plan))]
            runs = [_member(shared, data, final, Path(tmp) / f"work{k}", silver_docs, seed=member_seed, lm=state,
                            char_lm=reads, **args)
                    for k, (final, (state, member_seed, reads)) in enumerate(zip(finals, plan))]
            ensemble.combine(finals, out)
            dev_ensemble = _tables(Path(tmp) / "dev_ensemble", out)
            ensemble.combine([dev_net for _, dev_net in runs], dev_ensemble)
            pred = NeuralNerTagger(dev_ensemble).tag_many([w for w, _ in dev])
            report = {"members": [r for r, _ in runs],
                      "ensemble_dev_f1": round(score([t for _, t in dev], pred)["micro"]["f1"], 4)}
    report["vocabulary"] = vocabulary.extend(out, vocab, vectors)
    report["half_precision_bytes_saved"] = ensemble.store_half(out / MODEL_NAME)
    (out / "training.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return report


def _member(shared: Path, data, out: Path, work: Path, silver_docs: int, **args) -> tuple[dict, Path]:
    """One network, teacher (and student) as ``train`` describes, exported to ``out``:
    (its report, the folder of its dev-phase network, under ``work``)."""
    sentences, train_part, dev, words, matrix = data
    report: dict = {}
    teacher_dev = _tables(work / "teacher_dev", out)
    teacher = _tables(work / "teacher", out) if silver_docs else out
    report["teacher"] = fit(train_part, dev, words, matrix, teacher_dev, **args)
    report["teacher_refit"] = fit(sentences, [], words, matrix, teacher, **{**args, "epochs": _best_epoch(report["teacher"])})
    if not silver_docs:
        return report, teacher_dev
    docs = pseudo.sample(shared / CORPUS_DIR, silver_docs, seed=args["seed"])
    silver_dev = pseudo.label(NeuralNerTagger(teacher_dev), docs)
    student_dev = _tables(work / "student_dev", out)
    report["student"] = fit(train_part + silver_dev, dev, words, matrix, student_dev, **{**args, "epochs": STUDENT_EPOCHS})
    silver = pseudo.label(NeuralNerTagger(teacher), docs)
    report["silver"] = {"docs": len(docs), "sentences": len(silver), "tokens": sum(len(w) for w, _ in silver)}
    report["refit"] = fit(sentences + silver, [], words, matrix, out, **{**args, "epochs": _best_epoch(report["student"])})
    return report, student_dev


def _tables(folder: Path, source: Path) -> Path:
    """``folder`` holding a copy of the feature tables in ``source``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in RESOURCE_FILES:
        shutil.copy(source / name, folder / name)
    return folder


def _best_epoch(report: dict) -> int:
    return max(report["epochs"], key=lambda r: r["dev_f1"])["epoch"]


def fit(train_part, dev, words: list[str], matrix: np.ndarray, out: Path, seed: int = 0, epochs: int = 30, patience: int = 6,
        threads: int = 1, lm: dict | None = None, char_lm: dict | None = None, average_from: int | None = None,
        char_context: int = 0, **model_args) -> dict:
    """Fit on ``train_part`` with early stopping on ``dev`` (all epochs without one); export to ``out``,
    which holds the feature tables. ``lm``: a pretrained BiLM's state, read frozen; ``char_lm``: a
    pretrained character model's (``charlm.pretrain``), likewise.

    With ``average_from``, the network of epoch N (N >= average_from) is the mean of the weights
    after each epoch from ``average_from`` to N: a single epoch's weights swing by a point or
    more of dev F1 from one epoch to the next."""
    import torch

    from marsad.nlp.ner.neural.model import CRF, Emitter

    rng = seeded(torch, seed, threads)
    featurizer = Featurizer(Resources.load(out))
    chars, feats = _symbols(featurizer, train_part)
    lm_chars = char_lm["chars"] if char_lm else None
    enc = Encoder(featurizer, words, chars, feats, lm_chars, char_context if char_lm else 0)
    x_train = enc.encode_all([w for w, _ in train_part])
    y_train = [[TAGS.index(t) for t in tags] for _, tags in train_part]
    x_dev = enc.encode_all([w for w, _ in dev])
    gold = [t for _, t in dev]
    emitter = Emitter(torch.from_numpy(matrix), len(chars), len(feats), len(TAGS), lm=lm, char_lm=char_lm, **model_args)
    crf = CRF(len(TAGS))
    params = [p for p in list(emitter.parameters()) + list(crf.parameters()) if p.requires_grad]
    opt = torch.optim.Adam(params, lr=1e-3)
    report: dict = {"seed": seed, "train_sentences": len(train_part), "dev_sentences": len(dev), "words": len(words),
                    "chars": len(chars), "feats": len(feats),
                    "model": {**model_args, "lm": lm is not None, "char_lm": char_lm is not None, "char_context": enc.char_context},
                    "epochs": []}
    best_f1, best_state, stale, t0 = -1.0, None, 0, time.time()
    mean: dict | None = None
    char_states = _char_states(emitter, x_train, torch) if emitter.char_lm is not None else None
    for epoch in range(1, epochs + 1):
        te, total = time.time(), 0.0
        for idx in _batches(x_train, 16, rng):
            inp = {k: torch.from_numpy(v) for k, v in pad_batch([x_train[i] for i in idx]).items()}
            if char_states is not None:
                inp = {k: v for k, v in inp.items() if k not in charlm.INPUTS}
                inp["char_states"] = torch.nn.utils.rnn.pad_sequence([char_states[i] for i in idx], batch_first=True)
            tags = torch.zeros(inp["words"].shape, dtype=torch.long)
            for k, i in enumerate(idx):
                tags[k, : len(y_train[i])] = torch.tensor(y_train[i])
            mask = torch.arange(tags.shape[1]).unsqueeze(0) < inp["lengths"].unsqueeze(1)
            loss = crf.nll(emitter(**inp), tags, mask)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 5.0)
            opt.step()
            total += loss.item() * len(idx)
        row = {"epoch": epoch, "loss": round(total / len(x_train), 3), "seconds": round(time.time() - te)}
        live = None
        if average_from and epoch >= average_from:
            mean = _running_mean(mean, _state(emitter, crf), epoch - average_from + 1)
            live = _state(emitter, crf)
            _load(emitter, crf, mean)
        f1 = 0.0
        if dev:
            pred = _decode(emitter, crf, x_dev, torch)
            f1 = score(gold, pred)["micro"]["f1"]
            row.update(dev_f1=round(f1, 4), dev_f1_no_misc=round(score(gold, pred, exclude=("MISC",))["micro"]["f1"], 4))
        report["epochs"].append(row)
        print(f"ner-neural: {row}", file=sys.stderr)
        if f1 > best_f1 or not dev:
            best_f1, stale = f1, 0
            best_state = _state(emitter, crf)
        else:
            stale += 1
        if live is not None:
            _load(emitter, crf, live)
        if stale >= patience:
            break
    _load(emitter, crf, best_state)
    report["train_seconds"] = round(time.time() - t0)
    export(emitter, crf, out, words, chars, feats, torch, lm_chars, enc.char_context)
    if dev:
        report["best_dev_f1"] = round(best_f1, 4)
        report["dev_f1_onnx"] = round(score(gold, NeuralNerTagger(out).tag_many([w for w, _ in dev]))["micro"]["f1"], 4)
    (out / "training.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return report


def _char_states(emitter, encoded, torch) -> list:
    """The frozen character model's states [T, 2 * hidden] of each encoded sentence, computed once
    rather than every epoch (they are most of an epoch's time)."""
    out: list = [None] * len(encoded)
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][3][0]))
    with torch.no_grad():
        for s in range(0, len(order), 64):
            idx = order[s : s + 64]
            inp = {k: torch.from_numpy(v) for k, v in pad_batch([encoded[i] for i in idx]).items()}
            states = emitter.char_lm.states(*(inp[k] for k in charlm.INPUTS))
            for k, i in enumerate(idx):
                out[i] = states[k, : len(encoded[i][0])].clone()
    return out


def _state(emitter, crf) -> tuple[dict, dict]:
    return {k: v.clone() for k, v in emitter.state_dict().items()}, {k: v.clone() for k, v in crf.state_dict().items()}


def _load(emitter, crf, state: tuple[dict, dict]) -> None:
    emitter.load_state_dict(state[0])
    crf.load_state_dict(state[1])


def _running_mean(mean: tuple[dict, dict] | None, state: tuple[dict, dict], n: int) -> tuple[dict, dict]:
    """The mean of ``n`` states, given the mean of the first ``n - 1`` and the ``n``-th."""
    if mean is None:
        return state
    return tuple({k: m[k] + (s[k] - m[k]) / n if m[k].is_floating_point() else s[k] for k in m} for m, s in zip(mean, state))


def export(emitter, crf, out: Path, words, chars, feats, torch, lm_chars: list[str] | None = None,
           char_context: int = 0) -> None:
    emitter.eval()
    sample = [([2, 3, 4], [[2, 3], [2], [3, 2, 2]], [[1], [], [1, 2]]), ([2], [[2]], [[1]])]
    names = ["words", "chars", "feats", "lengths"]
    axes = {"words": {0: "b", 1: "t"}, "chars": {0: "b", 1: "t", 2: "c"}, "feats": {0: "b", 1: "t", 2: "f"},
            "lengths": {0: "b"}, "emissions": {0: "b", 1: "t"}}
    if lm_chars:
        # Each sentence as its text: symbol ids, the boundary before each word and after it.
        texts = (([2, 3, 2, 3, 3, 2, 4, 2], [0, 2, 5], [2, 5, 7]), ([2, 3, 2], [0], [2]))
        sample = [(*row, text) for row, text in zip(sample, texts)]
        names += list(charlm.INPUTS)
        axes.update(text={0: "b", 1: "l"}, text_lengths={0: "b"}, starts={0: "b", 1: "t"}, ends={0: "b", 1: "t"})
    dummy = pad_batch(sample)
    args = tuple(torch.from_numpy(dummy[k]) for k in names)
    torch.onnx.export(emitter, args, str(out / MODEL_NAME), dynamo=False, input_names=names,
                      output_names=["emissions"], dynamic_axes=axes, opset_version=17)
    (out / WORDS_NAME).write_text("\n".join(words) + "\n", encoding="utf-8")
    meta = {"tags": TAGS, "n_words": len(words), "chars": chars, "feats": feats,
            "transitions": crf.trans.detach().tolist(), "start": crf.start.detach().tolist(), "end": crf.end.detach().tolist()}
    if lm_chars:
        meta["lm_chars"] = lm_chars
    if char_context:
        meta["char_context"] = char_context
    (out / META_NAME).write_text(json.dumps(meta, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    import argparse

    from marsad.paths import require_shared

    p = argparse.ArgumentParser(prog="python -m marsad.nlp.ner.neural.train")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--vectors", metavar="PREFIX", help="reuse PREFIX.npy and PREFIX.txt instead of pretraining")
    p.add_argument("--no-language-model", dest="language_model", action="store_false",
                   help="leave out the ANT language model's states and the weight averaging")
    p.add_argument("--lm", metavar="FILE", nargs="+",
                   help="reuse the BiLM states in FILE... (torch.save of one of lm.pretrain's states each) instead of LM_EPOCHS")
    p.add_argument("--no-char-lm", dest="char_lm", action="store_false",
                   help="leave out the ANT character language model (read by the networks on CHAR_LM_PASSES)")
    p.add_argument("--char-lm-file", metavar="FILE",
                   help="reuse the character model in FILE (torch.save of charlm.pretrain's state) instead of pretraining it")
    p.add_argument("--char-context", type=int, default=CHAR_CONTEXT, metavar="N",
                   help="symbols of the neighbouring sentences the character model also reads on each side (0: none)")
    p.add_argument("--members", type=int, default=MEMBERS, help="networks of consecutive seeds per language model, all merged")
    p.add_argument("--silver-docs", type=int, default=SILVER_DOCS, help="ANT articles the teacher tags for the student (0: ship the teacher)")
    args = p.parse_args(argv)
    emb = load_vectors(args.vectors) if args.vectors else None
    language_models = None
    if args.lm:
        import torch

        language_models = [torch.load(f) for f in args.lm]
    char_lm = None
    if args.char_lm_file:
        import torch

        char_lm = torch.load(args.char_lm_file)
    report = train(require_shared(), seed=args.seed, epochs=args.epochs, embeddings=emb, silver_docs=args.silver_docs,
                   use_language_model=args.language_model, language_models=language_models, members=args.members,
                   use_char_lm=args.char_lm, char_lm=char_lm, char_context=args.char_context)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
