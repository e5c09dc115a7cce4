"""Events and claims across documents: one real-world event, one claim, however many outlets report it.

Both work inside a story (reports already clustered as the same happening),
which keeps every comparison local and the whole pass linear in the corpus.
Copies (near-duplicates) never reach this module: they are not new evidence.

- Events: reports' events of the same PLOVER type whose actors and targets
  (corpus-level entity keys) do not conflict and whose dates fall within a
  window are one event. Events in an auxiliary mode (negated, future,
  hypothetical, historical ...) or told in a denial did not happen then and
  are left out.
- Claims: claims whose sentences share enough content words, or that back
  the same consolidated event and share some words, are one claim. Its
  earliest report and the last hop of that report's chain are its origin; it
  is single-sourced when every chain ends in an anonymous source, and
  contested when a denial in another document of the story matches it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Optional

from marsad.corpus.stories import _cosine, _terms
from marsad.store.base import entity_key
from marsad.text.normalize import fold
from marsad.text.sentences import split_spans

ANONYMOUS_KINDS = frozenset({"anonymous", "anonymous_affiliated"})
# Nobody named stands behind these: five outlets ending in them may be one voice repeated.
UNNAMED_KINDS = ANONYMOUS_KINDS | {"official_unnamed"}
ROLES = ("actor", "target", "location")


@lru_cache(maxsize=1)
def auxiliary_modes() -> frozenset[str]:
    plover = json.loads(resources.files("marsad.resources").joinpath("plover.json").read_text(encoding="utf-8"))
    return frozenset(plover["auxiliary_modes"])


@lru_cache(maxsize=1)
def _denial_pattern() -> re.Pattern[str]:
    data = json.loads(resources.files("marsad.resources").joinpath("denials.json").read_text(encoding="utf-8"))
    forms = sorted({fold(f) for cue in data["cues"] for f in cue["forms"]}, key=len, reverse=True)
    proclitics = "|".join(re.escape(fold(p)) for p in data["proclitics"])
    return re.compile(rf"(?<!\w)(?:{proclitics})?({'|'.join(re.escape(f) for f in forms)})(?!\w)")


def denial_cue(sentence: str) -> Optional[str]:
    """The denial cue a sentence carries (folded form), or None."""
    m = _denial_pattern().search(fold(sentence))
    return m.group(1) if m else None


def _day(value: Optional[str]) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None


@dataclass
class Doc:
    """What consolidation needs of one stored, analysed report."""

    id: str
    outlet: Optional[str]
    published: Optional[str]
    title: Optional[str]
    text: str
    keys: dict[str, str]  # local entity id -> corpus entity key
    names: dict[str, str]  # corpus entity key -> canonical name
    contract: dict[str, Any]

    @classmethod
    def from_contract(cls, c: dict[str, Any]) -> "Doc":
        keys = {e["id"]: entity_key(e) for e in c.get("entities") or []}
        names = {entity_key(e): e.get("name") or "" for e in c.get("entities") or []}
        return cls(c["id"], c.get("outlet"), c.get("published"), c.get("title"), c.get("text") or "", keys, names, c)

    def span(self, part: Optional[dict[str, Any]]) -> str:
        if not part or part.get("start") is None:
            return ""
        return self.text[part["start"] : part["end"]]

    def order(self) -> tuple[str, str]:
        return (self.published or "9999", self.id)


@dataclass
class EventReport:
    doc: Doc
    event: dict[str, Any]
    roles: dict[str, Optional[str]]
    date: Optional[dt.date]


@dataclass
class CorpusEvent:
    type: str
    reports: list[EventReport] = field(default_factory=list)
    roles: dict[str, Counter[str]] = field(default_factory=lambda: {r: Counter() for r in ROLES})
    first: Optional[dt.date] = None
    last: Optional[dt.date] = None

    def role(self, name: str) -> Optional[str]:
        counts = self.roles[name]
        return counts.most_common(1)[0][0] if counts else None

    def add(self, report: EventReport) -> None:
        self.reports.append(report)
        for r in ROLES:
            if report.roles[r]:
                self.roles[r][report.roles[r]] += 1
        if report.date:
            self.first = min(filter(None, (self.first, report.date)))
            self.last = max(filter(None, (self.last, report.date)))

    def fit(self, report: EventReport, window: dt.timedelta) -> Optional[int]:
        """How many roles the report shares with this event, or None when they conflict (actor, target, date)."""
        if report.date and self.first and not (self.first - window <= report.date <= self.last + window):
            return None
        shared = 0
        for r in ROLES:
            mine, theirs = report.roles[r], self.role(r)
            if mine and theirs:
                if mine == theirs:
                    shared += 1
                elif r != "location":  # places are named at many scales (a city, its countryside): no veto
                    return None
        return shared


def consolidate_events(docs: list[Doc], window_days: int = 3) -> list[CorpusEvent]:
    """The story's events, each with its reports; ``docs`` in order of publication."""
    window = dt.timedelta(days=window_days)
    skip = auxiliary_modes()
    events: list[CorpusEvent] = []
    for doc in docs:
        for v in doc.contract.get("events") or []:
            if v.get("mode") in skip or denial_cue(doc.span(v.get("sentence"))):
                continue  # did not happen (then), or is being denied: not a report of the event
            roles = {r: doc.keys.get(v.get(r) or "") for r in ROLES}
            date = _day((v.get("date") or {}).get("value")) or _day(doc.published)
            report = EventReport(doc, v, roles, date)
            best, best_fit = None, -1
            for ev in events:
                if ev.type != v["type"]:
                    continue
                fit = ev.fit(report, window)
                # Ties go to the event with more reports: a report naming no role is most likely the main event.
                if fit is not None and (fit, len(ev.reports)) > (best_fit, len(best.reports) if best else -1):
                    best, best_fit = ev, fit
            if best is None:
                best = CorpusEvent(v["type"])
                events.append(best)
            best.add(report)
    return events


