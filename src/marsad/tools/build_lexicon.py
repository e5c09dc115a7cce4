"""Build the word-frequency lexicon that backs clitic segmentation.

Counts folded word forms over the ANT corpus (../shared/corpus/ant), keeping
forms seen at least ``min_count`` times. The output is a derived table, not a
copy of the corpus.
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from pathlib import Path

from marsad.io import read_paths
from marsad.text.normalize import fold

_ARABIC_WORD = re.compile(r"[\u0621-\u064A]{2,}")


def count_words(corpus: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    for raw in read_paths([str(corpus)]):
        if raw.text:
            counts.update(_ARABIC_WORD.findall(fold(raw.text)))
    return counts


def write_lexicon(counts: Counter[str], out: Path, min_count: int = 3) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    kept = sorted(((w, c) for w, c in counts.items() if c >= min_count), key=lambda wc: (-wc[1], wc[0]))
    # mtime=0 keeps the file byte-identical across rebuilds.
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write("".join(f"{w}\t{c}\n" for w, c in kept).encode("utf-8"))
    return len(kept)
