"""The corpus-level pass: copies, stories, events and claims across outlets, outlet profiles.

``build`` takes analysed documents (contract objects) and returns plain
JSON-ready records; the store keeps them (``marsad.store.corpus``). Documents
are taken in order of publication, so a copy links to the earliest version and
a story's first report is its earliest.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from marsad.corpus.consolidate import ClaimReport, CorpusClaim, CorpusEvent, Doc, consolidate_claims, consolidate_events
from marsad.corpus.dedupe import DuplicateIndex
from marsad.corpus.outlets import profiles
from marsad.corpus.stories import StoryClusterer
from marsad.text.normalize import fold


@dataclass
class Corpus:
    copies: list[dict[str, Any]] = field(default_factory=list)
    stories: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    outlets: list[dict[str, Any]] = field(default_factory=list)


def _ref(doc: Doc) -> dict[str, Any]:
    return {"id": doc.id, "outlet": doc.outlet, "published": doc.published, "title": doc.title}


def _entity(doc_names: dict[str, str], key: Optional[str]) -> Optional[dict[str, str]]:
    return {"key": key, "name": doc_names.get(key, "")} if key else None


def _event_record(ev: CorpusEvent, story_id: str) -> dict[str, Any]:
    first = ev.reports[0]
    names: dict[str, str] = {}
    for r in ev.reports:
        names = {**r.doc.names, **names}  # the earliest report's canonical name wins
    return {
        "id": f"ev:{first.doc.id}:{first.event['id']}",
        "story": story_id,
        "type": ev.type,
        **{role: _entity(names, ev.role(role)) for role in ("actor", "target", "location")},
        "first": ev.first.isoformat() if ev.first else None,
        "last": ev.last.isoformat() if ev.last else None,
        "outlets": sorted({r.doc.outlet or "" for r in ev.reports}),
        "documents": len({r.doc.id for r in ev.reports}),
        "earliest_report": {**_ref(first.doc), "event": first.event["id"]},
        "reports": [
            {
                **_ref(r.doc), "event": r.event["id"], "mode": r.event.get("mode"),
                "trigger": (r.event.get("trigger") or {}).get("text"), "sentence": r.doc.span(r.event.get("sentence")),
                "date": r.date.isoformat() if r.date else None,
            }
            for r in ev.reports
        ],
    }


def _claim_report(r: ClaimReport) -> dict[str, Any]:
    return {**_ref(r.doc), "claim": r.claim["id"], "text": r.sentence, "cue": (r.claim.get("cue") or {}).get("text"), "chain": r.chain()}


def _claim_record(claim: CorpusClaim, story_id: str) -> dict[str, Any]:
    first = claim.reports[0]
    ends = [r.chain()[-1] for r in claim.reports if r.chain()]
    origin = next((r.chain()[-1] for r in claim.reports if r.chain()), None)
    seen, originals = set(), []
    for end in ends:
        if (end["text"], end["kind"]) not in seen:
            seen.add((end["text"], end["kind"]))
            originals.append(end)
    flags = [f for f, on in (("single_sourced", claim.single_sourced), ("contested", bool(claim.denials))) if on]
    return {
        "id": f"cl:{first.doc.id}:{first.claim['id']}",
        "story": story_id,
        "text": first.sentence,
        "earliest_report": {**_ref(first.doc), "claim": first.claim["id"]},
        "original_source": origin,
        "original_sources": originals,
        "outlets": sorted({r.doc.outlet or "" for r in claim.reports}),
        "documents": len({r.doc.id for r in claim.reports}),
        "single_sourced": claim.single_sourced,
        "contested": bool(claim.denials),
        "flags": flags,
        "reports": [_claim_report(r) for r in claim.reports],
        "denials": [
            {**_ref(d.doc), "claim": d.claim, "text": d.text, "cue": d.cue, "sentence": d.sentence} for d in claim.denials
        ],
    }


# Bumped whenever the rules below change what a build gives, so that stored records are rebuilt.
RULES_VERSION = 2
_SHARED_LINE_CHARS = 40  # shorter lines (datelines, bylines) are left alone


def _lines(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _shared_lines(docs: Iterable[Doc]) -> set[tuple[str, str]]:
    """Folded lines that one outlet prints in two of its documents or more that are no copies of
    each other: its teasers of other articles (CNN pages end with the openings of the day's other
    stories) and its stock background paragraphs. Neither tells which happening a report is about.
    Another outlet's identical line is left alone: that is shared wire copy, evidence of one story."""
    count: Counter[tuple[str, str]] = Counter()
    for d in docs:
        count.update({(d.outlet or "", fold(d.text[a:b]).strip()) for a, b in _lines(d.text) if b - a >= _SHARED_LINE_CHARS})
    return {key for key, n in count.items() if n >= 2}


