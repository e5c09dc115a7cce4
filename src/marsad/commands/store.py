"""Knowledge-base commands: ``ingest``, ``reindex``, ``stats``, ``search``, ``entities``, ``export``."""

from __future__ import annotations

import json
import os
import sys

from marsad.commands.analyze import _date, add_limits, configured, limit_memory


def _db(p) -> None:
    p.add_argument("--db", help="SQLite file or postgresql:// DSN (default: $MARSAD_DB, else the user's data folder)")


def _progress_bar(desc: str):
    from tqdm import tqdm

    show = sys.stderr.isatty() or os.environ.get("MARSAD_PROGRESS") == "1"
    return tqdm(disable=not show, unit="doc", file=sys.stderr, desc=desc)


def register(sub) -> None:
    p = sub.add_parser("ingest", help="analyse documents and store them (reruns store nothing twice)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    _db(p)
    p.add_argument("--jobs", type=int, default=0, help="worker processes (default: number of cores, 1 for one file)")
    p.add_argument("--batch", type=int, default=100, help="documents per committed transaction")
    p.add_argument("--published", type=_date, help="publication date to use when a document has none")
    p.add_argument("--pipeline", help="a pipeline configuration JSON file instead of the built-in one")
    add_limits(p)
    p.set_defaults(func=run_ingest)

    p = sub.add_parser("reindex", help="re-analyse stored documents analysed by another pipeline version")
    _db(p)
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--pipeline", help="a pipeline configuration JSON file instead of the built-in one")
    p.set_defaults(func=run_reindex)

    p = sub.add_parser("stats", help="counts of what the knowledge base holds")
    _db(p)
    p.add_argument("--format", choices=["json"], default="json")
    p.set_defaults(func=run_stats)

    p = sub.add_parser("search", help="search stored documents (Arabic-aware)")
    p.add_argument("query", metavar="QUERY")
    _db(p)
    p.add_argument("--format", choices=["json"], default="json")
    p.add_argument("--outlet")
    p.add_argument("--from", dest="date_from", type=_date, metavar="DATE")
    p.add_argument("--to", dest="date_to", type=_date, metavar="DATE")
    p.add_argument("--entity", metavar="NAME", help="only documents mentioning this entity (Arabic or English name)")
    p.add_argument("--event-type", metavar="T", help="only documents with an event of this PLOVER type")
    p.add_argument("--source-kind", metavar="K", help="only documents with a claim sourced this way (e.g. anonymous)")
    p.add_argument("--limit", type=int, default=20)
    p.set_defaults(func=run_search)

    p = sub.add_parser("entities", help="the corpus-level entity table")
    _db(p)
    p.add_argument("--format", choices=["json"], default="json")
    p.add_argument("--limit", type=int, default=0, help="at most this many entities (0: all)")
    p.set_defaults(func=run_entities)

    p = sub.add_parser("export", help="export the knowledge base")
    _db(p)
    p.add_argument("--format", choices=["jsonl", "csv", "graphml", "ftm"], default="jsonl")
    p.add_argument("--out", metavar="PATH", help="output file (a folder for csv); default standard output")
    p.set_defaults(func=run_export)


def _open(args):
    from marsad.store import open_store

    return open_store(args.db)


def run_ingest(args) -> int:
    from marsad.io import check_paths, read_paths
    from marsad.store.ingest import ingest

    check_paths(args.paths)
    config = configured(args)
    limit_memory(args.max_memory)
    jobs = args.jobs or (1 if all(os.path.isfile(p) or p == "-" for p in args.paths) else (os.cpu_count() or 1))
    store = _open(args)
    try:
        with _progress_bar("ingest") as bar:
            report = ingest(
                store, read_paths(args.paths, args.max_bytes), jobs=jobs, published=args.published,
                batch_size=max(1, args.batch), config=config, progress=bar.update,
            )
    finally:
        store.close()
    print(
        f"marsad: stored {report.added} document(s), skipped {report.skipped} already stored"
        + (f", {report.failed} with errors" if report.failed else ""),
        file=sys.stderr,
    )
    return 0


def run_reindex(args) -> int:
    from marsad.pipeline import load_config
    from marsad.store.ingest import reindex

    store = _open(args)
    try:
        with _progress_bar("reindex") as bar:
            n = reindex(store, jobs=args.jobs, batch_size=max(1, args.batch), config=load_config(args.pipeline), progress=bar.update)
    finally:
        store.close()
    print(f"marsad: re-analysed {n} document(s)", file=sys.stderr)
    return 0


def _print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=1) + "\n")


def run_stats(args) -> int:
    store = _open(args)
    try:
        _print_json(store.stats())
    finally:
        store.close()
    return 0


def run_search(args) -> int:
    store = _open(args)
    try:
        _print_json(store.search(
            args.query, limit=args.limit, outlet=args.outlet, date_from=args.date_from, date_to=args.date_to,
            entity=args.entity, event_type=args.event_type, source_kind=args.source_kind,
        ))
    finally:
        store.close()
    return 0


def run_entities(args) -> int:
    store = _open(args)
    try:
        rows = store.entities()
        _print_json(rows[: args.limit] if args.limit else rows)
    finally:
        store.close()
    return 0


def run_export(args) -> int:
    from marsad.store import export

    store = _open(args)
    try:
        export.export(store, args.format, args.out)
    finally:
        store.close()
    return 0
