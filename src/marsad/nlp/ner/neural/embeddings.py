"""Word vectors pretrained on the ANT news corpus (gensim skip-gram).

Tokens are folded and proclitics split off (وبغداد → و+ بغداد), so that the
tagger can look up a word's stem; the clitic itself is kept as its own token
("و+") to preserve the context it gives.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from marsad.nlp.ner.clusters import corpus_tokens
from marsad.text.tokens import segment

# Corpus occurrences a word needs for a vector. The networks train on the 50,000 most frequent
# words (and the training words); the rest reach the tagger through ``vocabulary``. Two rather
# than three gave the merged dev-phase tagger 92k words instead of 72k, and dev F1 81.11
# against 80.84 (AQMAR 50.07 against 50.03).
MIN_COUNT = 2


def stem_of(norm: str) -> str:
    """The lookup key of a folded word: its stem after proclitics."""
    return segment(norm)[1]


def _segmented(root: Path):
    for toks in corpus_tokens(root):
        out = []
        for w in toks:
            prefix, stem = segment(w)
            if prefix:
                out.append(prefix + "+")
            out.append(stem)
        yield out


def pretrain(root: Path, dim: int = 100, min_count: int = MIN_COUNT, epochs: int = 5, seed: int = 0, threads: int = 2) -> tuple[list[str], np.ndarray]:
    """(vocabulary by corpus frequency, unit-norm vectors) learned from ``root``."""
    from gensim.models import Word2Vec

    t0 = time.time()
    docs = list(_segmented(root))
    print(f"embeddings: {sum(map(len, docs))} tokens read ({time.time() - t0:.0f} s)", file=sys.stderr)
    model = Word2Vec(docs, vector_size=dim, window=5, min_count=min_count, sg=1, negative=5, epochs=epochs, workers=threads, seed=seed)
    vocab = list(model.wv.index_to_key)
    vec = model.wv.vectors.astype(np.float32)
    vec /= np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-9)
    print(f"embeddings: {len(vocab)} words ({time.time() - t0:.0f} s)", file=sys.stderr)
    return vocab, vec


def save(prefix: str, vocab: list[str], vectors: np.ndarray) -> None:
    """Write PREFIX.txt (words by corpus frequency) and PREFIX.npy, as ``load`` reads them."""
    np.save(prefix + ".npy", vectors)
    Path(prefix + ".txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")


def load(prefix: str) -> tuple[list[str], np.ndarray]:
    """(vocabulary, vectors) saved by ``save`` under ``prefix``."""
    return Path(prefix + ".txt").read_text(encoding="utf-8").split("\n")[:-1], np.load(prefix + ".npy")


def main(argv: list[str] | None = None) -> int:
    """Save the ANT vectors as PREFIX.txt (words by frequency) and PREFIX.npy, for ``--vectors``."""
    import argparse

    from marsad.nlp.ner.train import CORPUS_DIR
    from marsad.paths import require_shared

    p = argparse.ArgumentParser(prog="python -m marsad.nlp.ner.neural.embeddings")
    p.add_argument("prefix")
    p.add_argument("--min-count", type=int, default=MIN_COUNT)
    args = p.parse_args(argv)
    save(args.prefix, *pretrain(require_shared() / CORPUS_DIR, min_count=args.min_count))
    return 0


if __name__ == "__main__":
    sys.exit(main())
