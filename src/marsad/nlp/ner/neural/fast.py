"""The fast tagger: a student of the shipped networks (``distill``) run by onnxruntime, no torch.

Two graphs: one turns a word form (its vector, characters and own features) into a
vector, computed once per distinct form and kept (news repeats its words a lot); the
other reads a sentence's vectors and phrase features through dilated convolutions and
gives the emissions, decoded by the teacher's CRF transitions and decoding rules. The
sentences of a call go through the second graph packed in one row, apart by masked
positions: one large matrix product per layer instead of one per sentence.
The student lives in its teacher's folder: it reads the same word list, feature tables,
inventories and transitions (``meta.json``); ``student.json`` holds what is its own.
"""

from __future__ import annotations

import itertools
import json
import shutil
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np

from marsad.nlp.ner.neural import (
    CACHE_WORDS, META_NAME, RESOURCE_FILES, WORDS_NAME, Encoder, FolderTagger, best_paths, break_names, neural_dir,
    session,
)

TYPES_NAME = "student_types.onnx"
CONTEXT_NAME = "student_context.onnx"
STUDENT_META = "student.json"
# Positions per run of the context graph: the sentences of a call are packed into one row, each
# followed by as many masked positions as the widest dilation, so that none reads another.
PACK = 4096
# Distinct word forms given their vector per run of the word graph.
FORMS = 512


