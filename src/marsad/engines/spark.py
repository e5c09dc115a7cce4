"""The analysis pipeline on Apache Spark: input files in, one contract object per document out.

The driver lists the input files (local paths, or ``hdfs://``, ``s3a://``... URIs through
Hadoop's file systems) and Parquet inputs. Executors read each file with the project's own
readers (local paths straight from the shared file system, URIs from Spark's ``binaryFile``
bytes), then ``mapInArrow`` runs the pipeline, built once per executor Python process.
Each output row is ``id``, ``path``, ``error`` (``code: message`` or null) and ``analysis``,
the contract object as JSON, exactly as ``marsad analyze`` prints it. Needs the ``spark``
extra (``pip install 'marsad[spark]'``) and Java 17 or later.
"""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any, Iterator, Optional, TextIO

from marsad.io import DEFAULT_MAX_BYTES, RawDocument, check_paths, iter_files, read_bytes, read_path
from marsad.pipeline import DOCS_PER_BATCH, Pipeline, document_from_raw, load_config

OUTPUT_FORMATS = {".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonlines": "jsonl"}
INPUT_FORMATS = ("auto", "files", "parquet")

# What the executors read: one row per input file (``content`` null for a local path, the
# bytes for a URI) or per Parquet record (``record``, the row as JSON). ``part`` and ``row``
# order the documents of a Parquet input (its file and row index).
_UNIT_SCHEMA = "file_index long, part string, row long, name string, content binary, record string"
_RESULT_SCHEMA = (
    "file_index long, part string, position long, id string, path string, error string, analysis string, raw string"
)
_OPTIONAL_FIELDS = ("title", "url", "published", "outlet", "author")
_RECORD_FIELDS = ("text", "html", "id", *_OPTIONAL_FIELDS)
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:/")
_BATCH_ROWS = 32


def is_uri(path: str) -> bool:
    """``hdfs://...``, ``s3a://...``, ``file:/...``: read through Hadoop, not Python's open()."""
    return bool(_URI.match(path))


def output_format(path: str) -> str:
    """``parquet`` or ``jsonl``, by the output path's extension (ValueError otherwise)."""
    ext = os.path.splitext(path.rstrip("/"))[1].lower()
    if ext not in OUTPUT_FORMATS:
        raise ValueError(f"--output must end with one of {', '.join(OUTPUT_FORMATS)}: {path}")
    return OUTPUT_FORMATS[ext]


def session(master: Optional[str] = None, app_name: str = "marsad"):
    """The active Spark session, or a new one on ``master`` (spark-submit's when None, else ``local[*]``)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ValueError("the Spark engine needs PySpark: pip install 'marsad[spark]'") from None

    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:  # not under spark-submit
        master = "local[*]"
    builder = SparkSession.builder.appName(app_name).config("spark.ui.showConsoleProgress", "false")
    if master:
        builder = builder.master(master)
    if (master or "").startswith("local"):
        # Local executors run this interpreter, where marsad is installed (PySpark reads only the environment).
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    # Whole files travel in Arrow batches: keep the batches small.
    spark = builder.config("spark.sql.execution.arrow.maxRecordsPerBatch", str(_BATCH_ROWS)).getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


# --- executors ---------------------------------------------------------------------------------

_PIPELINES: dict[str, Pipeline] = {}


def _pipeline(config_json: str) -> Pipeline:
    """The pipeline for a configuration, built (models loaded) once per executor process."""
    if config_json not in _PIPELINES:
        _PIPELINES[config_json] = Pipeline.from_config(json.loads(config_json))
    return _PIPELINES[config_json]


def _record_raw(record: dict[str, Any], where: str) -> RawDocument:
    """A Parquet row as a raw document, by the JSONL reader's rules (``text`` or ``html`` required)."""
    given = record.get("id")
    if record.get("text") is None and record.get("html") is None:
        return RawDocument(path=where, id=given, error=("parquet_no_text", "row has neither 'text' nor 'html'"))
    fields = {k: record[k] for k in _OPTIONAL_FIELDS if (record.get(k) or "").strip()}
    return RawDocument(
        path=fields.get("url") or where,
        id=given,
        text=record.get("text"),
        html=record["html"] if record.get("text") is None else None,
        **fields,
    )


def _raws(unit: dict[str, Any], max_bytes: int) -> Iterator[RawDocument]:
    if unit["record"] is not None:
        yield _record_raw(json.loads(unit["record"]), f"{unit['name']}:{unit['row'] + 1}")
    elif unit["content"] is not None:
        yield from read_bytes(unit["name"], unit["content"], max_bytes)
    else:
        yield from read_path(unit["name"], max_bytes)


