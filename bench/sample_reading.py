"""Seeded samples for reading the analyser's output by hand (precision checks).

Usage:
  python bench/sample_reading.py articles ROOT N [SEED]
      print N article paths drawn at random from ROOT (the ANT corpus): an equal share
      from each outlet, taken from its politics folders (middleEast, internationalNews)
  python bench/sample_reading.py events|claims FILE.jsonl [N] [SEED]
      print N events or claims drawn at random from an `marsad analyze --format jsonl` file,
      each with its sentence and the fields to judge
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

POLITICS = ("middleEast", "internationalNews")


def articles(root: Path, n: int, rng: random.Random) -> list[Path]:
    outlets = sorted(p for p in root.iterdir() if p.is_dir())
    picked: list[Path] = []
    for i, outlet in enumerate(outlets):
        share = n // len(outlets) + (1 if i < n % len(outlets) else 0)
        pool = sorted(f for folder in POLITICS for f in (outlet / folder).glob("*") if f.is_file())
        picked += rng.sample(pool, share)
    return picked


def span(text: str, s: dict | None) -> str:
    return text[s["start"]:s["end"]].replace("\n", " ") if s else ""


def name(doc: dict, eid: str | None) -> str:
    if not eid:
        return "-"
    for e in doc.get("entities", []):
        if e["id"] == eid:
            return f"{e['name']} [{e['type']}]"
    return eid


def show_event(doc: dict, v: dict) -> str:
    text = doc["text"]
    date = (v.get("date") or {})
    return "\n".join([
        f"{doc['id']} {v['id']}  {v['type']}  mode={v.get('mode')}",
        f"  trigger: {v['trigger']['text']}",
        f"  actor: {name(doc, v.get('actor'))} | target: {name(doc, v.get('target'))}"
        f" | location: {name(doc, v.get('location'))}",
        f"  date: {date.get('text')} -> {date.get('value')}   claim: {v.get('claim')}",
        f"  sentence: {span(text, v['sentence'])}",
    ])


def show_claim(doc: dict, c: dict) -> str:
    text = doc["text"]
    sources = " > ".join(f"{s['text']} ({s['kind']}{', ' + name(doc, s['entity']) if s.get('entity') else ''})"
                         for s in c.get("sources", []))
    quote = c.get("quote") or {}
    return "\n".join([
        f"{doc['id']} {c['id']}  cue: {c['cue']['text'] if c.get('cue') else '-'}",
        f"  sources: {sources or '-'}",
        f"  quote ({quote.get('kind')}): {span(text, quote) if quote else '-'}",
        f"  sentence: {span(text, c['sentence'])}",
    ])


def main() -> None:
    kind = sys.argv[1]
    if kind == "articles":
        n = int(sys.argv[3])
        rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 4)
        for path in articles(Path(sys.argv[2]), n, rng):
            print(path)
        return
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 4)
    docs = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8") if line.strip()]
    docs = [d for d in docs if "error" not in d]
    items = [(d, x) for d in docs for x in d.get(kind, [])]
    show = show_event if kind == "events" else show_claim
    print(f"# {len(items)} {kind} in {len(docs)} documents; {min(n, len(items))} drawn\n")
    for i, (doc, x) in enumerate(rng.sample(items, min(n, len(items))), 1):
        print(f"[{i}] {show(doc, x)}\n")


if __name__ == "__main__":
    main()
