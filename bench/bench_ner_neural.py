"""Neural NER speed: model load time and tagging throughput (tokens/s, one core).

Usage: python bench/bench_ner_neural.py [--fast] [--folder DIR] [--ant N [--repeat R]] [CONLL_FILE]

The shipped merged networks, or with --fast their distilled student (or the tagger in DIR).
CONLL_FILE (default: the ANERcorp test from ../shared) is tagged one sentence at a time,
then in batches twice: first with the word caches empty, then with its words known.
With --ant N, a fresh tagger then tags N ANT articles, the sentences of 32 articles in one
call as the pipeline's batches do: the throughput on a stream of news, caches filling as it goes
(R times with --repeat, for the spread of a noisy machine).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from marsad.nlp.ner.conll import read_conll
from marsad.paths import require_shared


def _load(args):
    if args.fast:
        from marsad.nlp.ner.neural.fast import FastNerTagger

        return FastNerTagger(args.folder, threads=1)
    from marsad.nlp.ner.neural import NeuralNerTagger

    return NeuralNerTagger(args.folder, threads=1)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("conll", nargs="?")
    p.add_argument("--fast", action="store_true", help="the distilled student")
    p.add_argument("--folder", type=Path, help="a tagger folder instead of the shipped one")
    p.add_argument("--ant", type=int, default=0, metavar="N", help="also tag N ANT articles (a news stream)")
    p.add_argument("--repeat", type=int, default=1, metavar="R", help="tag the stream R times, each with a fresh tagger")
    args = p.parse_args()
    path = args.conll or require_shared() / "data/ner/anercorp/ANERCorp_CamelLab_test.txt"
    sentences = [w for w, _ in read_conll(path, with_tags=False)]
    tokens = sum(len(s) for s in sentences)
    t0 = time.perf_counter()
    tagger = _load(args)
    print(f"model load: {time.perf_counter() - t0:.3f} s")
    fresh = _load(args)
    runs = (("one by one", lambda: [tagger.tag(s) for s in sentences]),
            ("batched, fresh tagger", lambda: fresh.tag_many(sentences)),
            ("batched, words known", lambda: fresh.tag_many(sentences)))
    for name, run in runs:
        t0 = time.perf_counter()
        run()
        dt = time.perf_counter() - t0
        print(f"tagging ({name}): {tokens} tokens in {dt:.2f} s = {tokens / dt:,.0f} tokens/s")
    if args.ant:
        from marsad.nlp.ner.neural import pseudo
        from marsad.text.tokens import segment

        docs = pseudo.sample(require_shared() / "corpus/ant", args.ant, seed=1)
        n = sum(len(s) for d in docs for s in d)
        rates = []
        for _ in range(args.repeat):
            segment.cache_clear()  # as in a fresh process: no word of the stream segmented yet
            tagger = _load(args)
            t0 = time.perf_counter()
            for s in range(0, len(docs), 32):
                tagger.tag_many([sentence for doc in docs[s : s + 32] for sentence in doc])
            dt = time.perf_counter() - t0
            rates.append(n / dt)
            print(f"ANT stream: {len(docs)} articles, {n} tokens in {dt:.2f} s = {n / dt:,.0f} tokens/s")
        if len(rates) > 1:
            rates.sort()
            print(f"ANT stream over {len(rates)} runs: min {rates[0]:,.0f}, median {rates[len(rates) // 2]:,.0f}, max {rates[-1]:,.0f} tokens/s")


if __name__ == "__main__":
    main()
