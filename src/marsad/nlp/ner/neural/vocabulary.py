"""Corpus words the networks never met in training, given their vectors in the exported tagger.

The networks train on the most frequent ANT words plus every training word
(``train.SHIPPED_WORDS``); a name outside both would be read as unknown, and so would
its neighbours' language-model context. Its corpus vector places it among words of
its kind, which the frozen word layer and language model read like theirs. Vectors
from another word2vec run are first rotated onto the tagger's (orthogonal Procrustes
over the words both hold); from the run the tagger was trained with, that rotation is
the identity.

Editing the graph needs the ``onnx`` package (the train extra); running needs nothing new.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from marsad.nlp.ner.neural import META_NAME, MODEL_NAME, WORDS_NAME


def rotation(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The orthogonal matrix R minimising |source R - target| (rows are the same words)."""
    u, _, vt = np.linalg.svd(source.T @ target)
    return u @ vt


def word_tables(folder: Path):
    """(meta, word list, ONNX model, its word-matrix initializers) of the tagger in ``folder``."""
    import onnx

    meta = json.loads((folder / META_NAME).read_text(encoding="utf-8"))
    words = (folder / WORDS_NAME).read_text(encoding="utf-8").split("\n")[: meta["n_words"]]
    model = onnx.load(str(folder / MODEL_NAME))
    tables = [t for t in model.graph.initializer if len(t.dims) == 2 and t.dims[0] == len(words)]
    if not tables:
        raise ValueError(f"no word matrix of {len(words)} rows in {folder / MODEL_NAME}")
    return meta, words, model, tables


def extend(folder: Path, vocab: list[str], vectors: np.ndarray, limit: int | None = None) -> dict:
    """Append to the tagger in ``folder`` the words of ``vocab`` (by corpus frequency, at most
    ``limit``) that it lacks, with their ``vectors`` rotated onto its word matrix; returns counts
    and the mean cosine of the rotated vectors of the words both hold with the tagger's own."""
    import onnx
    from onnx import numpy_helper

    meta, words, model, tables = word_tables(folder)
    stored_half = tables[0].data_type == onnx.TensorProto.FLOAT16  # extended before
    matrix = numpy_helper.to_array(tables[0]).astype(np.float32)
    if any(not np.array_equal(numpy_helper.to_array(t), matrix) for t in tables[1:]):
        raise ValueError("the tagger holds differing word matrices of the same size")
    row = {w: i for i, w in enumerate(vocab)}
    common = [(k, row[w]) for k, w in enumerate(words) if k >= 2 and w in row]  # rows 0, 1: padding, unknown
    if len(common) < matrix.shape[1]:
        raise ValueError(f"only {len(common)} words in common: too few to align the vectors")
    mine, theirs = matrix[[k for k, _ in common]], vectors[[j for _, j in common]]
    rotate = rotation(theirs, mine)
    turned = theirs @ rotate
    cosines = np.sum(turned * mine, axis=1) / np.maximum(np.linalg.norm(turned, axis=1) * np.linalg.norm(mine, axis=1), 1e-9)
    agreement = float(cosines.mean())
    have = set(words)
    extra = [w for w in vocab if w not in have][:limit]
    grown = np.concatenate([matrix, (vectors[[row[w] for w in extra]] @ rotate).astype(np.float32)])
    for t in tables:
        t.CopyFrom(numpy_helper.from_array(grown.astype(np.float16), t.name))
    if not stored_half:
        _widen_lookups(model.graph, {t.name for t in tables})
    onnx.save(model, str(folder / MODEL_NAME))
    meta["n_words"] = len(words) + len(extra)
    (folder / META_NAME).write_text(json.dumps(meta, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / WORDS_NAME).write_text("\n".join(words + extra) + "\n", encoding="utf-8")
    return {"words_before": len(words), "words_added": len(extra), "alignment_cosine": round(agreement, 4)}


def _widen_lookups(graph, tables: set[str]) -> None:
    """Cast to float what each Gather reads from the half-precision ``tables``: only the rows
    a batch looks up are widened, not the whole matrix on every run."""
    from onnx import TensorProto, helper

    nodes = []
    for node in graph.node:
        nodes.append(node)
        if node.op_type == "Gather" and node.input[0] in tables:
            wide = node.output[0]
            node.output[0] = wide + "/half"
            nodes.append(helper.make_node("Cast", [node.output[0]], [wide], name=node.name + "/widen", to=TensorProto.FLOAT))
    del graph.node[:]
    graph.node.extend(nodes)


def main(argv: list[str] | None = None) -> int:
    import argparse

    from marsad.nlp.ner.neural import embeddings, neural_dir

    p = argparse.ArgumentParser(prog="python -m marsad.nlp.ner.neural.vocabulary",
                                description="give a trained tagger the vectors of corpus words it lacks")
    p.add_argument("--vectors", metavar="PREFIX", required=True, help="PREFIX.txt (words by frequency) and PREFIX.npy")
    p.add_argument("--model", type=Path, default=None, help="tagger folder (default: the shipped one)")
    p.add_argument("--limit", type=int, default=None, help="add at most this many words")
    args = p.parse_args(argv)
    vocab, vectors = embeddings.load(args.vectors)
    print(json.dumps(extend(args.model or neural_dir(), vocab, vectors, args.limit)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
