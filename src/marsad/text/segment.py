"""Pipeline component: sentences and tokens of the cleaned text."""

from __future__ import annotations

from marsad.model import Document
from marsad.text.sentences import split


def segment(doc: Document) -> Document:
    doc.sentences = split(doc.text)
    return doc


def create():
    return segment
