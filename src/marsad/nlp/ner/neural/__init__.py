"""Neural NER tagger: char CNN + pretrained word vectors + the CRF's name-list and
cluster features (optionally the states of a frozen ANT language model, ``lm``), a BiLSTM
and a CRF layer, trained by ``marsad train ner --neural``.

The runtime needs no torch: the emission network is an ONNX graph run by
onnxruntime, and decoding is a numpy Viterbi over the exported transitions.
"""

from __future__ import annotations

import itertools
import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from marsad.nlp.ner.features import Featurizer, Resources
from marsad.nlp.ner.neural.embeddings import stem_of
from marsad.nlp.ner.tagger import resource_dir
from marsad.text.tokens import lexicon
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
# Distinct word forms whose encoding is kept (about 0.5 KiB each).
CACHE_WORDS = 200_000
# Sentences per onnxruntime call. With the merged four-network tagger on the ANERcorp test,
# 16 ran 12-20% faster than 32 in three alternating runs (and 64 or more slower still).
BATCH = 16
_TYPES, _PER, _NONE = frozenset(("PER", "ORG", "LOC", "MISC")), frozenset(("PER",)), frozenset()


def word_id(index: dict[str, int], norm: str) -> int:
    """The vector row of a folded word: its stem's, else the whole word's, else unknown."""
    found = index.get(stem_of(norm))
    return index.get(norm, UNK) if found is None else found


def neural_dir() -> Path:
    return resource_dir() / "neural"


class Encoder:
    """Maps a sentence's words to the network's integer inputs."""

    def __init__(self, featurizer: Featurizer, words: list[str], chars: list[str], feats: list[str],
                 lm_chars: list[str] | None = None, char_context: int = 0):
        self.featurizer = featurizer
        self.words = {w: i for i, w in enumerate(words)}
        self.chars = {c: i for i, c in enumerate(chars)}
        self.feats = {f: i for i, f in enumerate(feats)}
        # The character language model's symbols, where the network reads one (``charlm``; imported
        # here so that ``python -m marsad.nlp.ner.neural.charlm`` finds it not yet loaded).
        self.char_text = None
        # Symbols of the neighbouring sentences the character model reads on each side (``CharText.sentence``).
        self.char_context = char_context
        if lm_chars:
            from marsad.nlp.ner.neural.charlm import CharText

            self.char_text = CharText(lm_chars)
        self._cache: dict[str, tuple[int, tuple[int, ...], tuple[int, ...], str, frozenset[str]]] = {}

    def features(self, words: list[str]) -> list[list[str]]:
        return [[f for f in fs if f.split("=", 1)[0] in FEATURE_KEYS] for fs in self.featurizer.sentence(words)]

    def word(self, word: str) -> tuple[int, tuple[int, ...], tuple[int, ...], str, frozenset[str]]:
        """(word id, character ids, ids of the word's own features, stem, types it cannot continue)
        of one surface form.

        Everything but the multi-word name-list matches depends on the word alone,
        so it is computed once per distinct form (news repeats its words a lot).
        """
        hit = self._cache.get(word)
        if hit is None:
            norm = fold(word) or word
            stem, core, _ = self.featurizer.word(word, lexical=False, folded=norm)
            chars, feats = self.chars.get, self.feats.get
            conj = "p=و" in core
            hit = (
                word_id(self.words, norm),
                tuple([chars(c, UNK) for c in norm[:MAX_CHARS]]),
                tuple([i for i in map(feats, core) if i is not None]),
                stem,
                (_TYPES if "t=ORG" in core else _PER) if conj else _NONE,
            )
            if len(self._cache) < CACHE_WORDS:
                self._cache[word] = hit
        return hit

    def split(self, words: list[str]) -> tuple[list[tuple], list[list[int]]]:
        """Each word's own encoding (``word``) and the ids of its multi-word name-list matches."""
        info = [self.word(w) for w in words]
        phrases: list[list[str]] = [[] for _ in words]
        self.featurizer.phrases([x[3] for x in info], phrases)
        return info, [[self.feats[f] for f in gp if f in self.feats] for gp in phrases]

    def encode(self, words: list[str], before: list[str] = (), after: list[str] = ()) -> tuple:
        """Word ids, character ids and feature ids of each word; with a character language model,
        also the sentence as its text (``CharText.sentence``), between the neighbouring sentences
        ``before`` and ``after`` where the model reads them (``char_context``)."""
        info, phrases = self.split(words)
        encoded = [x[0] for x in info], [list(x[1]) for x in info], [[*x[2], *gp] for x, gp in zip(info, phrases)]
        if self.char_text is None:
            return encoded
        return (*encoded, self.char_text.sentence(words, before, after, self.char_context))

    def encode_all(self, sentences: list[list[str]], documents: list | None = None) -> list[tuple]:
        """``encode`` of each sentence, its neighbours being the sentences next to it in the list
        that belong to the same document (``documents``: one key per sentence; None: all one)."""
        if not self.char_context:
            return [self.encode(s) for s in sentences]
        same = (lambda i, j: True) if documents is None else (lambda i, j: documents[i] == documents[j])
        last = len(sentences) - 1
        return [self.encode(s, sentences[i - 1] if i and same(i, i - 1) else (),
                            sentences[i + 1] if i < last and same(i, i + 1) else ())
                for i, s in enumerate(sentences)]

    def breaks(self, words: list[str]) -> list[tuple[int, frozenset[str]]]:
        """(position, entity types it cannot continue) of each word that breaks a name (it may begin one).

        Counted in ANERcorp train: after a person's name, a word with the conjunction
        و begins another name 121 times, is outside one 110 times and continues it
        6 times (names that begin with the letter: وجدي, ويلي); "and" with an
        organisation's head (ووكالة, ووزارة) after any name begins a new one 20
        times and continues it once. Organisation names themselves hold و (حزب
        العدالة والتنمية), so only their heads break them.
        """
        return [(j, info[4]) for j, info in enumerate(map(self.word, words)) if info[4]]


