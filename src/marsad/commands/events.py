"""``marsad build triggers`` (event trigger lexicon) and ``marsad eval seeds`` (seed-article scores)."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

from marsad.cli import group
from marsad.commands.ner import add_tagger_option


def register(sub) -> None:
    p = group(sub, "build", "build derived resources from ../shared data").add_parser(
        "triggers", help="event trigger lexicon from the Arabic CAMEO dictionary (hand rows kept)"
    )
    p.add_argument("--cameo", help="CAMEO.ar verb dictionary (default: ../shared/data/events/petrarch_ar)")
    p.add_argument("--plover", help="CAMEO2PLOVER table (default: ../shared/data/events/plover)")
    p.add_argument("--out", help="output TSV (default: the package's resources)")
    p.set_defaults(func=run_build)

    e = group(sub, "eval", "score the pipeline against reference data").add_parser(
        "seeds", help="recall on the five seed articles (../shared/gold/seeds.json)"
    )
    e.add_argument("--gold", help="gold JSON (default: ../shared/gold/seeds.json)")
    e.add_argument("--seeds", help="folder of seed articles (default: ../shared/corpus/seeds)")
    e.add_argument("--format", choices=["table", "json"], default="table")
    e.add_argument("--details", action="store_true", help="list every missed item")
    e.add_argument(
        "--oracle-entities", action="store_true", help="diagnostic: use the gold entities in place of recognition"
    )
    add_tagger_option(e, "--ner-tagger", default="accurate")
    e.set_defaults(func=run_eval)


def run_build(args) -> int:
    from marsad.paths import require_shared
    from marsad.tools.build_triggers import build

    shared = None if (args.cameo and args.plover) else require_shared()
    cameo = Path(args.cameo) if args.cameo else shared / "data/events/petrarch_ar/CAMEO.ar.0.5.txt"
    plover = Path(args.plover) if args.plover else shared / "data/events/plover/CAMEO2PLOVER-2021.txt"
    res = resources.files("marsad.resources")
    out = Path(args.out) if args.out else Path(str(res)) / "event_triggers.tsv"
    cues = json.loads(res.joinpath("event_cues.json").read_text(encoding="utf-8"))
    reporting = json.loads(res.joinpath("sources.json").read_text(encoding="utf-8"))["verb_cues"]
    hand, derived = build(cameo, plover, out, set(cues["not_triggers"]) | set(reporting))
    print(f"wrote {hand} hand rows and {derived} CAMEO-derived rows to {out}", file=sys.stderr)
    return 0


def run_eval(args) -> int:
    from marsad.eval.seeds import evaluate, format_table
    from marsad.paths import require_shared
    from marsad.pipeline import Pipeline, load_config, set_options

    shared = None if (args.gold and args.seeds) else require_shared()
    gold = Path(args.gold) if args.gold else shared / "gold" / "seeds.json"
    seeds = Path(args.seeds) if args.seeds else shared / "corpus" / "seeds"
    config = set_options(load_config(), "ner", tagger=args.ner_tagger)
    report = evaluate(gold, seeds, Pipeline.from_config(config), oracle=args.oracle_entities)
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_table(report, details=args.details))
    return 0
