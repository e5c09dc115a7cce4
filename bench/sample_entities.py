"""Seeded samples for checking corpus-level entity merging by hand (issue 5).

Usage:
  python bench/sample_entities.py files CORPUS [N] [SEED]
      N random ANT articles (middleEast and internationalNews, equal share per outlet),
      one path per line, for `marsad ingest`.
  python bench/sample_entities.py entities ENTITIES_JSON [N] [SEED]
      N random entities among those where a merge happened (2+ distinct aliases or
      2+ documents), from `marsad entities --format json`, one block per entity.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

FOLDERS = ("middleEast", "internationalNews")


def sample_files(root: Path, n: int, rng: random.Random) -> list[Path]:
    outlets = sorted(p for p in root.iterdir() if p.is_dir())
    picked: list[Path] = []
    for i, outlet in enumerate(outlets):
        share = n // len(outlets) + (i < n % len(outlets))
        files = sorted(f for folder in FOLDERS if (outlet / folder).is_dir()
                       for f in (outlet / folder).iterdir() if f.is_file())
        picked += rng.sample(files, min(share, len(files)))
    return picked


def merged(entity: dict) -> bool:
    return len(entity.get("aliases") or []) >= 2 or (entity.get("documents") or 0) >= 2


def show(i: int, e: dict) -> str:
    aliases = ", ".join(f"{a['text']} ({a['count']})" for a in e.get("aliases") or [])
    return (f"{i}. {e.get('name')} [{e.get('type')}] kb={e.get('kb_id')} en={e.get('name_en')} "
            f"docs={e.get('documents')}\n   aliases: {aliases}")


def main() -> None:
    kind, path = sys.argv[1], Path(sys.argv[2])
    n = int(sys.argv[3]) if len(sys.argv) > 3 else (400 if kind == "files" else 300)
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 5)
    if kind == "files":
        for f in sample_files(path, n, rng):
            print(f)
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    entities = data if isinstance(data, list) else data["entities"]
    pool = [e for e in entities if merged(e)]
    print(f"# {len(entities)} entities, {len(pool)} with 2+ aliases or 2+ documents", file=sys.stderr)
    for i, e in enumerate(rng.sample(pool, min(n, len(pool))), 1):
        print(show(i, e))


if __name__ == "__main__":
    main()
