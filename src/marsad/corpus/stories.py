"""Stories: reports of the same happening, clustered incrementally.

A story is one happening (a strike, a vote, a meeting and the reactions of
the next day or two), not a topic (the war, the negotiations). A report joins
the story whose recent reports it resembles most, compared report to report
(a story's pooled vocabulary grows with every report and would attract
anything on its topic). Two reports are of one happening when

- they are close in time: within ``window_days`` of each other, and the story
  spans at most ``max_span_days`` (follow-ups chain by proximity, not for weeks);
- they share specific evidence: a rare entity that is not a country, an event
  of the same type with the same actor or target, or much of their text;
- their text and entities, weighted by inverse document frequency, are similar
  enough: countries and leaders named in every other report weigh little.

Document frequencies are counted as reports arrive, over a prior of unseen
documents so that a small corpus does not make every name common. Candidate
stories come from a blocking index keyed by (entity or title word, day), so a
new report is compared with the few stories of the same days that share a
specific key, not with the corpus.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Optional

from marsad.store.base import entity_key
from marsad.text.normalize import fold
from marsad.text.tokens import segment

_WORD = re.compile(r"[\u0621-\u064a]{3,}")
# Countries are the setting of most reports, never by themselves the evidence that two are one happening.
_COUNTRY = "kb:marsad:country:"


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


@dataclass
class Report:
    doc_id: str
    published: Optional[dt.date]
    entities: frozenset[str]
    terms: Counter[str]
    title_terms: frozenset[str]
    events: frozenset[tuple[str, str]]  # (event type, actor or target key)
    # Set when the report is placed, with the document frequencies of that moment, then kept.
    text_vector: dict[str, float] = field(default_factory=dict)
    entity_weights: dict[str, float] = field(default_factory=dict)
    specific: frozenset[str] = frozenset()  # rare entities that are not countries: evidence of one happening

    @classmethod
    def from_analysis(cls, obj: dict[str, Any]) -> "Report":
        keys = {e["id"]: entity_key(e) for e in obj.get("entities", [])}
        title = obj.get("title") or ""
        events = frozenset(
            (ev["type"], keys[ev[role]]) for ev in obj.get("events", []) for role in ("actor", "target") if ev.get(role) in keys
        )
        return cls(
            doc_id=obj["id"],
            published=_date(obj.get("published")),
            entities=frozenset(keys.values()),
            terms=_terms(f"{title} {title} {obj.get('text', '')}"),
            title_terms=frozenset(_terms(title)),
            events=events,
        )


@dataclass
class Story:
    id: str
    reports: list[str] = field(default_factory=list)
    recent: deque = field(default_factory=lambda: deque(maxlen=12))  # the reports a newcomer is compared with
    first: Optional[dt.date] = None
    last: Optional[dt.date] = None
    blocks: set[tuple[str, Optional[dt.date]]] = field(default_factory=set)

    def add(self, report: Report) -> None:
        self.reports.append(report.doc_id)
        self.recent.append(report)
        if report.published:
            self.first = min(filter(None, (self.first, report.published)))
            self.last = max(filter(None, (self.last, report.published)))


class StoryClusterer:
    """Incremental clustering of reports into happenings, blocked by entity (or title word) and day."""

    def __init__(
        self,
        window_days: int = 1,
        max_span_days: int = 3,
        threshold: float = 0.3,
        text_alone: float = 0.5,
        specific_share: float = 0.03,
        specific_documents: int = 5,
        prior_documents: int = 100,
        block_keys: int = 8,
    ):
        self.window = dt.timedelta(days=window_days)
        self.max_span = dt.timedelta(days=max_span_days)
        self.threshold = threshold
        self.text_alone = text_alone  # text this similar is evidence enough (entities missed by the analysis)
        # An entity in at most this share of documents (or a handful of them, in a small corpus) is specific:
        # two reports sharing it may be one happening.
        self.specific_share = specific_share
        self.specific_documents = specific_documents
        self.prior = prior_documents
        self.block_keys = block_keys
        self.stories: dict[str, Story] = {}
        self.story_of: dict[str, str] = {}
        self._index: dict[tuple[str, Optional[dt.date]], set[str]] = {}
        self._documents = 0
        self._entity_df: Counter[str] = Counter()
        self._term_df: Counter[str] = Counter()
        self._next = 1

    def _idf(self, df: int) -> float:
        return math.log((self._documents + self.prior) / (df + 1))

    def _weigh(self, report: Report) -> None:
        self._documents += 1
        self._entity_df.update(report.entities)
        self._term_df.update(report.terms.keys())
        vector = {t: (1 + math.log(n)) * self._idf(self._term_df[t]) for t, n in report.terms.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        report.text_vector = {t: v / norm for t, v in vector.items()}
        report.entity_weights = {k: self._idf(self._entity_df[k]) for k in report.entities}
        common = max(self.specific_documents, self.specific_share * self._documents)
        report.specific = frozenset(
            k for k in report.entities if not k.startswith(_COUNTRY) and self._entity_df[k] <= common
        )

    def pair(self, a: Report, b: Report) -> float:
        """How likely two reports tell one happening (0 when they share no specific evidence or are too far apart)."""
        if (a.published is None) != (b.published is None):
            return 0.0
        if a.published and abs(a.published - b.published) > self.window:
            return 0.0
        small, large = sorted((a.text_vector, b.text_vector), key=len)
        text = sum(v * large.get(t, 0.0) for t, v in small.items())
        shared = a.entities & b.entities
        if not (a.specific & b.specific or a.events & b.events or text >= self.text_alone):
            return 0.0
        # Cosine of the entity sets weighted by rarity: background names a report adds cost less than under Jaccard.
        norm = math.sqrt(sum(w * w for w in a.entity_weights.values()) * sum(w * w for w in b.entity_weights.values()))
        entities = sum(a.entity_weights[k] * b.entity_weights[k] for k in shared) / norm if norm else 0.0
        return 0.6 * text + 0.4 * entities

    def similarity(self, report: Report, story: Story) -> float:
        return max((self.pair(report, r) for r in story.recent), default=0.0)

    def _fits(self, report: Report, story: Story) -> bool:
        if report.published is None or story.first is None:
            return True
        return max(story.last, report.published) - min(story.first, report.published) <= self.max_span

    def _block(self, report: Report) -> set[tuple[str, Optional[dt.date]]]:
        """The index keys of a report: its most specific entities, its events and its title words, on its day."""
        entities = sorted(report.specific, key=lambda k: -report.entity_weights[k])
        keys = entities[: self.block_keys] + [f"v:{t}:{k}" for t, k in report.events] + [f"w:{t}" for t in report.title_terms]
        return {(k, report.published) for k in keys}

    def _candidates(self, report: Report) -> set[str]:
        days: list[Optional[dt.date]] = [None]
        if report.published:
            span = self.window.days
            days = [report.published + dt.timedelta(days=d) for d in range(-span, span + 1)]
        found: set[str] = set()
        for key, _ in self._block(report):
            for day in days:
                found |= self._index.get((key, day), set())
        return found

    def add(self, obj: dict[str, Any]) -> str:
        """Place one analysed document (a contract object); return its story id."""
        report = Report.from_analysis(obj)
        if report.doc_id in self.story_of:
            return self.story_of[report.doc_id]
        self._weigh(report)
        matches = []
        for story_id in self._candidates(report):
            story = self.stories[story_id]
            if self._fits(report, story):
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
            # A report that fits two stories bridges them: one happening told in words too different to meet
            # before. The span cap keeps such bridges from chaining a topic.
            for _, other_id in matches[1:]:
                if self._fits_merged(self.stories[best_id], self.stories[other_id]):
                    self._merge(best_id, other_id)
        story = self.stories[best_id]
        story.add(report)
        for block in self._block(report):
            self._index.setdefault(block, set()).add(best_id)
            story.blocks.add(block)
        self.story_of[report.doc_id] = best_id
        return best_id

    def _fits_merged(self, a: Story, b: Story) -> bool:
        dates = [d for d in (a.first, a.last, b.first, b.last) if d]
        return not dates or max(dates) - min(dates) <= self.max_span

    def _merge(self, into_id: str, other_id: str) -> None:
        into, other = self.stories[into_id], self.stories.pop(other_id)
        into.reports += other.reports
        into.recent.extend(sorted(other.recent, key=lambda r: r.published or dt.date.min))
        into.first = min(filter(None, (into.first, other.first)), default=None)
        into.last = max(filter(None, (into.last, other.last)), default=None)
        for block in other.blocks:
            ids = self._index[block]
            ids.discard(other_id)
            ids.add(into_id)
        into.blocks |= other.blocks
        for doc_id in other.reports:
            self.story_of[doc_id] = into_id


def cluster(objs: Iterable[dict[str, Any]], **options: Any) -> list[Story]:
    """Stories of a sequence of analysed documents, in order of arrival (sort by date first for best results)."""
    clusterer = StoryClusterer(**options)
    for obj in objs:
        if "error" not in obj:
            clusterer.add(obj)
    return list(clusterer.stories.values())
