"""Pipeline component: the cleaned text that every later offset indexes.

The text is the title as its first paragraph (when there is one), then the body
with boilerplate removed, white space unified and invisible marks dropped.
"""

from __future__ import annotations

import re

from marsad.model import Document
from marsad.text import boilerplate
from marsad.text.normalize import clean_surface, fold

_BLANK_LINES = re.compile(r"\n\s*\n+")
_HASHTAG_JOIN = re.compile(r"(?<=[^\W\d_])_+(?=[^\W\d_])")  # #كوريا_الجنوبية reads كوريا الجنوبية


def _paragraphs(text: str) -> str:
    lines = [line.strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


class Cleaner:
    def __call__(self, doc: Document) -> Document:
        body = _HASHTAG_JOIN.sub(" ", clean_surface(doc.raw_text))
        title = clean_surface(doc.title).strip() if doc.title else None
        body, removed = boilerplate.remove(body, title)
        body = _paragraphs(body)
        if not title:
            # Scraped text usually opens with its headline: a short first line without final stop
            # (headlines may end in "!" or "؟").
            first, _, rest = body.partition("\n")
            if rest.strip() and 0 < len(first) <= 200 and not first.rstrip().endswith((".", ":")):
                title, body = first.strip(), rest.strip()
        elif body.startswith(title):
            body = body[len(title) :].lstrip()
        if title and fold(title) == fold(body.split("\n", 1)[0]):
            body = body.split("\n", 1)[1].lstrip() if "\n" in body else ""
        doc.title = title or None
        doc.removed = removed
        doc.text = f"{title}\n\n{body}" if title and body else (title or body)
        if not doc.text.strip():
            raise ValueError("no text left to analyse")
        return doc


def create() -> Cleaner:
    return Cleaner()
