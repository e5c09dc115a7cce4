"""First paint of every page of the web application, in headless Chromium, on an ingested database.

    python bench/bench_web.py --db /tmp/web1000.db [--runs 3] [--shots DIR]

The database of issue 7 holds the seed articles and 1,000 ANT articles drawn at random (seed 7):

    python bench/bench_web.py --sample 1000 > /tmp/web1000.txt
    xargs -a /tmp/web1000.txt -d '\\n' marsad ingest --db /tmp/web1000.db --jobs 2 ../shared/corpus/seeds

It starts ``marsad serve`` on a free port and opens each page ``runs`` times after a first visit with an empty
cache. Per page it prints the first contentful paint (``performance.getEntriesByType('paint')``), the
navigation's response end and load event, and for pages drawn by a script (graph, timeline, map) the time until
their content is on screen (nodes, items, markers), all in milliseconds from the start of the navigation.
``--shots`` saves a screenshot of each page there.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
# A page's own script is done when this holds (None: the server-rendered page is the content).
READY = {
    "graph": "window.marsadGraph !== undefined && window.marsadGraph.nodes().length > 0",
    "timeline": "document.querySelectorAll('#timeline .vis-item').length > 0",
    "map": "document.querySelectorAll('#map circle.marker').length > 0",
    "api docs": "document.querySelectorAll('#api section.op').length > 0",
}
# The paint may come after the load event that page.goto waits for: wait for its entry.
TIMING = """() => new Promise(resolve => {
  const done = fcp => {
    const nav = performance.getEntriesByType('navigation')[0];
    resolve({fcp: fcp.startTime, response: nav.responseEnd, load: nav.loadEventEnd});
  };
  new PerformanceObserver((list, observer) => {
    const fcp = list.getEntries().find(e => e.name === 'first-contentful-paint');
    if (fcp) { observer.disconnect(); done(fcp); }
  }).observe({type: 'paint', buffered: true});
})"""


def ant_sample(n: int, seed: int = 7) -> list[str]:
    from marsad.paths import require_shared

    root = require_shared() / "corpus" / "ant"
    files = sorted(str(p) for p in root.glob("*/*/*") if p.is_file())
    return random.Random(seed).sample(files, n)


def _get(url: str):
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.loads(response.read())


def pages(base: str) -> list[tuple[str, str]]:
    """(name, path) of every page, the record pages taken from the busiest records of the database."""
    facets = _get(base + "/api/facets")
    entity = facets["entity"][0]["value"]
    hits = _get(base + "/api/search?q=" + quote("الرئيس") + "&limit=1")
    doc = hits[0]["id"]
    claims = _get(base + "/api/claims?min_outlets=2&limit=1") or _get(base + "/api/claims?limit=1")
    events = _get(base + "/api/corpus-events?limit=1")
    stories = _get(base + "/api/stories?min_outlets=2&limit=1") or _get(base + "/api/stories?limit=1")
    report = claims[0]["earliest_report"]
    return [
        ("search (latest)", "/"),
        ("search (query)", "/?q=" + quote("الرئيس")),
        ("search (query + facets)", "/?q=" + quote("الرئيس") + "&event_type=" + facets["event_type"][0]["value"]
         + "&entity=" + quote(entity, safe="")),
        ("document", "/documents/" + quote(doc)),
        ("entity", "/entities/" + quote(entity, safe="")),
        ("graph", "/graph"),
        ("timeline", "/timeline"),
        ("map", "/map"),
        ("sources", "/sources"),
        ("claim (one report)", f"/claims/{quote(report['id'])}/{quote(report['claim'])}"),
        ("claim across outlets", "/corpus-claims/" + quote(claims[0]["id"])),
        ("event across outlets", "/corpus-events/" + quote(events[0]["id"])),
        ("stories", "/stories"),
        ("story", "/stories/" + quote(stories[0]["id"])),
        ("api docs", "/docs"),
    ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db: str):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "marsad.cli", "serve", "--db", db, "--port", str(port),
                             "--rate-limit", "0"], stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 300  # the corpus records are built before the server listens
    while True:
        try:
            urllib.request.urlopen(base + "/api/facets", timeout=5)
            return proc, base
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                sys.exit("marsad serve did not start: " + proc.stderr.read().decode()[-2000:])
            time.sleep(0.5)


def measure(page, url: str, ready: str | None) -> dict:
    t0 = time.perf_counter()
    page.goto(url)
    out = page.evaluate(TIMING)
    if ready:
        page.wait_for_function("() => " + ready, timeout=60_000)
        out["ready"] = 1000 * (time.perf_counter() - t0)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="database to serve")
    ap.add_argument("--runs", type=int, default=3, help="visits per page after the first (default 3)")
    ap.add_argument("--shots", help="folder for a screenshot of each page")
    ap.add_argument("--sample", type=int, metavar="N", help="print N ANT article paths drawn at random (seed 7) and exit")
    args = ap.parse_args()
    if args.sample:
        print("\n".join(ant_sample(args.sample)))
        return 0
    if not args.db:
        ap.error("--db is required")
    from playwright.sync_api import sync_playwright

    proc, base = serve(args.db)
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS + ["--headless=new"])
            for name, path in pages(base):
                ready = READY.get(name.split(" (")[0]) if not name.startswith("search") else None
                ctx = browser.new_context(viewport={"width": 1280, "height": 900})  # empty cache: the first visit
                page = ctx.new_page()
                cold = measure(page, base + path, ready)
                warm = [measure(page, base + path, ready) for _ in range(args.runs)]
                if args.shots:
                    os.makedirs(args.shots, exist_ok=True)
                    page.screenshot(path=os.path.join(args.shots, name.replace(" ", "_").replace("(", "").replace(")", "") + ".png"))
                ctx.close()
                med = {k: statistics.median(w[k] for w in warm) for k in warm[0] if all(w.get(k) is not None for w in warm)}
                rows.append((name, path, cold, med))
                print(f"{name:26} first visit: FCP {cold['fcp']:6.0f}  ready {cold.get('ready', cold['fcp']):6.0f}   "
                      f"then (median of {args.runs}): FCP {med['fcp']:6.0f}  response {med['response']:5.0f}"
                      f"  load {med['load']:6.0f}  ready {med.get('ready', med['fcp']):6.0f} ms", flush=True)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    worst = max(max(c["fcp"], m["fcp"]) for _, _, c, m in rows)
    print(f"slowest first contentful paint: {worst:.0f} ms; load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
