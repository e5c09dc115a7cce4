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


@lru_cache(maxsize=1)
def _surface_classes() -> tuple[dict[str, str], str]:
    """For each folded character, the characters that fold to it; and the characters fold drops inside a word."""
    variants: dict[str, set[str]] = {}
    dropped = []
    for cp in list(range(0x00, 0x0800)) + list(range(0xFB50, 0xFF00)):
        ch = chr(cp)
        if ch.isspace():
            continue
        folded = fold(ch)
        if folded == "":
            dropped.append(ch)
        elif len(folded) == 1 and folded != ch:
            variants.setdefault(folded, set()).add(ch)
    classes = {f: "[" + re.escape(f) + "".join(re.escape(c) for c in sorted(chs)) + "]" for f, chs in variants.items()}
    return classes, "[" + "".join(re.escape(c) for c in dropped) + "]*"


@lru_cache(maxsize=4096)
def _surface_pattern(terms: frozenset[str]) -> re.Pattern[str]:
    """Matches, in unfolded text, any spelling that folds to one of ``terms`` (diacritics and variants included)."""
    classes, dropped = _surface_classes()
    forms = [dropped.join(classes.get(c, re.escape(c)) for c in t) for t in sorted(terms, key=len, reverse=True) if t]
    return re.compile("|".join(forms) or "(?!)")


def _word_start(text: str, pos: int) -> int:
    while pos > 0 and _SNIPPET_WORD.match(text, pos - 1, pos):
        pos -= 1
    return pos


def snippet(text: str, terms: Iterable[str], width: int = 32) -> Snippet:
    """The window of about ``width`` words holding the most matches, with matches marked.

    Candidate words are found by a regular expression over the unfolded text, so the cost is in the
    number of matches, not of words: only candidates are folded and reduced to their terms.
    """
    wanted = set(terms)
    # A word holding a term holds each shorter term it contains: searching for the minimal ones finds every candidate.
    minimal = frozenset(t for t in wanted if not any(u != t and u in t for u in wanted))
    highlights: list[tuple[int, int]] = []
    checked = 0  # end of the last word checked: later matches inside it are skipped (a huge word is read once)
    for m in _surface_pattern(minimal).finditer(text):
        if m.start() < checked:
            continue
        word = _SNIPPET_WORD.match(text, _word_start(text, m.start()))
        if word is None:
            continue
        checked = word.end()
        if wanted.intersection(word_terms(_folded(word.group()))):
            highlights.append(word.span())
    # Word index of each match, counting white space between matches: exact for text written with spaces,
    # and a tenth of the cost of counting the words themselves.
    index, pos, positions = 0, 0, []
    for s, _ in highlights:
        index += text.count(" ", pos, s) + text.count("\n", pos, s)
        positions.append(index)
        pos = s
    best, best_count, j = 0, 0, 0
    for k, first in enumerate(positions):
        while j < len(positions) and positions[j] < first + width:
            j += 1
        if j - k > best_count:
            best, best_count = k, j - k
    # The window opens a quarter of its width before its first match.
    anchor = highlights[best][0] if highlights else 0
    back = width // 4 if highlights else 0
    start = anchor
    if back:
        reach = 16 * back
        while True:
            lo = max(0, anchor - reach)
            before = [w.start() for w in _SNIPPET_WORD.finditer(text, lo, anchor)]
            if len(before) > back or lo == 0:  # more than needed: the first may be cut by ``lo``
                start = before[-min(back, len(before))] if before else anchor
                break
            reach *= 4
    window = [w for _, w in zip(range(width), _SNIPPET_WORD.finditer(text, start))]
    if not window:
        return Snippet("", [])
    start, end = window[0].start(), window[-1].end()
    parts: list[str] = ["… " if _SNIPPET_WORD.search(text, 0, start) else ""]
    pos = start
    for s, e in highlights:
        if s < start or e > end:
            continue
        parts += [html.escape(text[pos:s], quote=False), "<mark>", html.escape(text[s:e], quote=False), "</mark>"]
        pos = e
    parts.append(html.escape(text[pos:end], quote=False))
    parts.append(" …" if _SNIPPET_WORD.search(text, end) else "")
    return Snippet("".join(parts).replace("\n", " "), highlights)
