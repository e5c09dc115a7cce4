"""Plain-text files: one document per file, encoding detected."""

from __future__ import annotations

from typing import Iterator

from marsad.io.base import RawDocument
from marsad.io.decode import decode

EXTENSIONS = (".txt", ".text", ".md")


def read_bytes(data: bytes, path: str) -> Iterator[RawDocument]:
    yield RawDocument(path=path, text=decode(data))
