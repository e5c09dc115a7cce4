"""A bidirectional language model of ANT news, whose states give the tagger context.

ANERcorp's 125k tokens hold too few contexts for names never seen there; 7.8M
words of news hold many. A forward LSTM reads each sentence left to right and
predicts the next word, a backward one reads it right to left and predicts the
previous word; their states at a word say what the sentence around it looks
like. The tagger reads them (frozen) beside its own inputs.

Words come in as the tagger's word ids over its frozen vectors. What is
predicted is the word's fine cluster (1,024 classes plus one for words too
rare to be clustered): a full softmax over the vocabulary would cost the CPU
far more, and a name's cluster (or its rarity) is the part that matters here.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import numpy as np

from marsad.nlp.ner.clusters import LEVELS
from marsad.nlp.ner.features import Resources
from marsad.nlp.ner.neural import pseudo, word_id
from marsad.text.normalize import fold

HIDDEN = 256
BATCH = 64
RARE = LEVELS[0]  # the class of a word the cluster table does not hold


def fine_clusters(res: Resources) -> dict[str, int]:
    """Folded word → fine cluster, from the tables the features read."""
    return {w: int(fine) for w, (_, fine, _, _) in res.clusters.items()}


def encode(sentences, words: list[str], clusters: dict[str, int]) -> list[tuple[np.ndarray, np.ndarray]]:
    """(word ids as the tagger looks them up, cluster classes) of each sentence."""
    index = {w: i for i, w in enumerate(words)}
    cache: dict[str, tuple[int, int]] = {}
    out = []
    for tokens in sentences:
        ids, classes = [], []
        for tok in tokens:
            hit = cache.get(tok)
            if hit is None:
                norm = fold(tok) or tok
                hit = cache[tok] = (word_id(index, norm), clusters.get(norm, RARE))
            ids.append(hit[0])
            classes.append(hit[1])
        out.append((np.array(ids, np.int64), np.array(classes, np.int64)))
    return out


def corpus_sentences(root: Path) -> list[list[str]]:
    """Every sentence (3 to 80 tokens) of every article under ``root``."""
    return [s for text in pseudo.articles(root) for s in pseudo.sentences(text)]


def batch(data, idx: list[int]):
    """Padded word ids, lengths and classes (-100 on padding) of sentences ``idx`` of ``data``."""
    import torch

    t = max(len(data[i][0]) for i in idx)
    ids = torch.zeros((len(idx), t), dtype=torch.long)
    classes = torch.full((len(idx), t), -100, dtype=torch.long)
    lengths = torch.tensor([len(data[i][0]) for i in idx])
    for k, i in enumerate(idx):
        ids[k, : lengths[k]] = torch.from_numpy(data[i][0])
        classes[k, : lengths[k]] = torch.from_numpy(data[i][1])
    return ids, lengths, classes


def seeded(torch, seed: int, threads: int) -> random.Random:
    """Seed torch and set its threads for a deterministic run; the run's own random source."""
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)
    return random.Random(seed)


def length_batches(lengths: list[int], rng: random.Random, epochs: int = 1) -> list[list[int]]:
    """Batches of BATCH sentences of about one length (their indexes), in shuffled order, the
    same order in each of ``epochs`` passes (so a shorter run is the start of a longer one)."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], rng.random()))
    batches = [order[s : s + BATCH] for s in range(0, len(order), BATCH)]
    rng.shuffle(batches)
    return batches * epochs


def step(torch, opt, params, loss, clip: float) -> None:
    """One optimiser step on ``loss``, gradients clipped to norm ``clip``."""
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, clip)
    opt.step()


def pretrain(root: Path, words: list[str], matrix: np.ndarray, clusters: dict[str, int], seed: int = 0,
             threads: int = 2, max_sentences: int | None = None, hidden: int = HIDDEN, epochs: int = 1) -> list[dict]:
    """State dicts of a ``model.BiLM`` over the frozen vectors ``matrix``, trained on the corpus under
    ``root``: one after each of the ``epochs`` passes."""
    import torch

    from marsad.nlp.ner.neural.model import BiLM

    rng = seeded(torch, seed, threads)
    t0 = time.time()
    sentences = corpus_sentences(root)
    rng.shuffle(sentences)
    data = encode(sentences[:max_sentences], words, clusters)
    print(f"lm: {len(data)} sentences, {sum(len(x) for x, _ in data)} tokens ({time.time() - t0:.0f} s)", file=sys.stderr)
    embed = torch.nn.Embedding.from_pretrained(torch.from_numpy(matrix), freeze=True, padding_idx=0)
    lm = BiLM(matrix.shape[1], hidden, RARE + 1)
    params = list(lm.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    batches = length_batches([len(x) for x, _ in data], rng, epochs)
    per_epoch = len(batches) // epochs
    seen, total, since = 0, 0.0, 0
    states = []
    for n, idx in enumerate(batches, 1):
        ids, lengths, classes = batch(data, idx)
        loss = lm.loss(embed(ids), lengths, classes)
        step(torch, opt, params, loss, 5.0)
        seen += int(lengths.sum())
        total, since = total + loss.item(), since + 1
        if n % 500 == 0 or n == len(batches):
            print(f"lm: batch {n}/{len(batches)}, loss {total / since:.3f}, {seen / (time.time() - t0):.0f} tokens/s", file=sys.stderr)
            total, since = 0.0, 0
        if n % per_epoch == 0:
            states.append({k: v.clone() for k, v in lm.state_dict().items()})
    return states