@dataclass
class ClaimReport:
    doc: Doc
    claim: dict[str, Any]
    sentence: str
    terms: Counter[str]
    events: set[int]  # indices of the consolidated events this claim backs

    def chain(self) -> list[dict[str, Any]]:
        return [
            {"text": s.get("text"), "kind": s.get("kind"), "entity": self.doc.keys.get(s.get("entity") or "")}
            for s in self.claim.get("sources") or []
        ]


@dataclass
class Denial:
    doc: Doc
    sentence: dict[str, int]
    text: str
    cue: str
    claim: Optional[str]
    terms: Counter[str]


@dataclass
class CorpusClaim:
    reports: list[ClaimReport] = field(default_factory=list)
    denials: list[Denial] = field(default_factory=list)

    @property
    def terms(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for r in self.reports:
            total.update(r.terms)
        return total

    @property
    def single_sourced(self) -> bool:
        ends = [r.chain()[-1]["kind"] for r in self.reports if r.chain()]
        return bool(ends) and all(kind in UNNAMED_KINDS for kind in ends)


def consolidate_claims(
    docs: list[Doc], events: list[CorpusEvent], same: float = 0.35, same_event: float = 0.15, denies: float = 0.2
) -> list[CorpusClaim]:
    """The story's claims, each with its reports and the denials that contest it."""
    event_of: dict[tuple[str, str], int] = {}
    for i, ev in enumerate(events):
        for r in ev.reports:
            event_of[(r.doc.id, r.event["id"])] = i
    backs: dict[tuple[str, str], set[int]] = {}
    for doc in docs:
        for v in doc.contract.get("events") or []:
            if v.get("claim") and (doc.id, v["id"]) in event_of:
                backs.setdefault((doc.id, v["claim"]), set()).add(event_of[(doc.id, v["id"])])
    claims: list[CorpusClaim] = []
    denials: list[Denial] = []
    for doc in docs:
        claim_spans = []
        for c in doc.contract.get("claims") or []:
            sent = c.get("sentence") or {}
            text = doc.span(sent)
            claim_spans.append((sent.get("start"), sent.get("end")))
            cue = denial_cue(text)
            if cue:  # a denial is what contests a claim, not a claim to be confirmed
                denials.append(Denial(doc, sent, text, cue, c["id"], _terms(text)))
                continue
            report = ClaimReport(doc, c, text, _terms(text), backs.get((doc.id, c["id"]), set()))
            best, best_score = None, 0.0
            for claim in claims:
                score = _cosine(report.terms, claim.terms)
                shares_event = any(report.events & r.events for r in claim.reports)
                if (score >= same or (shares_event and score >= same_event)) and score > best_score:
                    best, best_score = claim, score
            if best is None:
                best = CorpusClaim()
                claims.append(best)
            best.reports.append(report)
        for start, end in split_spans(doc.text):  # denials not attributed as claims ("لا صحة لما تداولته ...")
            if any(a is not None and a < end and start < b for a, b in claim_spans):
                continue
            if not (cue := denial_cue(doc.text[start:end])):
                continue
            text = doc.text[start:end]
            denials.append(Denial(doc, {"start": start, "end": end}, text, cue, None, _terms(text)))
    for denial in denials:
        scored = [
            (_cosine(denial.terms, claim.terms), claim)
            for claim in claims
            if all(r.doc.id != denial.doc.id for r in claim.reports)
        ]
        score, claim = max(scored, key=lambda p: p[0], default=(0.0, None))
        if claim is not None and score >= denies:
            claim.denials.append(denial)
    return claims

