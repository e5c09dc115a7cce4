"""Readers: turn paths (files, folders, ``-`` for standard input) into raw documents, streaming.

The format is chosen by content first (a ``.txt`` holding ``<DOC>`` records is
TREC), then by extension. Nothing reads a whole corpus into memory: folders are
walked lazily and multi-document files are streamed record by record.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from marsad.io import html, jsonl, text, trec, warc
from marsad.io.base import RawDocument, ReadError
from marsad.io.decode import decode

__all__ = ["RawDocument", "ReadError", "read_paths", "read_path", "read_bytes", "detect_format"]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def detect_format(name: str, head: bytes) -> str:
    lower = name.lower()
    if warc.sniff(head) or lower.endswith(warc.EXTENSIONS):
        return "warc"
    if trec.sniff(head):
        return "trec"
    if lower.endswith(jsonl.EXTENSIONS) or (not lower.endswith(html.EXTENSIONS) and jsonl.sniff(head)):
        return "jsonl"
    if lower.endswith(html.EXTENSIONS) or html.sniff(head):
        return "html"
    if lower.endswith(trec.EXTENSIONS):
        return "trec"
    return "text"


def _text_lines(stream: BinaryIO) -> Iterator[str]:
    """Decode a line-oriented stream (TREC, JSONL) lazily, UTF-8 with BOM tolerated.

    The BOM is taken off the first line rather than by the ``utf-8-sig`` codec, which
    silently drops a file that holds only the first bytes of one (b"\\xef")."""
    lines = io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline="")
    first = next(lines, None)
    if first is not None:
        yield first.removeprefix("\ufeff")
        yield from lines


def _read_stream(stream: BinaryIO, name: str, max_bytes: int) -> Iterator[RawDocument]:
    head = stream.peek(4096)[:4096] if hasattr(stream, "peek") else b""
    fmt = detect_format(name, head)
    if fmt == "warc":
        yield from warc.read_stream(stream, name, max_bytes)
        return
    if fmt == "trec":
        yield from trec.read_lines(_text_lines(stream), name)
        return
    if fmt == "jsonl":
        yield from jsonl.read_lines(_text_lines(stream), name)
        return
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield RawDocument(path=name, error=("too_large", f"file larger than {max_bytes} bytes"))
        return
    if not data.strip():
        yield RawDocument(path=name, error=("empty", "input is empty"))
        return
    try:
        reader = html if fmt == "html" else text
        yield from reader.read_bytes(data, name)
    except ReadError as exc:
        yield RawDocument(path=name, error=(exc.code, exc.message))


def read_path(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument]:
    """Documents of one file, or of standard input when ``path`` is ``-``."""
    if path == "-":
        yield from _read_stream(io.BufferedReader(sys.stdin.buffer), "-", max_bytes)  # type: ignore[arg-type]
        return
    try:
        with open(path, "rb") as fh:
            yield from _read_stream(fh, path, max_bytes)  # type: ignore[arg-type]
    except OSError as exc:
        yield RawDocument(path=path, error=("unreadable", f"cannot read file: {exc.strerror or exc}"))


def read_bytes(name: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument]:
    """Documents of one file's content already in memory (a distributed engine's executors), read as ``read_path`` would."""
    yield from _read_stream(io.BufferedReader(io.BytesIO(data)), name, max_bytes)  # type: ignore[arg-type]


def iter_files(path: str) -> Iterator[str]:
    """A file itself, or a folder's files recursively, in a stable order, hidden files skipped."""
    if path == "-" or not os.path.isdir(path):
        yield path
        return
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield os.path.join(root, name)


def check_paths(paths: Iterable[str]) -> None:
    """Raise FileNotFoundError for a PATH that does not exist (the run cannot go on)."""
    for p in paths:
        if p != "-" and not os.path.exists(p):
            raise FileNotFoundError(f"no such file or folder: {p}")


def read_paths(paths: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument]:
    for p in paths:
        for f in iter_files(p):
            yield from read_path(f, max_bytes)


def read_text_file(path: str | Path) -> str:
    """Whole-file decode helper for tools and tests."""
    return decode(Path(path).read_bytes())
