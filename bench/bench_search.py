"""Search benchmark: ingest N ANT articles, then time 100 realistic Arabic queries.

    python bench/bench_search.py 1000 [--db FILE|postgresql://...] [--jobs 1]

Prints ingest time per document and search latency p50/p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from marsad.io import read_paths
from marsad.paths import require_shared
from marsad.store import open_store
from marsad.store.ingest import ingest

# Names, places, event words and topics as a reader would type them, many with clitics or inflections.
QUERIES = [
    "ترامب", "بترامب", "الرئيس الأمريكي", "بوتين", "ماكرون", "أردوغان", "نتنياهو", "محمد بن سلمان", "السيسي", "روحاني",
    "الأسد", "خامنئي", "ميركل", "تيريزا ماي", "كيم جونغ أون", "الحريري", "عون", "عباس", "بومبيو", "ظريف",
    "العراق", "بالعراق", "سوريا", "وسوريا", "اليمن", "باليمن", "لبنان", "للبنان", "إيران", "طهران",
    "دمشق", "بغداد", "القدس", "غزة", "بغزة", "الرياض", "الدوحة", "القاهرة", "موسكو", "واشنطن",
    "إدلب", "الغوطة الشرقية", "عفرين", "الحديدة", "صنعاء", "الموصل", "كركوك", "البصرة", "تركيا", "قطر",
    "اجتماعات", "الاجتماع", "مفاوضات", "المفاوضات النووية", "اتفاق", "الاتفاق النووي", "عقوبات", "بالعقوبات", "قصف", "غارات",
    "هجوم", "الهجمات", "انفجار", "اغتيال", "اعتقال", "مظاهرات", "احتجاجات", "انتخابات", "الانتخابات البرلمانية", "استفتاء",
    "زيارة", "قمة", "مؤتمر صحفي", "بيان", "تصريحات", "تهديد", "وقف إطلاق النار", "هدنة", "لاجئين", "اللاجئون",
    "النفط", "أسعار النفط", "البورصة", "الدولار", "التضخم", "صندوق النقد", "الاستثمارات", "كأس العالم", "المنتخب", "ريال مدريد",
    "محمد صلاح", "ليفربول", "فيسبوك", "آبل", "الذكاء الاصطناعي", "الهواتف الذكية", "مهرجان", "السينما", "الفيلم", "رواية",
]


def ant_files(root: Path, n: int) -> list[str]:
    """n article files taken in turn from each outlet and category, for variety."""
    folders = sorted(p for p in root.glob("*/*") if p.is_dir())
    streams = [iter(sorted(folder.iterdir())) for folder in folders]
    files = [f for f in itertools.chain.from_iterable(itertools.zip_longest(*streams)) if f is not None]
    return [str(f) for f in files[:n]]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of ANT articles to ingest")
    ap.add_argument("--db", help="database (default: a new SQLite file in a temporary folder)")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--limit", type=int, default=20)
    args = ap.parse_args()
    assert len(QUERIES) == 100
    tmp = tempfile.TemporaryDirectory()
    db = args.db or os.path.join(tmp.name, "bench.db")
    store = open_store(db)
    files = ant_files(require_shared() / "corpus" / "ant", args.n)
    t0 = time.perf_counter()
    report = ingest(store, read_paths(files), jobs=args.jobs)
    ingest_s = time.perf_counter() - t0
    print(f"ingest: {report.added} stored, {report.skipped} skipped in {ingest_s:.1f} s"
          f" ({1000 * ingest_s / max(1, report.added + report.skipped):.0f} ms/doc, jobs={args.jobs})")
    for q in QUERIES[:3]:
        store.search(q, limit=args.limit)  # warm caches
    times, empty = [], 0
    for q in QUERIES:
        t = time.perf_counter()
        hits = store.search(q, limit=args.limit)
        times.append(1000 * (time.perf_counter() - t))
        empty += not hits
    times.sort()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    print(f"search: {len(QUERIES)} queries, limit {args.limit}: p50 {statistics.median(times):.1f} ms,"
          f" p95 {p95:.1f} ms, max {times[-1]:.1f} ms; {empty} with no hit")
    stats = store.stats()
    files = [p for p in (db, db + "-wal") if os.path.exists(p)]
    size = f"; {sum(map(os.path.getsize, files)) / 1e6:.1f} MB on disk" if files else ""
    print(f"stats: {stats['documents']} documents, {stats['entities']} entities, {stats['events']} events,"
          f" {stats['claims']} claims{size}")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
