"""A fast student distilled from the shipped tagger (``FastEmitter``, run by ``fast.FastNerTagger``).

The teacher (the merged networks with their language models) tags ANT news; the student
learns to give the teacher's emissions, centred per token, on those sentences and on the
gold ones, and the gold paths under the teacher's CRF transitions, which it keeps. It reads
the teacher's word list, word vectors, characters and features, so its inputs are the
teacher's. Epochs stop early on dev micro-F1 (the last tenth of train); for a dev-phase run,
the teacher must be one that never saw dev. The test file is never read here.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

from marsad.nlp.ner.conll import read_conll, score
from marsad.nlp.ner.neural import NeuralNerTagger, neural_dir, pad_batch, pseudo
from marsad.nlp.ner.neural.fast import (
    CONTEXT_NAME, TYPES_NAME, FastNerTagger, phrase_features, phrase_index, word_matrix, write_folder,
)
from marsad.nlp.ner.neural.lm import seeded
from marsad.nlp.ner.train import CORPUS_DIR, TRAIN_FILE, split_dev

SILVER_DOCS = 5000  # ANT articles the teacher tags: about 58k sentences, 1.5M tokens
SILVER_SEED = 7  # draws them (the self-training sample of ``pseudo`` was drawn with seed 0)
# The dev-phase student peaked at epoch 6 (dev F1 0.7727; stopped after 9).
EPOCHS = 6
BATCH = 32


def silver(teacher: NeuralNerTagger, shared: Path, n_docs: int = SILVER_DOCS, seed: int = SILVER_SEED,
           chunk: int = 2000) -> list[tuple[list[str], np.ndarray]]:
    """(tokens, the teacher's emissions in half precision) of the sentences of ``n_docs`` ANT
    articles drawn with ``seed``, tagged ``chunk`` sentences at a time."""
    docs = pseudo.sample(shared / CORPUS_DIR, n_docs, seed=seed)
    sentences = [s for doc in docs for s in doc]
    # Each sentence's article, so that a teacher reading neighbouring sentences reads only its own.
    articles = [k for k, doc in enumerate(docs) for _ in doc]
    emissions = []
    for s in range(0, len(sentences), chunk):
        emissions += [e.astype(np.float16) for e in
                      teacher.emissions_many(sentences[s : s + chunk], documents=articles[s : s + chunk])]
    return list(zip(sentences, emissions))


def train(shared: Path, teacher: Path | None = None, out: Path | None = None, seed: int = 0, epochs: int = EPOCHS,
          silver_docs: int = SILVER_DOCS, threads: int = 1, dev: bool = False) -> dict:
    """The student of the tagger in ``teacher`` (default: the shipped one), written to ``out`` (default:
    beside it): fitted on train and ``silver_docs`` ANT articles for ``epochs`` (chosen on dev, see
    EPOCHS), or with ``dev`` on train minus dev, choosing the epoch on dev."""
    teacher_folder = teacher or neural_dir()
    tagger = NeuralNerTagger(teacher_folder, threads=threads)
    sentences = read_conll(shared / TRAIN_FILE)
    gold, held_out = split_dev(sentences) if dev else (sentences, [])
    rows = silver(tagger, shared, silver_docs)
    return fit(tagger, gold, held_out, rows, out or teacher_folder, seed=seed, epochs=epochs, threads=threads)


def _inputs(encoder, sentences: list[list[str]]):
    """Per sentence: word ids, character ids, own feature ids, the student's phrase feature ids."""
    ids_of = phrase_index(encoder, phrase_features(list(encoder.feats)))
    out = []
    for words in sentences:
        info, phrases = encoder.split(words)
        phrases = [[ids_of[f] for f in fs if f in ids_of] for fs in phrases]
        out.append(([x[0] for x in info], [x[1] for x in info], [x[2] for x in info], phrases))
    return out


def _pad(rows, torch):
    """``pad_batch`` of the rows' first three parts, plus their phrase ids, as tensors."""
    batch = pad_batch([row[:3] for row in rows])
    phrases = np.zeros((*batch["words"].shape, max(1, max((len(x) for r in rows for x in r[3]), default=1))), np.int64)
    for i, row in enumerate(rows):
        for j, ps in enumerate(row[3]):
            phrases[i, j, : len(ps)] = ps
    return {k: torch.from_numpy(v) for k, v in {**batch, "phrases": phrases}.items()}


def fit(teacher: NeuralNerTagger, gold: list, dev: list, silver_rows: list, out: Path, seed: int = 0, epochs: int = EPOCHS,
        patience: int = 3, threads: int = 1, lr: float = 1e-3, snapshots: Path | None = None, **model_args) -> dict:
    """Fit a student of ``teacher`` on ``gold`` (tokens, tags) and ``silver_rows``
    (tokens, teacher emissions), choosing the epoch on ``dev`` (none: all epochs); export to ``out``.
    With ``snapshots``, each epoch's student is also exported to ``snapshots/epoch-N``: a refit for
    N epochs is the same as ``fit`` with ``epochs=N``."""
    import torch

    from marsad.nlp.ner.neural.model import CRF, FastEmitter

    rng = seeded(torch, seed, threads)
    teacher_folder = teacher.folder
    _, matrix = word_matrix(teacher_folder)
    tags = teacher.tags
    gold_emissions = teacher.emissions_many([w for w, _ in gold])
    sentences = [w for w, _ in gold] + [w for w, _ in silver_rows]
    targets = [e.astype(np.float32) for e in gold_emissions] + [e.astype(np.float32) for _, e in silver_rows]
    paths = [[tags.index(t) for t in ts] for _, ts in gold] + [None] * len(silver_rows)
    x = _inputs(teacher.encoder, sentences)
    phrases = phrase_features(list(teacher.encoder.feats))
    student = FastEmitter(torch.from_numpy(matrix), len(teacher.encoder.chars), len(teacher.encoder.feats),
                          len(phrases) + 1, len(tags), **model_args)
    crf = CRF(len(tags))
    for name, value in (("trans", teacher.trans), ("start", teacher.start), ("end", teacher.end)):
        getattr(crf, name).data = torch.from_numpy(np.asarray(value, np.float32))
    crf.requires_grad_(False)
    params = [p for p in student.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=lr)
    report: dict = {"seed": seed, "gold_sentences": len(gold), "silver_sentences": len(silver_rows),
                    "silver_tokens": sum(len(w) for w, _ in silver_rows), "model": model_args, "epochs": []}
    best, best_state, stale, t0 = -1.0, None, 0, time.time()
    order = sorted(range(len(x)), key=lambda i: (len(x[i][0]), rng.random()))
    chunks = [order[s : s + BATCH] for s in range(0, len(order), BATCH)]
    for epoch in range(1, epochs + 1):
        te, total = time.time(), 0.0
        rng.shuffle(chunks)
        student.train()
        for idx in chunks:
            inp = _pad([x[i] for i in idx], torch)
            mask = torch.arange(inp["words"].shape[1]).unsqueeze(0) < inp["lengths"].unsqueeze(1)
            em = student(**inp)
            target = torch.zeros_like(em)
            for k, i in enumerate(idx):
                target[k, : len(targets[i])] = torch.from_numpy(targets[i])
            # The CRF ignores a constant added to a token's emissions: match them centred.
            diff = (em - em.mean(2, keepdim=True)) - (target - target.mean(2, keepdim=True))
            loss = (diff.pow(2).sum(2) * mask).sum() / mask.sum()
            with_gold = [k for k, i in enumerate(idx) if paths[i] is not None]
            if with_gold:
                gold_tags = torch.zeros((len(with_gold), em.shape[1]), dtype=torch.long)
                for row, k in enumerate(with_gold):
                    gold_tags[row, : len(paths[idx[k]])] = torch.tensor(paths[idx[k]])
                loss = loss + crf.nll(em[with_gold], gold_tags, mask[with_gold]) * len(with_gold) / len(idx)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 5.0)
            opt.step()
            total += loss.item() * len(idx)
        row = {"epoch": epoch, "loss": round(total / len(x), 4), "seconds": round(time.time() - te)}
        if snapshots:
            export(student, snapshots / f"epoch-{epoch}", teacher_folder, phrases, torch)
        f1 = 0.0
        if dev:
            export(student, out, teacher_folder, phrases, torch)
            pred = FastNerTagger(out).tag_many([w for w, _ in dev])
            f1 = score([t for _, t in dev], pred)["micro"]["f1"]
            row["dev_f1"] = round(f1, 4)
        report["epochs"].append(row)
        print(f"ner-fast: {row}", file=sys.stderr, flush=True)
        if f1 > best or not dev:
            best, stale = f1, 0
            best_state = {k: v.clone() for k, v in student.state_dict().items()}
        else:
            stale += 1
            if stale >= patience:
                break
    student.load_state_dict(best_state)
    export(student, out, teacher_folder, phrases, torch)
    report["train_seconds"] = round(time.time() - t0)
    if dev:
        report["best_dev_f1"] = round(best, 4)
    # Beside the teacher's own training.json, which it must not overwrite.
    (out / "student_training.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return report


def export(student, out: Path, teacher_folder: Path, phrases: list[str], torch) -> None:
    """The student's two graphs (word forms to vectors; vectors in context to emissions) and the
    teacher's inventories and transitions, into ``out``."""
    from marsad.nlp.ner.neural.model import Method

    student.eval()
    out.mkdir(parents=True, exist_ok=True)
    types_args = (torch.tensor([2, 3]), torch.tensor([[2, 3, 0], [2, 0, 0]]), torch.tensor([[1, 2], [1, 0]]))
    torch.onnx.export(Method(student, "runtime_types"), types_args, str(out / TYPES_NAME), dynamo=False,
                      input_names=["words", "chars", "feats"], output_names=["vectors"], opset_version=17,
                      dynamic_axes={"words": {0: "n"}, "chars": {0: "n", 1: "c"}, "feats": {0: "n", 1: "f"}, "vectors": {0: "n"}})
    width = student.out.in_features
    context_args = (torch.zeros(2, 3, width), torch.tensor([[[1], [0], [0]], [[0], [0], [0]]]), torch.tensor([[1.0, 1, 1], [1, 0, 0]]))
    torch.onnx.export(Method(student, "emissions"), context_args, str(out / CONTEXT_NAME), dynamo=False,
                      input_names=["vectors", "phrases", "mask"], output_names=["emissions"], opset_version=17,
                      dynamic_axes={"vectors": {0: "b", 1: "t"}, "phrases": {0: "b", 1: "t", 2: "p"}, "mask": {0: "b", 1: "t"},
                                    "emissions": {0: "b", 1: "t"}})
    write_folder(out, teacher_folder, width, student.dilations, phrases)
    student.train()


def main(argv: list[str] | None = None) -> int:
    import argparse

    from marsad.paths import require_shared

    p = argparse.ArgumentParser(prog="python -m marsad.nlp.ner.neural.distill")
    p.add_argument("--teacher", type=Path, help="the tagger folder to distil (default: the shipped one)")
    p.add_argument("--out", type=Path, help="where the student goes (default: beside its teacher)")
    p.add_argument("--dev", action="store_true", help="fit on train minus dev and choose the epoch on dev")
    p.add_argument("--epochs", type=int, default=EPOCHS)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--silver-docs", type=int, default=SILVER_DOCS)
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)
    report = train(require_shared(), args.teacher, args.out, seed=args.seed, epochs=args.epochs, silver_docs=args.silver_docs,
                   threads=args.threads, dev=args.dev)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
