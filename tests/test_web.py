"""The web application over a database ingested from the examples and a hostile document."""

from __future__ import annotations

import asyncio
import json
import re
import sys
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from conftest import EXAMPLES, analyze, run_marsad

# One strike told by three outlets, a copy, a denial and an unrelated item (the corpus of test_corpus.py).
STORY = Path(__file__).parent / "data" / "story_denial.jsonl"

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from marsad.web.render import Layer, highlight  # noqa: E402

HOSTILE_ID = "hostile-1"
HOSTILE_TITLE = "<script>alert(1)</script> وفد في بغداد"
HOSTILE_TEXT = (
    "قال المتحدث باسم الحكومة العراقية في بغداد <img src=x onerror=alert(1)> إن الوفد وصل إلى طهران. "
    "<script>window.pwned = 1</script> وأضاف أن الرئيس الإيراني استقبل الوفد."
)
TOKEN = "test-token-123"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("web-corpus")
    (folder / "hostile.jsonl").write_text(
        json.dumps({"id": HOSTILE_ID, "title": HOSTILE_TITLE, "text": HOSTILE_TEXT,
                    "outlet": "<b>outlet</b>", "published": "2024-03-01"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="module")
def db(corpus, tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("web-db") / "kb.db")
    run_marsad("ingest", str(EXAMPLES), str(corpus), str(STORY), "--db", path)
    return path


@pytest.fixture(scope="module")
def client(db):
    from marsad.web.app import create_app
    from marsad.web.backend import open_backend

    # No rate limit: these tests send many requests from one address; test_rate_limit_per_client covers it.
    with TestClient(create_app(open_backend(db), token=TOKEN, max_upload=4096, rate_limit=0)) as c:
        yield c


@pytest.fixture(scope="module")
def readonly(db):
    from marsad.web.app import create_app
    from marsad.web.backend import open_backend

    with TestClient(create_app(open_backend(db), rate_limit=0)) as c:
        yield c


def cli_search(db: str, query: str) -> list[dict]:
    return json.loads(run_marsad("search", query, "--db", db, "--format", "json").stdout)


@pytest.mark.parametrize("query", ["بغداد", "الرسالة الأمريكية", "طهران"])
def test_api_search_equals_cli_search(client, db, query):
    expected = cli_search(db, query)
    assert expected, f"no hits for {query}"
    got = client.get("/api/search", params={"q": query, "limit": max(len(expected), 20)}).json()
    assert [h["id"] for h in got][: len(expected)] == [h["id"] for h in expected]
    assert got[: len(expected)] == expected


def test_api_search_filters_equal_cli_filters(client, db):
    expected = json.loads(run_marsad("search", "بغداد", "--db", db, "--format", "json",
                                     "--source-kind", "anonymous").stdout)
    got = client.get("/api/search", params={"q": "بغداد", "source_kind": "anonymous"}).json()
    assert got == expected and len(got) < len(cli_search(db, "بغداد"))


def test_api_document_equals_analyze(client):
    for expected in analyze(str(EXAMPLES / "text")):
        response = client.get(f"/api/documents/{quote(expected['id'])}")
        assert response.status_code == 200
        assert response.json() == expected


def test_unknown_document_is_404(client):
    assert client.get("/api/documents/no-such-id").status_code == 404
    page = client.get("/documents/no-such-id")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]


def test_pages_render(client):
    doc = analyze(str(EXAMPLES / "text" / "baghdad_mediation.txt"))[0]
    for path in ["/", "/?q=" + quote("بغداد"), f"/documents/{doc['id']}", "/graph", "/timeline", "/map",
                 "/sources", "/docs", "/openapi.json", "/api/graph", "/api/timeline", "/api/map", "/api/facets",
                 "/api/sources", "/static/vendor/cytoscape.min.js", "/static/vendor/countries-110m.json"]:
        assert client.get(path).status_code == 200, path
    page = client.get(f"/documents/{doc['id']}").text
    assert 'dir="rtl"' in page and 'lang="ar"' in page
    assert "وساطة عراقية جديدة" in page
    for entity in doc["entities"]:
        assert entity["name"] in page


def _entity_paths(client) -> list[str]:
    facets = client.get("/api/facets").json()
    return ["/entities/" + quote(e["value"], safe="") for e in facets["entity"][:5]]


def _claim_paths(db: str) -> list[str]:
    from marsad.web.backend import open_backend

    rows = open_backend(db).queries().claims_list(limit=5)
    return [f"/claims/{quote(r['doc_id'])}/{quote(r['local_id'])}" for r in rows]


def test_entity_and_claim_pages(client, db):
    for path in _entity_paths(client) + _claim_paths(db):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "<h1" in response.text


def test_hostile_document_is_escaped_everywhere(client, db):
    assert client.get(f"/api/documents/{HOSTILE_ID}").json()["title"] == HOSTILE_TITLE
    paths = [f"/documents/{HOSTILE_ID}", "/?q=" + quote("الوفد"), "/?q=" + quote("script"), "/",
             "/?outlet=" + quote("<b>outlet</b>"), "/sources", "/timeline"]
    paths += _entity_paths(client) + _claim_paths(db) + _corpus_paths(client)
    hostile_story = client.get("/api/stories?limit=0").json()
    paths += ["/stories/" + quote(s["id"]) for s in hostile_story if HOSTILE_ID in [r["id"] for r in s["reports"]]]
    paths += ["/corpus-claims/" + quote(c["id"]) for c in client.get("/api/claims?limit=0").json()
              if c["earliest_report"]["id"] == HOSTILE_ID]
    assert len(paths) > 12
    for path in paths:
        body = client.get(path).text
        assert "<script>alert" not in body and "<script>window" not in body, path
        assert "<img src=x" not in body and "<b>outlet" not in body, path
        assert not re.search(r"<script(?![^>]*\bsrc=\"/static/)", body), path
        assert not re.search(r"<[^>]*\son\w+=", body), path  # no inline event handler in any tag
    page = client.get(f"/documents/{HOSTILE_ID}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def _corpus_paths(client) -> list[str]:
    return (["/stories", "/stories?min_outlets=1", "/graph", "/sources?flag=contested", "/sources?flag=single_sourced"]
            + ["/stories/" + quote(s["id"]) for s in client.get("/api/stories?limit=5").json()]
            + ["/corpus-events/" + quote(e["id"]) for e in client.get("/api/corpus-events?limit=5").json()]
            + ["/corpus-claims/" + quote(c["id"]) for c in client.get("/api/claims?limit=5").json()])


def test_corpus_pages_render(client):
    for path in _corpus_paths(client):
        response = client.get(path)
        assert response.status_code == 200 and "<h1" in response.text, path
    for path in ["/stories/no-such-story", "/corpus-events/no-such-event", "/corpus-claims/no-such-claim"]:
        assert client.get(path).status_code == 404, path


def test_graph_edges_count_distinct_events_not_reports(client):
    events = client.get("/api/corpus-events?limit=0").json()
    graph = client.get("/api/graph?limit=0").json()
    assert graph["edges"] and graph["total"] == len(graph["edges"])
    for edge in graph["edges"]:
        mine = [e for e in events if e["type"] == edge["type"] and (e["actor"] or {}).get("key") == edge["source"]
                and (e["target"] or {}).get("key") == edge["target"]]
        assert edge["weight"] == len(mine) and edge["reports"] == sum(len(e["reports"]) for e in mine)
    assert any(e["reports"] > e["weight"] for e in graph["edges"])  # several reports of one event: one event
    assert {n["id"] for n in graph["nodes"]} == {k for e in graph["edges"] for k in (e["source"], e["target"])}
    heaviest = client.get("/api/graph?limit=1").json()
    assert len(heaviest["edges"]) == 1 and heaviest["total"] == len(graph["edges"])
    assert heaviest["edges"][0]["weight"] == max(e["weight"] for e in graph["edges"])


def test_timeline_and_map_show_each_event_once(client):
    events = client.get("/api/corpus-events?limit=0").json()
    timeline = client.get("/api/timeline").json()
    assert sorted(t["id"] for t in timeline) == sorted(e["id"] for e in events if e["first"])
    strike = next(t for t in timeline if t["document"] == "k1" and t["type"] == "ASSAULT")
    assert strike["reports"] > 3 and len(strike["outlets"]) == 3
    located = sum(1 for e in events if e["location"])
    assert sum(p["events"] for p in client.get("/api/map").json()) <= located


def test_claim_across_outlets_page(client):
    claim = next(c for c in client.get("/api/claims?flag=contested").json() if c["earliest_report"]["id"] == "k1")
    page = client.get("/corpus-claims/" + quote(claim["id"])).text
    for outlet in claim["outlets"]:
        assert outlet in page
    assert "flag-contested" in page and page.count('class="hop kind-') >= len(claim["reports"])
    assert all(f"/documents/{quote(d['id'])}" in page for d in claim["denials"])
    sources = client.get("/sources?flag=contested").text
    assert "/corpus-claims/" + quote(claim["id"]) in sources
    report = client.get(f"/claims/k2/{claim['reports'][1]['claim']}" if claim["reports"][1]["id"] == "k2"
                        else f"/claims/{claim['reports'][0]['id']}/{claim['reports'][0]['claim']}").text
    assert "/corpus-claims/" + quote(claim["id"]) in report


def test_document_links_its_story_and_consolidated_records(client):
    page = client.get("/documents/k2").text
    story = next(s for s in client.get("/api/stories").json() if "k2" in [r["id"] for r in s["reports"]])
    assert "/stories/" + quote(story["id"]) in page and "/corpus-events/" in page
    story_page = client.get("/stories/" + quote(story["id"])).text
    assert all(f"/documents/{r['id']}" in story_page for r in story["reports"])


def test_entity_page_shows_kb_facts_and_events(client):
    graph = client.get("/api/graph?limit=0").json()
    key = next(n["id"] for n in graph["nodes"] if n["id"].startswith("kb:marsad:country:"))
    entity = client.get("/api/entities/" + quote(key, safe="")).json()
    assert entity["kb"]["kind"] == "country" and entity["event_count"] == len(entity["events"]) > 0
    page = client.get("/entities/" + quote(key, safe="")).text
    assert "/corpus-events/" in page
    assert ('class="bar' in page) == any(e["first"] for e in entity["events"])
    if entity["kb"]["capital"]:
        assert entity["kb"]["capital"]["name"] in page


def test_security_headers(client):
    for path in ["/", "/api/search?q=x", "/static/app.css", "/documents/no-such-id", "/openapi.json"]:
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        for directive in ["default-src 'self'", "script-src 'self'", "object-src 'none'",
                          "frame-ancestors 'none'", "base-uri 'none'"]:
            assert directive in csp, (path, directive)
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


def test_no_assets_from_other_hosts(client):
    web = Path(__file__).resolve().parents[1] / "src" / "marsad" / "web"
    for path in list((web / "templates").glob("*.html")) + list((web / "static" / "js").glob("*.js")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(src|href)=\"(https?:)?//", text), path
        assert "<script>" not in text and "innerHTML" not in text, path
    assert client.get("/docs").status_code == 200
    assert "cdn" not in client.get("/docs").text.lower()


def test_writes_need_a_token(client, readonly):
    body = json.dumps({"id": "upload-1", "text": "زار وزير الخارجية العراقي طهران."}, ensure_ascii=False).encode()
    headers = {"content-type": "application/x-ndjson"}
    assert readonly.post("/api/ingest", content=body, headers=headers).status_code == 403
    assert readonly.post("/api/ingest", content=body,
                         headers={**headers, "authorization": f"Bearer {TOKEN}"}).status_code == 403
    assert client.post("/api/ingest", content=body, headers=headers).status_code == 401
    assert client.post("/api/ingest", content=body,
                       headers={**headers, "authorization": "Bearer wrong"}).status_code == 401
    too_big = b"x" * 5000
    assert client.post("/api/ingest", content=too_big,
                       headers={**headers, "authorization": f"Bearer {TOKEN}"}).status_code == 413
    assert client.get("/api/documents/upload-1").status_code == 404
    ok = client.post("/api/ingest", content=body, headers={**headers, "authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200, ok.text
    assert client.get("/api/documents/upload-1").json()["text"].startswith("زار وزير")


def test_rate_limit_per_client(db):
    from marsad.web.app import RateLimiter, create_app
    from marsad.web.backend import open_backend

    app = create_app(open_backend(db), rate_limit=1, burst=3)
    with TestClient(app, client=("10.0.0.1", 4000)) as one, TestClient(app, client=("10.0.0.2", 4000)) as two:
        search = "/api/search?q=" + quote("بغداد")
        assert [one.get(search).status_code for _ in range(4)] == [200, 200, 200, 429]
        limited = one.get("/documents/" + HOSTILE_ID)
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
        assert "default-src 'self'" in limited.headers["content-security-policy"]
        assert one.get("/static/app.css").status_code == 200  # a page's assets do not count
        assert two.get(search).status_code == 200  # another address has its own budget
    limiter = RateLimiter(rate=2, burst=2, max_clients=2)
    assert [limiter.allow("a", now=0.0) for _ in range(3)] == [True, True, False]
    assert limiter.allow("a", now=0.5) and not limiter.allow("a", now=0.5)  # one token back after 1/rate s
    limiter.allow("b", now=1.0)
    limiter.allow("c", now=1.0)
    assert set(limiter.buckets) == {"b", "c"}  # the idle client was forgotten, memory stays bounded


def test_static_files_refuse_path_traversal(client):
    assert client.get("/static/app.css").status_code == 200
    for path in ["/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/js/..%2f..%2fapp.py",
                 "/static/%2e%2e/%2e%2e/strings.json", "/static//etc/passwd", "/static/..%5capp.py"]:
        response = client.get(path)
        assert response.status_code in (400, 404), path
        assert "create_app" not in response.text and "root:" not in response.text, path


def test_request_size_limits(client):
    auth = {"authorization": f"Bearer {TOKEN}", "content-type": "application/x-ndjson"}
    # Any route: a declared body over the limit is refused before it is read.
    assert client.post("/api/search?q=x", content=b"x" * 5000).status_code == 413
    assert client.post("/api/ingest", content=b"x" * 5000, headers={"content-type": "text/plain"}).status_code == 413

    def chunks():  # no Content-Length: the server counts what arrives
        for _ in range(10):
            yield ("وصل الوفد إلى بغداد. " * 20).encode()

    assert client.post("/api/ingest", content=chunks(), headers=auth).status_code == 413
    long_query = "بغداد " * 100
    assert client.get("/api/search", params={"q": long_query}).status_code == 400
    assert client.get("/", params={"q": long_query}).status_code == 400
    assert client.get("/api/search", params={"q": long_query[:400]}).status_code == 200


def test_language_toggle(client):
    response = client.get("/lang/en", params={"next": "/graph"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/graph"
    for evil in ["//evil.example/", "https://evil.example/", "/\\evil.example"]:
        assert client.get("/lang/en", params={"next": evil}, follow_redirects=False).headers["location"] == "/"
    client.cookies.set("lang", "en")
    try:
        page = client.get("/").text
        assert 'lang="en"' in page and "Actor graph" in page
    finally:
        client.cookies.clear()
    assert "شبكة الفاعلين" in client.get("/").text


def test_highlight_nests_crossing_spans_and_escapes():
    text = "<b>abc</b> def"
    layers = [Layer(0, 6, "span", "x"), Layer(4, 12, "a", "y", (("href", "/e/1\"><"),))]
    html = str(highlight(text, layers))
    assert re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">") == text
    assert html.count("<span") == html.count("</span>") and html.count("<a ") == html.count("</a>")
    assert "<b>" not in html and 'href="/e/1&#34;&gt;&lt;"' in html


def _bench_load():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import bench_load

    return bench_load


@pytest.mark.slow
def test_short_load_run_has_no_errors_and_serve_flags_set_the_rate_limit(db):
    """bench/bench_load.py for a few seconds against `marsad serve` on 127.0.0.1: every search answered."""
    bench = _bench_load()
    with bench.serve(db, "--rate-limit", "0") as url:
        result = asyncio.run(bench.load(url, concurrency=50, duration=4))
        assert result.errors == {} and len(result.latencies) >= 50, result.summary()
        hits = httpx.get(url + "/api/search", params={"q": "بغداد"}).json()
        assert hits and all("بغداد" in h["snippet"] or "بغداد" in (h["title"] or "") for h in hits)
    with bench.serve(db, "--rate-limit", "2", "--burst", "5") as url:
        result = asyncio.run(bench.load(url, concurrency=10, duration=1))
        assert result.errors.get("HTTP 429", 0) > 0 and 4 <= len(result.latencies) <= 5 + 2 * 3
    with pytest.raises(ValueError):
        asyncio.run(bench.load("http://192.0.2.1:8000", concurrency=1, duration=0.1))
