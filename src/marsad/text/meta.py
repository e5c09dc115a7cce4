"""Pipeline component: outlet, author and genre of an article from its metadata and text.

Runs after the Cleaner and reads ``doc.text`` (headline first) and ``doc.removed``
(masthead labels, "عن شبكة ..." footers and opinion disclaimers that boilerplate
removal dropped). The outlet is the publisher: an outlet the text only cites
("نقلت صحيفة ...") is never taken; the publisher shows itself in an "about"
footer, in a source speaking *to* it ("قال مصدر لـ«...»"), or in a headline
announcing its own scoop ("وكالة ... تكشف").
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from marsad.model import Document
from marsad.text.boilerplate import has_phrase, phrase_key
from marsad.text.normalize import ARABIC_LETTER_RE, fold

_QUOTED_TO = re.compile(r"(?<![\w])ل[ـ]*\s?[«\"“”„']([^«»\"“”„'\n:،]{2,40})[»\"“”„']")
_PUNCT = re.compile(r"[.,،؛;:!?؟«»\"“”()\[\]]")
_EDGE_PUNCT = ".,،:؛!?؟«»\"“”()… "
NAME_MAX_WORDS = 4
SPEECH_WINDOW = 8  # words before "لـ«X»" searched for a speech cue
TOP_LINES = 4  # lines under the headline where bylines and author headers sit


@dataclass(frozen=True)
class _Cues:
    outlet_nouns: tuple[str, ...]
    self_verbs: frozenset[str]
    byline_news: tuple[str, ...]
    byline_opinion: tuple[str, ...]
    opinion_sections: tuple[str, ...]
    opinion_cues: tuple[str, ...]
    analysis_cues: tuple[str, ...]
    opinion_disclaimers: tuple[str, ...]
    speech_cues: frozenset[str]
    wire_agencies: frozenset[str]
    name_stopwords: frozenset[str]


@lru_cache(maxsize=1)
def cues() -> _Cues:
    data = json.loads(resources.files("marsad.resources").joinpath("meta.json").read_text("utf-8"))

    def longest_first(name: str) -> tuple[str, ...]:
        return tuple(sorted({phrase_key(p) for p in data[name]}, key=len, reverse=True))

    return _Cues(
        outlet_nouns=longest_first("outlet_nouns"),
        self_verbs=frozenset(fold(v) for v in data["self_verbs"]),
        byline_news=longest_first("byline_news"),
        byline_opinion=longest_first("byline_opinion"),
        opinion_sections=longest_first("opinion_sections"),
        opinion_cues=longest_first("opinion_cues"),
        analysis_cues=longest_first("analysis_cues"),
        opinion_disclaimers=longest_first("opinion_disclaimers"),
        speech_cues=frozenset(fold(w) for w in data["speech_cues"]),
        wire_agencies=frozenset(fold(w) for w in data["wire_agencies"]),
        name_stopwords=frozenset(fold(w) for w in data["name_stopwords"]),
    )


def _opens_with(text: str, phrases: tuple[str, ...]) -> bool:
    """``text`` begins with one of ``phrases`` as whole words ("تحليل: ...", "رأي | ...")."""
    key = phrase_key(text) + " "
    return any(key.startswith(p + " ") for p in phrases)


def _name(text: str) -> str | None:
    """``text`` when it looks like a person's name: 2-4 Arabic words, no punctuation or digits."""
    text = text.strip(" -–—:")
    words = text.split()
    if not 2 <= len(words) <= NAME_MAX_WORDS or _PUNCT.search(text) or re.search(r"\d", fold(text)):
        return None
    if any(not ARABIC_LETTER_RE.match(w[0]) or fold(w) in cues().name_stopwords for w in words):
        return None
    return text


def _byline(line: str, openers: tuple[str, ...]) -> str | None:
    """The name after a byline opener ("كتب: فلان", "بقلم فلان") that makes up the whole line."""
    folded = fold(line)
    for opener in openers:
        if folded.startswith(opener + " ") or folded.startswith(opener + ":"):
            rest = line.split(":", 1)[1] if ":" in line else line.split(None, len(opener.split()))[-1]
            return _name(rest)
    return None


