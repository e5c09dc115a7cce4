"""The fast tagger: a student of the shipped networks (``distill``) run by onnxruntime, no torch.

Two graphs: one turns a word form (its vector, characters and own features) into a
vector, computed once per distinct form and kept (news repeats its words a lot); the
other reads a sentence's vectors and phrase features through dilated convolutions and
gives the emissions, decoded by the teacher's CRF transitions and decoding rules.
The student lives in its teacher's folder: it reads the same word list, feature tables,
inventories and transitions (``meta.json``); ``student.json`` holds what is its own.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np

from marsad.nlp.ner.neural import (
    CACHE_WORDS, META_NAME, RESOURCE_FILES, WORDS_NAME, Encoder, FolderTagger, decode, neural_dir, session,
)

TYPES_NAME = "student_types.onnx"
CONTEXT_NAME = "student_context.onnx"
STUDENT_META = "student.json"
# Sentences per run of the context graph.
BATCH = 64
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
        self.phrase_ids = phrase_numbers(self.encoder, own["phrases"])
        self.types = session(folder / TYPES_NAME, threads)
        self.context = session(folder / CONTEXT_NAME, threads)
        self._row: dict[str, int] = {}  # word form -> its row in _table (row 0: padding)
        self._table = np.zeros((1024, own["width"]), np.float32)
        self._size = 1  # rows in use
        # By row: the form's stem (for the name-list phrases) and the types it cannot continue.
        self._stems: list[str] = [""]
        self._breaks: list[frozenset[str]] = [frozenset()]

    def tag_many(self, sentences: list[list[str]], batch_size: int = BATCH) -> list[list[str]]:
        """Tags for many sentences; each gets the tags it gets alone (padding is masked)."""
        rows = self._rows_of({w for s in sentences for w in s})
        rows_by_sentence = [[rows[w] for w in s] for s in sentences]
        breaks = [[(j, self._breaks[r]) for j, r in enumerate(rs) if self._breaks[r]] for rs in rows_by_sentence]
        return decode(self, sentences, self._emissions(rows_by_sentence, batch_size), breaks)

    def emissions_many(self, sentences: list[list[str]], batch_size: int = BATCH) -> list[np.ndarray]:
        """The student's emissions [T, tags] of each sentence (empty ones: [0, tags])."""
        rows = self._rows_of({w for s in sentences for w in s})
        return self._emissions([[rows[w] for w in s] for s in sentences], batch_size)

    def _emissions(self, rows_by_sentence: list[list[int]], batch_size: int) -> list[np.ndarray]:
        out = [np.zeros((0, len(self.tags)), np.float32) for _ in rows_by_sentence]
        heads, ids_of = self.featurizer.phrase_heads, self.phrase_ids
        order = sorted((i for i, rs in enumerate(rows_by_sentence) if rs), key=lambda i: len(rows_by_sentence[i]))
        for s in range(0, len(order), batch_size):
            idx = order[s : s + batch_size]
            t = len(rows_by_sentence[idx[-1]])
            ids = np.zeros((len(idx), t), np.int64)
            found: list[tuple[int, int, int]] = []  # (sentence in batch, position, phrase id)
            for k, i in enumerate(idx):
                ids[k, : len(rows_by_sentence[i])] = rows_by_sentence[i]
                stems = [self._stems[r] for r in rows_by_sentence[i]]
                if heads.isdisjoint(stems):
                    continue
                feats: list[list[str]] = [[] for _ in stems]
                self.featurizer.phrases(stems, feats)
                found += [(k, j, ids_of[f]) for j, fs in enumerate(feats) for f in fs if f in ids_of]
            depth = Counter((k, j) for k, j, _ in found)
            phrase_ids = np.zeros((len(idx), t, max(depth.values(), default=1)), np.int64)
            for k, j, f in found:
                depth[k, j] -= 1
                phrase_ids[k, j, depth[k, j]] = f
            lengths = np.array([len(rows_by_sentence[i]) for i in idx], np.int64)
            (emissions,) = self.context.run(None, {"vectors": self._table[ids], "phrases": phrase_ids, "lengths": lengths})
            for k, i in enumerate(idx):
                out[i] = emissions[k, : lengths[k]]
        return out

    def _rows_of(self, forms: set[str]) -> dict[str, int]:
        """Each form's row in the vector table, computing the vectors of forms not met before."""
        new = sorted(f for f in forms if f not in self._row)
        if len(self._row) + len(new) > CACHE_WORDS:
            self._row, self._size = {}, 1
            new = sorted(forms)
        if self._size + len(new) > len(self._table):
            # Grown by doubling, so that adding a few forms per call does not copy the table each time.
            grown = np.zeros((max(2 * len(self._table), self._size + len(new)), self._table.shape[1]), np.float32)
            grown[: self._size] = self._table[: self._size]
            self._table = grown
        for s in range(0, len(new), FORMS):
            chunk = new[s : s + FORMS]
            info = [self.encoder.word(w) for w in chunk]
            chars = np.zeros((len(info), max(len(x[1]) for x in info)), np.int64)
            feats = np.zeros((len(info), max(1, max(len(x[2]) for x in info))), np.int64)
            for k, x in enumerate(info):
                chars[k, : len(x[1])] = x[1]
                feats[k, : len(x[2])] = x[2]
            words = np.array([x[0] for x in info], np.int64)
            (vectors,) = self.types.run(None, {"words": words, "chars": chars, "feats": feats})
            self._table[self._size : self._size + len(chunk)] = vectors
            self._row.update((w, self._size + k) for k, w in enumerate(chunk))
            del self._stems[self._size :], self._breaks[self._size :]
            self._stems += [x[3] for x in info]
            self._breaks += [x[4] for x in info]
            self._size += len(chunk)
        return {w: self._row[w] for w in forms}


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


def write_folder(out: Path, teacher: Path, width: int, phrases: list[str]) -> None:
    """Beside the student's graphs in ``out``: what it reads of its teacher (copied unless ``out`` is
    the teacher's folder) and its own meta; the word matrix in the word graph is stored as int8 rows
    with a scale each."""
    if out.resolve() != teacher.resolve():
        for name in RESOURCE_FILES + (WORDS_NAME, META_NAME):
            shutil.copy(teacher / name, out / name)
    meta = json.loads((teacher / META_NAME).read_text(encoding="utf-8"))
    own = {"width": width, "phrases": phrases}
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
