"""Stories, not reports: one strike told by three outlets (different wording and sources), a verbatim copy,
a denial by a fourth outlet and an unrelated item, ingested and consolidated on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.corpus.consolidate import denial_cue
from marsad.io import read_paths
from marsad.store import corpus
from marsad.store.ingest import ingest
from test_search import backend_store
from test_store import cli

CORPUS = Path(__file__).parent / "data" / "story_denial.jsonl"
THREE = ["k1", "k2", "k3"]  # the strike, as three outlets told it; k4 denies it, k5 copies k1, k6 is a festival


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def store(request, tmp_path_factory):
    with backend_store(request.param, tmp_path_factory.mktemp("corpus")) as s:
        ingest(s, read_paths([str(CORPUS)]))
        yield s


def strike_story(store):
    return next(s for s in corpus.stories(store) if "k1" in [r["id"] for r in s["reports"]])


def test_copy_is_linked_to_the_earliest_version_and_is_not_a_report(store):
    assert corpus.copies(store) == [{"id": "k5", "original": "k1", "similarity": pytest.approx(0.88, abs=0.1)}]
    story = strike_story(store)
    assert [c["id"] for c in story["copies"]] == ["k5"]
    assert "k5" not in [r["id"] for r in story["reports"]]
    assert corpus.story_of(store, "k5") == story["id"]


def test_one_story_for_the_strike_and_its_denial_another_for_the_festival(store):
    members = sorted(sorted(r["id"] for r in s["reports"]) for s in corpus.stories(store))
    assert members == [["k1", "k2", "k3", "k4"], ["k6"]]
    story = strike_story(store)
    assert story["reports"][0]["id"] == "k1" and story["first"] == "2024-09-14" and len(story["outlets"]) == 4


def test_one_event_with_three_reports(store):
    story = corpus.story(store, strike_story(store)["id"])
    assaults = [e for e in story["events"] if e["type"] == "ASSAULT"]
    assert len(assaults) == 1  # the three outlets' strike, not three strikes
    event = assaults[0]
    assert sorted({r["id"] for r in event["reports"]}) == THREE  # not the copy, not the denial
    assert event["documents"] == 3 and len(event["outlets"]) == 3
    assert event["earliest_report"]["id"] == "k1" and event["first"] == "2024-09-14"
    counts = corpus.event_counts(store)["ASSAULT"]
    assert counts["events"] == 1 and counts["reports"] == len(event["reports"]) > 3


def test_claim_across_three_outlets_is_single_sourced_and_contested(store):
    carried = corpus.claims(store, min_outlets=3)
    assert len(carried) == 1
    claim = carried[0]
    assert [r["id"] for r in claim["reports"]] == THREE
    assert claim["earliest_report"]["id"] == "k1"
    assert claim["original_source"] == {"text": "مصدر أمني عراقي", "kind": "official_unnamed", "entity": None}
    chains = {r["id"]: [(h["text"], h["kind"]) for h in r["chain"]] for r in claim["reports"]}
    assert chains["k2"] == [("صحيفة الأفق", "named_outlet"), ("مصادر محلية", "anonymous")]
    assert chains["k3"][-1] == ("مصدر في شرطة دهوك", "anonymous_affiliated")
    assert claim["single_sourced"] and claim["contested"] and claim["flags"] == ["single_sourced", "contested"]
    assert {d["id"] for d in claim["denials"]} == {"k4"}
    assert any("عارية عن الصحة" in d["text"] for d in claim["denials"])
    assert [c["id"] for c in corpus.claims(store, flag="contested")] == [claim["id"]]


def test_a_named_source_is_not_single_sourced(store):
    named = [c for c in corpus.claims(store) if c["original_source"]["text"] == "سامان بيرو"]
    assert len(named) == 1 and not named[0]["single_sourced"] and not named[0]["contested"]
    assert named[0]["id"] not in [c["id"] for c in corpus.claims(store, flag="single_sourced")]


def test_outlet_profiles(store):
    profiles = {p["outlet"]: p for p in corpus.outlets(store)}
    assert len(profiles) == 5 and profiles["صحيفة الأفق"]["documents"] == 2
    afaq = profiles["صحيفة الأفق"]
    assert afaq["sources"]["anonymous"] == 2 and afaq["source_shares"]["all_anonymous"] == 1.0
    assert [m["month"] for m in afaq["months"]] == ["2024-09"]
    assert afaq["event_types"]["ASSAULT"]["events"] == 1
    assert profiles["إذاعة الشمال"]["source_shares"]["named"] == 0.5
    assert profiles["موقع النهار الجديد"]["copies"] == 1


def test_records_follow_new_documents(store, tmp_path):
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({
        "id": "k7", "outlet": "صحيفة الأفق", "published": "2024-10-20", "title": "افتتاح جسر جديد في أربيل",
        "text": "افتتح وزير الإعمار جسرا جديدا فوق نهر الزاب في أربيل، وقال إن الجسر يختصر الطريق إلى الموصل ساعة كاملة.",
    }, ensure_ascii=False) + "\n", encoding="utf-8")
    before = len(corpus.stories(store))
    ingest(store, read_paths([str(extra)]))
    assert len(corpus.stories(store)) == before + 1
    assert corpus.refresh(store) is False  # nothing changed since


def test_denial_cues_come_from_the_data_file():
    assert denial_cue("ونفى المتحدث باسم الجيش هذه الأنباء") == "نفي"
    assert denial_cue("وقال إن ما نشر عارٍ عن الصحة") is not None
    assert denial_cue("قالت الوزارة إن الطائرات قصفت القرية") is None


def test_commands_and_api(tmp_path, capsys):
    db = str(tmp_path / "kb.db")
    assert cli(capsys, "ingest", str(CORPUS), "--db", db)[0] == 0
    status, out = cli(capsys, "claims", "--db", db, "--format", "json", "--flag", "contested")
    assert status == 0 and [r["id"] for r in json.loads(out)[0]["reports"]] == THREE
    stories = json.loads(cli(capsys, "stories", "--db", db, "--format", "json", "--min-outlets", "2", "--full")[1])
    assert len(stories) == 1 and any(len(e["reports"]) > 3 for e in stories[0]["events"])
    outlets = json.loads(cli(capsys, "outlets", "--db", db, "--format", "json")[1])
    assert {o["outlet"] for o in outlets} >= {"شبكة الرافدين", "قناة الأناضول الإخبارية"}

    from fastapi.testclient import TestClient

    from marsad.web.app import create_app
    from marsad.web.backend import open_backend

    client = TestClient(create_app(open_backend(db)))
    claims = client.get("/api/claims", params={"flag": "contested"}).json()
    assert [c["id"] for c in claims] == [c["id"] for c in json.loads(out)]
    story_id = client.get("/api/stories", params={"min_outlets": 2}).json()[0]["id"]
    assert client.get(f"/api/stories/{story_id}").json()["claims"][0]["contested"] is True
    assert client.get("/api/stories/s:none").status_code == 404
    assert client.get("/api/corpus-events/counts").json()["ASSAULT"]["events"] == 1
    assert client.get("/api/outlets").status_code == 200 and client.get("/api/copies").json()[0]["original"] == "k1"