def _about_outlet(removed: list[str]) -> str | None:
    """"عن شبكة X الإخبارية": the header of the site description that boilerplate removal dropped."""
    for piece in removed:
        words = piece.split()
        if 3 <= len(words) <= 8 and fold(words[0]) == "عن" and fold(words[1]) in cues().outlet_nouns:
            return " ".join(words[1:]).strip(_EDGE_PUNCT)
    return None


def _headline_outlet(title: str) -> str | None:
    """"وكالة X للأخبار تكشف ...": an outlet announcing its own story in the headline."""
    c = cues()
    words = title.split()
    for i, w in enumerate(words):
        if fold(w) not in c.outlet_nouns:
            continue
        for j in range(i + 2, min(i + 2 + NAME_MAX_WORDS, len(words))):
            if fold(words[j]) in c.self_verbs:
                name = words[i + 1 : j]
                # "صحيفة أمريكية تكشف": a bare indefinite adjective is no name.
                if len(name) == 1 and fold(name[0]).endswith(("يه", "ي")) and not fold(name[0]).startswith("ال"):
                    break
                return " ".join(words[i:j]).strip(_EDGE_PUNCT)
    return None


def _quoted_to_outlet(text: str) -> str | None:
    """'قال مصدر لـ«العين الإخبارية»' or 'فلان لـ«الصباح»: ...': the outlet a source speaks to."""
    c = cues()
    names: Counter[str] = Counter()
    for m in _QUOTED_TO.finditer(text):
        name = m.group(1).strip()
        if len(name.split()) > NAME_MAX_WORDS or fold(name) in c.wire_agencies:
            continue
        before = [fold(w).removeprefix("و") for w in text[max(0, m.start() - 80) : m.start()].split()[-SPEECH_WINDOW:]]
        if text[m.end() :].lstrip().startswith(":") or any(w in c.speech_cues for w in before):
            names[name] += 1
    return names.most_common(1)[0][0] if names else None


class MetaDetector:
    def __call__(self, doc: Document) -> Document:
        lines = [ln.strip() for ln in doc.text.split("\n") if ln.strip()]
        title = doc.title or ""
        head = lines[1 : 1 + TOP_LINES] if title else lines[:TOP_LINES]
        c = cues()
        if doc.outlet is None:
            doc.outlet = _about_outlet(doc.removed) or _quoted_to_outlet(doc.text) or _headline_outlet(title)
        opinion_byline = next((n for n in (_byline(ln, c.byline_opinion) for ln in head) if n), None)
        news_byline = next((n for n in (_byline(ln, c.byline_news) for ln in head) if n), None)
        # A bare name straight under the headline is a columnist's header.
        header_name = _name(head[0]) if title and head and len(head) > 1 else None
        if doc.author is None:
            doc.author = opinion_byline or news_byline or header_name
        if doc.genre is None:
            doc.genre = self._genre(doc, title, head, opinion_byline, header_name)
        return doc

    @staticmethod
    def _genre(doc: Document, title: str, head: list[str], opinion_byline: str | None, header: str | None) -> str:
        c = cues()
        # Section labels removed from above the headline ("كتاب وآراء").
        top = doc.raw_text.find(title) if title else -1
        masthead = [p for p in doc.removed if len(p.split()) <= 4 and -1 < doc.raw_text.find(p) < top]
        section = any(
            fold(w).endswith(s) for p in masthead for w in p.split() for s in c.opinion_sections
        )
        title_head = [title, *head[:1]]
        if any(_opens_with(t, c.analysis_cues) for t in title_head):
            return "analysis"
        if (
            opinion_byline
            or header
            or section
            or any(has_phrase(phrase_key(p), c.opinion_disclaimers) for p in doc.removed)
            or any(_opens_with(t, c.opinion_cues) for t in title_head)
        ):
            return "opinion"
        return "news"


def create() -> MetaDetector:
    return MetaDetector()
