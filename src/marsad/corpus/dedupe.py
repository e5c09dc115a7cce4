"""Near-duplicate detection: republished and syndicated copies, found with MinHash and LSH.

Documents are compared on shingles of normalised words (folded, clitics
stripped, so that a copy re-typed with other hamza forms or "و" attached still
matches). Each group of near-duplicates is represented by its earliest version;
a copy is linked to it instead of being counted as new evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional

from datasketch import MinHash, MinHashLSH

from marsad.text.normalize import fold
from marsad.text.tokens import segment

_WORD = re.compile(r"[\u0621-\u064a]+|[a-z]+|\d+")
SHINGLE_SIZE = 4
NUM_PERM = 128


def words(text: str) -> list[str]:
    return [segment(w)[1] for w in _WORD.findall(fold(text))]


def shingles(text: str, size: int = SHINGLE_SIZE) -> set[str]:
    tokens = words(text)
    if len(tokens) < size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def minhash(text: str) -> MinHash:
    m = MinHash(num_perm=NUM_PERM, seed=1)
    m.update_batch([s.encode("utf-8") for s in shingles(text)])
    return m


@dataclass
class Copy:
    """A document found to be a near-duplicate of an earlier one."""

    doc_id: str
    original: str
    similarity: float


class DuplicateIndex:
    """Incremental index: ``add`` a document, learn which earlier document it copies."""

    def __init__(self, threshold: float = 0.7, min_words: int = 30):
        self.threshold = threshold
        self.min_words = min_words
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._hashes: dict[str, MinHash] = {}
        self._dates: dict[str, str] = {}
        self._original: dict[str, str] = {}  # doc id -> the earliest version of its group
        self._order: dict[str, int] = {}

    def _key(self, doc_id: str) -> tuple[str, int]:
        # Earliest publication first; undated documents after dated ones; then order of arrival.
        return (self._dates.get(doc_id) or "9999", self._order[doc_id])

    def add(self, doc_id: str, text: str, published: Optional[str] = None) -> Optional[Copy]:
        """Index a document; return the Copy link when it near-duplicates an indexed one."""
        if doc_id in self._hashes:
            original = self._original.get(doc_id, doc_id)
            return Copy(doc_id, original, 1.0) if original != doc_id else None
        if len(words(text)) < self.min_words:
            return None  # too short to tell a copy from a shared headline formula
        m = minhash(text)
        self._order[doc_id] = len(self._order)
        if published:
            self._dates[doc_id] = published
        candidates = [c for c in self._lsh.query(m) if m.jaccard(self._hashes[c]) >= self.threshold]
        self._lsh.insert(doc_id, m)
        self._hashes[doc_id] = m
        if not candidates:
            return None
        group = {self._original.get(c, c) for c in candidates} | set(candidates) | {doc_id}
        earliest = min(group, key=self._key)
        for member in group:
            self._original[member] = earliest
        for member, root in list(self._original.items()):
            if root in group:
                self._original[member] = earliest
        best = max(m.jaccard(self._hashes[c]) for c in candidates)
        return Copy(doc_id, earliest, best) if earliest != doc_id else None

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._hashes

    def similarity(self, a: str, b: str) -> float:
        """Estimated Jaccard similarity of two indexed documents' shingles."""
        return self._hashes[a].jaccard(self._hashes[b])

    def original_of(self, doc_id: str) -> str:
        return self._original.get(doc_id, doc_id)

    def groups(self) -> list[list[str]]:
        """Groups of two or more near-duplicates, each listed earliest first."""
        by_root: dict[str, list[str]] = {}
        for member, root in self._original.items():
            by_root.setdefault(root, [])
            if member != root:
                by_root[root].append(member)
        return [[root] + sorted(members, key=self._key) for root, members in by_root.items() if members]


def find_copies(docs: Iterable[tuple[str, str, Optional[str]]], threshold: float = 0.7) -> list[Copy]:
    """All copies among (id, text, published) documents, each linked to its group's earliest version."""
    index = DuplicateIndex(threshold)
    for doc_id, text, published in docs:
        index.add(doc_id, text, published)
    return [
        Copy(member, group[0], index.similarity(member, group[0])) for group in index.groups() for member in group[1:]
    ]
