"""CoNLL-style token files and entity-level scoring."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Iterator

TYPES = ("PER", "ORG", "LOC", "MISC")
_TAG_RE = re.compile(r"^([BI])-+(.+)$")


def normalize_tag(tag: str) -> str:
    """Map corpus tag spellings to IOB2 over PER/ORG/LOC/MISC.

    ANERcorp writes PERS; AQMAR splits MISC into article-specific MIS0..MIS3
    (and has a few typos such as I--ORG); anything else is outside.
    """
    m = _TAG_RE.match(tag.strip())
    if not m:
        return "O"
    prefix, typ = m.groups()
    typ = typ.upper()
    if typ.startswith("PER"):
        typ = "PER"
    elif typ.startswith("MIS"):
        typ = "MISC"
    elif typ not in ("ORG", "LOC"):
        return "O"
    return f"{prefix}-{typ}"


def read_conll(path: str | Path, with_tags: bool = True) -> list[tuple[list[str], list[str]]]:
    """Sentences of a token-per-line file as (tokens, tags); tags are '' without a second column."""
    sentences: list[tuple[list[str], list[str]]] = []
    tokens: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8-sig") as fh:
        for line in fh:
            cols = line.split()
            if not cols:
                if tokens:
                    sentences.append((tokens, tags))
                tokens, tags = [], []
                continue
            tokens.append(cols[0])
            tags.append(normalize_tag(cols[-1]) if with_tags and len(cols) > 1 else ("O" if with_tags else ""))
    if tokens:
        sentences.append((tokens, tags))
    return sentences


def conll_files(path: str | Path) -> list[Path]:
    """A file, or the .txt/.conll files of a folder (recursed), sorted."""
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix in (".txt", ".conll", ".tsv", ".bio"))
        files = [f for f in files if f.name.upper() not in ("PROVENANCE.TXT", "README.TXT", "LICENSE.TXT")]
        if not files:
            raise FileNotFoundError(f"no CoNLL files in {p}")
        return files
    if not p.exists():
        raise FileNotFoundError(f"no such file: {p}")
    return [p]


def spans(tags: list[str]) -> Iterator[tuple[int, int, str]]:
    """Entity spans (start, end exclusive, type) of an IOB2 sequence, CoNLL-style:
    an I- whose type differs from the running entity starts a new one."""
    start, typ = None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, t = tag.partition("-")
        if typ is not None and (prefix != "I" or t != typ):
            yield start, i, typ
            start, typ = None, None
        if prefix in ("B", "I") and typ is None:
            start, typ = i, t


def score(gold: Iterable[list[str]], pred: Iterable[list[str]], exclude: tuple[str, ...] = ()) -> dict[str, dict[str, float]]:
    """Entity-level exact-match precision, recall and F1, micro-averaged and per type."""
    counts: dict[str, list[int]] = {}  # type -> [true positives, predicted, gold]
    for g, p in zip(gold, pred, strict=True):
        gs = {s for s in spans(g) if s[2] not in exclude}
        ps = {s for s in spans(p) if s[2] not in exclude}
        for s in gs | ps:
            c = counts.setdefault(s[2], [0, 0, 0])
            c[0] += s in gs and s in ps
            c[1] += s in ps
            c[2] += s in gs
    out = {t: _prf(*c) for t, c in sorted(counts.items())}
    out["micro"] = _prf(*(sum(c[i] for c in counts.values()) for i in range(3)))
    return out


def _prf(tp: int, npred: int, ngold: int) -> dict[str, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "support": ngold}