def pad_batch(encoded: list[tuple]) -> dict[str, np.ndarray]:
    """Zero-padded int64 arrays for a batch of encoded sentences (``Encoder.encode``)."""
    n = len(encoded)
    t = max(len(e[0]) for e in encoded)
    c = max(1, max(len(x) for e in encoded for x in e[1]))
    f = max(1, max((len(x) for e in encoded for x in e[2]), default=1))
    words = np.zeros((n, t), np.int64)
    chars = np.zeros((n, t, c), np.int64)
    feats = np.zeros((n, t, f), np.int64)
    lengths = np.zeros(n, np.int64)
    for i, (wid, cid, fid, *_) in enumerate(encoded):
        lengths[i] = len(wid)
        words[i, : len(wid)] = wid
        for j, (cs, fs) in enumerate(zip(cid, fid)):
            chars[i, j, : len(cs)] = cs
            feats[i, j, : len(fs)] = fs
    batch = {"words": words, "chars": chars, "feats": feats, "lengths": lengths}
    if len(encoded[0]) > 3:
        from marsad.nlp.ner.neural.charlm import pad_text

        batch.update(pad_text([e[3] for e in encoded], t))
    return batch


def viterbi(emissions: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[int]:
    """Best tag path of one sentence's emissions [T, K]."""
    return viterbi_batch(emissions[None], np.array([len(emissions)]), trans, start, end)[0]


def viterbi_batch(emissions: np.ndarray, lengths: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[list[int]]:
    """Best tag paths of a padded batch of emissions [B, T, K]; a sentence's padding is never read."""
    b, t, _ = emissions.shape
    lengths = np.asarray(lengths)
    # Longest first, so that the sentences still going at a position are the first ``going[i]``.
    order = np.argsort(-lengths, kind="stable")
    emissions, ordered = emissions[order], lengths[order]
    going = (ordered[None, :] > np.arange(t)[:, None]).sum(1)
    score = start + emissions[:, 0]
    back = np.zeros(emissions.shape, np.int64)
    into = np.ascontiguousarray(trans.T)  # [to, from]: numpy reduces a last axis fastest
    for i in range(1, t):
        n = going[i]
        cand = score[:n, None, :] + into  # [n, to, from]
        best = cand.argmax(2)
        back[:n, i] = best
        score[:n] = np.take_along_axis(cand, best[:, :, None], 2)[:, :, 0] + emissions[:n, i]
    cur = (score + end).argmax(1)
    path = np.empty((b, t), np.int64)
    for i in range(t - 1, 0, -1):
        n = going[i]
        path[:n, i] = cur[:n]
        cur[:n] = back[np.arange(n), i, cur[:n]]
    path[:, 0] = cur
    paths: list[list[int]] = [[] for _ in range(b)]
    for k, i in enumerate(order):
        paths[i] = path[k, : ordered[k]].tolist()
    return paths


def session(path: Path, threads: int):
    """An onnxruntime session for the graph at ``path`` on ``threads`` CPU threads."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


class FolderTagger:
    """What a tagger reads from its folder beside its graphs: the word list, feature tables,
    inventories (``encoder``) and CRF transitions. The merged networks and their student share them."""

    def __init__(self, folder: Path):
        self.folder = folder
        meta = json.loads((folder / META_NAME).read_text(encoding="utf-8"))
        words = (folder / WORDS_NAME).read_text(encoding="utf-8").split("\n")[: meta["n_words"]]
        self.featurizer = Featurizer(Resources.load(folder))
        lexicon()  # word ids need the tokeniser's lexicon (``stem_of``): read with the model, not at the first word
        self.encoder = Encoder(self.featurizer, words, meta["chars"], meta["feats"], meta.get("lm_chars"),
                               meta.get("char_context", 0))
        self.tags = meta["tags"]
        self.trans = np.asarray(meta["transitions"], np.float32)
        self.start = np.asarray(meta["start"], np.float32)
        self.end = np.asarray(meta["end"], np.float32)

    def tag(self, words: list[str]) -> list[str]:
        """IOB2 tags (PER, ORG, LOC, MISC) for one sentence's tokens."""
        return self.tag_many([words])[0]


class NeuralNerTagger(FolderTagger):
    def __init__(self, folder: Path | None = None, threads: int = 1):
        folder = folder or neural_dir()
        if not (folder / MODEL_NAME).exists():
            raise FileNotFoundError(f"neural NER model missing: {folder / MODEL_NAME}; run `marsad train ner --neural`")
        super().__init__(folder)
        self.session = session(folder / MODEL_NAME, threads)

    def tag_many(self, sentences: list[list[str]], batch_size: int = BATCH, documents: list | None = None) -> list[list[str]]:
        """Tags for many sentences, batched; each gets the tags it gets alone, or, where the
        character model reads neighbouring sentences, the tags it gets between its neighbours
        (``Encoder.encode_all``)."""
        return decode(self, sentences, self.emissions_many(sentences, batch_size, documents))

    def emissions_many(self, sentences: list[list[str]], batch_size: int = BATCH, documents: list | None = None) -> list[np.ndarray]:
        """The network's emissions [T, tags] of each sentence (empty ones: [0, tags]); ``documents``
        as ``Encoder.encode_all`` takes it.

        The character CNN max-pools over the padding after a word too, so a batch
        only holds sentences whose longest word has the same length: padding
        them all to a longer word would change their emissions. Within that,
        sentences are sorted by length so that little padding is computed.
        """
        out = [np.zeros((0, len(self.tags)), np.float32) for _ in sentences]
        kept = [i for i, s in enumerate(sentences) if s]
        encoded = dict(zip(kept, self.encoder.encode_all([sentences[i] for i in kept],
                                                         None if documents is None else [documents[i] for i in kept])))
        width = {i: max(1, max(len(c) for c in e[1])) for i, e in encoded.items()}
        order = sorted(encoded, key=lambda i: (width[i], len(sentences[i])))
        for _, group in itertools.groupby(order, key=width.__getitem__):
            group = list(group)
            for s in range(0, len(group), batch_size):
                idx = group[s : s + batch_size]
                (emissions,) = self.session.run(None, pad_batch([encoded[i] for i in idx]))
                for k, i in enumerate(idx):
                    out[i] = emissions[k, : len(sentences[i])]
        return out


def decode(tagger, sentences: list[list[str]], emissions: list[np.ndarray],
           breaks: list[list[tuple[int, frozenset[str]]]] | None = None) -> list[list[str]]:
    """IOB2 tags from each sentence's emissions, by ``tagger``'s CRF transitions.

    Where a name cannot go on (``breaks``, by default ``Encoder.breaks`` of each sentence),
    what the network gives to going on goes to beginning.
    """
    emissions = list(emissions)
    for i, words in enumerate(sentences):
        found = tagger.encoder.breaks(words) if breaks is None else breaks[i]
        if found:
            emissions[i] = emissions[i].copy()
        for j, types in found:
            for typ in types:
                break_names(tagger.tags, emissions[i], np.array([j]), typ)
    return best_paths(tagger, emissions)


def break_names(tags: list[str], emissions: np.ndarray, at: np.ndarray, typ: str) -> None:
    """At the rows ``at`` of ``emissions`` [T, tags], where a name of type ``typ`` cannot go on,
    what the network gives to going on goes to beginning one."""
    begin, inside = tags.index("B-" + typ), tags.index("I-" + typ)
    emissions[at, begin] = np.maximum(emissions[at, begin], emissions[at, inside])
    emissions[at, inside] = -1e4


def best_paths(tagger, emissions: list[np.ndarray], batch_size: int = 128) -> list[list[str]]:
    """The IOB2 tags of each sentence's best path under ``tagger``'s CRF transitions, decoded in
    length-sorted batches."""
    tags = tagger.tags
    out: list[list[str]] = [[] for _ in emissions]
    order = sorted((i for i, e in enumerate(emissions) if len(e)), key=lambda i: len(emissions[i]))
    for s in range(0, len(order), batch_size):
        idx = order[s : s + batch_size]
        lengths = np.array([len(emissions[i]) for i in idx])
        batch = np.zeros((len(idx), lengths[-1], len(tags)), np.float32)
        for k, i in enumerate(idx):
            batch[k, : lengths[k]] = emissions[i]
        for i, path in zip(idx, viterbi_batch(batch, lengths, tagger.trans, tagger.start, tagger.end)):
            out[i] = [tags[j] for j in path]
    return out


def has_model(folder: Path | None = None) -> bool:
    return ((folder or neural_dir()) / MODEL_NAME).exists()


@lru_cache(maxsize=1)
def default_neural_tagger() -> NeuralNerTagger:
    return NeuralNerTagger()
