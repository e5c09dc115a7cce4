"""JSON Lines: one document per line with ``text`` or ``html``."""

from __future__ import annotations

import json
from typing import Iterable, Iterator

from marsad.io.base import RawDocument

EXTENSIONS = (".jsonl", ".ndjson", ".jsonlines")
_OPTIONAL = ("title", "url", "published", "outlet", "author")


def sniff(head: bytes) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0].strip()
    return first.startswith(b"{") and first.endswith(b"}")


def read_lines(lines: Iterable[str], path: str) -> Iterator[RawDocument]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:  # RecursionError: nesting deeper than the parser allows
            yield RawDocument(path=where, error=("jsonl_malformed", f"line {number} is not JSON: {exc}"))
            continue
        if not isinstance(record, dict):
            yield RawDocument(path=where, error=("jsonl_not_object", f"line {number} is not a JSON object"))
            continue
        text, page = record.get("text"), record.get("html")
        given_id = record.get("id")
        if not isinstance(text, str) and not isinstance(page, str):
            yield RawDocument(path=where, id=str(given_id) if given_id is not None else None,
                              error=("jsonl_no_text", f"line {number} has neither 'text' nor 'html' as a string"))
            continue
        fields = {k: record[k] for k in _OPTIONAL if isinstance(record.get(k), str) and record[k].strip()}
        yield RawDocument(
            path=record["url"] if isinstance(record.get("url"), str) and record["url"] else where,
            id=str(given_id) if given_id is not None else None,
            text=text if isinstance(text, str) else None,
            html=page if isinstance(page, str) and not isinstance(text, str) else None,
            **fields,
        )
