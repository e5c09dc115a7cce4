"""Whole-pipeline benchmark on the ANT corpus: articles/s, tokens/s, peak memory, time per stage.

    .venv/bin/python bench/bench_pipeline.py --limit 1000 --jobs 2
    .venv/bin/python bench/bench_pipeline.py --limit 0 --jobs 2        # all 31,512 articles

It runs the same code as ``marsad analyze`` (readers, worker pool, JSON
serialisation to /dev/null) and prints a Markdown block for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import platform
import resource
import sys
import time
from collections import Counter, defaultdict

from marsad.io import read_paths
from marsad.paths import require_shared
from marsad.pipeline import Pipeline, analyze_stream, document_from_raw


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def peak_rss_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def stage_times(raws, sample: int) -> dict[str, float]:
    """Seconds per component over ``sample`` documents, one process."""
    pipeline = Pipeline.from_config()
    totals: dict[str, float] = defaultdict(float)
    for raw in itertools.islice(raws, sample):
        doc = document_from_raw(raw)
        for comp in pipeline.components:
            if doc.error is not None:
                break
            t0 = time.perf_counter()
            try:
                doc = comp(doc)
            except Exception:  # counted as a failure by the main run; here only timing matters
                break
            totals[comp.name] += time.perf_counter() - t0
    return dict(totals)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=None)
    parser.add_argument("--limit", type=int, default=1000, help="articles (0 = all)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--stage-sample", type=int, default=200)
    args = parser.parse_args()
    corpus = args.corpus or str(require_shared() / "corpus" / "ant")

    def raws():
        stream = (r for r in read_paths([corpus]) if r.id)  # TREC articles only, not the corpus README
        return itertools.islice(stream, args.limit) if args.limit else stream

    t0 = time.perf_counter()
    docs = tokens = 0
    errors: Counter[str] = Counter()
    with open(os.devnull, "w", encoding="utf-8") as sink:
        for obj in analyze_stream(raws(), jobs=args.jobs):
            sink.write(json.dumps(obj, ensure_ascii=False) + "\n")
            docs += 1
            if "error" in obj:
                errors[obj["error"]["code"]] += 1
            tokens += len(obj.get("text", "").split())
    elapsed = time.perf_counter() - t0
    stages = stage_times(raws(), args.stage_sample)
    total_stage = sum(stages.values()) or 1.0
    today = dt.date.today().isoformat()
    print(f"### Pipeline on {docs} ANT articles, {args.jobs} worker(s) — {today}\n")
    print(f"Machine: {machine()}\n")
    print("| articles | seconds | articles/s | words/s | peak RSS (MiB, largest process) | errors |")
    print("| --- | --- | --- | --- | --- | --- |")
    err = ", ".join(f"{k}: {v}" for k, v in errors.most_common()) or "0"
    print(f"| {docs} | {elapsed:.1f} | {docs / elapsed:.1f} | {tokens / elapsed:,.0f} | {peak_rss_mib():.0f} | {err} |\n")
    print(f"Time per stage (one process, {args.stage_sample} articles):\n")
    print("| stage | ms/article | share |")
    print("| --- | --- | --- |")
    for name, secs in stages.items():
        print(f"| {name} | {1000 * secs / args.stage_sample:.2f} | {100 * secs / total_stage:.0f}% |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
