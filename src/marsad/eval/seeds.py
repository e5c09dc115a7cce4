"""Recall on the seed articles against ``gold/seeds.json``, by the contract's matching rules.

Every string is compared after ``fold_key``: white space runs (no-break spaces
included) to one space, no diacritics or tatweel, أ إ آ ٱ → ا, ى → ي, ة → ه.

* entity: a predicted entity of the same type whose name or a mention equals
  the gold name or one of its mentions;
* event: a predicted event of the gold type (or one of ``type_any``) whose
  sentence contains the evidence, and, when the gold names an actor, whose
  actor entity is that entity (its name or a mention equals the gold actor's
  name or one of the gold actor entity's mentions);
* attribution: a predicted claim whose sentence contains ``claim_contains`` and
  one of whose sources matches the gold source (or the last of
  ``source_chain``). "Matches" is read as: equal, or one contains the other as
  whole words (a source phrase carries adjectives the gold leaves out:
  صحيفة غارديان البريطانية ⊇ غارديان), or the source's entity has the gold
  string as name or mention;
* date: a predicted date whose text equals, contains or is contained in the
  gold text, with the gold value (or month/day) when one is given;
* boilerplate: the gold boilerplate is absent from ``text`` and every gold
  evidence string is present.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Optional

from marsad.io import read_paths
from marsad.model import Document, Entity, Mention
from marsad.pipeline import Pipeline, document_from_raw
from marsad.text.normalize import fold, fold_with_map, to_original_span

_KEY_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_SPACE = re.compile(r"\s+")

CATEGORIES = ("entities", "events", "attributions", "dates", "boilerplate")


def fold_key(text: Optional[str]) -> str:
    """The contract's comparison key."""
    if not text:
        return ""
    return _SPACE.sub(" ", _MARKS.sub("", text).translate(_KEY_FOLD)).strip()


def _contains_words(big: str, small: str) -> bool:
    return bool(small) and f" {small} " in f" {big} "


def _strings_of(ent: Entity) -> set[str]:
    return {fold_key(ent.name)} | {fold_key(m.text) for m in ent.mentions}


def _gold_strings(name: str, gold_entities: list[dict]) -> set[str]:
    key = fold_key(name)
    for g in gold_entities:
        names = {fold_key(g["name"])} | {fold_key(m) for m in g.get("mentions", [])}
        if key in names:
            return names
    return {key}


def match_entity(gold: dict, doc: Document) -> bool:
    want = {fold_key(gold["name"])} | {fold_key(m) for m in gold.get("mentions", [])}
    return any(e.type == gold["type"] and _strings_of(e) & want for e in doc.entities)


def match_event(gold: dict, doc: Document, gold_entities: list[dict]) -> bool:
    types = set(gold.get("type_any") or []) | {gold["type"]}
    evidence = fold_key(gold["evidence"])
    actor = gold.get("actor")
    want = _gold_strings(actor, gold_entities) if actor else None
    for ev in doc.events:
        if ev.type not in types or evidence not in fold_key(doc.text[ev.sentence.start : ev.sentence.end]):
            continue
        if want is None:
            return True
        ent = doc.entity(ev.actor)
        if ent is not None and _strings_of(ent) & want:
            return True
    return False


def _source_matches(src, want: str, doc: Document) -> bool:
    text = fold_key(src.text)
    if text == want or _contains_words(text, want) or _contains_words(want, text):
        return True
    ent = doc.entity(src.entity)
    return ent is not None and want in _strings_of(ent)


def match_attribution(gold: dict, doc: Document) -> bool:
    claim = fold_key(gold["claim_contains"])
    want = fold_key(gold.get("source") or (gold.get("source_chain") or [""])[-1])
    for c in doc.claims:
        if claim in fold_key(doc.text[c.sentence.start : c.sentence.end]):
            if any(_source_matches(s, want, doc) for s in c.sources):
                return True
    return False


def match_date(gold: dict, doc: Document) -> bool:
    want = fold_key(gold["text"])
    for d in doc.dates:
        got = fold_key(d.text)
        if not (got == want or want in got or got in want) or not got:
            continue
        if gold.get("value") and d.value != gold["value"]:
            continue
        if gold.get("month"):
            # A full value, or the month and day stated without a year.
            parts = (d.value or "").split("-")
            month = int(parts[1]) if len(parts) >= 2 else d.month
            day = int(parts[2]) if len(parts) >= 3 else d.day
            if month != gold["month"] or (gold.get("day") and day != gold["day"]):
                continue
        return True
    return False


