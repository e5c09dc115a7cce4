"""``marsad build kb``: the entity knowledge base behind linking and gazetteer mentions."""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from marsad.cli import group
from marsad.paths import require_shared


def register(sub) -> None:
    p = group(sub, "build", "build derived resources from ../shared data").add_parser(
        "kb", help="knowledge base of countries, cities, actors and demonyms"
    )
    p.add_argument("--out", help="output file (default: the package's resources/kb/kb.json.gz)")
    p.set_defaults(func=run)
    names = group(sub, "build", "build derived resources from ../shared data").add_parser(
        "names", help="lexicon of names mined from the ANT news corpus (heads and tagger consistency)"
    )
    names.add_argument("--tag-limit", type=int, default=3000, help="documents the tagger reads (default 3000)")
    names.add_argument("--out", help="output file (default: the package's resources/kb/news_names.tsv)")
    names.set_defaults(func=run_names)


def run(args) -> int:
    from marsad.tools.build_kb import build, default_resource_dir, write

    started = time.perf_counter()
    resource_dir = default_resource_dir()
    out = Path(args.out) if args.out else resource_dir / "kb.json.gz"
    kb = build(require_shared(), resource_dir)
    write(kb, out)
    kinds = Counter(r["kind"] for r in kb["records"])
    summary = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
    print(
        f"wrote {len(kb['records'])} records ({summary}), {len(kb['demonyms'])} demonym forms, "
        f"{len(kb['translit'])} transliterations to {out} ({out.stat().st_size / 1e6:.1f} MB) "
        f"in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


def run_names(args) -> int:
    from marsad.tools.build_kb import default_resource_dir
    from marsad.tools.build_names import build, write

    started = time.perf_counter()
    out = Path(args.out) if args.out else default_resource_dir() / "news_names.tsv"
    rows = build(require_shared() / "corpus" / "ant", tag_limit=args.tag_limit)
    write(rows, out)
    kinds = Counter(r[4] for r in rows)
    print(f"wrote {len(rows)} names ({dict(kinds)}) to {out} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0
