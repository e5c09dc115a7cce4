"""Bytes to text: UTF-8 (with or without BOM), UTF-16, Windows-1256 and others, detected."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from marsad.io.base import ReadError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def looks_binary(data: bytes) -> bool:
    """NUL-heavy or control-heavy bytes that no text encoding explains."""
    sample = data[:8192]
    if not sample:
        return False
    if any(sample.startswith(bom) for bom, _ in _BOMS):
        return False
    if _utf16_without_bom(sample):
        return False
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls / len(sample) > 0.1


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 without BOM shows up as NULs at every other byte for ASCII, or Arabic high bytes 0x06."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) + odd.count(6) > 0.6 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) + even.count(6) > 0.6 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def _mostly_utf8(data: bytes) -> bool:
    """A few bad bytes among many good UTF-8 characters: a damaged UTF-8 page, not a legacy one."""
    decoded = data[:200_000].decode("utf-8", errors="replace")
    bad = decoded.count("\ufffd")
    good = len(_NON_ASCII.findall(decoded)) - bad
    return bad <= max(2, len(decoded) // 1000) or good >= 5 * bad


def _arabic_utf8_line(line: bytes) -> bool:
    """Valid UTF-8 whose non-ASCII characters are Arabic script (legacy bytes rarely decode so by chance)."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    others = len(_NON_ASCII.findall(text))
    return others > 0 and len(_ARABIC_SCRIPT.findall(text)) >= 0.9 * others


def decode(data: bytes) -> str:
    """Decode bytes to str, raising ReadError for binary or undecodable data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    utf16 = _utf16_without_bom(data[:8192])
    if utf16:
        return data.decode(utf16, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A cut-off last character or a stray bad byte does not make a page legacy-encoded.
        if exc.start >= len(data) - 3 or _mostly_utf8(data):
            return data.decode("utf-8", errors="replace")
    if looks_binary(data):
        raise ReadError("binary_input", "input looks binary, not text")
    # Arabic legacy pages are mostly Windows-1256; let the detector confirm.
    best = from_bytes(data[:200_000], cp_isolation=["cp1256", "iso8859_6", "utf_8", "cp1252", "mac_arabic"]).best()
    encoding = best.encoding if best is not None else "cp1256"
    lines = data.split(b"\n")
    if any(_arabic_utf8_line(line) for line in lines):
        # Concatenated pages: UTF-8 lines next to legacy ones; each line in its own encoding.
        return "\n".join(
            line.decode("utf-8") if _arabic_utf8_line(line) else line.decode(encoding, errors="replace") for line in lines
        )
    return data.decode(encoding, errors="replace")
