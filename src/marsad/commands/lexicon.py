"""``marsad build lexicon``: the word-frequency table behind clitic segmentation."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

from marsad.cli import group
from marsad.paths import require_shared
from marsad.text.tokens import LEXICON_RESOURCE


def register(sub) -> None:
    p = group(sub, "build", "build derived resources from ../shared data").add_parser(
        "lexicon", help="word frequencies from the ANT corpus, for clitic segmentation"
    )
    p.add_argument("--corpus", help="corpus folder (default: ../shared/corpus/ant)")
    p.add_argument("--min-count", type=int, default=3)
    p.add_argument("--out", help="output file (default: the package's resources)")
    p.set_defaults(func=run)


def run(args) -> int:
    from marsad.tools.build_lexicon import count_words, write_lexicon

    corpus = Path(args.corpus) if args.corpus else require_shared() / "corpus" / "ant"
    out = Path(args.out) if args.out else Path(str(resources.files("marsad.resources"))) / LEXICON_RESOURCE
    n = write_lexicon(count_words(corpus), out, args.min_count)
    print(f"wrote {n} word forms to {out}", file=sys.stderr)
    return 0
