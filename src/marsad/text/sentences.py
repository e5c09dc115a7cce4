"""Sentence splitting for Arabic news text.

Boundaries: newlines (paragraphs), . ! ? ؟ ؛ and … followed by space or end,
with closing quotes and brackets kept on the sentence they end. Not a
boundary: a dot inside a number (3.5), after a one-letter abbreviation
(د. م. أ.), after a known abbreviation (ص. ت. ج.), or inside a quotation
that is still open and short enough to be one quoted sentence.
"""

from __future__ import annotations

import re

from marsad.model import Sentence
from marsad.text.tokens import tokenize

_END_PUNCT = ".!?؟؛…"
_CLOSERS = "\"'”’»)]}"
_OPENERS = {"“": "”", "«": "»"}
_ABBREVIATIONS = {"د", "م", "أ", "ا", "ص", "ت", "ج", "ق", "ه", "هـ", "ش", "ب", "ف", "ك", "س", "ع", "ح", "Dr", "Mr", "Mrs", "St", "No"}
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\s*$")
_MAX_QUOTE = 600
MAX_SENTENCE_CHARS = 1500


def _is_abbreviation(text: str, dot: int, line_start: int) -> bool:
    m = _WORD_BEFORE.search(text, line_start, dot)
    if not m:
        return False
    word = m.group(1)
    return word in _ABBREVIATIONS or (len(word) == 1)


def split_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in ``text[start:end]``, trimmed of spaces."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    sent_start = start
    open_quote: tuple[str, int] | None = None
    line_start = start
    i = start
    while i < end:
        ch = text[i]
        if ch == "\n":
            spans.append((sent_start, i))
            sent_start = i + 1
            line_start = i + 1
            open_quote = None
        elif ch in _OPENERS:
            open_quote = (_OPENERS[ch], i)
        elif open_quote and ch == open_quote[0]:
            open_quote = None
        elif ch in _END_PUNCT:
            if open_quote and i - open_quote[1] < _MAX_QUOTE:
                i += 1
                continue
            j = i + 1
            while j < end and text[j] in _END_PUNCT:
                j += 1
            while j < end and text[j] in _CLOSERS:
                j += 1
            at_boundary = j >= end or text[j].isspace()
            if ch == "." and at_boundary and _is_abbreviation(text, i, line_start):
                at_boundary = False
            if ch == "." and j < end and text[j].isdigit():
                at_boundary = False
            if at_boundary:
                spans.append((sent_start, j))
                sent_start = j
                open_quote = None
                i = j
                continue
        i += 1
    spans.append((sent_start, end))
    out = []
    for s, e in _cap_length(text, spans):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _cap_length(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cut run-on "sentences" (a 1 MB line, a list without stops) at a comma or space."""
    out = []
    for s, e in spans:
        while e - s > MAX_SENTENCE_CHARS:
            cut = max(text.rfind("،", s, s + MAX_SENTENCE_CHARS), text.rfind(",", s, s + MAX_SENTENCE_CHARS))
            if cut <= s:
                cut = text.rfind(" ", s, s + MAX_SENTENCE_CHARS)
            cut = cut + 1 if cut > s else s + MAX_SENTENCE_CHARS
            out.append((s, cut))
            s = cut
        out.append((s, e))
    return out


def split(text: str) -> list[Sentence]:
    """Sentences of ``text`` with their tokens."""
    return [Sentence(start=s, end=e, tokens=list(tokenize(text, s, e))) for s, e in split_spans(text)]
