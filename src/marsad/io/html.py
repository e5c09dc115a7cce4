"""HTML pages: one document per page; extraction runs in the pipeline's clean step."""

from __future__ import annotations

import re
from typing import Iterator

from marsad.io.base import RawDocument
from marsad.io.decode import decode

EXTENSIONS = (".html", ".htm", ".xhtml")
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*(<!doctype html|<html|<head|<body|<meta|<div|<p[ >])", re.I | re.S)


def sniff(head: bytes) -> bool:
    return bool(_HTML_START.match(head.lstrip(b"\xef\xbb\xbf")))


def read_bytes(data: bytes, path: str) -> Iterator[RawDocument]:
    yield RawDocument(path=path, html=decode(data))
