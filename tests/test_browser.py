"""What a person sees in Chromium: `marsad serve` on a free port, each page drawn, a screenshot of each.

Screenshots go to docs/screenshots/. Needs /usr/bin/chromium (Debian: apt-get install -y chromium)
and the `playwright` Python package; no browser download.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import quote

import pytest

from conftest import EXAMPLES, ROOT, run_marsad

CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "docs" / "screenshots"
HOSTILE_ID = "hostile-browser"
STORY = ROOT / "tests" / "data" / "story_denial.jsonl"  # one strike told by three outlets, a copy, a denial

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is absent: apt-get install -y chromium"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get_json(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    corpus = folder / "corpus"
    corpus.mkdir()
    (corpus / "hostile.jsonl").write_text(json.dumps({
        "id": HOSTILE_ID, "title": "<script>window.pwned = 1</script> عنوان",
        "text": "وصل الوفد إلى بغداد <img src=x onerror=\"window.pwned = 2; alert(1)\"> مساء الأحد.",
    }, ensure_ascii=False) + "\n", encoding="utf-8")
    db = str(folder / "kb.db")
    run_marsad("ingest", str(EXAMPLES), str(corpus), str(STORY), "--db", db)
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "marsad.cli", "serve", "--db", db, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/api/facets", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                pytest.fail("marsad serve did not start: " + proc.stderr.read().decode()[-2000:])
            time.sleep(0.3)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def page(server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--headless=new"])
        pg = browser.new_page(viewport={"width": 1280, "height": 900})
        # A loaded two-core CI machine can take a while to lay out the world map; fail late, not flakily.
        pg.set_default_timeout(90_000)
        pg.dialogs = []
        pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
        pg.errors = []
        pg.on("pageerror", lambda e: pg.errors.append(str(e)))
        yield pg
        browser.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_search_page(server, page):
    page.goto(server + "/?q=" + quote("بغداد"))
    hits = page.locator("li.hit")
    assert hits.count() == len(_get_json(server + "/api/search?q=" + quote("بغداد")))
    assert hits.count() > 0 and page.locator("li.hit mark").count() > 0
    assert page.evaluate("document.documentElement.dir") == "rtl"
    shot(page, "search")


def test_document_page(server, page):
    doc = next(d for d in _get_json(server + "/api/search?q=" + quote("السوداني")) if "baghdad" in d["path"])
    analysis = _get_json(server + f"/api/documents/{doc['id']}")
    page.goto(server + f"/documents/{doc['id']}")
    text = page.locator("#text")
    assert "وساطة عراقية جديدة" in text.inner_text()
    assert page.locator("#text .ev").count() == len({(e["trigger"]["start"], e["trigger"]["end"]) for e in analysis["events"]}) or not analysis["events"]
    for entity in analysis["entities"][:5]:
        assert page.get_by_text(entity["name"], exact=True).first.is_visible()
    assert page.locator("#text .ent").count() == sum(len(e["mentions"]) for e in analysis["entities"])
    shot(page, "document")


def test_hostile_document_is_inert(server, page):
    page.goto(server + f"/documents/{HOSTILE_ID}")
    page.wait_for_timeout(300)
    assert page.evaluate("window.pwned") is None
    assert page.dialogs == []
    assert "<script>window.pwned = 1</script>" in page.locator("h1").inner_text()
    assert "<img src=x" in page.locator("#text").inner_text()
    assert page.locator("#text img").count() == 0
    page.goto(server + "/?q=" + quote("الوفد"))
    assert page.evaluate("window.pwned") is None and page.dialogs == []
    shot(page, "hostile")


def test_entity_page(server, page):
    entities = _get_json(server + "/api/facets")["entity"]
    if not entities:
        pytest.skip("the pipeline found no entities in the examples")
    top = _get_json(server + "/api/entities/" + quote(entities[0]["value"], safe=""))
    page.goto(server + "/entities/" + quote(entities[0]["value"], safe=""))
    assert page.locator("h1").inner_text().strip() == entities[0]["name"]
    if top["name_en"]:
        assert page.get_by_text(top["name_en"], exact=True).first.is_visible()
    assert page.locator(".aliases .chip").count() == len(top["aliases"]) > 0
    for other in top["cooccurring"][:3]:
        assert page.locator(".cooccurring").get_by_text(other["name"], exact=True).first.is_visible()
    shot(page, "entity")
    # a country of the knowledge base: its facts (capital) and its events over time
    country = next(n for n in _get_json(server + "/api/graph?limit=0")["nodes"] if n["id"].startswith("kb:marsad:country:"))
    facts = _get_json(server + "/api/entities/" + quote(country["id"], safe=""))
    page.goto(server + "/entities/" + quote(country["id"], safe=""))
    if facts["kb"]["capital"]:
        assert page.locator("section.kb").get_by_text(facts["kb"]["capital"]["name"]).first.is_visible()
    assert page.locator("table.events tbody tr").count() == len(facts["events"]) > 0


def test_graph_draws_nodes(server, page):
    expected = _get_json(server + "/api/graph")
    page.goto(server + "/graph")
    page.wait_for_function("() => window.marsadGraph !== undefined", timeout=15000)
    assert page.evaluate("window.marsadGraph.nodes().length") == len(expected["nodes"])
    assert page.evaluate("window.marsadGraph.edges().length") == len(expected["edges"])
    if expected["nodes"]:
        assert page.locator("#graph canvas").count() > 0
        painted = page.evaluate("""() => [...document.querySelectorAll('#graph canvas')].some(c => {
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < d.length; i += 4) if (d[i]) return true; return false; })""")
        assert painted
        # an edge lists its distinct events, each with its reports
        page.evaluate("window.marsadGraph.edges().sort((a, b) => b.data('weight') - a.data('weight'))[0].emit('tap')")
        heaviest = max(expected["edges"], key=lambda e: e["weight"])
        assert page.locator("#edge-events li a").count() == min(heaviest["weight"], 20)
    shot(page, "graph")


def test_timeline_items(server, page):
    expected = _get_json(server + "/api/timeline")
    page.goto(server + "/timeline")
    page.wait_for_function("() => window.marsadTimeline !== undefined")
    page.wait_for_timeout(500)
    assert page.locator("#timeline-count").inner_text().startswith(str(len(expected)))
    if expected:
        assert page.locator("#timeline .vis-item").count() > 0
    assert page.evaluate("window.pwned") is None and page.dialogs == []
    shot(page, "timeline")


def test_map_markers(server, page):
    expected = _get_json(server + "/api/map")
    page.goto(server + "/map")
    page.wait_for_function("() => document.querySelectorAll('#map path.country').length > 100")
    page.wait_for_function(f"() => document.querySelectorAll('#map circle.marker').length === {len(expected)}")
    assert page.locator("#map-count").inner_text().startswith(str(len(expected)))
    shot(page, "map")


def test_sources_and_claim_pages(server, page):
    page.goto(server + "/sources")
    claims = page.locator("ol.claims li a")
    shot(page, "sources")
    if claims.count() == 0:
        pytest.skip("no claims in the examples")
    claims.first.click()
    page.wait_for_load_state()
    assert "/claims/" in page.url and page.locator("ol.chain li").count() > 0
    shot(page, "claim")


def test_stories_and_claim_across_outlets(server, page):
    stories = _get_json(server + "/api/stories?min_outlets=2")
    page.goto(server + "/stories")
    assert page.locator("li.story").count() == len(stories) > 0
    strike = next(s for s in stories if "k1" in [r["id"] for r in s["reports"]])
    assert page.get_by_text(strike["title"], exact=True).first.is_visible()
    shot(page, "stories")
    page.goto(server + "/stories/" + quote(strike["id"]))
    assert page.locator("table.events tbody tr").count() == strike["counts"]["events"]
    shot(page, "story")
    claim = next(c for c in _get_json(server + "/api/claims?flag=contested") if c["earliest_report"]["id"] == "k1")
    page.goto(server + "/corpus-claims/" + quote(claim["id"]))
    assert page.locator("ol.reports > li").count() == len(claim["reports"])
    assert page.locator(".flag-contested").first.is_visible()
    for outlet in claim["outlets"]:
        assert page.locator("dl.meta").get_by_text(outlet).first.is_visible()
    assert page.locator(".denials li").count() == len(claim["denials"]) > 0
    shot(page, "claim-across")
    event = next(e for e in _get_json(server + "/api/corpus-events?type=ASSAULT") if e["earliest_report"]["id"] == "k1")
    page.goto(server + "/corpus-events/" + quote(event["id"]))
    assert page.locator("ol.reports > li").count() == len(event["reports"])
    shot(page, "event")


def test_english_labels_and_api_docs(server, page):
    page.goto(server + "/lang/en?next=/docs")
    page.wait_for_selector("#api section.op")
    assert page.locator("header nav").inner_text().count("Timeline") == 1
    assert page.locator("#api section.op").count() >= 5
    shot(page, "api-docs")
    page.goto(server + "/lang/ar?next=/")
    assert page.evaluate("document.documentElement.lang") == "ar"
