"""Boilerplate removal from already-scraped text (initial version: separators only)."""

from __future__ import annotations

import re

_SEPARATOR = re.compile(r"^[\s\-_=*~—–•·.]+$")


def remove(body: str, title: str | None = None) -> tuple[str, list[str]]:
    """(kept text, removed pieces verbatim) for a scraped article body."""
    kept, removed = [], []
    for line in body.split("\n"):
        if line.strip() and _SEPARATOR.match(line):
            removed.append(line.strip())
        else:
            kept.append(line)
    return "\n".join(kept), removed