class FastNerTagger(FolderTagger):
    def __init__(self, folder: Path | None = None, threads: int = 1):
        folder = folder or neural_dir()
        for name in (TYPES_NAME, CONTEXT_NAME, STUDENT_META):
            if not (folder / name).exists():
                raise FileNotFoundError(f"fast NER model missing: {folder / name}; run `marsad train ner --fast`")
        super().__init__(folder)
        own = json.loads((folder / STUDENT_META).read_text(encoding="utf-8"))
        self.gap = max(own["dilations"])
        self.phrase_ids = phrase_numbers(self.encoder, own["phrases"])
        self.types = session(folder / TYPES_NAME, threads)
        self.context = session(folder / CONTEXT_NAME, threads)
        self.break_types = sorted(t[2:] for t in self.tags if t.startswith("I-"))
        self._row: dict[str, int] = {}  # word form -> its row in _table (row 0: padding)
        self._table = np.zeros((1024, own["width"]), np.float32)
        self._size = 1  # rows in use
        # By row: the form's stem (for the name-list phrases), whether that stem may begin a
        # multi-word name-list entry, and the types (``break_types``) it cannot continue.
        self._stems: list[str] = ["\n"]
        self._head = np.zeros(len(self._table), bool)
        self._breaks = np.zeros((len(self._table), len(self.break_types)), bool)
        self._no_break = [False] * len(self.break_types)

    def tag_many(self, sentences: list[list[str]]) -> list[list[str]]:
        """Tags for many sentences; each gets the tags it gets alone (the positions between them are masked)."""
        flat, starts = self._pack(sentences)
        emissions = self._emissions(flat, starts)
        for k, typ in enumerate(self.break_types):
            break_names(self.tags, emissions, np.flatnonzero(self._breaks[flat, k]), typ)
        return best_paths(self, [emissions[a : a + len(s)] for a, s in zip(starts, sentences)])

    def emissions_many(self, sentences: list[list[str]]) -> list[np.ndarray]:
        """The student's emissions [T, tags] of each sentence (empty ones: [0, tags])."""
        flat, starts = self._pack(sentences)
        emissions = self._emissions(flat, starts)
        return [emissions[a : a + len(s)].copy() for a, s in zip(starts, sentences)]

    def _pack(self, sentences: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        """The sentences' table rows in one sequence, each sentence followed by ``gap`` padding rows,
        and where each sentence starts in it."""
        self._add_forms(set(itertools.chain.from_iterable(sentences)))
        lengths = np.fromiter(map(len, sentences), np.int64, len(sentences))
        total = int(lengths.sum())
        gaps = self.gap * np.arange(len(sentences))
        flat = np.zeros(total + self.gap * len(sentences), np.int64)
        flat[np.arange(total) + np.repeat(gaps, lengths)] = list(map(self._row.__getitem__, itertools.chain.from_iterable(sentences)))
        return flat, np.cumsum(lengths) - lengths + gaps

    def _emissions(self, flat: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """Emissions [len(flat), tags] of a packed sequence (``_pack``); rows at padding are not meaningful."""
        phrases = self._phrases(flat)
        out = np.zeros((len(flat), len(self.tags)), np.float32)
        cuts = [0]
        for a in starts[1:]:
            if a - cuts[-1] > PACK:
                cuts.append(int(a))
        cuts.append(len(flat))
        for a, b in zip(cuts, cuts[1:]):
            if a == b:
                continue
            ids = flat[None, a:b]
            feed = {"vectors": self._table[ids], "phrases": phrases[None, a:b], "mask": (ids != 0).astype(np.float32)}
            out[a:b] = self.context.run(None, feed)[0][0]
        return out

    def _phrases(self, flat: np.ndarray) -> np.ndarray:
        """The student's multi-word name-list feature ids at each position of a packed sequence [len(flat), P]."""
        heads = np.flatnonzero(self._head[flat]).tolist()
        # Padding's stem (row 0) is a line break, which no name-list entry holds: no match crosses it.
        stems = list(map(self._stems.__getitem__, flat.tolist())) if heads else []
        ids = self.phrase_ids
        found = [(j, ids[f]) for j, f in self.featurizer.phrase_marks(stems, heads) if f in ids]  # (position, phrase id)
        depth = Counter(j for j, _ in found)
        phrases = np.zeros((len(flat), max(depth.values(), default=1)), np.int64)
        for j, f in found:
            depth[j] -= 1
            phrases[j, depth[j]] = f
        return phrases

    def _add_forms(self, forms: set[str]) -> None:
        """Give the forms not met before their row in the vector table."""
        new = list(forms.difference(self._row))
        if len(self._row) + len(new) > CACHE_WORDS:
            self._row, self._size = {}, 1
            new = list(forms)
        if not new:
            return
        if self._size + len(new) > len(self._table):
            # Grown by doubling, so that adding a few forms per call does not copy the table each time.
            size = max(2 * len(self._table), self._size + len(new))
            self._table = _grown(self._table, size, self._size)
            self._head = _grown(self._head, size, self._size)
            self._breaks = _grown(self._breaks, size, self._size)
        info = {w: self.encoder.word(w) for w in new}
        # By length, so that a run of the word graph pads its forms' characters little.
        new.sort(key=lambda w: (len(info[w][1]), w))
        del self._stems[self._size :]
        heads = self.featurizer.phrase_heads
        for s in range(0, len(new), FORMS):
            chunk = [info[w] for w in new[s : s + FORMS]]
            words = np.array([x[0] for x in chunk], np.int64)
            feed = {"words": words, "chars": _padded([x[1] for x in chunk]), "feats": _padded([x[2] for x in chunk])}
            (vectors,) = self.types.run(None, feed)
            rows = slice(self._size, self._size + len(chunk))
            self._table[rows] = vectors
            self._head[rows] = [x[3] in heads for x in chunk]
            self._breaks[rows] = [[t in x[4] for t in self.break_types] if x[4] else self._no_break for x in chunk]
            self._stems += [x[3] for x in chunk]
            self._size += len(chunk)
        self._row.update((w, self._size - len(new) + k) for k, w in enumerate(new))


def _padded(rows: list[tuple[int, ...]]) -> np.ndarray:
    """The rows as one zero-padded int64 array (at least one column)."""
    lengths = np.fromiter(map(len, rows), np.int64, len(rows))
    out = np.zeros((len(rows), max(1, int(lengths.max(initial=0)))), np.int64)
    out[np.arange(out.shape[1]) < lengths[:, None]] = list(itertools.chain.from_iterable(rows))
    return out


def _grown(array: np.ndarray, size: int, used: int) -> np.ndarray:
    """``array`` with ``size`` rows, its first ``used`` ones kept and the rest zero."""
    out = np.zeros((size, *array.shape[1:]), array.dtype)
    out[:used] = array[:used]
    return out


def has_model(folder: Path | None = None) -> bool:
    folder = folder or neural_dir()
    return all((folder / name).exists() for name in (TYPES_NAME, CONTEXT_NAME, STUDENT_META))


def phrase_numbers(encoder: Encoder, phrases: list[str]) -> dict[str, int]:
    """The student's ids (from 1) of the multi-word name-list features ``phrases``, by name."""
    return {f: k for k, f in enumerate(phrases, 1) if f in encoder.feats}


def phrase_index(encoder: Encoder, phrases: list[str]) -> dict[int, int]:
    """The same ids by the teacher's feature ids."""
    return {encoder.feats[f]: k for f, k in phrase_numbers(encoder, phrases).items()}


def phrase_features(feats: list[str]) -> list[str]:
    """The multi-word name-list features (``gp=``) among a tagger's features."""
    return [f for f in feats if f.startswith("gp=")]


@lru_cache(maxsize=1)
def default_fast_tagger() -> FastNerTagger:
    return FastNerTagger()


def word_matrix(teacher: Path) -> tuple[list[str], np.ndarray]:
    """The word list and word vectors of the tagger in ``teacher``, as int8 storage gives them (needs ``onnx``)."""
    from onnx import numpy_helper

    from marsad.nlp.ner.neural.vocabulary import word_tables

    _, words, _, tables = word_tables(teacher)
    rows, scale = int8_rows(numpy_helper.to_array(tables[0]).astype(np.float32))
    # What the student trains with is what its int8 graph gives back (``_quantize_words``).
    return words, rows.astype(np.float32) * scale


def write_folder(out: Path, teacher: Path, width: int, dilations: tuple[int, ...], phrases: list[str]) -> None:
    """Beside the student's graphs in ``out``: what it reads of its teacher (copied unless ``out`` is
    the teacher's folder) and its own meta; the word matrix in the word graph is stored as int8 rows
    with a scale each."""
    if out.resolve() != teacher.resolve():
        for name in RESOURCE_FILES + (WORDS_NAME, META_NAME):
            shutil.copy(teacher / name, out / name)
    meta = json.loads((teacher / META_NAME).read_text(encoding="utf-8"))
    own = {"width": width, "dilations": list(dilations), "phrases": phrases}
    (out / STUDENT_META).write_text(json.dumps(own, ensure_ascii=False) + "\n", encoding="utf-8")
    _quantize_words(out / TYPES_NAME, meta["n_words"])


def int8_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``matrix`` as int8 rows and a scale per row ([n, 1]), their product close to it."""
    scale = np.maximum(np.abs(matrix).max(axis=1, keepdims=True), 1e-9).astype(np.float32) / np.float32(127.0)
    return np.round(matrix / scale).astype(np.int8), scale


def _quantize_words(path: Path, n_words: int) -> None:
    """Store the word matrix of the graph at ``path`` as int8 with a float scale per row:
    a quarter of the size, and only the looked-up rows are widened again."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(path))
    graph = model.graph
    table = next(t for t in graph.initializer if len(t.dims) == 2 and t.dims[0] == n_words)
    rows, scale = int8_rows(numpy_helper.to_array(table))
    graph.initializer.remove(table)
    graph.initializer.extend([numpy_helper.from_array(rows, table.name + "_int8"),
                              numpy_helper.from_array(scale.astype(np.float32), table.name + "_scale")])
    nodes = []
    for node in graph.node:
        if node.op_type == "Gather" and node.input[0] == table.name:
            ids, out = node.input[1], node.output[0]
            nodes += [helper.make_node("Gather", [table.name + "_int8", ids], [out + "_int8"], axis=0),
                      helper.make_node("Cast", [out + "_int8"], [out + "_wide"], to=TensorProto.FLOAT),
                      helper.make_node("Gather", [table.name + "_scale", ids], [out + "_scale"], axis=0),
                      helper.make_node("Mul", [out + "_wide", out + "_scale"], [out])]
        else:
            nodes.append(node)
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
