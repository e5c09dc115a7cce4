"""WARC files: each HTTP response record holding HTML or text is a document."""

from __future__ import annotations

from typing import BinaryIO, Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from marsad.io.base import RawDocument, ReadError
from marsad.io.decode import decode

EXTENSIONS = (".warc", ".warc.gz", ".arc", ".arc.gz")


def sniff(head: bytes) -> bool:
    return head.startswith(b"WARC/") or head.startswith(b"\x1f\x8b") and b"WARC/" in _gunzip_head(head)


def _gunzip_head(head: bytes) -> bytes:
    import zlib

    try:
        return zlib.decompressobj(31).decompress(head, 64)
    except zlib.error:
        return b""


def read_stream(stream: BinaryIO, path: str, max_bytes: int) -> Iterator[RawDocument]:
    yield_count = 0
    for doc in _records(stream, path, max_bytes):
        yield_count += 1
        yield doc
    if yield_count == 0:
        yield RawDocument(path=path, error=("warc_empty", "no HTML or text response record in the archive"))


def _records(stream: BinaryIO, path: str, max_bytes: int) -> Iterator[RawDocument]:
    index = 0
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type not in ("response", "resource", "conversion"):
                continue
            index += 1
            url = record.rec_headers.get_header("WARC-Target-URI") or f"{path}#{index}"
            ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else None) or (
                record.rec_headers.get_header("Content-Type") or ""
            )
            if ctype and not any(t in ctype.lower() for t in ("html", "text", "xml")):
                continue
            try:
                data = record.content_stream().read(max_bytes + 1)
                if len(data) > max_bytes:
                    yield RawDocument(path=url, error=("too_large", f"record larger than {max_bytes} bytes"))
                    continue
                if getattr(record.raw_stream, "limit", 0) > 0:
                    # The archive ended before the record's declared Content-Length.
                    yield RawDocument(path=url, error=("warc_truncated", "record cut short by the end of the archive"))
                    return
                text = decode(data)
            except ReadError as exc:
                yield RawDocument(path=url, error=(exc.code, exc.message))
                continue
            except Exception as exc:  # a truncated record body
                yield RawDocument(path=url, error=("warc_truncated", f"record could not be read: {exc}"))
                return
            if "html" in ctype.lower() or text.lstrip()[:1] == "<":
                yield RawDocument(path=url, url=url, html=text)
            else:
                yield RawDocument(path=url, url=url, text=text)
    except ArchiveLoadFailed as exc:
        yield RawDocument(path=f"{path}#{index + 1}", error=("warc_malformed", str(exc)))
    except (EOFError, OSError, ValueError) as exc:
        yield RawDocument(path=f"{path}#{index + 1}", error=("warc_truncated", f"archive ends early: {exc}"))
    except Exception as exc:  # warcio trips over headers it cannot parse (a response without a target URI, ...)
        yield RawDocument(path=f"{path}#{index + 1}", error=("warc_malformed", f"{type(exc).__name__}: {exc}"))
