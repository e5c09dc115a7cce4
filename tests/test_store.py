"""Knowledge base: ingest and rerun, schema, corpus-level entities, stats, reindex, exports, and the CLI."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from marsad.cli import main
from marsad.io import RawDocument
from marsad.pipeline import PIPELINE_VERSION, load_config
from marsad.store import default_db, open_store
from marsad.store.base import raw_to_json
from marsad.store.ingest import ingest, reindex
from marsad.store.schema import SCHEMA_VERSION
from test_search import backend_store


def basic_pipeline() -> dict:
    """The built-in pipeline up to sentence splitting: fast, and stable while the analysis grows."""
    config = load_config()
    config["components"] = [c for c in config["components"] if c["name"] in ("extract", "clean", "language", "sentences")]
    return config

ARTICLES = [
    {"id": "a1", "title": "بومبيو يهدد إيران", "published": "2020-01-03", "outlet": "الحرة",
     "text": "هدد وزير الخارجية الأمريكي مايك بومبيو إيران بالرد على أي هجوم يستهدف القوات الأمريكية في العراق."},
    {"id": "a2", "title": "ظريف يرد على بومبيو", "published": "2020-01-04", "outlet": "العالم",
     "text": "رد وزير الخارجية الإيراني محمد جواد ظريف على تصريحات بومبيو، وقال إن طهران لا تسعى إلى الحرب."},
    {"title": "أمطار غزيرة في عمّان", "published": "2020-01-06", "outlet": "بترا",
     "text": "شهدت العاصمة الأردنية عمّان أمطاراً غزيرة أدت إلى إغلاق عدد من الطرق الرئيسية."},
]


def run(*args, check=True):
    proc = subprocess.run([sys.executable, "-m", "marsad.cli", *args], capture_output=True, text=True, timeout=300)
    assert not check or proc.returncode == 0, proc.stderr
    return proc


def cli(capsys, *args) -> tuple[int, str]:
    """Run a command in this process: (exit status, standard output)."""
    capsys.readouterr()
    status = main(list(args))
    return status, capsys.readouterr().out


@pytest.fixture()
def articles(tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES) + "\n", encoding="utf-8")
    return path


def contract(doc_id, published, entities, events=(), claims=()):
    text = "نص الخبر عن " + " و".join(e["name"] for e in entities)
    return {"id": doc_id, "path": f"{doc_id}.txt", "title": None, "published": published, "outlet": "الحرة",
            "genre": "news", "text": text, "removed": [], "entities": entities, "events": list(events),
            "claims": list(claims), "dates": [], "chains": []}


def ent(local, name, etype="PER", kb=None, en=None, mentions=("x",)):
    return {"id": local, "type": etype, "name": name, "name_en": en, "kb_id": kb,
            "mentions": [{"start": 0, "end": len(m), "text": m} for m in mentions]}


def add(store, *contracts):
    return store.add_documents([(c, raw_to_json(RawDocument(path=c["path"], text=c["text"]), None)) for c in contracts],
                               PIPELINE_VERSION)


def test_cli_ingest_rerun_stats_search(tmp_path, articles, capsys):
    db = str(tmp_path / "kb.db")
    pipeline = tmp_path / "pipeline.json"
    pipeline.write_text(json.dumps(basic_pipeline()), encoding="utf-8")
    first = run("ingest", str(articles), "--db", db, "--pipeline", str(pipeline))
    assert "stored 3 document(s)" in first.stderr
    again = run("ingest", str(articles), str(articles), "--db", db)
    assert "stored 0 document(s), skipped 6 already stored" in again.stderr
    stats = json.loads(cli(capsys, "stats", "--db", db, "--format", "json")[1])
    assert stats["documents"] == 3 and {"entities", "events", "claims"} <= set(stats)
    hits = json.loads(cli(capsys, "search", "بطهران", "--db", db, "--format", "json")[1])
    assert [h["id"] for h in hits] == ["a2"] and "<mark>طهران</mark>" in hits[0]["snippet"]
    assert json.loads(cli(capsys, "search", "الأمطار", "--db", db, "--outlet", "الحرة")[1]) == []
    store = open_store(db)
    try:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.integrity_check() == "ok"
        assert store.document("a1")["title"] == "بومبيو يهدد إيران"
    finally:
        store.close()


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path):
    with backend_store(request.param, tmp_path) as s:
        yield s


def test_duplicate_text_under_another_id_is_kept_but_not_searched(store):
    same = "أعلنت وزارة الصحة العراقية تسجيل إصابات جديدة بفيروس كورونا في بغداد والبصرة."
    docs = [RawDocument(path="a", id="x1", text=same), RawDocument(path="b", id="x2", text=same)]
    report = ingest(store, docs, config=basic_pipeline())
    assert report.added == 2
    assert store.stats()["duplicates"] == 1
    assert [h["id"] for h in store.search("كورونا")] == ["x1"]


def test_entities_merge_by_kb_id_then_by_folded_name(store):
    add(store,
        contract("d1", "2020-01-03", [ent("e1", "قاسم سليماني", kb="Q1", mentions=("سليماني", "قاسم سليماني")),
                                      ent("e2", "العراق", "LOC", mentions=("العراق",))],
                 events=[{"id": "v1", "type": "ASSAULT", "mode": None, "actor": "e1", "target": "e2", "location": None,
                          "trigger": {"start": 0, "end": 2, "text": "نص"}, "sentence": {"start": 0, "end": 5},
                          "date": {"text": None, "value": None}, "claim": "c1"}],
                 claims=[{"id": "c1", "sentence": {"start": 0, "end": 5},
                          "sources": [{"text": "مصادر مطلعة", "entity": None, "kind": "anonymous"}],
                          "cue": {"start": 0, "end": 2, "text": "قال"}, "quote": {"kind": "indirect", "start": 0, "end": 5}}]),
        contract("d2", "2020-01-08", [ent("e1", "سليمانى", kb="Q1", en="Qasem Soleimani", mentions=("سليماني",)),
                                      ent("e2", "العِراق", "LOC", mentions=("بالعراق"[1:],))]),
        contract("d3", "2019-12-30", [ent("e1", "العراق", "ORG", mentions=("العراق",))]))
    table = {(e["name"], e["type"]): e for e in store.entities()}
    soleimani = table[("قاسم سليماني", "PER")]
    assert soleimani["name_en"] == "Qasem Soleimani" and soleimani["documents"] == 2
    assert soleimani["aliases"][0] == {"text": "سليماني", "count": 2}
    assert (soleimani["first_seen"], soleimani["last_seen"]) == ("2020-01-03", "2020-01-08")
    assert table[("العراق", "LOC")]["documents"] == 2  # diacritics folded: one entity
    assert table[("العراق", "ORG")]["documents"] == 1  # another type: another entity
    stats = store.stats()
    assert (stats["documents"], stats["entities"], stats["events"], stats["claims"], stats["sources"]) == (3, 3, 1, 1, 1)
    assert sorted(h["id"] for h in store.search("نص", entity="Qasem Soleimani")) == ["d1", "d2"]
    assert [h["id"] for h in store.search("", entity="سليماني", event_type="ASSAULT")] == ["d1"]
    assert [h["id"] for h in store.search("", source_kind="anonymous")] == ["d1"]


def test_exports(tmp_path, capsys):
    db = str(tmp_path / "kb.db")
    store = open_store(db)
    add(store, contract("d1", "2020-01-03", [ent("e1", "مايك بومبيو", en="Mike Pompeo"), ent("e2", "إيران", "LOC", en="Iran"),
                                             ent("e3", "الحرس الثوري", "ORG")],
                        events=[{"id": "v1", "type": "COERCE", "mode": "threaten", "actor": "e1", "target": "e2",
                                 "location": None, "trigger": {"start": 0, "end": 2, "text": "هدد"},
                                 "sentence": {"start": 0, "end": 5}, "date": {"text": None, "value": None}, "claim": None}]))
    store.close()
    lines = cli(capsys, "export", "--db", db, "--format", "jsonl")[1].splitlines()
    assert [json.loads(x)["id"] for x in lines] == ["d1"]
    assert cli(capsys, "export", "--db", db, "--format", "csv", "--out", str(tmp_path / "csv"))[0] == 0
    with open(tmp_path / "csv" / "entities.csv", encoding="utf-8") as fh:
        assert {r["name"] for r in csv.DictReader(fh)} == {"مايك بومبيو", "إيران", "الحرس الثوري"}
    with open(tmp_path / "csv" / "events.csv", encoding="utf-8") as fh:
        assert [r["type"] for r in csv.DictReader(fh)] == ["COERCE"]
    assert cli(capsys, "export", "--db", db, "--format", "csv")[0] == 2
    graph = ET.fromstring(cli(capsys, "export", "--db", db, "--format", "graphml")[1])
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(graph.findall(".//g:node", ns)) == 2
    edge = graph.find(".//g:edge", ns)
    assert edge.get("source") == "name:PER:مايك بومبيو" and edge.find("g:data[@key='event_type']", ns).text == "COERCE"
    ftm = [json.loads(x) for x in cli(capsys, "export", "--db", db, "--format", "ftm")[1].splitlines()]
    schemas = sorted(e["schema"] for e in ftm)
    assert schemas == ["Address", "Article", "Documentation", "Documentation", "Documentation", "Organization", "Person"]
    from followthemoney import model

    for e in ftm:
        model.get_proxy(e)  # valid FollowTheMoney entities
    person = next(e for e in ftm if e["schema"] == "Person")
    assert set(person["properties"]["name"]) == {"مايك بومبيو", "Mike Pompeo"}
    assert next(e for e in ftm if e["schema"] == "Address")["properties"]["country"] == ["ir"]


def test_reindex_reanalyses_documents_of_another_version(store):
    raw = RawDocument(path="a.txt", text=ARTICLES[1]["text"], title=ARTICLES[1]["title"])
    ingest(store, [raw], published="2020-01-04", config=basic_pipeline())
    store.execute("UPDATE documents SET pipeline_version = 'old', text = 'نص قديم'")
    assert reindex(store, config=basic_pipeline()) == 1
    assert reindex(store, config=basic_pipeline()) == 0
    doc = store.document(store.stale_ids("none")[0])
    assert doc["published"] == "2020-01-04" and doc["text"].startswith("ظريف يرد على بومبيو")
    assert store.stats()["documents"] == 1


def test_default_db_in_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("MARSAD_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_db() == str(tmp_path / "marsad" / "marsad.db")
