"""Search terms: the normalised tokens that both documents and queries are reduced to.

Each word gives up to three terms: its folded form (exact match, ranks
highest), the form without proclitics and article (بالعراق → عراق) and a light
stem of that without plural/feminine/pronoun suffixes (اجتماعات → اجتماع).
Documents are indexed on all three; a query word matches any of its own.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from marsad.text.normalize import fold
from marsad.text.tokens import segment, tokenize

_NON_WORD = re.compile(r"\W+")
_WORD = re.compile(r"\w")
# Suffixes removed by the light stemmer, longest first; ه is the folded ta marbuta (and the pronoun),
# ا the alef left of the accusative tanween once diacritics are folded away (اجتماعاً → اجتماعا).
_SUFFIXES = ("ات", "ون", "ين", "ه", "ا")
_ARTICLE = "ال"


def light_stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=200_000)
def word_terms(norm: str) -> tuple[str, ...]:
    """Terms of one folded word: (folded form, without clitics and article, light stem), deduplicated."""
    norm = _NON_WORD.sub("", norm)
    if not norm:
        return ()
    _, stem = segment(norm)
    bare = stem[len(_ARTICLE) :] if stem.startswith(_ARTICLE) and len(stem) >= 4 else stem
    return tuple(dict.fromkeys((norm, bare, light_stem(bare))))


def text_terms(text: str) -> list[str]:
    """All terms of a text, in order, for the full-text index."""
    terms: list[str] = []
    for token in tokenize(text):
        if _WORD.search(token.text):
            terms.extend(word_terms(token.norm))
    return terms


def query_words(query: str) -> list[tuple[str, ...]]:
    """The query as a list of words, each the tuple of terms any of which may match."""
    return [t for t in (word_terms(w) for w in fold(query).split()) if t]


@dataclass
class Snippet:
    html: str  # text escaped, matched words in <mark>…</mark>
    highlights: list[tuple[int, int]]  # offsets of every matched word in the document text


# A word for snippets: letters and digits with their diacritics and tatweel (cheaper than full tokenisation).
_SNIPPET_WORD = re.compile(r"(?:[^\W_]|[\u064B-\u065F\u0670\u0640])+")


@lru_cache(maxsize=200_000)
def _folded(surface: str) -> str:
    return fold(surface)


def snippet(text: str, terms: Iterable[str], width: int = 32) -> Snippet:
    """The window of about ``width`` words holding the most matches, with matches marked."""
    wanted = set(terms)
    words = [(m.start(), m.end(), _folded(m.group())) for m in _SNIPPET_WORD.finditer(text)]
    if not words:
        return Snippet("", [])
    # Every term of a word is a substring of its folded form: test that first, it is much cheaper.
    hits = [
        i for i, (_, _, norm) in enumerate(words)
        if any(w in norm for w in wanted) and wanted.intersection(word_terms(norm))
    ]
    highlights = [(words[i][0], words[i][1]) for i in hits]
    best_start, best_count, j = 0, 0, 0
    for k, first in enumerate(hits):
        while j < len(hits) and hits[j] < first + width:
            j += 1
        if j - k > best_count:
            best_start, best_count = first, j - k
    lo = max(0, best_start - width // 4)
    hi = min(len(words), lo + width)
    start, end = words[lo][0], words[hi - 1][1]
    parts: list[str] = ["… " if lo > 0 else ""]
    pos = start
    for s, e in highlights:
        if s < start or e > end:
            continue
        parts += [html.escape(text[pos:s], quote=False), "<mark>", html.escape(text[s:e], quote=False), "</mark>"]
        pos = e
    parts.append(html.escape(text[pos:end], quote=False))
    parts.append(" …" if hi < len(words) else "")
    return Snippet("".join(parts).replace("\n", " "), highlights)
