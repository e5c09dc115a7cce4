"""A character language model of ANT news, whose states give the tagger each word's spelling in context.

The word-level language model (``lm``) reads a word it has no vector for as "unknown",
and ANERcorp's test holds many names that ANT's 2018 news never met. A forward LSTM
reads a sentence's folded characters left to right and predicts the next one, a backward
one reads them right to left and predicts the previous one. At a word, the tagger reads
the forward state at the boundary after it and the backward state at the boundary before
it: both have just read the whole word, and what came before (or after) it.

Its text is the folded words, each cut at ``MAX_WORD`` characters, with a boundary
symbol before, between and after them; its characters are those met ``MIN_COUNT``
times in the corpus.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from marsad.text.normalize import fold

CACHE_WORDS = 200_000  # distinct word forms whose symbols are kept

PAD, UNK, BOUNDARY = 0, 1, 2
# The inputs a network that reads the model takes beside its own (``pad_text``).
INPUTS = ("text", "text_lengths", "starts", "ends")
MAX_WORD = 24
MIN_COUNT = 50
HIDDEN = 256
DIM = 32


def inventory(sentences, min_count: int = MIN_COUNT) -> list[str]:
    """The model's symbols: padding, unknown, boundary, then the characters met ``min_count`` times."""
    counts: Counter[str] = Counter()
    for tokens in sentences:
        for tok in tokens:
            counts.update((fold(tok) or tok)[:MAX_WORD])
    return ["<pad>", "<unk>", " "] + sorted(c for c, n in counts.items() if n >= min_count)


class CharText:
    """A sentence's words as the model's text: symbol ids, and where each word's boundaries stand."""

    def __init__(self, chars: list[str]):
        self.index = {c: i for i, c in enumerate(chars) if i > BOUNDARY}
        self._cache: dict[str, tuple[int, ...]] = {}

    def word(self, tok: str) -> tuple[int, ...]:
        hit = self._cache.get(tok)
        if hit is None:
            get = self.index.get
            hit = tuple([get(c, UNK) for c in (fold(tok) or tok)[:MAX_WORD]])
            if len(self._cache) < CACHE_WORDS:
                self._cache[tok] = hit
        return hit

    def sentence(self, tokens: list[str], before: list[str] = (), after: list[str] = (),
                 context: int = 0) -> tuple[list[int], list[int], list[int]]:
        """(symbol ids, the boundary before each word, the boundary after it).

        With ``context``, the text also holds the last words of ``before`` and the first of ``after``
        (the neighbouring sentences), whole words of up to ``context`` symbols each side, so that
        the states at the sentence's own words have read into its neighbours too."""
        ids, starts, ends = [BOUNDARY], [], []
        if context:
            for word in reversed(self._fitting(reversed(before), context)):
                ids += word
                ids.append(BOUNDARY)
        for tok in tokens:
            starts.append(len(ids) - 1)
            ids += self.word(tok)
            ends.append(len(ids))
            ids.append(BOUNDARY)
        if context:
            for word in self._fitting(after, context):
                ids += word
                ids.append(BOUNDARY)
        return ids, starts, ends

    def _fitting(self, tokens, context: int) -> list[tuple[int, ...]]:
        """The symbols of the first ``tokens`` that fit, each with its boundary, in ``context`` symbols."""
        out, used = [], 0
        for tok in tokens:
            word = self.word(tok)
            used += len(word) + 1
            if used > context:
                break
            out.append(word)
        return out


def pad_text(rows: list[tuple[list[int], list[int], list[int]]], t: int) -> dict[str, np.ndarray]:
    """Zero-padded ``text`` [B, L], ``text_lengths`` [B] and ``starts``/``ends`` [B, t] of ``CharText.sentence`` rows."""
    n, length = len(rows), max(len(r[0]) for r in rows)
    text = np.zeros((n, length), np.int64)
    starts = np.zeros((n, t), np.int64)
    ends = np.zeros((n, t), np.int64)
    lengths = np.zeros(n, np.int64)
    for i, (ids, s, e) in enumerate(rows):
        text[i, : len(ids)] = ids
        lengths[i] = len(ids)
        starts[i, : len(s)] = s
        ends[i, : len(e)] = e
    return dict(zip(INPUTS, (text, lengths, starts, ends)))


def pretrain(root: Path, seed: int = 0, threads: int = 2, max_sentences: int | None = None, hidden: int = HIDDEN,
             epochs: int = 1, min_count: int = MIN_COUNT) -> dict:
    """A ``model.CharLM``'s state dict (with its symbols under ``"chars"``), trained on the
    sentences of the corpus under ``root`` (``max_sentences`` of them, drawn with ``seed``)."""
    import torch

    from marsad.nlp.ner.neural.lm import corpus_sentences, length_batches, seeded, step
    from marsad.nlp.ner.neural.model import CharLM

    rng = seeded(torch, seed, threads)
    t0 = time.time()
    sentences = corpus_sentences(root)
    rng.shuffle(sentences)
    sentences = sentences[:max_sentences]
    chars = inventory(sentences, min_count)
    text = CharText(chars)
    data = [np.array(text.sentence(s)[0], np.int64) for s in sentences]
    total_chars = sum(map(len, data))
    print(f"charlm: {len(data)} sentences, {total_chars} symbols, {len(chars)} kinds ({time.time() - t0:.0f} s)", file=sys.stderr)
    model = CharLM(len(chars), DIM, hidden)
    params = list(model.parameters())
    opt = torch.optim.Adam(params, lr=2e-3)
    batches = length_batches([len(x) for x in data], rng, epochs)
    seen, total, since = 0, 0.0, 0
    for n, idx in enumerate(batches, 1):
        length = max(len(data[i]) for i in idx)
        ids = torch.zeros((len(idx), length), dtype=torch.long)
        for k, i in enumerate(idx):
            ids[k, : len(data[i])] = torch.from_numpy(data[i])
        lengths = torch.tensor([len(data[i]) for i in idx])
        loss = model.loss(ids, lengths)
        step(torch, opt, params, loss, 1.0)
        seen += int(lengths.sum())
        total, since = total + loss.item(), since + 1
        if n % 200 == 0 or n == len(batches):
            print(f"charlm: batch {n}/{len(batches)}, loss {total / since:.3f}, {seen / (time.time() - t0):.0f} symbols/s",
                  file=sys.stderr, flush=True)
            total, since = 0.0, 0
    state = {k: v.clone() for k, v in model.state_dict().items()}
    state["chars"] = chars
    return state


def main(argv: list[str] | None = None) -> int:
    """Train the character model on ANT and save it (``torch.save``) for ``train --char-lm-file FILE``."""
    import argparse

    import torch

    from marsad.nlp.ner.train import CORPUS_DIR
    from marsad.paths import require_shared

    p = argparse.ArgumentParser(prog="python -m marsad.nlp.ner.neural.charlm")
    p.add_argument("out", type=Path)
    p.add_argument("--sentences", type=int, default=None, help="train on this many corpus sentences (default: all)")
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args(argv)
    torch.save(pretrain(require_shared() / CORPUS_DIR, max_sentences=args.sentences, threads=args.threads), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
