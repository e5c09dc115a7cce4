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


def day(value: Optional[str]) -> Optional[str]:
    """A YYYY[-MM[-DD]] value as a full date (first day of its month or year), or None."""
    if not value or not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        return None
    parts = value.split("-") + ["01", "01"]
    return "-".join(parts[:3])


@lru_cache(maxsize=1)
def kb_places() -> dict[str, dict[str, Any]]:
    """Knowledge-base records with coordinates, by id."""
    path = resources.files("marsad.resources").joinpath("kb/kb.json.gz")
    try:
        with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
            records = json.load(fh).get("records", [])
    except (FileNotFoundError, OSError, ValueError):
        return {}
    return {r["id"]: r for r in records if r.get("lat") is not None and r.get("lon") is not None}


class Queries:
    def __init__(self, execute: Callable[[str, list], Any]):
        self.execute = execute  # the store's: runs ``?``-placeholder SQL on either backend, returns a cursor

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
        out["events"] = self.events(entity=key, limit=200)
        place = kb_places().get(out.get("kb_id") or "")
        out["coordinates"] = [place["lat"], place["lon"]] if place else None
        return out

    def events(self, entity: str = "", event_type: str = "", outlet: str = "", limit: int = 1000) -> list[dict[str, Any]]:
        """Events with their actors, targets and locations resolved to corpus entities, and a date."""
        where, params = ["1 = 1"], []
        if entity:
            where.append("(v.actor = ? OR v.target = ? OR v.location = ?)")
            params += [entity] * 3
        if event_type:
            where.append("v.type = ?")
            params.append(event_type)
        if outlet:
            where.append("d.outlet = ?")
            params.append(outlet)
        rows = self.rows(
            "SELECT v.doc_id, v.local_id, v.type, v.mode, v.trigger_text, v.date_value, v.claim, "
            "d.title, d.published, d.outlet, "
            "v.actor, ae.name AS actor_name, ae.name_en AS actor_name_en, "
            "v.target, te.name AS target_name, te.name_en AS target_name_en, "
            "v.location, le.name AS location_name, le.name_en AS location_name_en, le.kb_id AS location_kb "
            "FROM events v JOIN documents d ON d.id = v.doc_id "
            "LEFT JOIN entities ae ON ae.key = v.actor "
            "LEFT JOIN entities te ON te.key = v.target "
            "LEFT JOIN entities le ON le.key = v.location "
            "WHERE " + " AND ".join(where) + f" ORDER BY d.published, v.doc_id, v.local_id LIMIT {int(limit)}",
            params,
        )
        for r in rows:
            r["day"] = day(r["date_value"]) or day(r["published"])
        return rows

    # -- graph, timeline, map -----------------------------------------------------

    def graph(self, event_type: str = "", min_weight: int = 1) -> dict[str, list[dict[str, Any]]]:
        """Actor graph: an edge per (actor, target, event type) weighted by its distinct events."""
        weights: Counter = Counter()
        names: dict[str, dict[str, Any]] = {}
        for ev in self.events(event_type=event_type, limit=20000):
            if not ev["actor"] or not ev["target"] or ev["actor"] == ev["target"]:
                continue
            weights[(ev["actor"], ev["target"], ev["type"])] += 1
            names[ev["actor"]] = {"name": ev["actor_name"], "name_en": ev["actor_name_en"]}
            names[ev["target"]] = {"name": ev["target_name"], "name_en": ev["target_name_en"]}
        edges = [
            {"id": f"{a}|{t}|{k}", "source": a, "target": t, "type": k, "weight": w}
            for (a, t, k), w in sorted(weights.items()) if w >= min_weight
        ]
        used = {e["source"] for e in edges} | {e["target"] for e in edges}
        degree: Counter = Counter()
        for e in edges:
            degree[e["source"]] += e["weight"]
            degree[e["target"]] += e["weight"]
        nodes = [{"id": k, "name": names[k]["name"] or k, "name_en": names[k]["name_en"], "degree": degree[k]}
                 for k in sorted(used)]
        return {"nodes": nodes, "edges": edges}

    def timeline(self, entity: str = "", event_type: str = "", outlet: str = "") -> list[dict[str, Any]]:
        return [
            {"id": f"{ev['doc_id']}/{ev['local_id']}", "start": ev["day"], "type": ev["type"],
             "mode": ev["mode"], "trigger": ev["trigger_text"], "actor": ev["actor_name"],
             "target": ev["target_name"], "document": ev["doc_id"], "title": ev["title"], "outlet": ev["outlet"]}
            for ev in self.events(entity=entity, event_type=event_type, outlet=outlet, limit=5000) if ev["day"]
        ]

    def map_points(self, event_type: str = "") -> list[dict[str, Any]]:
        """Places of events (by their location entity's coordinates in the knowledge base), with counts."""
        places = kb_places()
        points: dict[str, dict[str, Any]] = {}
        for ev in self.events(event_type=event_type, limit=20000):
            place = places.get(ev["location_kb"] or "")
            if not place:
                continue
            p = points.setdefault(ev["location"], {
                "entity": ev["location"], "name": ev["location_name"], "name_en": ev["location_name_en"],
                "lat": place["lat"], "lon": place["lon"], "events": 0, "types": Counter(), "kind": "event"})
            p["events"] += 1
            p["types"][ev["type"]] += 1
        if not points:  # no located events yet: the places the documents mention
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
