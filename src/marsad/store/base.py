"""The knowledge base behind one interface; backends supply connection, transactions and full-text search.

SQL here is written with ``?`` placeholders and runs unchanged on SQLite and
PostgreSQL (the PostgreSQL backend rewrites the placeholders).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict
from typing import Any, ContextManager, Iterator, Optional

from rapidfuzz import fuzz, process

from marsad.io import RawDocument
from marsad.store.schema import SCHEMA_VERSION, statements
from marsad.store.terms import query_words, snippet, text_terms
from marsad.nlp.entities import function_words
from marsad.text.normalize import fold

_CHILD_TABLES = ("doc_entities", "mentions", "events", "claims", "sources", "quotes", "dates")


def entity_key(entity: dict[str, Any]) -> str:
    """Corpus-level identity: the knowledge-base id, else the type and folded canonical name."""
    if entity.get("kb_id"):
        return f"kb:{entity['kb_id']}"
    return f"name:{entity.get('type')}:{fold(entity.get('name') or '')}"


def _merge_surnames(rows: list[dict[str, Any]], docs_of: dict[str, set[str]]) -> list[dict[str, Any]]:
    """Fold a person known only by a surname in some documents (قاآني) into the one person of
    the corpus whose full name ends with it (إسماعيل قاآني); two such persons: no merge."""
    from marsad.nlp.kb import load

    kb = load()
    full: dict[str, list[dict[str, Any]]] = {}
    for e in rows:
        words = fold(e["name"]).split()
        if e["type"] == "PER" and len(words) > 1:
            full.setdefault(words[-1], []).append(e)
    # What else each document names, places aside (a country is in every report).
    named_in: dict[str, set[str]] = {}
    for e in rows:
        if e["type"] != "LOC":
            for k in e["keys"]:
                for d in docs_of.get(k, ()):
                    named_in.setdefault(d, set()).add(k)

    def company(e: dict[str, Any]) -> set[str]:
        return set().union(*(named_in.get(d, set()) for k in e["keys"] for d in docs_of.get(k, ()))) - set(e["keys"])

    merged = []
    for e in rows:
        words = fold(e["name"]).split()
        target = full.get(words[0], []) if e["type"] == "PER" and len(words) == 1 and len(words[0]) >= 4 else []
        # A person the knowledge base knows keeps its identity; a "full name" that opens with a
        # function word is a tagging slip (بأن ماكرون), not a person; a surname that is also a
        # given name (الحسين) may be anyone; and the two must keep some company in their
        # reports (فيلق القدس beside both قاآني and إسماعيل قاآني), else Eli Cohen meets Michael Cohen.
        if (len(target) != 1 or e["kb_id"] or fold(target[0]["name"]).split()[0] in function_words()
                or kb.is_given_name(words[0]) or not company(e) & company(target[0])):
            merged.append(e)
            continue
        t = target[0]
        t["keys"] += e["keys"]
        for text, n in e["aliases"].items():
            t["aliases"][text] = t["aliases"].get(text, 0) + n
        t["documents"] = len(set().union(*(docs_of.get(k, set()) for k in t["keys"])))
        seen = [d for d in (t["first_seen"], e["first_seen"]) if d]
        t["first_seen"] = min(seen) if seen else None
        seen = [d for d in (t["last_seen"], e["last_seen"]) if d]
        t["last_seen"] = max(seen) if seen else None
    return merged


def raw_to_json(raw: RawDocument, published_default: Optional[str]) -> str:
    fields = asdict(raw)
    fields["published"] = raw.published or published_default
    return json.dumps(fields, ensure_ascii=False, default=str)


def raw_from_json(data: str) -> RawDocument:
    fields = json.loads(data)
    if fields.get("error") is not None:
        fields["error"] = tuple(fields["error"])
    return RawDocument(**fields)


class Store:
    dialect = ""

    def __init__(self, conn: Any):
        self.conn = conn
        self.migrate()

    # --- backend hooks ------------------------------------------------------------------------

    def execute(self, sql: str, params: tuple | list = ()) -> Any:
        raise NotImplementedError

    def executemany(self, sql: str, rows: list[tuple]) -> None:
        raise NotImplementedError

    def transaction(self) -> ContextManager[None]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        raise NotImplementedError

    def _index_terms(self, doc_id: str, title: list[str], body: list[str]) -> None:
        raise NotImplementedError

    def _delete_terms(self, doc_id: str) -> None:
        raise NotImplementedError

    def _match(self, words: list[tuple[str, ...]], any_word: bool, where: str, params: list, limit: int) -> list[tuple[str, float]]:
        """(document id, score) of matching documents, best first."""
        raise NotImplementedError

    def _vocabulary_near(self, first: str, shortest: int, longest: int) -> list[tuple[str, int]]:
        raise NotImplementedError

    def close(self) -> None:
        self.conn.close()

    # --- schema -------------------------------------------------------------------------------

    def schema_version(self) -> int:
        row = self.execute("SELECT version FROM schema_version").fetchone()
        return int(row[0]) if row else 0

    def migrate(self) -> None:
        with self.transaction():
            self.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            if self.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == 0:
                self.execute("INSERT INTO schema_version (version) VALUES (0)")
        while (version := self.schema_version()) < SCHEMA_VERSION:
            with self.transaction():
                if self.schema_version() != version:  # another process migrated meanwhile
                    continue
                for sql in statements(version, self.dialect):
                    self.execute(sql)
                self.execute("UPDATE schema_version SET version = ?", (version + 1,))

    # --- writing ------------------------------------------------------------------------------

    def known_ids(self) -> set[str]:
        return {row[0] for row in self.execute("SELECT id FROM documents")}

    def add_documents(self, items: list[tuple[dict[str, Any], str]], pipeline_version: str) -> int:
        """Store (contract, raw JSON) pairs in one transaction; documents already stored are skipped."""
        added = 0
        with self.transaction():
            seq = self.execute("SELECT COALESCE(MAX(seq), 0) FROM documents").fetchone()[0]
            for contract, raw in items:
                seq += 1
                added += self._insert(contract, raw, pipeline_version, seq)
        return added

    def _insert(self, c: dict[str, Any], raw: str, pipeline_version: str, seq: int) -> int:
        doc_id = c["id"]
        text = c.get("text")
        sha1 = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest() if text else None
        duplicate_of = None
        if sha1:
            row = self.execute(
                "SELECT id FROM documents WHERE text_sha1 = ? AND duplicate_of IS NULL AND id <> ? LIMIT 1", (sha1, doc_id)
            ).fetchone()
            duplicate_of = row[0] if row else None
        error = c.get("error")
        cur = self.execute(
            "INSERT INTO documents (id, seq, path, title, published, outlet, genre, language, text, removed, contract,"
            " raw, text_sha1, duplicate_of, error, pipeline_version, ingested_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (
                doc_id, seq, c.get("path") or "", c.get("title"), c.get("published"), c.get("outlet"), c.get("genre"),
                c.get("language"), text, json.dumps(c.get("removed") or [], ensure_ascii=False),
                json.dumps(c, ensure_ascii=False), raw, sha1, duplicate_of,
                json.dumps(error, ensure_ascii=False) if error else None, pipeline_version,
                dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            ),
        )
        if cur.rowcount != 1:
            return 0
        keys = self._insert_entities(doc_id, c.get("entities") or [])
        self._insert_analysis(doc_id, c, keys)
        title_terms, body_terms = text_terms(c.get("title") or ""), text_terms(text or "")
        self._index_terms(doc_id, title_terms, body_terms)
        self.executemany(
            "INSERT INTO vocabulary (term, df) VALUES (?, 1) ON CONFLICT (term) DO UPDATE SET df = vocabulary.df + 1",
            [(t,) for t in set(title_terms) | set(body_terms)],
        )
        return 1

    def _insert_entities(self, doc_id: str, entities: list[dict[str, Any]]) -> dict[str, str]:
        keys: dict[str, str] = {}
        for e in entities:
            key = keys[e["id"]] = entity_key(e)
            self.execute(
                "INSERT INTO entities (key, name, norm, type, name_en, kb_id) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET name_en = COALESCE(entities.name_en, excluded.name_en),"
                # A KB entity first met by its surname (نتنياهو) is named by its fullest form.
                " name = CASE WHEN LENGTH(excluded.norm) > LENGTH(entities.norm) THEN excluded.name ELSE entities.name END,"
                " norm = CASE WHEN LENGTH(excluded.norm) > LENGTH(entities.norm) THEN excluded.norm ELSE entities.norm END",
                (key, e.get("name") or "", fold(e.get("name") or ""), e.get("type") or "MISC", e.get("name_en"), e.get("kb_id")),
            )
        self.executemany(
            "INSERT INTO doc_entities (doc_id, local_id, entity) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [(doc_id, local, key) for local, key in keys.items()],
        )
        self.executemany(
            "INSERT INTO mentions (doc_id, entity, local_id, start_offset, end_offset, text, norm) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (doc_id, keys[e["id"]], e["id"], m["start"], m["end"], m["text"], fold(m["text"]))
                for e in entities
                for m in e.get("mentions") or []
            ],
        )
        return keys

    def _insert_analysis(self, doc_id: str, c: dict[str, Any], keys: dict[str, str]) -> None:
        def key(local: Optional[str]) -> Optional[str]:
            return keys.get(local) if local else None

        events = []
        for v in c.get("events") or []:
            trig, sent, date = v.get("trigger") or {}, v.get("sentence") or {}, v.get("date") or {}
            events.append((
                doc_id, v["id"], v["type"], v.get("mode"), key(v.get("actor")), key(v.get("target")), key(v.get("location")),
                trig.get("start"), trig.get("end"), trig.get("text"), sent.get("start"), sent.get("end"),
                date.get("text"), date.get("value"), v.get("claim"),
            ))
        self.executemany(
            "INSERT INTO events (doc_id, local_id, type, mode, actor, target, location, trigger_start, trigger_end,"
            " trigger_text, sentence_start, sentence_end, date_text, date_value, claim)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            events,
        )
        claims, sources, quotes = [], [], []
        for cl in c.get("claims") or []:
            sent, cue, quote = cl.get("sentence") or {}, cl.get("cue") or {}, cl.get("quote") or {}
            claims.append((doc_id, cl["id"], sent.get("start"), sent.get("end"), cue.get("text"), quote.get("kind")))
            for i, s in enumerate(cl.get("sources") or []):
                sources.append((doc_id, cl["id"], i, s.get("text"), s.get("kind") or "anonymous", key(s.get("entity"))))
            if quote:
                quotes.append((doc_id, cl["id"], quote["kind"], quote["start"], quote["end"], key(quote.get("speaker"))))
        for q in c.get("quotes") or []:
            quotes.append((doc_id, None, q["kind"], q["start"], q["end"], key(q.get("speaker"))))
        self.executemany(
            "INSERT INTO claims (doc_id, local_id, sentence_start, sentence_end, cue_text, quote_kind)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            claims,
        )
        self.executemany(
            "INSERT INTO sources (doc_id, claim, position, text, kind, entity) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            sources,
        )
        self.executemany(
            "INSERT INTO quotes (doc_id, claim, kind, start_offset, end_offset, speaker) VALUES (?, ?, ?, ?, ?, ?)", quotes
        )
        self.executemany(
            "INSERT INTO dates (doc_id, start_offset, end_offset, text, value, relative) VALUES (?, ?, ?, ?, ?, ?)",
            [(doc_id, d["start"], d["end"], d.get("text"), d.get("value"), int(bool(d.get("relative")))) for d in c.get("dates") or []],
        )

    # --- re-analysis --------------------------------------------------------------------------

    def stale_ids(self, pipeline_version: str) -> list[str]:
        rows = self.execute("SELECT id FROM documents WHERE pipeline_version <> ? ORDER BY seq", (pipeline_version,))
        return [r[0] for r in rows]

    def raw(self, doc_id: str) -> RawDocument:
        return raw_from_json(self.execute("SELECT raw FROM documents WHERE id = ?", (doc_id,)).fetchone()[0])

    def replace_documents(self, items: list[tuple[dict[str, Any], str]], pipeline_version: str) -> None:
        """Re-store documents already stored (same ids, same ingest order) with a new analysis."""
        with self.transaction():
            for contract, raw in items:
                doc_id = contract["id"]
                row = self.execute("SELECT seq, title, text FROM documents WHERE id = ?", (doc_id,)).fetchone()
                if row is None:
                    continue
                seq, title, text = row
                self.executemany(
                    "UPDATE vocabulary SET df = df - 1 WHERE term = ?",
                    [(t,) for t in set(text_terms(title or "")) | set(text_terms(text or ""))],
                )
                for table in _CHILD_TABLES:
                    self.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
                self._delete_terms(doc_id)
                self.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
                self._insert(contract, raw, pipeline_version, seq)
            self.execute("DELETE FROM vocabulary WHERE df <= 0")
            self.execute("DELETE FROM entities WHERE key NOT IN (SELECT entity FROM doc_entities)")

    # --- reading ------------------------------------------------------------------------------

    def document(self, doc_id: str) -> Optional[dict[str, Any]]:
        row = self.execute("SELECT contract FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def iter_documents(self) -> Iterator[dict[str, Any]]:
        last = 0
        while True:
            rows = self.execute("SELECT seq, contract FROM documents WHERE seq > ? ORDER BY seq LIMIT 500", (last,)).fetchall()
            if not rows:
                return
            for seq, contract in rows:
                yield json.loads(contract)
            last = rows[-1][0]

    def stats(self) -> dict[str, Any]:
        def count(sql: str) -> int:
            return int(self.execute(sql).fetchone()[0])

        return {
            "documents": count("SELECT COUNT(*) FROM documents"),
            "entities": count("SELECT COUNT(*) FROM entities"),
            "events": count("SELECT COUNT(*) FROM events"),
            "claims": count("SELECT COUNT(*) FROM claims"),
            "mentions": count("SELECT COUNT(*) FROM mentions"),
            "sources": count("SELECT COUNT(*) FROM sources"),
            "quotes": count("SELECT COUNT(*) FROM quotes"),
            "dates": count("SELECT COUNT(*) FROM dates"),
            "errors": count("SELECT COUNT(*) FROM documents WHERE error IS NOT NULL"),
            "duplicates": count("SELECT COUNT(*) FROM documents WHERE duplicate_of IS NOT NULL"),
            "outlets": {
                o or "": n
                for o, n in self.execute("SELECT outlet, COUNT(*) FROM documents GROUP BY outlet ORDER BY COUNT(*) DESC")
            },
            "pipeline_versions": {
                v: n for v, n in self.execute("SELECT pipeline_version, COUNT(*) FROM documents GROUP BY pipeline_version")
            },
            "schema_version": self.schema_version(),
        }

    def entities(self) -> list[dict[str, Any]]:
        """Corpus-level entity table, most widely reported first."""
        aliases: dict[str, dict[str, int]] = {}
        for key, text, n in self.execute("SELECT entity, text, COUNT(*) FROM mentions GROUP BY entity, text"):
            aliases.setdefault(key, {})[text] = int(n)
        rows = self.execute(
            "SELECT e.key, e.name, e.name_en, e.type, e.kb_id, COUNT(DISTINCT de.doc_id), MIN(d.published), MAX(d.published)"
            " FROM entities e JOIN doc_entities de ON de.entity = e.key JOIN documents d ON d.id = de.doc_id"
            " GROUP BY e.key, e.name, e.name_en, e.type, e.kb_id ORDER BY COUNT(DISTINCT de.doc_id) DESC, e.name"
        )
        docs_of: dict[str, set[str]] = {}
        for key, doc_id in self.execute("SELECT entity, doc_id FROM doc_entities"):
            docs_of.setdefault(key, set()).add(doc_id)
        out = []
        for key, name, name_en, etype, kb_id, docs, first, last in rows:
            out.append({
                "key": key, "keys": [key], "name": name, "name_en": name_en, "type": etype, "kb_id": kb_id,
                "aliases": dict(aliases.get(key, {})), "documents": int(docs), "first_seen": first, "last_seen": last,
            })
        out = _merge_surnames(out, docs_of)
        for e in out:
            named = e["aliases"]
            e["aliases"] = [{"text": t, "count": n} for t, n in sorted(named.items(), key=lambda a: (-a[1], a[0]))]
            e["mentions"] = sum(named.values())
        out.sort(key=lambda e: (-e["documents"], e["name"]))
        return out

    # --- search -------------------------------------------------------------------------------

    def _expand(self, terms: tuple[str, ...]) -> tuple[str, ...]:
        """A query word unknown to the index also matches close indexed terms (fuzzy names)."""
        placeholders = ", ".join("?" for _ in terms)
        if self.execute(f"SELECT 1 FROM vocabulary WHERE term IN ({placeholders}) LIMIT 1", terms).fetchone():
            return terms
        base = terms[-1]
        if len(base) < 4:
            return terms
        near = dict(self._vocabulary_near(base[0], len(base) - 2, len(base) + 2))
        found = process.extract(base, list(near), scorer=fuzz.ratio, score_cutoff=80, limit=3)
        return terms + tuple(t for t, _, _ in found)

    def search(
        self,
        query: str,
        limit: int = 20,
        outlet: Optional[str] = None,
        date_from: Optional[str] = None,
        date_to: Optional[str] = None,
        entity: Optional[str] = None,
        event_type: Optional[str] = None,
        source_kind: Optional[str] = None,
    ) -> list[dict[str, Any]]:
        """Hits best first: id, path, title, published, outlet, score, snippet (HTML, <mark>ed), highlights."""
        where, params = ["d.duplicate_of IS NULL"], []
        if outlet:
            where.append("LOWER(d.outlet) = LOWER(?)")
            params.append(outlet)
        if date_from:
            where.append("d.published >= ?")
            params.append(date_from)
        if date_to:
            where.append("d.published <= ?")
            params.append(date_to)
        if entity:
            where.append(
                "d.id IN (SELECT de.doc_id FROM doc_entities de JOIN entities e ON e.key = de.entity"
                " WHERE e.norm = ? OR LOWER(e.name_en) = LOWER(?)"
                " UNION SELECT m.doc_id FROM mentions m WHERE m.norm = ?)"
            )
            params += [fold(entity), entity, fold(entity)]
        if event_type:
            where.append("d.id IN (SELECT doc_id FROM events WHERE type = ?)")
            params.append(event_type)
        if source_kind:
            where.append("d.id IN (SELECT doc_id FROM sources WHERE kind = ?)")
            params.append(source_kind)
        words = [self._expand(w) for w in query_words(query)]
        if words:
            ranked = self._match(words, False, " AND ".join(where), params, limit)
            if not ranked and len(words) > 1:
                ranked = self._match(words, True, " AND ".join(where), params, limit)
        else:
            sql = f"SELECT d.id, 0 FROM documents d WHERE {' AND '.join(where)} ORDER BY d.published DESC, d.seq LIMIT ?"
            ranked = [(r[0], 0.0) for r in self.execute(sql, params + [limit])] if len(where) > 1 else []
        terms = {t for w in words for t in w}
        rows = {}
        if ranked:  # one query for all hits, not one per hit
            marks = ", ".join("?" for _ in ranked)
            sql = f"SELECT id, path, title, published, outlet, text FROM documents WHERE id IN ({marks})"
            rows = {r[0]: r[1:] for r in self.execute(sql, [doc_id for doc_id, _ in ranked])}
        hits = []
        for doc_id, score in ranked:
            path, title, published, doc_outlet, text = rows[doc_id]
            snip = snippet(text or "", terms)
            hits.append({
                "id": doc_id, "path": path, "title": title, "published": published, "outlet": doc_outlet,
                "score": round(float(score), 4), "snippet": snip.html, "highlights": [list(h) for h in snip.highlights],
            })
        return hits
