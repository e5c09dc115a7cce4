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
        path = resources.files("marsad.resources").joinpath(LEXICON_RESOURCE)
        with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
            words: dict[str, int] = {}
            for line in fh:
                word, _, count = line.rstrip("\n").partition("\t")
                words[word] = int(count)
            return words
    except FileNotFoundError:
        return {}


def _freq(word: str) -> int:
    return lexicon().get(word, 0)


@lru_cache(maxsize=200_000)
def segment(norm: str) -> tuple[str, str]:
    """Split a folded word into (proclitics, stem); stem keeps ال.

    For لل the article's elided alef is restored: للحرس → ("لل", "الحرس").
    """
    best = ("", norm)
    if len(norm) < 3 or not ("\u0621" <= norm[0] <= "\u064a"):
        return best
    whole = _freq(norm)
    candidates: list[tuple[str, str]] = []
    for conj in ("",) + _CONJ:
        if conj and not norm.startswith(conj):
            continue
        rest = norm[len(conj) :]
        for prep in ("",) + _PREP:
            if not conj and not prep:
                continue
            if prep and not rest.startswith(prep):
                continue
            stem = rest[len(prep) :]
            if prep == "لل":
                stem = _ARTICLE + stem
            candidates.append((conj + prep, stem))
    for prefix, stem in sorted(candidates, key=lambda c: -len(c[0])):
        if len(stem) < 2:
            continue
        article_follows = stem.startswith(_ARTICLE) and len(stem) >= 4
        if prefix.endswith("لل") and len(stem) >= 4:
            return prefix, stem
        if article_follows:
            return prefix, stem
        stem_freq = _freq(stem)
        # و/ف attach to almost any word, so equal evidence suffices; ب ك ل need more.
        factor = 1 if prefix in _CONJ else 2
        if stem_freq and len(stem) >= 3 and stem_freq >= factor * whole:
            return prefix, stem
    return best


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
