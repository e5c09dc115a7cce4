"""Outlet profiles: how each outlet sources, frames and covers the news, month by month.

Source kinds are counted on the original source of each claim (the last hop
of its chain: whom the outlet ultimately relies on). Framing markers come from
the analysis (``marsad.nlp.framing``); actors are the corpus-level entities its
events name as actor or target; event types count the outlet's event reports
and the consolidated events they belong to.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from marsad.corpus.consolidate import ANONYMOUS_KINDS, Doc, auxiliary_modes
from marsad.model import SOURCE_KINDS


class _Tally:
    def __init__(self) -> None:
        self.documents = 0
        self.copies = 0
        self.sources: Counter[str] = Counter()
        self.framing_sides: Counter[str] = Counter()
        self.framing_terms: Counter[str] = Counter()
        self.actors: Counter[str] = Counter()
        self.names: dict[str, str] = {}
        self.event_reports: Counter[str] = Counter()
        self.events: dict[str, set[str]] = defaultdict(set)

    def add(self, doc: Doc, copy: bool, event_of_report: dict[tuple[str, str], str]) -> None:
        self.documents += 1
        self.copies += copy
        for claim in doc.contract.get("claims") or []:
            if claim.get("sources"):
                self.sources[claim["sources"][-1].get("kind") or "anonymous"] += 1
        for marker in doc.contract.get("framing") or []:
            self.framing_sides[marker.get("side") or ""] += 1
            self.framing_terms[marker.get("term") or ""] += 1
        skip = auxiliary_modes()
        for v in doc.contract.get("events") or []:
            if v.get("mode") in skip:
                continue
            self.event_reports[v["type"]] += 1
            if (doc.id, v["id"]) in event_of_report:
                self.events[v["type"]].add(event_of_report[(doc.id, v["id"])])
            for role in ("actor", "target"):
                key = doc.keys.get(v.get(role) or "")
                if key:
                    self.actors[key] += 1
                    self.names.setdefault(key, doc.names.get(key, ""))

    def record(self) -> dict[str, Any]:
        total = sum(self.sources.values())

        def share(kinds) -> float:
            return round(sum(self.sources[k] for k in kinds) / total, 3) if total else 0.0

        return {
            "documents": self.documents,
            "copies": self.copies,
            "sources": {k: self.sources[k] for k in SOURCE_KINDS},
            "source_shares": {
                "anonymous": share(("anonymous",)),
                "anonymous_affiliated": share(("anonymous_affiliated",)),
                "all_anonymous": share(ANONYMOUS_KINDS),
                "official_unnamed": share(("official_unnamed",)),
                "named": share(("named_outlet", "named_person", "named_org")),
            },
            "framing": {"sides": dict(self.framing_sides.most_common()), "terms": dict(self.framing_terms.most_common(10))},
            "actors": [{"key": k, "name": self.names[k], "events": n} for k, n in self.actors.most_common(10)],
            "event_types": {
                t: {"reports": n, "events": len(self.events[t])} for t, n in self.event_reports.most_common()
            },
        }


def profiles(docs: list[Doc], copies: set[str], event_of_report: dict[tuple[str, str], str]) -> list[dict[str, Any]]:
    """One profile per outlet (most documents first): totals, then each month (YYYY-MM, or null when undated)."""
    totals: dict[str, _Tally] = defaultdict(_Tally)
    months: dict[str, dict[Any, _Tally]] = defaultdict(lambda: defaultdict(_Tally))
    for doc in docs:
        outlet = doc.outlet or ""
        month = doc.published[:7] if doc.published else None
        for tally in (totals[outlet], months[outlet][month]):
            tally.add(doc, doc.id in copies, event_of_report)
    out = []
    for outlet, tally in sorted(totals.items(), key=lambda p: (-p[1].documents, p[0])):
        by_month = sorted(months[outlet].items(), key=lambda p: p[0] or "9999")
        out.append({
            "outlet": outlet or None,
            **tally.record(),
            "months": [{"month": m, **t.record()} for m, t in by_month],
        })
    return out
