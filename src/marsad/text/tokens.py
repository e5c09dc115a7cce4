"""Tokenisation with clitic segmentation backed by a word-frequency lexicon.

A token keeps its original offsets; its normalised form, the proclitics split
off it (و ف ب ك ل لل) and the stem (with the article ال kept, so that
للحرس gives the stem الحرس) live beside it. A prefix is split only when the
lexicon says the remainder is a word at least as plausible as the whole
(بغداد is not ب + غداد, but وبغداد is و + بغداد), or when the remainder starts
with the article, which no name does after a clitic by chance.
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from importlib import resources
from typing import Iterator

from marsad.model import Token
from marsad.text.normalize import fold

# A word: letters (any script), digits, diacritics, tatweel and inner
# apostrophes/hyphens between letters; otherwise one punctuation character.
_TOKEN_RE = re.compile(
    r"[0-9\u0660-\u0669\u06F0-\u06F9]+(?:[.,٫٬][0-9\u0660-\u0669\u06F0-\u06F9]+)*"
    r"|[^\W\d_](?:[^\W\d_]|[\u064B-\u065F\u0670\u0640]|['’\-](?=[^\W\d_]))*"
    r"|\S",
)

# Proclitic sequences, longest first: conjunction, then preposition/future/particle.
_CONJ = ("و", "ف")
_PREP = ("لل", "ب", "ك", "ل")
_ARTICLE = "ال"

LEXICON_RESOURCE = "wordfreq.tsv.gz"


@lru_cache(maxsize=1)
def lexicon() -> dict[str, int]:
    """Folded word → corpus frequency (built by ``marsad build lexicon``)."""
    try:
        data = resources.files("marsad.resources").joinpath(LEXICON_RESOURCE).read_bytes()
    except FileNotFoundError:
        return {}
    # Read whole and split at once: the lexicon is part of the start-up of tokenising and tagging.
    fields = iter(gzip.decompress(data).decode("utf-8").replace("\t", "\n").split("\n"))
    return {word: int(count) for word, count in zip(fields, fields)}


# Every conjunction + preposition sequence by its first letter, longest first (وبال before و):
# most words begin with none of them and need no check. The NER features split with these too.
PREFIXES_BY_LETTER = {
    letter: sorted((c + p for c in ("",) + _CONJ for p in ("",) + _PREP if (c + p)[:1] == letter), key=len, reverse=True)
    for letter in {clitic[0] for clitic in _CONJ + _PREP}
}


@lru_cache(maxsize=200_000)
def segment(norm: str) -> tuple[str, str]:
    """Split a folded word into (proclitics, stem); stem keeps ال.

    For لل the article's elided alef is restored: للحرس → ("لل", "الحرس").
    """
    if len(norm) < 3 or not ("\u0621" <= norm[0] <= "\u064a"):
        return "", norm
    freq = lexicon().get
    whole = None
    for prefix in PREFIXES_BY_LETTER.get(norm[0], ()):
        if not norm.startswith(prefix):
            continue
        stem = norm[len(prefix) :]
        if prefix.endswith("لل"):
            stem = _ARTICLE + stem
            if len(stem) >= 4:
                return prefix, stem
        if len(stem) < 2:
            continue
        if len(stem) >= 4 and stem.startswith(_ARTICLE):
            return prefix, stem
        stem_freq = freq(stem, 0)
        if stem_freq and len(stem) >= 3:
            if whole is None:
                whole = freq(norm, 0)
            # و/ف attach to almost any word, so equal evidence suffices; ب ك ل need more.
            if stem_freq >= (1 if prefix in _CONJ else 2) * whole:
                return prefix, stem
    return "", norm


@lru_cache(maxsize=200_000)
def _analyse(surface: str) -> tuple[str, str, str]:
    """(folded form, proclitics, stem) of a word, computed once per distinct form."""
    norm = fold(surface)
    return (norm, *segment(norm))


def tokenize(text: str, start: int = 0, end: int | None = None) -> Iterator[Token]:
    """Tokens of ``text[start:end]`` with offsets into ``text``."""
    for m in _TOKEN_RE.finditer(text, start, len(text) if end is None else end):
        surface = m.group()
        norm, prefix, stem = _analyse(surface)
        stem_start = m.start()
        if prefix:
            stem_start = skip_letters(text, m.start(), m.end(), len(prefix) - (1 if prefix.endswith("لل") else 0))
        yield Token(
            start=m.start(),
            end=m.end(),
            text=surface,
            norm=norm,
            prefix=prefix,
            stem=stem,
            stem_start=stem_start,
            stem_end=m.end(),
        )


def skip_letters(text: str, start: int, end: int, count: int) -> int:
    """Offset after ``count`` base letters from ``start`` (diacritics follow their letter)."""
    pos = start
    seen = 0
    while pos < end and seen < count:
        pos += 1
        seen += 1
        while pos < end and fold(text[pos]) == "":
            pos += 1
    return pos


def strip_proclitics(surface: str) -> tuple[int, str]:
    """For a surface word, (chars of clitics to skip, stem as it should be quoted).

    ``للحرس`` gives (2, "الحرس"); ``لبغداد`` gives (1, "بغداد").
    """
    prefix, stem = segment(fold(surface))
    if not prefix:
        return 0, surface
    skip = skip_letters(surface, 0, len(surface), len(prefix) - (1 if prefix.endswith("لل") else 0))
    quoted = surface[skip:]
    if prefix.endswith("لل"):
        # لل is ل + ال with the alef elided; the span keeps the article's lam.
        return skip, "ا" + quoted
    return skip, quoted