def check_boilerplate(gold: dict, doc: Document) -> list[str]:
    """Problems with the cleaned text: boilerplate kept or evidence lost."""
    text = fold_key(doc.text)
    problems = [f"kept boilerplate: {b}" for b in gold.get("boilerplate", []) if fold_key(b) in text]
    evidence = [e["evidence"] for e in gold.get("events", [])] + [a["claim_contains"] for a in gold.get("attributions", [])]
    problems += [f"lost evidence: {e}" for e in evidence if fold_key(e) not in text]
    return problems


def oracle_entities(doc: Document, gold_entities: list[dict]) -> None:
    """Fill ``doc.entities`` with the gold entities found verbatim (after folding) in the text.

    A diagnostic: it scores events and attributions as if recognition were perfect.
    """
    folded, index = fold_with_map(doc.text)
    taken = [False] * len(folded)
    strings = []
    for k, g in enumerate(gold_entities):
        for name in {g["name"], *g.get("mentions", [])}:
            strings.append((fold(name), k))
    doc.entities = [Entity(id=f"e{k + 1}", type=g["type"], name=g["name"]) for k, g in enumerate(gold_entities)]
    for key, k in sorted(strings, key=lambda x: -len(x[0])):
        if not key:
            continue
        for m in re.finditer(r"(?<![\w])(?:[وفبلك]|لل|ال|وال|بال|فال|وب|ول)?(" + re.escape(key) + r")(?![\w])", folded):
            a, b = m.start(1), m.end(1)
            if any(taken[a:b]):
                continue
            taken[a:b] = [True] * (b - a)
            start, end = to_original_span(index, a, b)
            doc.entities[k].mentions.append(Mention(start, end, doc.text[start:end], doc.entities[k].type, doc.entities[k].id))
    doc.entities = [e for e in doc.entities if e.mentions]


def analyse(path: Path, pipeline: Pipeline, gold_entities: Optional[list[dict]] = None) -> Document:
    raw = next(iter(read_paths([str(path)])))
    doc = document_from_raw(raw)
    if gold_entities is None:
        return pipeline(doc)
    split = pipeline.names.index("events")
    doc = Pipeline(pipeline.components[:split])(doc)
    oracle_entities(doc, gold_entities)
    return Pipeline(pipeline.components[split:])(doc)


def evaluate(gold_path: Path, seeds_dir: Path, pipeline: Optional[Pipeline] = None, oracle: bool = False) -> dict[str, Any]:
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    pipeline = pipeline or Pipeline.from_config()
    totals = {c: [0, 0] for c in CATEGORIES}
    documents = []
    for g in gold["documents"]:
        doc = analyse(Path(seeds_dir) / g["file"], pipeline, g.get("entities", []) if oracle else None)
        missed: dict[str, list[str]] = {c: [] for c in CATEGORIES}
        if doc.error is not None:
            missed["error"] = [f"{doc.error.code}: {doc.error.message}"]
        def tally(check: str, ok: bool, miss: str) -> None:
            totals[check][0] += ok
            totals[check][1] += 1
            if not ok:
                missed[check].append(miss)

        for e in g.get("entities", []):
            tally("entities", match_entity(e, doc), f"{e['type']} {e['name']}")
        for e in g.get("events", []):
            tally("events", match_event(e, doc, g.get("entities", [])), f"{e['type']} actor={e.get('actor')} | {e['evidence']}")
        for a in g.get("attributions", []):
            tally("attributions", match_attribution(a, doc), f"{a.get('source') or a.get('source_chain')} | {a['claim_contains']}")
        for d in g.get("dates", []):
            tally("dates", match_date(d, doc), f"{d['text']} ({d.get('value')})")
        problems = check_boilerplate(g, doc)
        totals["boilerplate"][0] += not problems
        totals["boilerplate"][1] += 1
        missed["boilerplate"] = problems
        documents.append({"file": g["file"], "missed": {k: v for k, v in missed.items() if v}})
    scores = {c: {"found": f, "total": t, "recall": round(f / t, 3) if t else None} for c, (f, t) in totals.items()}
    return {"scores": scores, "documents": documents}


def format_table(report: dict[str, Any], details: bool = False) -> str:
    lines = [f"{'check':<14}{'found':>7}{'total':>7}{'recall':>9}"]
    for name, s in report["scores"].items():
        recall = "-" if s["recall"] is None else f"{s['recall']:.3f}"
        lines.append(f"{name:<14}{s['found']:>7}{s['total']:>7}{recall:>9}")
    if details:
        for d in report["documents"]:
            for cat, items in d["missed"].items():
                for item in items:
                    lines.append(f"{d['file']}  {cat}: {item}")
    return "\n".join(lines)
