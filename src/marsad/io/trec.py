"""TREC/CLEF-style ``<DOC>`` collections (as the ANT corpus), streamed document by document."""

from __future__ import annotations

import html
import re
from email.utils import parsedate_to_datetime
from typing import Iterable, Iterator

from marsad.io.base import RawDocument

EXTENSIONS = (".trec", ".sgml", ".sgm")
_FIELD = re.compile(r"<(DOCNO|URL|SRC|CAT|TITLE|TIME|DATE|AUTHOR|HEADLINE)>(.*?)</\1>", re.S | re.I)
_BODY = re.compile(r"<(TEXT|BODY)>(.*?)</\1>", re.S | re.I)


def sniff(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").upper().startswith(b"<DOC>")


def _date(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        return m.group(0)
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _document(block: str, path: str, index: int) -> RawDocument:
    fields = {k.upper(): html.unescape(v.strip()) for k, v in _FIELD.findall(block)}
    body = _BODY.search(block)
    if body is None:
        return RawDocument(path=f"{path}#{index}", id=fields.get("DOCNO") or None, error=("trec_no_text", "<DOC> without <TEXT>"))
    return RawDocument(
        path=f"{path}#{fields['DOCNO']}" if fields.get("DOCNO") else f"{path}#{index}",
        id=fields.get("DOCNO") or None,
        text=html.unescape(body.group(2).strip("\n")),
        title=fields.get("TITLE") or fields.get("HEADLINE") or None,
        url=fields.get("URL") or None,
        published=_date(fields.get("TIME") or fields.get("DATE") or ""),
        outlet=fields.get("SRC") or None,
        author=fields.get("AUTHOR") or None,
        meta={"category": fields["CAT"]} if fields.get("CAT") else {},
    )


def read_lines(lines: Iterable[str], path: str) -> Iterator[RawDocument]:
    """Stream documents; a truncated last <DOC> becomes an error document."""
    buffer: list[str] | None = None
    index = 0
    for line in lines:
        upper = line.lstrip().upper()
        if upper.startswith("<DOC>"):
            if buffer is not None:
                index += 1
                yield RawDocument(path=f"{path}#{index}", error=("trec_unclosed", "<DOC> not closed before the next <DOC>"))
            buffer = [line]
        elif buffer is not None:
            buffer.append(line)
            if upper.startswith("</DOC>"):
                index += 1
                yield _document("".join(buffer), path, index)
                buffer = None
    if buffer is not None:
        index += 1
        yield RawDocument(path=f"{path}#{index}", error=("trec_truncated", "input ends inside a <DOC>"))
    elif index == 0:
        yield RawDocument(path=path, error=("trec_empty", "no <DOC> in a TREC file"))
