"""Read queries of the web pages on the knowledge base, beyond what the store's API offers.

They read the tables of ``marsad.store.schema`` through the store's
``execute`` (statements written with ``?``, as the store's own). Events,
sources and mentions name corpus-level entity keys; ``doc_entities`` maps a
document's local entity ids (``e3``) to those keys.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources
from typing import Any, Callable, Iterable, Optional

from marsad.text.normalize import fold

_WORD = re.compile(r"\w+")
# database -> (signature of the corpus records, their parsed events); see Queries.corpus_events
_EVENT_CACHE: dict[str, tuple[str, list[dict[str, Any]]]] = {}


def month_bars(counts: Counter, height: int = 60) -> list[dict[str, Any]]:
    """Every month from the first to the last of ``counts``, with its count and a bar height in pixels."""
    if not counts:
        return []
    first, last = min(counts), max(counts)
    year, month = int(first[:4]), int(first[5:7])
    top = max(counts.values())
    out = []
    while f"{year:04d}-{month:02d}" <= last and len(out) < 240:
        key = f"{year:04d}-{month:02d}"
        out.append({"month": key, "n": counts.get(key, 0), "height": round(height * counts.get(key, 0) / top, 1)})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@lru_cache(maxsize=1)
def kb_records() -> dict[str, dict[str, Any]]:
    """Knowledge-base records by id."""
    path = resources.files("marsad.resources").joinpath("kb/kb.json.gz")
    try:
        with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
            records = json.load(fh).get("records", [])
    except (FileNotFoundError, OSError, ValueError):
        return {}
    return {r["id"]: r for r in records}


@lru_cache(maxsize=1)
def kb_places() -> dict[str, dict[str, Any]]:
    """Knowledge-base records with coordinates, by id."""
    return {k: r for k, r in kb_records().items() if r.get("lat") is not None and r.get("lon") is not None}


@lru_cache(maxsize=1)
def _countries_by_iso3() -> dict[str, dict[str, Any]]:
    return {r["iso3"]: r for r in kb_records().values() if r.get("iso3")}


def kb_facts(kb_id: Optional[str]) -> Optional[dict[str, Any]]:
    """What the knowledge base holds on a record: kind, country, capital, population, coordinates, and its
    roles (CAMEO actor codes with their dates) split into a country and sectors the page can label."""
    rec = kb_records().get(kb_id or "")
    if rec is None:
        return None
    countries = _countries_by_iso3()
    roles = []
    for code, start, end in rec.get("roles") or []:
        country = countries.get(code[:3])
        sectors = [code[i:i + 3] for i in range(3 if country else 0, len(code), 3)]
        roles.append({"code": code, "start": start, "end": end, "sectors": sectors,
                      "country": {"name": country["name"], "name_en": country.get("name_en")} if country else None})

    def named(ref: Optional[str]) -> Optional[dict[str, Any]]:
        other = kb_records().get(ref or "")
        return {"id": other["id"], "name": other["name"], "name_en": other.get("name_en")} if other else None

    return {
        "id": rec["id"], "kind": rec.get("kind"), "name": rec.get("name"), "name_en": rec.get("name_en"),
        "names": rec.get("names") or [], "variants": rec.get("variants") or [], "population": rec.get("population"),
        "lat": rec.get("lat"), "lon": rec.get("lon"), "country": named(rec.get("country")),
        "capital": named(rec.get("capital")), "capital_of": named(rec.get("capital_of")), "agent": rec.get("agent"),
        "roles": roles,
    }


class Queries:
    def __init__(self, execute: Callable[[str, list], Any], refresh: Callable[[], Any] = lambda: None,
                 cache_key: str = ""):
        self.execute = execute  # the store's: runs ``?``-placeholder SQL on either backend, returns a cursor
        self.refresh = refresh  # rebuilds the corpus records when documents changed (marsad.store.corpus)
        self.cache_key = cache_key  # names the database in the cache of parsed corpus events

    def warm(self) -> None:
        """Rebuild the corpus records if needed and load what every page shares: their events, the knowledge base."""
        self.corpus_events()
        kb_places()
        _countries_by_iso3()

    def rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        cur = self.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    # -- search filters and facets -------------------------------------------------

    def filtered_ids(self, filters: dict[str, str], ids: Optional[list[str]] = None, limit: int = 200) -> list[str]:
        """Ids of documents passing every filter: within ``ids`` in their order, else newest first."""
        where, params = ["d.error IS NULL OR d.text IS NOT NULL"], []
        if filters.get("outlet"):
            where.append("d.outlet = ?")
            params.append(filters["outlet"])
        if filters.get("date_from"):
            where.append("d.published >= ?")
            params.append(filters["date_from"])
        if filters.get("date_to"):
            where.append("d.published <= ?")
            params.append(filters["date_to"] + "~")  # after every YYYY-MM-DD of that prefix
        if filters.get("entity"):
            where.append("EXISTS (SELECT 1 FROM doc_entities de WHERE de.doc_id = d.id AND de.entity = ?)")
            params.append(filters["entity"])
        if filters.get("event_type"):
            where.append("EXISTS (SELECT 1 FROM events v WHERE v.doc_id = d.id AND v.type = ?)")
            params.append(filters["event_type"])
        if filters.get("source_kind"):
            where.append("EXISTS (SELECT 1 FROM sources s WHERE s.doc_id = d.id AND s.kind = ?)")
            params.append(filters["source_kind"])
        sql = "SELECT d.id FROM documents d WHERE " + " AND ".join(f"({w})" for w in where)
        if ids is not None:
            if not ids:
                return []
            sql += f" AND d.id IN ({','.join('?' * len(ids))})"
            found = {r["id"] for r in self.rows(sql, [*params, *ids])}
            return [i for i in ids if i in found]
        sql += f" ORDER BY d.published DESC, d.seq DESC LIMIT {int(limit)}"
        return [r["id"] for r in self.rows(sql, params)]

    def summaries(self, ids: list[str]) -> list[dict[str, Any]]:
        """Title, outlet, date and the opening of the text of each document, in the order of ``ids``."""
        if not ids:
            return []
        rows = self.rows(
            f"SELECT id, path, title, published, outlet, substr(text, 1, 400) AS opening "
            f"FROM documents WHERE id IN ({','.join('?' * len(ids))})",
            ids,
        )
        by_id = {r["id"]: r for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def facets(self) -> dict[str, list[dict[str, Any]]]:
        return {
            "outlet": self.rows(
                "SELECT outlet AS value, COUNT(*) AS n FROM documents WHERE outlet IS NOT NULL "
                "GROUP BY outlet ORDER BY n DESC, outlet LIMIT 50"
            ),
            "event_type": self.rows(
                "SELECT type AS value, COUNT(DISTINCT doc_id) AS n FROM events GROUP BY type ORDER BY n DESC, type"
            ),
            "source_kind": self.rows(
                "SELECT kind AS value, COUNT(DISTINCT doc_id) AS n FROM sources GROUP BY kind ORDER BY n DESC, kind"
            ),
            "entity": self.rows(
                "SELECT e.key AS value, e.name, e.name_en, e.type, COUNT(DISTINCT de.doc_id) AS n "
                "FROM doc_entities de JOIN entities e ON e.key = de.entity "
                "GROUP BY e.key, e.name, e.name_en, e.type ORDER BY n DESC, e.name LIMIT 30"
            ),
        }

    # -- documents ------------------------------------------------------------------

    def entity_keys(self, doc_id: str) -> dict[str, str]:
        """Local entity id -> corpus entity key, for one document."""
        return {r["local_id"]: r["entity"] for r in self.rows(
            "SELECT local_id, entity FROM doc_entities WHERE doc_id = ?", [doc_id])}

    # -- entities -------------------------------------------------------------------

    def entity(self, key: str) -> Optional[dict[str, Any]]:
        found = self.rows("SELECT key, name, type, name_en, kb_id FROM entities WHERE key = ?", [key])
        if not found:
            return None
        out = found[0]
        out["aliases"] = self.rows(
            "SELECT text, COUNT(*) AS n FROM mentions WHERE entity = ? GROUP BY text ORDER BY n DESC, text", [key])
        out["mention_count"] = sum(a["n"] for a in out["aliases"])
        out["document_count"] = self.rows(
            "SELECT COUNT(DISTINCT doc_id) AS n FROM doc_entities WHERE entity = ?", [key])[0]["n"]
        out["documents"] = self.rows(
            "SELECT d.id, d.title, d.published, d.outlet, COUNT(*) AS n FROM mentions m "
            "JOIN documents d ON d.id = m.doc_id WHERE m.entity = ? "
            "GROUP BY d.id, d.title, d.published, d.outlet ORDER BY d.published DESC, d.id LIMIT 100", [key])
        out["cooccurring"] = self.rows(
            "SELECT e.key, e.name, e.name_en, e.type, COUNT(DISTINCT o.doc_id) AS n "
            "FROM (SELECT DISTINCT doc_id FROM doc_entities WHERE entity = ?) mine "
            "JOIN doc_entities o ON o.doc_id = mine.doc_id JOIN entities e ON e.key = o.entity "
            "WHERE o.entity <> ? GROUP BY e.key, e.name, e.name_en, e.type ORDER BY n DESC, e.name LIMIT 30",
            [key, key])
        events = self.select_events(entity=key)
        roles: Counter = Counter()
        months: Counter = Counter()
        for ev in events:
            roles.update(role for role in ("actor", "target", "location") if (ev.get(role) or {}).get("key") == key)
            if ev["first"]:
                months[ev["first"][:7]] += 1
        out["events"] = events[-200:][::-1]  # newest first
        out["event_count"] = len(events)
        out["event_roles"] = dict(roles)
        out["months"] = month_bars(months)
        out["kb"] = kb_facts(out.get("kb_id"))
        place = kb_places().get(out.get("kb_id") or "")
        out["coordinates"] = [place["lat"], place["lon"]] if place else None
        return out

    # -- consolidated events: graph, timeline, map ---------------------------------

    def corpus_events(self) -> list[dict[str, Any]]:
        """Every consolidated event (one per real-world event, issue 10) without its reports' sentences,
        oldest first; parsed once per build of the corpus records and shared by the server's threads."""
        self.refresh()
        row = self.execute("SELECT value FROM corpus_state WHERE name = 'signature'", []).fetchone()
        signature = row[0] if row else ""
        cached = _EVENT_CACHE.get(self.cache_key)
        if cached and cached[0] == signature:
            return cached[1]
        events = []
        for (data,) in self.execute("SELECT data FROM corpus_events ORDER BY first_date, id", []).fetchall():
            ev = json.loads(data)
            reports = ev.pop("reports")
            ev["reports"] = len(reports)
            ev["modes"] = sorted({r["mode"] for r in reports if r.get("mode")})
            ev["triggers"] = sorted({r["trigger"] for r in reports if r.get("trigger")})
            ev["keys"] = [ev[role]["key"] for role in ("actor", "target", "location") if ev.get(role)]
            events.append(ev)
        _EVENT_CACHE[self.cache_key] = (signature, events)
        return events

    def select_events(self, entity: str = "", event_type: str = "", outlet: str = "") -> list[dict[str, Any]]:
        return [ev for ev in self.corpus_events()
                if (not entity or entity in ev["keys"]) and (not event_type or ev["type"] == event_type)
                and (not outlet or outlet in ev["outlets"])]

    def english_names(self, keys: Iterable[str]) -> dict[str, Optional[str]]:
        keys = sorted(set(keys))
        out: dict[str, Optional[str]] = {}
        for i in range(0, len(keys), 500):  # stay below the databases' limits on bound parameters
            chunk = keys[i:i + 500]
            out.update((r["key"], r["name_en"]) for r in self.rows(
                f"SELECT key, name_en FROM entities WHERE key IN ({','.join('?' * len(chunk))})", chunk))
        return out

    def graph(self, event_type: str = "", min_weight: int = 1, entity: str = "", limit: int = 0) -> dict[str, Any]:
        """Actor graph: an edge per (actor, target, PLOVER type) weighted by its distinct consolidated events,
        not by the reports of them (``reports`` says how many there were); each edge lists its events.
        ``limit`` keeps the heaviest edges (0: all); ``total`` counts the edges before it."""
        edges: dict[tuple[str, str, str], dict[str, Any]] = {}
        names: dict[str, str] = {}
        for ev in self.select_events(entity=entity, event_type=event_type):
            actor, target = ev.get("actor"), ev.get("target")
            if not actor or not target or actor["key"] == target["key"]:
                continue
            names.setdefault(actor["key"], actor["name"])
            names.setdefault(target["key"], target["name"])
            edge = edges.setdefault((actor["key"], target["key"], ev["type"]), {
                "id": f"{actor['key']}|{target['key']}|{ev['type']}", "source": actor["key"], "target": target["key"],
                "type": ev["type"], "weight": 0, "reports": 0, "events": []})
            edge["weight"] += 1
            edge["reports"] += ev["reports"]
            if len(edge["events"]) < 20:
                edge["events"].append({"id": ev["id"], "first": ev["first"], "reports": ev["reports"],
                                       "outlets": ev["outlets"], "title": ev["earliest_report"]["title"]})
        kept = [e for _, e in sorted(edges.items()) if e["weight"] >= min_weight]
        total = len(kept)
        if limit and total > limit:
            heaviest = sorted(kept, key=lambda e: (-e["weight"], -e["reports"], e["id"]))[:limit]
            kept = sorted(heaviest, key=lambda e: e["id"])
        degree: Counter = Counter()
        for e in kept:
            degree[e["source"]] += e["weight"]
            degree[e["target"]] += e["weight"]
        english = self.english_names(degree)
        nodes = [{"id": k, "name": names[k] or k, "name_en": english.get(k), "degree": degree[k]} for k in sorted(degree)]
        return {"nodes": nodes, "edges": kept, "total": total}

    def timeline(self, entity: str = "", event_type: str = "", outlet: str = "") -> list[dict[str, Any]]:
        """Dated consolidated events, each once however many outlets reported it."""
        return [
            {"id": ev["id"], "start": ev["first"], "end": ev["last"], "type": ev["type"], "modes": ev["modes"],
             "trigger": ev["triggers"][0] if ev["triggers"] else None,
             "actor": (ev.get("actor") or {}).get("name"), "target": (ev.get("target") or {}).get("name"),
             "location": (ev.get("location") or {}).get("name"), "reports": ev["reports"], "outlets": ev["outlets"],
             "document": ev["earliest_report"]["id"], "title": ev["earliest_report"]["title"]}
            for ev in self.select_events(entity=entity, event_type=event_type, outlet=outlet) if ev["first"]
        ]

    def map_points(self, event_type: str = "") -> list[dict[str, Any]]:
        """Places of consolidated events (their location entity's coordinates in the knowledge base), with counts;
        without any located event, the places the documents mention."""
        events = [ev for ev in self.select_events(event_type=event_type) if ev.get("location")]
        keys = sorted({ev["location"]["key"] for ev in events})
        located = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            located.update((r["key"], r) for r in self.rows(
                f"SELECT key, name, name_en, kb_id FROM entities WHERE key IN ({','.join('?' * len(chunk))})", chunk))
        places = kb_places()
        points: dict[str, dict[str, Any]] = {}
        for ev in events:
            entity = located.get(ev["location"]["key"])
            place = places.get((entity or {}).get("kb_id") or "")
            if not place:
                continue
            p = points.setdefault(entity["key"], {
                "entity": entity["key"], "name": entity["name"], "name_en": entity["name_en"],
                "lat": place["lat"], "lon": place["lon"], "events": 0, "reports": 0, "types": Counter(), "kind": "event"})
            p["events"] += 1
            p["reports"] += ev["reports"]
            p["types"][ev["type"]] += 1
        if not points:
            for r in self.rows(
                "SELECT e.key, e.name, e.name_en, e.kb_id, COUNT(DISTINCT de.doc_id) AS n FROM entities e "
                "JOIN doc_entities de ON de.entity = e.key WHERE e.kb_id IS NOT NULL "
                "GROUP BY e.key, e.name, e.name_en, e.kb_id"
            ):
                place = places.get(r["kb_id"])
                if place:
                    points[r["key"]] = {"entity": r["key"], "name": r["name"], "name_en": r["name_en"],
                                        "lat": place["lat"], "lon": place["lon"], "events": 0,
                                        "documents": r["n"], "types": Counter(), "kind": "mention"}
        out = list(points.values())
        for p in out:
            p["types"] = dict(p["types"].most_common())
        return sorted(out, key=lambda p: -(p["events"] or p.get("documents", 0)))

    # -- claims and sources ---------------------------------------------------------

    def claim(self, doc_id: str, claim_id: str) -> Optional[dict[str, Any]]:
        found = self.rows(
            "SELECT c.doc_id, c.local_id, c.sentence_start, c.sentence_end, c.cue_text, c.quote_kind, "
            "d.title, d.outlet, d.published, d.text FROM claims c JOIN documents d ON d.id = c.doc_id "
            "WHERE c.doc_id = ? AND c.local_id = ?", [doc_id, claim_id])
        if not found:
            return None
        claim = found[0]
        text = claim.pop("text") or ""
        claim["sentence"] = text[claim["sentence_start"] or 0: claim["sentence_end"] or 0]
        claim["sources"] = self.rows(
            "SELECT s.position, s.text, s.kind, s.entity AS entity_key, e.name AS entity_name FROM sources s "
            "LEFT JOIN entities e ON e.key = s.entity "
            "WHERE s.doc_id = ? AND s.claim = ? ORDER BY s.position", [doc_id, claim_id])
        claim["similar"] = self.similar_claims(doc_id, claim)
        return claim

    def similar_claims(self, doc_id: str, claim: dict[str, Any], limit: int = 10) -> list[dict[str, Any]]:
        """Claims of other documents whose sentences share most words with this one (Jaccard >= 0.2)."""
        mine = set(_WORD.findall(fold(claim["sentence"])))
        if not mine:
            return []
        keys = [r["entity"] for r in self.rows(
            "SELECT DISTINCT entity FROM mentions WHERE doc_id = ? AND start_offset >= ? AND end_offset <= ?",
            [doc_id, claim["sentence_start"] or 0, claim["sentence_end"] or 0])]
        if keys:  # candidates: claims of documents naming one of the claim's entities
            candidates = self.rows(
                "SELECT c.doc_id, c.local_id, c.sentence_start, c.sentence_end, d.outlet, d.title, d.published, d.text "
                "FROM claims c JOIN documents d ON d.id = c.doc_id WHERE c.doc_id <> ? AND c.doc_id IN "
                f"(SELECT doc_id FROM doc_entities WHERE entity IN ({','.join('?' * len(keys))})) LIMIT 2000",
                [doc_id, *keys])
        else:
            candidates = self.rows(
                "SELECT c.doc_id, c.local_id, c.sentence_start, c.sentence_end, d.outlet, d.title, d.published, d.text "
                "FROM claims c JOIN documents d ON d.id = c.doc_id WHERE c.doc_id <> ? LIMIT 2000", [doc_id])
        scored = []
        for c in candidates:
            sentence = (c.pop("text") or "")[c["sentence_start"] or 0: c["sentence_end"] or 0]
            words = set(_WORD.findall(fold(sentence)))
            score = len(mine & words) / len(mine | words) if words else 0.0
            if score >= 0.2:
                c.update(sentence=sentence, score=round(score, 2))
                scored.append(c)
        scored.sort(key=lambda c: -c["score"])
        kinds = defaultdict(list)
        for r in self.rows(
            "SELECT doc_id, claim, kind FROM sources WHERE doc_id IN "
            f"({','.join('?' * len(scored[:limit])) or 'NULL'}) ORDER BY position", [c["doc_id"] for c in scored[:limit]]
        ):
            kinds[(r["doc_id"], r["claim"])].append(r["kind"])
        for c in scored[:limit]:
            c["kinds"] = kinds.get((c["doc_id"], c["local_id"]), [])
        return scored[:limit]

    def source_overview(self) -> list[dict[str, Any]]:
        """Per outlet, how many claims rest on each kind of original (last-hop) source."""
        rows = self.rows(
            "SELECT COALESCE(d.outlet, '') AS outlet, s.kind, COUNT(*) AS n FROM sources s "
            "JOIN documents d ON d.id = s.doc_id "
            "WHERE s.position = (SELECT MAX(position) FROM sources x WHERE x.doc_id = s.doc_id AND x.claim = s.claim) "
            "GROUP BY COALESCE(d.outlet, ''), s.kind ORDER BY outlet, n DESC")
        table: dict[str, dict[str, int]] = defaultdict(dict)
        for r in rows:
            table[r["outlet"]][r["kind"]] = r["n"]
        return [{"outlet": o, "kinds": k, "total": sum(k.values())} for o, k in sorted(table.items())]

    def claims_list(self, source_kind: str = "", limit: int = 200) -> list[dict[str, Any]]:
        where, params = "", []
        if source_kind:
            where = "WHERE EXISTS (SELECT 1 FROM sources s WHERE s.doc_id = c.doc_id AND s.claim = c.local_id AND s.kind = ?)"
            params = [source_kind]
        rows = self.rows(
            "SELECT c.doc_id, c.local_id, c.sentence_start, c.sentence_end, d.title, d.outlet, d.published, "
            "substr(d.text, c.sentence_start + 1, c.sentence_end - c.sentence_start) AS sentence "
            f"FROM claims c JOIN documents d ON d.id = c.doc_id {where} "
            f"ORDER BY d.published DESC, c.doc_id, c.local_id LIMIT {int(limit)}", params)
        kinds = defaultdict(list)
        doc_ids = sorted({r["doc_id"] for r in rows})
        for r in self.rows(
            "SELECT doc_id, claim, kind, text FROM sources WHERE doc_id IN "
            f"({','.join('?' * len(doc_ids)) or 'NULL'}) ORDER BY doc_id, claim, position", doc_ids
        ):
            kinds[(r["doc_id"], r["claim"])].append({"kind": r["kind"], "text": r["text"]})
        for r in rows:
            r["sources"] = kinds.get((r["doc_id"], r["local_id"]), [])
        return rows
