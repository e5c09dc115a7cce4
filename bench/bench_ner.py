"""NER speed: model load time and tagging throughput (tokens/s, one core).

Usage: python bench/bench_ner.py [CONLL_FILE]  (default: ANERcorp test from ../shared)
Tagging runs twice: cold (empty per-word feature cache) and warm.
"""

from __future__ import annotations

import sys
import time

from marsad.nlp.ner.conll import read_conll
from marsad.nlp.ner.tagger import NerTagger
from marsad.paths import require_shared


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else require_shared() / "data/ner/anercorp/ANERCorp_CamelLab_test.txt"
    sentences = [w for w, _ in read_conll(path, with_tags=False)]
    tokens = sum(len(s) for s in sentences)
    t0 = time.perf_counter()
    tagger = NerTagger()
    load = time.perf_counter() - t0
    print(f"model load: {load:.3f} s")
    for run in ("cold", "warm"):
        t0 = time.perf_counter()
        for s in sentences:
            tagger.tag(s)
        dt = time.perf_counter() - t0
        print(f"tagging ({run} cache): {tokens} tokens in {dt:.2f} s = {tokens / dt:,.0f} tokens/s")


if __name__ == "__main__":
    main()
