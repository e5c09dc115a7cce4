"""Neural NER speed: model load time and tagging throughput (tokens/s, one core).

Usage: python bench/bench_ner_neural.py [CONLL_FILE]  (default: ANERcorp test from ../shared)
Sentences are tagged one at a time and in length-sorted batches of 32.
"""

from __future__ import annotations

import sys
import time

from marsad.nlp.ner.conll import read_conll
from marsad.nlp.ner.neural import NeuralNerTagger
from marsad.paths import require_shared


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else require_shared() / "data/ner/anercorp/ANERCorp_CamelLab_test.txt"
    sentences = [w for w, _ in read_conll(path, with_tags=False)]
    tokens = sum(len(s) for s in sentences)
    t0 = time.perf_counter()
    tagger = NeuralNerTagger(threads=1)
    print(f"model load: {time.perf_counter() - t0:.3f} s")
    for name, run in (("one by one", lambda: [tagger.tag(s) for s in sentences]), ("batched", lambda: tagger.tag_many(sentences))):
        t0 = time.perf_counter()
        run()
        dt = time.perf_counter() - t0
        print(f"tagging ({name}): {tokens} tokens in {dt:.2f} s = {tokens / dt:,.0f} tokens/s")


if __name__ == "__main__":
    main()
