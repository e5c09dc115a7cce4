"""Folding and clitic splitting of single words for the tagger's features."""

from __future__ import annotations

import unicodedata

from marsad.text.normalize import fold


def safe_fold(word: str) -> str:
    """``fold`` that survives presentation-form characters NFKC maps to themselves
    (e.g. the ornate parentheses U+FD3E/FD3F), on which ``fold`` recurses forever."""
    try:
        return fold(word)
    except RecursionError:
        return fold("".join(c for c in word if not ("\uFB50" <= c <= "\uFEFC" and unicodedata.normalize("NFKC", c) == c)))