def _analyzer(config_json: str, published: Optional[str], max_bytes: int, with_raw: bool, skip):
    """The ``mapInArrow`` function: units in, one result row per document out.

    ``with_raw`` adds the raw document as the store keeps it; ``skip`` is a broadcast set of
    ids left unanalysed (documents a store already holds).
    """

    def analyze(batches):
        import pyarrow as pa

        if with_raw:
            from marsad.store.base import raw_to_json
        schema = pa.schema([(name, pa.int64() if kind == "long" else pa.string())
                            for name, kind in (f.split() for f in _RESULT_SCHEMA.split(", "))])
        pipeline = _pipeline(config_json)

        def rows_of(pending: list[tuple[dict[str, Any], int, RawDocument]]) -> list[dict[str, Any]]:
            # One pipeline batch, as on a single machine: the NER tags all its sentences together.
            docs = pipeline.run_many([document_from_raw(raw, published) for _, _, raw in pending])
            out = []
            for (unit, position, raw), doc in zip(pending, docs):
                obj = doc.to_contract()
                err = obj.get("error")
                out.append({
                    "file_index": unit["file_index"], "part": unit["part"],
                    "position": unit["row"] if unit["record"] is not None else position,
                    "id": obj["id"], "path": obj["path"],
                    "error": f"{err['code']}: {err['message']}" if err else None,
                    "analysis": json.dumps(obj, ensure_ascii=False),
                    "raw": raw_to_json(raw, published) if with_raw else None,
                })
            return out

        pending: list[tuple[dict[str, Any], int, RawDocument]] = []
        for batch in batches:
            for unit in batch.to_pylist():
                for position, raw in enumerate(_raws(unit, max_bytes)):
                    if skip is not None and raw.stable_id() in skip.value:
                        continue
                    pending.append((unit, position, raw))
                    if len(pending) >= DOCS_PER_BATCH:
                        yield pa.RecordBatch.from_pylist(rows_of(pending), schema=schema)
                        pending = []
        if pending:
            yield pa.RecordBatch.from_pylist(rows_of(pending), schema=schema)

    return analyze


# --- driver ------------------------------------------------------------------------------------


def _list_uri(spark, uri: str) -> list[str]:
    """Files under a Hadoop URI (or the URI itself), sorted, hidden ones (``.``, ``_``) skipped as Spark does."""
    jvm = spark._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    fs = path.getFileSystem(spark._jsc.hadoopConfiguration())
    if not fs.exists(path):
        raise FileNotFoundError(f"no such file or folder: {uri}")
    found, files = fs.listFiles(path, True), []
    while found.hasNext():
        name = found.next().getPath().toString()
        if not os.path.basename(name).startswith((".", "_")):
            files.append(name)
    return sorted(files)


def _glob_escape(path: str) -> str:
    return re.sub(r"([\\\[\]{}*?])", r"\\\1", path)


def _is_parquet(path: str, input_format: str) -> bool:
    return input_format == "parquet" or (input_format == "auto" and path.rstrip("/").lower().endswith(".parquet"))


def _parquet_units(spark, path: str, file_index: int):
    from pyspark.sql import functions as F

    df = spark.read.parquet(path)
    present = [c for c in _RECORD_FIELDS if c in df.columns]
    if "text" not in present and "html" not in present:
        raise ValueError(f"Parquet input has neither a 'text' nor an 'html' column: {path}")
    record = F.to_json(F.struct(*[F.col(c).cast("string").alias(c) for c in present]))
    file_path = F.col("_metadata.file_path")
    return df.select(
        F.lit(file_index).cast("long").alias("file_index"),
        file_path.alias("part"),
        F.col("_metadata.row_index").alias("row"),
        file_path.alias("name"),  # made readable (file: and %-escapes dropped) below
        F.lit(None).cast("binary").alias("content"),
        record.alias("record"),
    )


def units(spark, paths: list[str], input_format: str = "auto", partitions: Optional[int] = None):
    """One DataFrame of everything to read, in the shape ``_UNIT_SCHEMA``."""
    from pyspark.sql import functions as F

    if input_format not in INPUT_FORMATS:
        raise ValueError(f"unknown input format: {input_format}")
    local: list[tuple] = []
    remote: list[tuple[int, str]] = []
    frames = []
    index = 0
    for p in paths:
        if _is_parquet(p, input_format):
            frames.append(_parquet_units(spark, p, index))
            index += 1
            continue
        if is_uri(p):
            names, listed = _list_uri(spark, p), remote
        elif os.path.exists(p):
            names, listed = list(iter_files(p)), local
        else:
            raise FileNotFoundError(f"no such file or folder: {p}")
        for name in names:
            listed.append((index, name))
            index += 1
    n = partitions or spark.sparkContext.defaultParallelism * 4
    if local:
        rows = [(i, "", 0, name, None, None) for i, name in local]
        frames.append(spark.createDataFrame(spark.sparkContext.parallelize(rows, min(n, len(rows))), _UNIT_SCHEMA))
    if remote:
        indexed = spark.createDataFrame(remote, "file_index long, path string")
        content = spark.read.format("binaryFile").load([_glob_escape(name) for _, name in remote])
        frames.append(
            content.join(indexed, "path").select(
                "file_index", F.lit("").alias("part"), F.lit(0).cast("long").alias("row"),
                F.col("path").alias("name"), "content", F.lit(None).cast("string").alias("record"),
            ).repartition(min(n, len(remote)))
        )
    df = spark.createDataFrame([], _UNIT_SCHEMA)  # empty folders: no documents, as without Spark
    for other in frames:
        df = df.unionByName(other)
    # Parquet parts are named by URL; show local ones as plain paths, as the other readers do.
    readable = F.when(F.col("part").startswith("file:"), F.regexp_replace(F.col("part"), "^file:(//)?", "")).otherwise(F.col("part"))
    return df.withColumn("name", F.when(F.col("record").isNotNull(), F.url_decode(readable)).otherwise(F.col("name")))