def _own_part(contract: dict[str, Any], shared: set[tuple[str, str]]) -> dict[str, Any]:
    """The contract without its outlet's shared lines and what is said only there, for story
    clustering: another article's teaser must not pull this report into that article's story."""
    text, outlet = contract.get("text") or "", contract.get("outlet") or ""
    lines = _lines(text)
    dropped = [(a, b) for a, b in lines if b - a >= _SHARED_LINE_CHARS and (outlet, fold(text[a:b]).strip()) in shared]
    if not dropped:
        return contract

    def inside(pos: int) -> bool:
        return any(a <= pos < b for a, b in dropped)

    kept_text = "\n".join(text[a:b] for a, b in lines if (a, b) not in dropped)
    entities = [e for e in contract.get("entities") or [] if any(not inside(m["start"]) for m in e.get("mentions") or [])]
    events = [ev for ev in contract.get("events") or [] if not inside((ev.get("sentence") or {}).get("start", 0))]
    return {**contract, "text": kept_text, "entities": entities, "events": events}


def build(contracts: Iterable[dict[str, Any]], duplicates: Optional[dict[str, str]] = None, window_days: int = 3) -> Corpus:
    """The corpus records of analysed documents; ``duplicates`` maps exact copies to their original (the store's)."""
    docs = sorted((Doc.from_contract(c) for c in contracts if "error" not in c), key=Doc.order)
    by_id = {d.id: d for d in docs}
    index = DuplicateIndex()
    for d in docs:
        index.add(d.id, d.text, d.published)
    originals = {d.id: index.original_of(d.id) for d in docs if index.original_of(d.id) != d.id}
    for copy, original in (duplicates or {}).items():
        if copy in by_id and original in by_id:
            originals[copy] = originals.get(original, original)
    out = Corpus()
    for copy, original in originals.items():
        similarity = index.similarity(copy, original) if copy in index and original in index else 1.0
        out.copies.append({"id": copy, "original": original, "similarity": round(similarity, 3)})

    clusterer = StoryClusterer()
    shared = _shared_lines(d for d in docs if d.id not in originals)
    for d in docs:
        if d.id not in originals:
            clusterer.add(_own_part(d.contract, shared))
    event_of_report: dict[tuple[str, str], str] = {}
    for story in clusterer.stories.values():
        members = sorted((by_id[i] for i in story.reports), key=Doc.order)
        story_id = f"s:{members[0].id}"
        events = consolidate_events(members, window_days)
        claims = consolidate_claims(members, events)
        event_records = [_event_record(ev, story_id) for ev in events]
        claim_records = [_claim_record(cl, story_id) for cl in claims]
        for rec in event_records:
            for r in rec["reports"]:
                event_of_report[(r["id"], r["event"])] = rec["id"]
        out.events += event_records
        out.claims += claim_records
        entities: Counter[str] = Counter()
        names: dict[str, str] = {}
        for d in members:
            entities.update(set(d.keys.values()))
            names = {**d.names, **names}
        copies = [c for c in out.copies if c["original"] in story.reports]
        out.stories.append({
            "id": story_id,
            "title": members[0].title,
            "first": story.first.isoformat() if story.first else None,
            "last": story.last.isoformat() if story.last else None,
            "outlets": sorted({d.outlet or "" for d in members}),
            "reports": [_ref(d) for d in members],
            "copies": [{**_ref(by_id[c["id"]]), "original": c["original"], "similarity": c["similarity"]} for c in copies],
            "entities": [{"key": k, "name": names.get(k, ""), "documents": n} for k, n in entities.most_common(8)],
            "events": [e["id"] for e in event_records],
            "claims": [c["id"] for c in claim_records],
            "counts": {
                "reports": len(members), "copies": len(copies), "events": len(event_records),
                "event_reports": sum(len(e["reports"]) for e in event_records), "claims": len(claim_records),
                "contested": sum(c["contested"] for c in claim_records),
                "single_sourced": sum(c["single_sourced"] for c in claim_records),
            },
        })
    out.outlets = profiles(docs, set(originals), event_of_report)
    return out
