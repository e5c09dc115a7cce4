"""Neural NER tagger: char CNN + pretrained word vectors + the CRF's name-list and
cluster features, a BiLSTM and a CRF layer, trained by ``marsad train ner --neural``.

The runtime needs no torch: the emission network is an ONNX graph run by
onnxruntime, and decoding is a numpy Viterbi over the exported transitions.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from marsad.nlp.ner.features import Featurizer, Resources
from marsad.nlp.ner.neural.embeddings import stem_of
from marsad.nlp.ner.tagger import resource_dir
from marsad.text.normalize import fold

MODEL_NAME = "model.onnx"
META_NAME = "meta.json"
WORDS_NAME = "words.txt"
RESOURCE_FILES = ("clusters.tsv.gz", "gazetteers.tsv.gz", "triggers.tsv")
MAX_CHARS = 20
# Word-level features of the CRF kept as inputs (lexical ones are left to the
# word vectors and the character CNN).
FEATURE_KEYS = frozenset(("p", "sh", "al", "fq", "len", "c1", "c2", "c3", "c", "sc1", "sc2", "g", "t", "alr", "nisba", "gp"))
PAD, UNK = 0, 1


def neural_dir() -> Path:
    return resource_dir() / "neural"


class Encoder:
    """Maps a sentence's words to the network's integer inputs."""

    def __init__(self, featurizer: Featurizer, words: list[str], chars: list[str], feats: list[str]):
        self.featurizer = featurizer
        self.words = {w: i for i, w in enumerate(words)}
        self.chars = {c: i for i, c in enumerate(chars)}
        self.feats = {f: i for i, f in enumerate(feats)}

    def features(self, words: list[str]) -> list[list[str]]:
        return [[f for f in fs if f.split("=", 1)[0] in FEATURE_KEYS] for fs in self.featurizer.sentence(words)]

    def word_id(self, word: str) -> int:
        norm = fold(word) or word
        return self.words.get(stem_of(norm), self.words.get(norm, UNK))

    def encode(self, words: list[str]) -> tuple[list[int], list[list[int]], list[list[int]]]:
        wid = [self.word_id(w) for w in words]
        cid = [[self.chars.get(c, UNK) for c in (fold(w) or w)[:MAX_CHARS]] for w in words]
        fid = [[self.feats[f] for f in fs if f in self.feats] for fs in self.features(words)]
        return wid, cid, fid


def pad_batch(encoded: list[tuple[list[int], list[list[int]], list[list[int]]]]) -> dict[str, np.ndarray]:
    """Zero-padded int64 arrays for a batch of encoded sentences."""
    n = len(encoded)
    t = max(len(e[0]) for e in encoded)
    c = max(1, max(len(x) for e in encoded for x in e[1]))
    f = max(1, max((len(x) for e in encoded for x in e[2]), default=1))
    words = np.zeros((n, t), np.int64)
    chars = np.zeros((n, t, c), np.int64)
    feats = np.zeros((n, t, f), np.int64)
    lengths = np.zeros(n, np.int64)
    for i, (wid, cid, fid) in enumerate(encoded):
        lengths[i] = len(wid)
        words[i, : len(wid)] = wid
        for j, (cs, fs) in enumerate(zip(cid, fid)):
            chars[i, j, : len(cs)] = cs
            feats[i, j, : len(fs)] = fs
    return {"words": words, "chars": chars, "feats": feats, "lengths": lengths}


def viterbi(emissions: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[int]:
    """Best tag path of one sentence's emissions [T, K]."""
    score = start + emissions[0]
    back = np.zeros(emissions.shape, np.int64)
    for i in range(1, len(emissions)):
        cand = score[:, None] + trans
        back[i] = cand.argmax(0)
        score = cand.max(0) + emissions[i]
    best = [int((score + end).argmax())]
    for i in range(len(emissions) - 1, 0, -1):
        best.append(int(back[i, best[-1]]))
    return best[::-1]


class NeuralNerTagger:
    def __init__(self, folder: Path | None = None, threads: int = 1):
        import onnxruntime as ort

        folder = folder or neural_dir()
        if not (folder / MODEL_NAME).exists():
            raise FileNotFoundError(f"neural NER model missing: {folder / MODEL_NAME}; run `marsad train ner --neural`")
        meta = json.loads((folder / META_NAME).read_text(encoding="utf-8"))
        words = (folder / WORDS_NAME).read_text(encoding="utf-8").split("\n")[: meta["n_words"]]
        self.featurizer = Featurizer(Resources.load(folder))
        self.encoder = Encoder(self.featurizer, words, meta["chars"], meta["feats"])
        self.tags = meta["tags"]
        self.trans = np.asarray(meta["transitions"], np.float32)
        self.start = np.asarray(meta["start"], np.float32)
        self.end = np.asarray(meta["end"], np.float32)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(folder / MODEL_NAME), opts, providers=["CPUExecutionProvider"])

    def tag(self, words: list[str]) -> list[str]:
        """IOB2 tags (PER, ORG, LOC, MISC) for one sentence's tokens."""
        return self.tag_many([words])[0]

    def tag_many(self, sentences: list[list[str]], batch_size: int = 32) -> list[list[str]]:
        """Tags for many sentences, batched by similar length."""
        out: list[list[str]] = [[] for _ in sentences]
        order = sorted((i for i, s in enumerate(sentences) if s), key=lambda i: len(sentences[i]))
        for s in range(0, len(order), batch_size):
            idx = order[s : s + batch_size]
            inputs = pad_batch([self.encoder.encode(sentences[i]) for i in idx])
            (emissions,) = self.session.run(None, inputs)
            for k, i in enumerate(idx):
                path = viterbi(emissions[k, : len(sentences[i])], self.trans, self.start, self.end)
                out[i] = [self.tags[j] for j in path]
        return out


def has_model(folder: Path | None = None) -> bool:
    return ((folder or neural_dir()) / MODEL_NAME).exists()


@lru_cache(maxsize=1)
def default_neural_tagger() -> NeuralNerTagger:
    return NeuralNerTagger()
