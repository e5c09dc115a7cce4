"""``make demo``: analyse the sample articles, store them, print a summary and open the web application.

Without the web layer (or with ``--no-serve``) it stops after the summary.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from marsad.io import read_paths
from marsad.pipeline import analyze_stream

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"


def summarise(obj: dict) -> str:
    if "error" in obj and not obj.get("text"):
        return f"✗ {obj['path']}: {obj['error']['message']}"
    names = {e["id"]: e["name"] for e in obj["entities"]}
    lines = [f"■ {obj.get('title') or obj['path']}", f"  outlet: {obj.get('outlet')}  published: {obj.get('published')}  genre: {obj.get('genre')}"]
    by_type = Counter(e["type"] for e in obj["entities"])
    if obj["entities"]:
        lines.append("  entities: " + ", ".join(f"{t} {n}" for t, n in sorted(by_type.items())))
        lines.append("    " + "، ".join(e["name"] + (f" ({e['name_en']})" if e.get("name_en") else "") for e in obj["entities"][:12]))
    for ev in obj["events"][:8]:
        actor, target = names.get(ev["actor"], "?"), names.get(ev["target"], "?")
        mode = f" [{ev['mode']}]" if ev.get("mode") else ""
        lines.append(f"  event {ev['type']}{mode}: {actor} → {target}  «{ev['trigger']['text']}»")
    for claim in obj["claims"][:6]:
        chain = " ← ".join(f"{s['text']} ({s['kind']})" for s in claim["sources"])
        lines.append(f"  claim: {chain}")
    for ch in obj["chains"]:
        lines.append("  message chain: " + " → ".join(h["text"] for h in ch["hops"]))
    if obj["dates"]:
        lines.append("  dates: " + "، ".join(f"{d['text']}={d['value']}" for d in obj["dates"][:8]))
    if obj.get("removed"):
        lines.append(f"  boilerplate removed: {len(obj['removed'])} piece(s)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m marsad.demo")
    parser.add_argument("--db", default="demo.db")
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)

    objs = list(analyze_stream(read_paths([str(EXAMPLES)]), jobs=1))
    for obj in objs:
        print(summarise(obj))
        print()
    try:
        from marsad.commands import store as store_commands  # noqa: F401
        from marsad.cli import main as cli_main
    except ImportError:
        return 0
    cli_main(["ingest", str(EXAMPLES), "--db", args.db])
    if args.no_serve:
        return 0
    try:
        from marsad.commands import web  # noqa: F401
    except ImportError:
        return 0
    print(f"Opening the web application on http://127.0.0.1:{args.port}/ (Ctrl-C to stop)", file=sys.stderr)
    return cli_main(["serve", "--db", args.db, "--port", str(args.port)])


if __name__ == "__main__":
    sys.exit(main())
