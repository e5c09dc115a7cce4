"""What a reader yields: a raw document before cleaning and analysis."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Optional


@dataclass
class RawDocument:
    path: str
    text: Optional[str] = None  # plain text body (already scraped)
    html: Optional[str] = None  # HTML to extract the body from
    id: Optional[str] = None  # an id given by the input (JSONL id, TREC DOCNO)
    title: Optional[str] = None
    url: Optional[str] = None
    published: Optional[str] = None
    outlet: Optional[str] = None
    author: Optional[str] = None
    meta: dict[str, Any] = field(default_factory=dict)
    error: Optional[tuple[str, str]] = None  # (code, message) when reading failed

    def stable_id(self) -> str:
        """The given id, else a hash of the content (same input, same id)."""
        if self.id:
            return str(self.id)
        h = hashlib.sha1()
        for part in (self.html, self.text, self.title):
            h.update((part or "").encode("utf-8", "surrogatepass"))
            h.update(b"\x00")
        if self.error and not (self.html or self.text):
            h.update(self.path.encode("utf-8", "surrogatepass"))
        return h.hexdigest()[:16]


class ReadError(Exception):
    """A document (or a whole input) could not be read."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
