"""Samples of the corpus-level records of a store, printed for checking by hand.

Usage: python bench/sample_corpus.py DB KIND [N] [SEED]
KIND is one of:
  copies         copy pairs (copy, earliest version), with similarity
  near-misses    pairs of distinct documents with MinHash similarity 0.4-0.7 (not linked: possible misses)
  story-pairs    random pairs of reports placed in the same story (precision)
  split-pairs    pairs in different stories sharing the title's content words within 3 days (possible misses)
  events         consolidated events reported by 2+ outlets in multi-outlet stories, with their reports
  claims         claims carried by 2+ outlets, with their chains, flags and denials
  stories        stories reported by 2+ outlets, each with its reports and its largest consolidated
                 events and claims (those with reports from 2+ documents, at most 3 of each)
Each item shows the title and the opening (or the sentence) of each document.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import sys

from marsad.corpus.dedupe import DuplicateIndex
from marsad.corpus.stories import _cosine, _terms
from marsad.store import corpus, open_store


def days(a: dict, b: dict) -> int:
    try:
        return abs((dt.date.fromisoformat(a["published"]) - dt.date.fromisoformat(b["published"])).days)
    except (TypeError, ValueError):
        return 999


def lead(doc: dict, width: int = 160) -> str:
    text = (doc.get("text") or "").replace("\n", " ")
    title = doc.get("title") or ""
    body = text[len(title):].strip() if text.startswith(title) else text
    return f"[{doc.get('outlet')} {doc.get('published')}] {title} || {body[:width]}"


def show_story(k: int, story: dict, per_story: int = 3, per_record: int = 6) -> None:
    """One story: its reports, then its consolidated events and claims that merge 2+ documents."""
    counts = story["counts"]
    print(f"\n{k}. story {story['id']} outlets={len(story['outlets'])} reports={counts['reports']}"
          f" events={counts['events']} claims={counts['claims']}")
    for r in story["reports"][:12]:
        print(f"   * [{r['outlet']} {r['published']} {r['id']}] {r['title']}")
    if len(story["reports"]) > 12:
        print(f"   * ... {len(story['reports']) - 12} more reports")
    # Only records that merge reports of different documents test consolidation across documents.
    events = [e for e in story["events"] if e["documents"] >= 2][:per_story]
    claims = [c for c in story["claims"] if c["documents"] >= 2][:per_story]
    for j, e in enumerate(events, 1):
        actor = e["actor"] and e["actor"]["name"]
        target = e["target"] and e["target"]["name"]
        print(f"   E{j} {e['type']} actor={actor} target={target} documents={e['documents']} outlets={len(e['outlets'])}")
        for r in e["reports"][:per_record]:
            print(f"      - [{r['outlet']} {r['published']} {r['id']}] {r.get('trigger') or ''} | {(r.get('sentence') or '')[:150]}")
        if len(e["reports"]) > per_record:
            print(f"      - ... {len(e['reports']) - per_record} more reports")
    for j, c in enumerate(claims, 1):
        origin = c.get("original_source") or {}
        first = c["earliest_report"]
        print(f"   C{j} documents={c['documents']} outlets={len(c['outlets'])} flags={','.join(c['flags']) or '-'}"
              f" earliest=[{first['outlet']} {first['published']} {first['id']}] origin={origin.get('text')}({origin.get('kind')})")
        for r in c["reports"][:per_record]:
            chain = " > ".join(f"{h['text']}({h['kind']})" for h in r.get("chain", []))
            print(f"      - [{r['outlet']} {r['published']} {r['id']}] {(r.get('text') or '')[:150]} || {chain}")
        if len(c["reports"]) > per_record:
            print(f"      - ... {len(c['reports']) - per_record} more reports")
        for d in c.get("denials", [])[:3]:
            print(f"      ! denial [{d['outlet']} {d['id']}] {d['text'][:150]}")


def main() -> None:
    db, kind = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 10)
    store = open_store(db)
    docs = {d["id"]: d for d in store.iter_documents() if "error" not in d}
    items: list = []
    if kind == "copies":
        items = [(c["id"], c["original"], c["similarity"]) for c in corpus.copies(store)]
    elif kind == "near-misses":
        index = DuplicateIndex(threshold=0.4)
        for d in sorted(docs.values(), key=lambda d: (d.get("published") or "9999", d["id"])):
            index.add(d["id"], d.get("text") or "", d.get("published"))
        for group in index.groups():
            for a, b in itertools.combinations(group, 2):
                if 0.4 <= index.similarity(a, b) < 0.7:
                    items.append((a, b, round(index.similarity(a, b), 3)))
    elif kind in ("story-pairs", "split-pairs"):
        stories = corpus.stories(store)
        story_of = {r["id"]: s["id"] for s in stories for r in s["reports"]}
        if kind == "story-pairs":
            pairs = [(a["id"], b["id"]) for s in stories for a, b in itertools.combinations(s["reports"], 2)]
        else:
            titles = {i: _terms(d.get("title") or "") for i, d in docs.items() if i in story_of}
            ids = sorted(titles, key=lambda i: docs[i].get("published") or "")
            pairs = []
            for i, a in enumerate(ids):
                for b in ids[i + 1 : i + 400]:
                    if story_of[a] != story_of[b] and days(docs[a], docs[b]) <= 3 and _cosine(titles[a], titles[b]) >= 0.5:
                        pairs.append((a, b))
        items = [(a, b, story_of[a]) for a, b in pairs]
    elif kind == "events":
        multi = {s["id"] for s in corpus.stories(store, min_outlets=2)}
        items = [e for e in corpus.events(store) if e["story"] in multi and len(e["outlets"]) >= 2]
    elif kind == "claims":
        items = corpus.claims(store, min_outlets=2)
    elif kind == "stories":
        items = corpus.stories(store, min_outlets=2)
    else:
        raise SystemExit(__doc__)
    print(f"# {kind}: {len(items)} in all, {min(n, len(items))} sampled")
    for k, item in enumerate(rng.sample(items, min(n, len(items))), 1):
        if kind == "stories":
            show_story(k, corpus.story(store, item["id"]))
        elif kind in ("events", "claims"):
            what = f"{item['type']} actor={item['actor'] and item['actor']['name']} target={item['target'] and item['target']['name']}" if kind == "events" else " ".join(item["flags"])
            print(f"\n{k}. {kind[:-1]} {item['id']} {what} outlets={len(item['outlets'])}")
            for r in item["reports"]:
                chain = " > ".join(f"{h['text']}({h['kind']})" for h in r.get("chain", []))
                print(f"   - [{r['outlet']} {r['published']} {r['id']}] {r.get('trigger') or ''} | {(r.get('sentence') or r.get('text') or '')[:200]} {chain}")
            for d in item.get("denials", []):
                print(f"   ! denial [{d['outlet']} {d['id']}] {d['text'][:200]}")
        else:
            a, b, extra = item
            print(f"\n{k}. {extra}\n   A {a}: {lead(docs[a])}\n   B {b}: {lead(docs[b])}")
    store.close()


if __name__ == "__main__":
    main()
