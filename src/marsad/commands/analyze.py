"""``marsad analyze``: the analysis contract on standard output."""

from __future__ import annotations

import argparse
import os
import sys

from marsad.io import DEFAULT_MAX_BYTES, check_paths, read_paths
from marsad.commands.ner import add_tagger_option
from marsad.pipeline import analyze_stream, load_config, set_options


def _date(value: str) -> str:
    import datetime as dt

    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {value}") from None


def limit_memory(megabytes: int | None) -> None:
    """Cap the memory this process and its workers may allocate (heap and anonymous mappings), so that a
    document needing more fails alone with a MemoryError instead of exhausting the machine."""
    if megabytes:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        wanted = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))


def add_limits(p) -> None:
    """The per-document limits shared by ``analyze`` and ``ingest``."""
    p.add_argument("--doc-timeout", type=float, help="seconds allowed per document (default: the pipeline configuration's limit)")
    p.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="largest input file or record read, in bytes")
    p.add_argument("--max-memory", type=int, metavar="MB",
                   help="memory each process may allocate, in MiB; a document needing more gets an error"
                   " (default: no limit; not with --engine spark)")
    add_tagger_option(p, "--ner-tagger", default=None)


def configured(args) -> dict:
    """The pipeline configuration with the command's limits and NER tagger applied."""
    config = load_config(args.pipeline)
    if args.doc_timeout is not None:
        config.setdefault("limits", {})["seconds_per_document"] = args.doc_timeout
    if args.ner_tagger:
        set_options(config, "ner", tagger=args.ner_tagger)
    return config


def register(sub) -> None:
    p = sub.add_parser("analyze", help="analyse documents and print one JSON object per document")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (recursed), or - for standard input")
    p.add_argument("--format", choices=["jsonl"], default="jsonl")
    p.add_argument("--published", type=_date, help="publication date to use when a document has none")
    p.add_argument("--jobs", type=int, default=0, help="worker processes (default: number of cores, 1 for one file)")
    p.add_argument("--pipeline", help="a pipeline configuration JSON file instead of the built-in one")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on standard error")
    add_limits(p)
    p.add_argument("--engine", choices=["local", "spark"], default="local",
                   help="run here (worker processes) or on Apache Spark (needs the 'spark' extra and Java)")
    p.add_argument("--master", help="Spark master URL, e.g. local[4] or spark://host:7077 (default: spark-submit's, else local[*])")
    p.add_argument("--output", help="write to this file instead of standard output: .jsonl, or .parquet (Spark engine)")
    p.add_argument("--input-format", choices=["auto", "files", "parquet"], default="auto",
                   help="Spark engine: read PATHs as files of any kind, or as Parquet with text/html/id/title/url/published/outlet columns (auto: by the .parquet extension)")
    p.set_defaults(func=run)


def run(args) -> int:
    config = configured(args)
    if args.engine == "spark":
        return _run_spark(args, config)
    if args.input_format != "auto":
        raise ValueError("--input-format needs --engine spark")
    if args.output and not args.output.lower().endswith((".jsonl", ".ndjson", ".jsonlines")):
        raise ValueError("--output must be a .jsonl file (Parquet needs --engine spark)")
    check_paths(args.paths)
    limit_memory(args.max_memory)
    jobs = args.jobs or (1 if all(os.path.isfile(p) or p == "-" for p in args.paths) else (os.cpu_count() or 1))
    results = analyze_stream(read_paths(args.paths, args.max_bytes), jobs=jobs, published=args.published, config=config)
    show_progress = not args.no_progress and sys.stderr.isatty() or os.environ.get("MARSAD_PROGRESS") == "1"
    failed = 0
    from tqdm import tqdm

    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    with tqdm(disable=not show_progress, unit="doc", file=sys.stderr, desc="analyse") as bar:
        for obj in results:
            if "error" in obj:
                failed += 1
                print(f"marsad: {obj['path']}: {obj['error']['code']}: {obj['error']['message']}", file=sys.stderr)
            out.write(__import__("json").dumps(obj, ensure_ascii=False) + "\n")
            bar.update(1)
    if args.output:
        out.close()
    else:
        out.flush()
    if failed:
        print(f"marsad: {failed} document(s) failed; see their 'error' fields", file=sys.stderr)
    return 0


def _run_spark(args, config) -> int:
    if "-" in args.paths:
        raise ValueError("the Spark engine reads files, not standard input")
    from marsad.engines import spark

    failed = spark.run(args.paths, master=args.master, output=args.output, published=args.published, config=config,
                       input_format=args.input_format, max_bytes=args.max_bytes)
    if failed:
        print(f"marsad: {failed} document(s) failed; see their 'error' fields", file=sys.stderr)
    return 0
