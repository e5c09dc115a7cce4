"""Language identification: Arabic goes on; Persian, Urdu, English and others are flagged.

lingua separates Arabic from Persian and Urdu, which share the script and
would otherwise be mis-analysed as Arabic.
"""

from __future__ import annotations

from functools import lru_cache

from marsad.model import Document, DocumentError

_SAMPLE = 3000


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [
        Language.ARABIC, Language.PERSIAN, Language.URDU, Language.ENGLISH, Language.FRENCH,
        Language.TURKISH, Language.HEBREW, Language.GERMAN, Language.SPANISH, Language.RUSSIAN,
    ]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect(text: str) -> str | None:
    """ISO 639-1 code of the text's main language, or None when there is no text to tell."""
    sample = text[:_SAMPLE]
    if sum(ch.isalpha() for ch in sample) < 10:
        return None
    lang = _detector().detect_language_of(sample)
    return lang.iso_code_639_1.name.lower() if lang is not None else None


class LanguageGate:
    def __call__(self, doc: Document) -> Document:
        doc.language = detect(doc.text)
        if doc.language not in ("ar", None):
            doc.error = DocumentError("not_arabic", f"text is in language '{doc.language}', not Arabic; not analysed")
        return doc


def create() -> LanguageGate:
    return LanguageGate()
