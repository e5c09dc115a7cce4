"""Exports of the knowledge base: contract JSONL, CSV tables, an actor graph (GraphML), FollowTheMoney entities."""

from __future__ import annotations

import csv
import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Iterator, Optional
from xml.sax.saxutils import escape, quoteattr

from marsad.store.base import Store, entity_key

_FTM_SCHEMA = {"PER": "Person", "ORG": "Organization", "LOC": "Address"}


@contextmanager
def _output(out: Optional[str]) -> Iterator[IO[str]]:
    if not out or out == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with open(out, "w", encoding="utf-8", newline="") as fh:
        yield fh


def export(store: Store, fmt: str, out: Optional[str] = None) -> None:
    if fmt == "csv":
        if not out or out == "-":
            raise ValueError("csv export writes a folder of tables: give it with --out FOLDER")
        export_csv(store, Path(out))
        return
    with _output(out) as fh:
        {"jsonl": export_jsonl, "graphml": export_graphml, "ftm": export_ftm}[fmt](store, fh)


def export_jsonl(store: Store, fh: IO[str]) -> None:
    for doc in store.iter_documents():
        fh.write(json.dumps(doc, ensure_ascii=False) + "\n")


_CSV_TABLES = {
    "documents": "SELECT id, path, title, published, outlet, genre, language, pipeline_version, ingested_at,"
    " duplicate_of FROM documents ORDER BY seq",
    "mentions": "SELECT doc_id, entity, start_offset, end_offset, text FROM mentions ORDER BY doc_id, start_offset",
    "events": "SELECT doc_id, local_id, type, mode, actor, target, location, trigger_text, date_value, claim"
    " FROM events ORDER BY doc_id, local_id",
    "claims": "SELECT doc_id, local_id, sentence_start, sentence_end, cue_text, quote_kind FROM claims ORDER BY doc_id, local_id",
    "sources": "SELECT doc_id, claim, position, text, kind, entity FROM sources ORDER BY doc_id, claim, position",
}


def export_csv(store: Store, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "entities.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["key", "name", "name_en", "type", "kb_id", "documents", "mentions", "first_seen", "last_seen", "aliases"])
        for e in store.entities():
            aliases = "|".join(f"{a['text']}:{a['count']}" for a in e["aliases"])
            w.writerow([e["key"], e["name"], e["name_en"], e["type"], e["kb_id"], e["documents"], e["mentions"],
                        e["first_seen"], e["last_seen"], aliases])
    for name, sql in _CSV_TABLES.items():
        cur = store.execute(sql)
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([d[0] for d in cur.description])
            w.writerows(cur.fetchall())


def export_graphml(store: Store, fh: IO[str]) -> None:
    """Entities that act or are acted on as nodes; one edge per (actor, target, PLOVER type), weighted by event count."""
    edges = store.execute(
        "SELECT actor, target, type, COUNT(*), COUNT(DISTINCT doc_id) FROM events"
        " WHERE actor IS NOT NULL AND target IS NOT NULL GROUP BY actor, target, type ORDER BY actor, target, type"
    ).fetchall()
    used = {k for a, t, *_ in edges for k in (a, t)}
    fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
    for key, target, name, kind in (("name", "node", "name", "string"), ("name_en", "node", "name_en", "string"),
                                    ("type", "node", "type", "string"), ("documents", "node", "documents", "int"),
                                    ("event_type", "edge", "event_type", "string"), ("weight", "edge", "weight", "int"),
                                    ("edge_documents", "edge", "documents", "int")):
        fh.write(f'  <key id="{key}" for="{target}" attr.name="{name}" attr.type="{kind}"/>\n')
    fh.write('  <graph id="actors" edgedefault="directed">\n')
    for e in store.entities():
        if e["key"] not in used:
            continue
        fh.write(f"    <node id={quoteattr(e['key'])}>")
        for k in ("name", "name_en", "type", "documents"):
            if e[k] is not None:
                fh.write(f'<data key="{k}">{escape(str(e[k]))}</data>')
        fh.write("</node>\n")
    for i, (actor, target, etype, n, docs) in enumerate(edges):
        fh.write(f'    <edge id="v{i}" source={quoteattr(actor)} target={quoteattr(target)}>'
                 f'<data key="event_type">{escape(etype)}</data><data key="weight">{n}</data>'
                 f'<data key="edge_documents">{docs}</data></edge>\n')
    fh.write("  </graph>\n</graphml>\n")


def export_ftm(store: Store, fh: IO[str]) -> None:
    """FollowTheMoney entities, one JSON object a line, loadable by Aleph (``ftm`` / ``alephclient write-entities``)."""
    from followthemoney import model
    from followthemoney.types import registry

    def emit(proxy: Any) -> None:
        fh.write(json.dumps(proxy.to_dict(), ensure_ascii=False) + "\n")

    ids: dict[str, str] = {}
    for e in store.entities():
        schema = _FTM_SCHEMA.get(e["type"])
        if schema is None:
            continue
        proxy = model.make_entity(schema)
        proxy.make_id("marsad", e["key"])
        proxy.add("full" if schema == "Address" else "name", e["name"])
        if schema != "Address":
            proxy.add("alias", [a["text"] for a in e["aliases"] if a["text"] != e["name"]])
            proxy.add("name", e["name_en"])
        elif e["name_en"]:
            proxy.add("country", registry.country.clean(e["name_en"]))
        proxy.add("wikidataId", e["kb_id"] if (e["kb_id"] or "").startswith("Q") else None)
        ids[e["key"]] = proxy.id
        emit(proxy)
    for doc in store.iter_documents():
        if "error" in doc and not doc.get("text"):
            continue
        article = model.make_entity("Article")
        article.make_id("marsad-doc", doc["id"])
        article.add("title", doc.get("title"))
        article.add("bodyText", doc.get("text"))
        article.add("publishedAt", doc.get("published"))
        article.add("publisher", doc.get("outlet"))
        article.add("sourceUrl", doc.get("url"))
        article.add("fileName", doc.get("path"))
        article.add("language", "ara" if doc.get("language") in (None, "ar") else doc.get("language"))
        for ent in doc.get("entities") or []:
            article.add({"PER": "peopleMentioned", "ORG": "companiesMentioned", "LOC": "locationMentioned"}.get(
                ent["type"], "namesMentioned"), ent["name"])
        emit(article)
        for ent in doc.get("entities") or []:
            ftm_id = ids.get(entity_key(ent))
            if ftm_id is None:
                continue
            link = model.make_entity("Documentation")
            link.make_id("marsad-mention", doc["id"], ftm_id)
            link.add("document", article.id)
            link.add("entity", ftm_id)
            link.add("role", "mentioned")
            link.add("summary", sorted({m["text"] for m in ent.get("mentions") or []}))
            emit(link)
