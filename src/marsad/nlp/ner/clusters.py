"""Word clusters learned without labels from a news corpus.

Distributional vectors come from a truncated SVD of a PPMI matrix of left and
right neighbours; k-means over the vectors gives fine clusters, and k-means
over the fine centroids gives the coarser levels, so the levels nest. The
table also keeps each word's corpus frequency, which the clitic splitter of
the features uses.
"""

from __future__ import annotations

import gzip
import re
import sys
from collections import Counter
from pathlib import Path

from marsad.text.normalize import fold

LEVELS = (1024, 256, 64)
# ANERcorp's tokens: words with their clitics, numbers, and each punctuation mark alone.
TOKEN_RE = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")
_BLOCK_RE = re.compile(r"<(TITLE|TEXT|ABSTRACT)>(.*?)</\1>", re.S)


def corpus_tokens(root: Path):
    """Folded tokens of every TREC <DOC> file under ``root``, document by document."""
    cache: dict[str, str] = {}
    for path in sorted(root.rglob("*.txt")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        blocks = _BLOCK_RE.findall(raw)
        if not blocks:
            continue
        out = []
        for _, body in blocks:
            for w in TOKEN_RE.findall(body):
                f = cache.get(w)
                if f is None:
                    f = cache[w] = fold(w)
                if f:
                    out.append(f)
        yield out


def _kmeans(x, k: int, seed: int, iters: int = 25):
    """Plain Lloyd k-means on unit vectors (cosine), k-means++-lite seeding."""
    import numpy as np

    rng = np.random.default_rng(seed)
    centers = x[rng.choice(len(x), size=k, replace=False)].copy()
    labels = np.zeros(len(x), dtype=np.int64)
    for _ in range(iters):
        # Chunked to bound memory: argmax of cosine similarity.
        for s in range(0, len(x), 20000):
            labels[s : s + 20000] = np.argmax(x[s : s + 20000] @ centers.T, axis=1)
        sums = np.zeros_like(centers)
        np.add.at(sums, labels, x)
        counts = np.bincount(labels, minlength=k)
        empty = counts == 0
        sums[empty] = x[rng.choice(len(x), size=int(empty.sum()), replace=False)]
        centers = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-9)
    return labels, centers


def build_clusters(
    root: Path, out: Path, vocab_size: int = 100_000, min_count: int = 10, contexts: int = 5000, dim: int = 100, seed: int = 0
) -> int:
    import numpy as np
    from scipy import sparse
    from scipy.sparse.linalg import svds

    freq: Counter[str] = Counter()
    docs = []
    for toks in corpus_tokens(root):
        freq.update(toks)
        docs.append(toks)
    print(f"clusters: {sum(freq.values())} tokens, {len(freq)} types", file=sys.stderr)
    ranked = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))
    # Rarer words get vectors too noisy to cluster (they fall into junk clusters).
    vocab = [w for w, c in ranked[:vocab_size] if c >= min_count]
    index = {w: i for i, w in enumerate(vocab)}
    n = len(vocab)
    ids = np.fromiter((index.get(w, -1) for toks in docs for w in toks + [None]), dtype=np.int64)
    del docs
    rows, cols, vals = [], [], []
    # Columns: left neighbours in [0, contexts), right neighbours in [contexts, 2*contexts).
    for offset, weight in ((1, 1.0), (2, 0.5)):
        a, b = ids[:-offset], ids[offset:]
        for word, ctx, base in ((b, a, 0), (a, b, contexts)):  # ctx left of word, then right of it
            keep = (word >= 0) & (ctx >= 0) & (ctx < contexts)
            rows.append(word[keep])
            cols.append(ctx[keep] + base)
            vals.append(np.full(int(keep.sum()), weight))
    m = sparse.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, 2 * contexts)).tocsr()
    m.sum_duplicates()
    total = m.sum()
    row_sum = np.asarray(m.sum(axis=1)).ravel()
    col_sum = np.asarray(m.sum(axis=0)).ravel() ** 0.75
    col_p = col_sum / col_sum.sum()
    m = m.tocoo()
    pmi = np.log((m.data / total) / ((row_sum[m.row] / total) * col_p[m.col]))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=m.shape)
    u, s, _ = svds(ppmi, k=dim, random_state=seed, v0=np.full(min(ppmi.shape), 1.0 / np.sqrt(min(ppmi.shape))))
    vec = u * np.sqrt(s)
    vec /= np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-9)
    fine, centers = _kmeans(vec.astype(np.float32), LEVELS[0], seed)
    levels = [fine]
    for k in LEVELS[1:]:
        coarse, _ = _kmeans(centers, k, seed)
        levels.append(coarse[fine])
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{w}\t{freq[w]}\t" + "\t".join(str(int(lv[i])) for lv in levels) for i, w in enumerate(vocab)]
    # No name or time in the gzip header: the file is byte-identical across runs.
    with open(out, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0, compresslevel=9) as fh:
        fh.write(("\n".join(lines) + "\n").encode("utf-8"))
    return n
