"""Whole-pipeline benchmark on the ANT corpus: articles/s, tokens/s, CPU time, peak memory, time per stage.

    .venv/bin/python bench/bench_pipeline.py --limit 1000 --jobs 2
    .venv/bin/python bench/bench_pipeline.py --limit 0 --jobs 2        # all 31,512 articles
    .venv/bin/python bench/bench_pipeline.py --ner-tagger fast          # the distilled NER student

It runs the same code as ``marsad analyze`` (readers, worker pool, JSON
serialisation to /dev/null) and prints a Markdown block for docs/benchmarks.md.
Wall time depends on what else the machine runs, so it also reports the
CPU-seconds per article (all processes) and the load average.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import multiprocessing as mp
import os
import platform
import sys
import threading
import time
from collections import Counter

from marsad.io import read_paths
from marsad.nlp.ner import TAGGERS
from marsad.paths import require_shared
from marsad.pipeline import DOCS_PER_BATCH, Pipeline, analyze_stream, document_from_raw, load_config, set_options


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def rss_mib(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:")) / 1024
    except (OSError, StopIteration):  # the process just ended
        return 0.0


class MemorySampler(threading.Thread):
    """Peak of the summed RSS of this process and its workers, and of the largest one, sampled every 0.2 s."""

    def __init__(self):
        super().__init__(daemon=True)
        self.total = self.largest = 0.0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.2):
            sizes = [rss_mib(os.getpid())] + [rss_mib(p.pid) for p in mp.active_children()]
            self.total = max(self.total, sum(sizes))
            self.largest = max(self.largest, max(sizes))


def cpu_seconds() -> float:
    """User and system time of this process and its finished children."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def stage_times(raws, sample: int, config: dict) -> tuple[dict[str, float], float]:
    """(seconds per component, CPU-seconds) over ``sample`` documents, one process, batched as in a run."""
    pipeline = Pipeline.from_config(config)
    pipeline.timings = {}
    c0 = time.process_time()
    docs = iter(itertools.islice(raws, sample))
    while batch := [document_from_raw(raw) for raw in itertools.islice(docs, DOCS_PER_BATCH)]:
        pipeline.run_many(batch)
    return pipeline.timings, time.process_time() - c0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=None)
    parser.add_argument("--limit", type=int, default=1000, help="articles (0 = all)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--stage-sample", type=int, default=200)
    parser.add_argument("--pipeline", help="a pipeline configuration JSON file instead of the built-in one")
    parser.add_argument("--ner-tagger", choices=TAGGERS, help="the NER component's tagger")
    args = parser.parse_args()
    config = load_config(args.pipeline)
    if args.ner_tagger:
        set_options(config, "ner", tagger=args.ner_tagger)
    corpus = args.corpus or str(require_shared() / "corpus" / "ant")

    def raws():
        stream = (r for r in read_paths([corpus]) if r.id)  # TREC articles only, not the corpus README
        return itertools.islice(stream, args.limit) if args.limit else stream

    load_before = os.getloadavg()[0]
    memory = MemorySampler()
    memory.start()
    t0, c0 = time.perf_counter(), cpu_seconds()
    docs = tokens = 0
    errors: Counter[str] = Counter()
    with open(os.devnull, "w", encoding="utf-8") as sink:
        for obj in analyze_stream(raws(), jobs=args.jobs, config=config):
            sink.write(json.dumps(obj, ensure_ascii=False) + "\n")
            docs += 1
            if "error" in obj:
                errors[obj["error"]["code"]] += 1
            tokens += len(obj.get("text", "").split())
    elapsed, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    memory.stop.set()
    memory.join()
    load_after = os.getloadavg()[0]
    stages, stage_cpu = stage_times(raws(), args.stage_sample, config)
    n_stage = min(args.stage_sample, docs)
    total_stage = sum(stages.values()) or 1.0
    today = dt.date.today().isoformat()
    tagger = args.ner_tagger or "as configured"
    print(f"### Pipeline on {docs} ANT articles, {args.jobs} worker(s), NER tagger {tagger} — {today}\n")
    print(f"Machine: {machine()}; load average (1 min) {load_before:.1f} before, {load_after:.1f} after\n")
    print("| articles | seconds | articles/s | words/s | CPU-s/article | peak RSS, all processes (MiB) | largest process (MiB) | errors |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    err = ", ".join(f"{k}: {v}" for k, v in errors.most_common()) or "0"
    print(
        f"| {docs} | {elapsed:.1f} | {docs / elapsed:.1f} | {tokens / elapsed:,.0f} | {cpu / docs:.4f} "
        f"| {memory.total:.0f} | {memory.largest:.0f} | {err} |\n"
    )
    print(f"Time per stage (one process, {n_stage} articles, {stage_cpu / n_stage * 1000:.1f} CPU-ms/article):\n")
    print("| stage | ms/article | share |")
    print("| --- | --- | --- |")
    for name, secs in stages.items():
        print(f"| {name} | {1000 * secs / n_stage:.2f} | {100 * secs / total_stage:.0f}% |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
