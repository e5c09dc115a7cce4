"""Stories: reports of the same happening, clustered incrementally.

A report joins the most similar open story when the two share actors and
vocabulary within a time window; otherwise it starts a new story. Candidate
stories come only from a blocking index (entity key → stories), so each new
report is compared with a handful of stories, not the whole corpus.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Optional

from marsad.text.normalize import fold
from marsad.text.tokens import segment

_WORD = re.compile(r"[\u0621-\u064a]{3,}")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    text = resources.files("marsad.resources").joinpath("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(fold(w) for w in text.split() if not w.startswith("#"))


def _terms(text: str, limit: int = 60) -> Counter[str]:
    stop = _stopwords()
    counts: Counter[str] = Counter()
    for w in _WORD.findall(fold(text)):
        stem = segment(w)[1]
        stem = stem[2:] if stem.startswith("ال") and len(stem) > 4 else stem
        if stem not in stop and len(stem) > 2:
            counts[stem] += 1
    return Counter(dict(counts.most_common(limit)))


def entity_key(entity: dict[str, Any]) -> str:
    return entity.get("kb_id") or f"{entity['type']}:{fold(entity['name'])}"


def _date(value: Optional[str]) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b[k] for k, v in a.items() if k in b)
    return dot / (math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values())))


def _weighted_jaccard(a: Counter[str], b: Counter[str]) -> float:
    keys = a.keys() | b.keys()
    if not keys:
        return 0.0
    return sum(min(a[k], b[k]) for k in keys) / sum(max(a[k], b[k]) for k in keys)


@dataclass
class Report:
    doc_id: str
    published: Optional[dt.date]
    entities: Counter[str]
    terms: Counter[str]
    event_types: frozenset[str]

    @classmethod
    def from_analysis(cls, obj: dict[str, Any]) -> "Report":
        entities: Counter[str] = Counter()
        for e in obj.get("entities", []):
            entities[entity_key(e)] += len(e.get("mentions") or [1])
        title = obj.get("title") or ""
        return cls(
            doc_id=obj["id"],
            published=_date(obj.get("published")),
            entities=entities,
            terms=_terms(f"{title} {title} {obj.get('text', '')}"),
            event_types=frozenset(ev["type"] for ev in obj.get("events", [])),
        )


@dataclass
class Story:
    id: str
    reports: list[str] = field(default_factory=list)
    entities: Counter[str] = field(default_factory=Counter)
    terms: Counter[str] = field(default_factory=Counter)
    event_types: Counter[str] = field(default_factory=Counter)
    first: Optional[dt.date] = None
    last: Optional[dt.date] = None

    def add(self, report: Report) -> None:
        self.reports.append(report.doc_id)
        self.entities.update(report.entities)
        self.terms.update(report.terms)
        self.event_types.update(report.event_types)
        if report.published:
            self.first = min(filter(None, (self.first, report.published)))
            self.last = max(filter(None, (self.last, report.published)))


class StoryClusterer:
    """Incremental clustering of reports into stories, blocked by entity and date."""

    def __init__(self, window_days: int = 3, threshold: float = 0.3, min_shared_entities: int = 1, max_span_days: int = 7):
        self.window = dt.timedelta(days=window_days)
        # Ongoing coverage (a war, a negotiation) would otherwise chain into one story of months.
        self.max_span = dt.timedelta(days=max_span_days)
        self.threshold = threshold
        self.min_shared_entities = min_shared_entities
        self.stories: dict[str, Story] = {}
        self._by_entity: dict[str, set[str]] = {}
        self.story_of: dict[str, str] = {}
        self._next = 1

    def similarity(self, report: Report, story: Story) -> float:
        entities = _weighted_jaccard(report.entities, story.entities)
        terms = _cosine(report.terms, story.terms)
        events = 0.0
        if report.event_types and story.event_types:
            events = len(report.event_types & story.event_types.keys()) / len(report.event_types)
        return 0.4 * entities + 0.5 * terms + 0.1 * events

    def _in_window(self, report: Report, story: Story) -> bool:
        if report.published is None or story.first is None:
            return True
        if not story.first - self.window <= report.published <= story.last + self.window:
            return False
        return max(story.last, report.published) - min(story.first, report.published) <= self.max_span

    def add(self, obj: dict[str, Any]) -> str:
        """Place one analysed document (a contract object); return its story id."""
        report = Report.from_analysis(obj)
        if report.doc_id in self.story_of:
            return self.story_of[report.doc_id]
        candidates: Counter[str] = Counter()
        for key in report.entities:
            for story_id in self._by_entity.get(key, ()):
                candidates[story_id] += 1
        matches: list[tuple[float, str]] = []
        for story_id, shared in candidates.items():
            story = self.stories[story_id]
            if shared < self.min_shared_entities or not self._in_window(report, story):
                continue
            score = self.similarity(report, story)
            if score >= self.threshold:
                matches.append((score, story_id))
        if not matches:
            best_id = f"s{self._next}"
            self._next += 1
            self.stories[best_id] = Story(best_id)
        else:
            matches.sort(reverse=True)
            best_id = matches[0][1]
            # A report that fits two stories bridges them: they were one story told in words too different to
            # meet before (order of arrival decides what a single pass sees first).
            # Only stories close to each other merge, so that a broad report cannot chain unrelated stories.
            for _, other_id in matches[1:]:
                if self._story_similarity(self.stories[best_id], self.stories[other_id]) >= self.threshold:
                    self._merge(best_id, other_id)
        self.stories[best_id].add(report)
        for key in report.entities:
            self._by_entity.setdefault(key, set()).add(best_id)
        self.story_of[report.doc_id] = best_id
        return best_id

    def _story_similarity(self, a: Story, b: Story) -> float:
        events = len(a.event_types.keys() & b.event_types.keys()) / len(a.event_types) if a.event_types else 0.0
        return 0.4 * _weighted_jaccard(a.entities, b.entities) + 0.5 * _cosine(a.terms, b.terms) + 0.1 * events

    def _merge(self, into_id: str, other_id: str) -> None:
        into, other = self.stories[into_id], self.stories.pop(other_id)
        into.reports += other.reports
        into.entities.update(other.entities)
        into.terms.update(other.terms)
        into.event_types.update(other.event_types)
        into.first = min(filter(None, (into.first, other.first)), default=None)
        into.last = max(filter(None, (into.last, other.last)), default=None)
        for key in other.entities:
            ids = self._by_entity[key]
            ids.discard(other_id)
            ids.add(into_id)
        for doc_id in other.reports:
            self.story_of[doc_id] = into_id


def cluster(objs: Iterable[dict[str, Any]], **options: Any) -> list[Story]:
    """Stories of a sequence of analysed documents, in order of arrival (sort by date first for best results)."""
    clusterer = StoryClusterer(**options)
    for obj in objs:
        if "error" not in obj:
            clusterer.add(obj)
    return list(clusterer.stories.values())