def analyze(
    spark,
    paths: list[str],
    published: Optional[str] = None,
    config: Optional[dict[str, Any]] = None,
    input_format: str = "auto",
    max_bytes: int = DEFAULT_MAX_BYTES,
    partitions: Optional[int] = None,
    with_raw: bool = False,
    skip_ids: Optional[set[str]] = None,
):
    """Result rows, persisted so that each document is analysed once; ``in_order`` sorts them."""
    from pyspark import StorageLevel

    config_json = json.dumps(config or load_config(), sort_keys=True)
    skip = spark.sparkContext.broadcast(set(skip_ids)) if skip_ids else None
    results = units(spark, paths, input_format, partitions).mapInArrow(
        _analyzer(config_json, published, max_bytes, with_raw, skip), _RESULT_SCHEMA
    )
    return results.persist(StorageLevel.MEMORY_AND_DISK)


def in_order(results, *columns: str):
    """Results in input order (file, then position in the file): the output columns, or those named."""
    return results.orderBy("file_index", "part", "position").select(*(columns or ("id", "path", "error", "analysis")))


def ingest_items(
    paths: list[str],
    master: Optional[str] = None,
    published: Optional[str] = None,
    config: Optional[dict[str, Any]] = None,
    known_ids: Optional[set[str]] = None,
    batch: int = 200,
    **options: Any,
) -> Iterator[list[tuple[dict[str, Any], str]]]:
    """For ``marsad ingest --engine spark``: batches of (contract, raw JSON) pairs for ``Store.add_documents``,
    in input order, documents in ``known_ids`` neither analysed nor returned."""
    spark = session(master)
    results = analyze(spark, paths, published, config, with_raw=True, skip_ids=known_ids, **options)
    try:
        items: list[tuple[dict[str, Any], str]] = []
        for row in in_order(results, "analysis", "raw").toLocalIterator():
            items.append((json.loads(row.analysis), row.raw))
            if len(items) >= batch:
                yield items
                items = []
        if items:
            yield items
    finally:
        results.unpersist()


def run(
    paths: list[str],
    master: Optional[str] = None,
    output: Optional[str] = None,
    published: Optional[str] = None,
    config: Optional[dict[str, Any]] = None,
    input_format: str = "auto",
    max_bytes: int = DEFAULT_MAX_BYTES,
    partitions: Optional[int] = None,
    out: Optional[TextIO] = None,
    err: Optional[TextIO] = None,
) -> int:
    """``marsad analyze --engine spark``: write the results; returns how many documents failed.

    No ``output``: contract objects on ``out``, one per line. A local ``.jsonl`` output is one
    file written by the driver; a URI one (``hdfs://.../out.jsonl``) and any ``.parquet`` output
    are folders of part files written by the executors.
    """
    fmt = output_format(output) if output else None
    out, err = out or sys.stdout, err or sys.stderr
    check_paths(p for p in paths if not is_uri(p))  # before Spark starts
    spark = session(master)
    results = analyze(spark, paths, published, config, input_format, max_bytes, partitions)
    ordered = in_order(results)
    try:
        if fmt == "parquet" or (fmt == "jsonl" and is_uri(output)):
            if fmt == "parquet":
                ordered.write.mode("overwrite").parquet(output)
            else:
                ordered.select("analysis").write.mode("overwrite").text(output)
            return results.where("error is not null").count()
        failed = 0
        sink = open(output, "w", encoding="utf-8") if output else out
        try:
            for row in ordered.toLocalIterator():
                if row.error:
                    failed += 1
                    print(f"marsad: {row.path}: {row.error}", file=err)
                sink.write(row.analysis + "\n")
        finally:
            if output:
                sink.close()
            else:
                sink.flush()
        return failed
    finally:
        results.unpersist()
