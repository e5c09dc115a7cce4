"""Corpus-level queries: stories, events and claims across outlets, copies, outlet profiles.

The records are computed by ``marsad.corpus.build`` over every stored
document and kept in the ``corpus_*`` tables (schema version 2). ``refresh``
rebuilds them, in one transaction, whenever the documents or the build rules
changed since the last build (a signature of their count, last sequence number,
last ingest time and ``RULES_VERSION``); each query refreshes first unless told not to. Statements use ``?`` and
run on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import json
from typing import Any, Optional

from marsad.corpus.build import RULES_VERSION, build
from marsad.store.base import Store

_TABLES = ("corpus_copies", "corpus_stories", "corpus_story_docs", "corpus_events", "corpus_claims", "corpus_outlets")


def _signature(store: Store) -> str:
    count, seq, ingested = store.execute("SELECT COUNT(*), MAX(seq), MAX(ingested_at) FROM documents").fetchone()
    return f"{count}:{seq}:{ingested}:rules{RULES_VERSION}"


def refresh(store: Store, force: bool = False) -> bool:
    """Rebuild the corpus records when documents changed since the last build; True when it rebuilt."""
    signature = _signature(store)
    row = store.execute("SELECT value FROM corpus_state WHERE name = 'signature'").fetchone()
    if row and row[0] == signature and not force:
        return False
    duplicates = dict(store.execute("SELECT id, duplicate_of FROM documents WHERE duplicate_of IS NOT NULL").fetchall())
    corpus = build(store.iter_documents(), duplicates)
    with store.transaction():
        for table in _TABLES:
            store.execute(f"DELETE FROM {table}")
        store.executemany(
            "INSERT INTO corpus_copies (doc_id, original, similarity) VALUES (?, ?, ?)",
            [(c["id"], c["original"], c["similarity"]) for c in corpus.copies],
        )
        store.executemany(
            "INSERT INTO corpus_stories (id, first_date, last_date, reports, outlets, data) VALUES (?, ?, ?, ?, ?, ?)",
            [(s["id"], s["first"], s["last"], len(s["reports"]), len(s["outlets"]), _json(s)) for s in corpus.stories],
        )
        store.executemany(
            "INSERT INTO corpus_story_docs (doc_id, story_id) VALUES (?, ?)",
            [(r["id"], s["id"]) for s in corpus.stories for r in s["reports"] + s["copies"]],
        )
        store.executemany(
            "INSERT INTO corpus_events (id, story_id, type, first_date, reports, outlets, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(e["id"], e["story"], e["type"], e["first"], len(e["reports"]), len(e["outlets"]), _json(e)) for e in corpus.events],
        )
        store.executemany(
            "INSERT INTO corpus_claims (id, story_id, first_date, reports, outlets, single_sourced, contested, data)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (c["id"], c["story"], c["earliest_report"]["published"], len(c["reports"]), len(c["outlets"]),
                 int(c["single_sourced"]), int(c["contested"]), _json(c))
                for c in corpus.claims
            ],
        )
        store.executemany(
            "INSERT INTO corpus_outlets (outlet, documents, data) VALUES (?, ?, ?)",
            [(o["outlet"] or "", o["documents"], _json(o)) for o in corpus.outlets],
        )
        store.execute("DELETE FROM corpus_state WHERE name = 'signature'")
        store.execute("INSERT INTO corpus_state (name, value) VALUES ('signature', ?)", (signature,))
    return True


def _json(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _records(store: Store, sql: str, params: list, limit: int) -> list[dict[str, Any]]:
    if limit:
        sql += " LIMIT ?"
        params = params + [limit]
    return [json.loads(row[0]) for row in store.execute(sql, params).fetchall()]


def stories(store: Store, min_outlets: int = 1, limit: int = 0, fresh: bool = True) -> list[dict[str, Any]]:
    """Stories reported by at least ``min_outlets`` outlets, most reported first, each with its reports and copies."""
    if fresh:
        refresh(store)
    return _records(
        store, "SELECT data FROM corpus_stories WHERE outlets >= ? ORDER BY reports DESC, first_date, id", [min_outlets], limit
    )


def story(store: Store, story_id: str, fresh: bool = True) -> Optional[dict[str, Any]]:
    """One story with its consolidated events and claims in full."""
    if fresh:
        refresh(store)
    found = _records(store, "SELECT data FROM corpus_stories WHERE id = ?", [story_id], 0)
    if not found:
        return None
    out = found[0]
    out["events"] = _records(store, "SELECT data FROM corpus_events WHERE story_id = ? ORDER BY reports DESC, id", [story_id], 0)
    out["claims"] = _records(store, "SELECT data FROM corpus_claims WHERE story_id = ? ORDER BY reports DESC, id", [story_id], 0)
    return out


def story_of(store: Store, doc_id: str, fresh: bool = True) -> Optional[str]:
    """The id of the story a document (report or copy) belongs to."""
    if fresh:
        refresh(store)
    row = store.execute("SELECT story_id FROM corpus_story_docs WHERE doc_id = ?", (doc_id,)).fetchone()
    return row[0] if row else None


def events(
    store: Store, event_type: Optional[str] = None, min_reports: int = 1, limit: int = 0, fresh: bool = True
) -> list[dict[str, Any]]:
    """Consolidated events (one per real-world event), most reported first, each listing its reports."""
    if fresh:
        refresh(store)
    where, params = ["reports >= ?"], [min_reports]
    if event_type:
        where.append("type = ?")
        params.append(event_type)
    sql = f"SELECT data FROM corpus_events WHERE {' AND '.join(where)} ORDER BY reports DESC, first_date, id"
    return _records(store, sql, params, limit)


def event_counts(store: Store, fresh: bool = True) -> dict[str, dict[str, int]]:
    """Per PLOVER type: consolidated events and the reports behind them (what counts should use, and what they replace)."""
    if fresh:
        refresh(store)
    rows = store.execute("SELECT type, COUNT(*), SUM(reports) FROM corpus_events GROUP BY type ORDER BY COUNT(*) DESC, type")
    return {t: {"events": int(n), "reports": int(r)} for t, n, r in rows.fetchall()}


def claims(
    store: Store, flag: Optional[str] = None, min_outlets: int = 1, limit: int = 0, fresh: bool = True
) -> list[dict[str, Any]]:
    """Claims across outlets, most carried first: reports with chains, earliest report, original source, flags.

    ``flag`` keeps only ``single_sourced`` or ``contested`` claims."""
    if fresh:
        refresh(store)
    where, params = ["outlets >= ?"], [min_outlets]
    if flag in ("single_sourced", "contested"):
        where.append(f"{flag} = 1")
    elif flag:
        raise ValueError(f"unknown claim flag {flag!r} (single_sourced or contested)")
    sql = f"SELECT data FROM corpus_claims WHERE {' AND '.join(where)} ORDER BY outlets DESC, reports DESC, first_date, id"
    return _records(store, sql, params, limit)


def copies(store: Store, fresh: bool = True) -> list[dict[str, Any]]:
    """Near-duplicate and exact copies, each linked to the earliest version of its group."""
    if fresh:
        refresh(store)
    rows = store.execute("SELECT doc_id, original, similarity FROM corpus_copies ORDER BY original, doc_id").fetchall()
    return [{"id": d, "original": o, "similarity": float(s)} for d, o, s in rows]


def outlets(store: Store, fresh: bool = True) -> list[dict[str, Any]]:
    """Outlet profiles, most documents first: source mix, framing, actors and event types, in total and per month."""
    if fresh:
        refresh(store)
    return _records(store, "SELECT data FROM corpus_outlets ORDER BY documents DESC, outlet", [], 0)


def event(store: Store, event_id: str, fresh: bool = True) -> Optional[dict[str, Any]]:
    """One consolidated event with its reports, or None."""
    if fresh:
        refresh(store)
    found = _records(store, "SELECT data FROM corpus_events WHERE id = ?", [event_id], 0)
    return found[0] if found else None


def claim(store: Store, claim_id: str, fresh: bool = True) -> Optional[dict[str, Any]]:
    """One claim across outlets with its reports, chains, flags and denials, or None."""
    if fresh:
        refresh(store)
    found = _records(store, "SELECT data FROM corpus_claims WHERE id = ?", [claim_id], 0)
    return found[0] if found else None


def of_document(store: Store, doc_id: str, fresh: bool = True) -> dict[str, Any]:
    """Where a document's own events and claims went: its story, and its local event and claim ids mapped to
    the consolidated records (id, reports, outlets, flags) that hold them."""
    story_id = story_of(store, doc_id, fresh)
    out: dict[str, Any] = {"story": story_id, "events": {}, "claims": {}}
    if story_id is None:
        return out
    for table, kind, local in (("corpus_events", "events", "event"), ("corpus_claims", "claims", "claim")):
        for rec in _records(store, f"SELECT data FROM {table} WHERE story_id = ?", [story_id], 0):
            summary = {"id": rec["id"], "reports": len(rec["reports"]), "outlets": rec["outlets"],
                       "flags": rec.get("flags", [])}
            for r in rec["reports"]:
                if r["id"] == doc_id:
                    out[kind][r[local]] = summary
    return out
