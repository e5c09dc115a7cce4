"""Arabic normalisation for matching, with a map back to original offsets.

Two levels:

* ``clean_surface`` prepares the analysed text itself: it only unifies
  white space (no-break spaces and friends become a plain space) and drops
  invisible bidi/format marks, so the text stays readable and quotable.
* ``fold`` is the matching key: diacritics and tatweel removed, alef and
  hamza carriers unified, ى→ي, ة→ه, Arabic-Indic and Persian digits to ASCII,
  Persian letters to their Arabic counterparts. ``fold_with_map`` also returns,
  for each folded character, the index of the original character it came
  from, so a match in folded text maps back to the original string.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Harakat, tanween, shadda, sukun, superscript alef, Quranic marks.
_DIACRITICS = set(range(0x0610, 0x061B)) | set(range(0x064B, 0x0660)) | {0x0670} | set(range(0x06D6, 0x06EE))
_TATWEEL = 0x0640
# Zero-width and bidi controls: ZWSP, ZWNJ, ZWJ, LRM, RLM, ALM, embeddings, isolates, BOM.
_INVISIBLE = {0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0xFEFF, 0x2060, 0x00AD} | set(range(0x202A, 0x202F)) | set(
    range(0x2066, 0x206A)
)
_SPACES = {0x00A0, 0x1680, 0x202F, 0x205F, 0x3000} | set(range(0x2000, 0x200B))

_FOLD_CHARS = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ى": "ي",
    "ی": "ي",  # Persian yeh
    "ې": "ي",
    "ئ": "ي",
    "ؤ": "و",
    "ة": "ه",
    "ۀ": "ه",
    "ە": "ه",
    "ک": "ك",  # Persian kaf
    "ڪ": "ك",
    "گ": "ك",
    "ٶ": "و",
}
for _i in range(10):
    _FOLD_CHARS[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic digits
    _FOLD_CHARS[chr(0x06F0 + _i)] = str(_i)  # Persian digits
_FOLD_CHARS["٫"] = "."  # Arabic decimal separator
_FOLD_CHARS["٬"] = ","  # Arabic thousands separator


def _fold_char(ch: str) -> str:
    """Folded form of one character: '' to drop it, otherwise one character."""
    cp = ord(ch)
    if cp in _DIACRITICS or cp == _TATWEEL or cp in _INVISIBLE:
        return ""
    if cp in _SPACES or ch in "\t\r\n\f\v":
        return " "
    mapped = _FOLD_CHARS.get(ch)
    if mapped is not None:
        return mapped
    if "\uFB50" <= ch <= "\uFEFC":  # presentation forms: take the compatibility letter
        decomposed = unicodedata.normalize("NFKC", ch)
        if len(decomposed) == 1 and decomposed != ch:
            return _fold_char(decomposed)
    return ch.lower()


@lru_cache(maxsize=None)
def _fold_table_char(ch: str) -> str:
    return _fold_char(ch)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` and return (folded, index_map).

    ``index_map[i]`` is the index in ``text`` of the character that produced
    ``folded[i]``; ``index_map`` has one extra final entry equal to
    ``len(text)`` so that an exclusive end maps back too.
    """
    pieces = list(map(_fold_table_char, text))
    folded = "".join(pieces)
    if len(folded) == len(text) and all(pieces):  # nothing dropped: the map is the identity
        return folded, list(range(len(text) + 1))
    index_map = [i for i, f in enumerate(pieces) if f]
    index_map.append(len(text))
    return folded, index_map


_SPACE_RUN = re.compile(r" {2,}")


def _build_translate_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for cp in list(range(0x80, 0x0800)) + list(range(0x2000, 0x2070)) + list(range(0xFB50, 0xFF00)) + [0x3000, 0x1680]:
        ch = chr(cp)
        folded = _fold_char(ch)
        if folded != ch:
            table[cp] = folded or None
    for ch in "\t\r\n\f\v":
        table[ord(ch)] = " "
    return table


_TRANSLATE = _build_translate_table()


def fold(text: str) -> str:
    """Matching key of ``text``: folded, with runs of white space as one space."""
    return _SPACE_RUN.sub(" ", text.translate(_TRANSLATE).lower()).strip()


def to_original_span(index_map: list[int], start: int, end: int) -> tuple[int, int]:
    """Map a [start, end) span of folded text back to the original text."""
    if end <= start:
        pos = index_map[start]
        return pos, pos
    return index_map[start], index_map[end - 1] + 1


# Invisible marks and C0/C1 control characters (NUL bytes from broken scrapes) other than newline and tab.
_INVISIBLE_RE = re.compile("[" + "".join(chr(c) for c in sorted(_INVISIBLE)) + "\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SPACES_RE = re.compile("[" + "".join(chr(c) for c in sorted(_SPACES)) + "\t\f\v]")


def clean_surface(text: str) -> str:
    """Readable form of the analysed text: unified spaces, no invisible marks.

    Keeps letters, diacritics and punctuation as written, and newlines.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE_RE.sub("", text)
    return _SPACES_RE.sub(" ", text)


_STRIP_DIACRITICS = dict.fromkeys([*_DIACRITICS, _TATWEEL])


def strip_diacritics(text: str) -> str:
    """Remove harakat and tatweel only (keeps hamza forms and letters)."""
    return text.translate(_STRIP_DIACRITICS)


ARABIC_LETTER_RE = re.compile(r"[\u0621-\u064A\u0671-\u06D3\u06FA-\u06FF]")
# The same ranges less their two non-letters (U+06FD, U+06FE), to count with one findall.
_ARABIC_LETTERS = re.compile(r"[\u0621-\u064A\u0671-\u06D3\u06FA-\u06FC\u06FF]")


def arabic_ratio(text: str) -> float:
    """Share of letters in ``text`` that are Arabic-script letters."""
    letters = sum(map(str.isalpha, text))
    if not letters:
        return 0.0
    return len(_ARABIC_LETTERS.findall(text)) / letters
