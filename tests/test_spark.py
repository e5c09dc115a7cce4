"""The Spark engine gives the same contract objects as the single-machine run (local[2], small data)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from marsad.cli import main
from marsad.io import iter_files, read_bytes, read_path, read_paths
from marsad.pipeline import analyze_stream

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"
ANT_FILES = 500

try:
    import pyspark  # noqa: F401

    _missing = None if shutil.which("java") else "Java is not installed (apt-get install openjdk-17-jre-headless)"
except ImportError:
    _missing = "PySpark is not installed (pip install -e '.[spark]')"
needs_spark = pytest.mark.skipif(_missing is not None, reason=_missing or "")


def local_run(paths: list[str], jobs: int = 1) -> list[dict]:
    """What `marsad analyze PATH...` prints, in process."""
    return list(analyze_stream(read_paths(paths), jobs=jobs))


@pytest.fixture(scope="module")
def spark():
    from marsad.engines.spark import session

    s = session("local[2]")
    yield s
    s.stop()


def spark_run(spark, paths: list[str], **options) -> list[dict]:
    from marsad.engines.spark import analyze, in_order

    results = analyze(spark, paths, **options)
    try:
        return [json.loads(row.analysis) for row in in_order(results).toLocalIterator()]
    finally:
        results.unpersist()


def test_read_bytes_reads_as_read_path():
    for path in iter_files(str(EXAMPLES)):
        data = Path(path).read_bytes()
        assert list(read_bytes(path, data)) == list(read_path(path))


@needs_spark
@pytest.mark.slow
@pytest.mark.shared
def test_ant_corpus_same_as_local(shared, spark):
    trec = sorted(p for p in (shared / "corpus" / "ant").rglob("*.txt") if p.read_bytes()[:5] == b"<DOC>")
    files = [str(p) for p in trec[:ANT_FILES]]
    assert len(files) == ANT_FILES
    expected = local_run(files, jobs=2)
    got = spark_run(spark, files)
    assert [o["id"] for o in got] == [o["id"] for o in expected]  # input order kept
    by_id = {o["id"]: o for o in got}
    assert len(by_id) == ANT_FILES
    assert by_id == {o["id"]: o for o in expected}
    assert not any("error" in o for o in got)
    assert sum(len(o["entities"]) for o in got) > ANT_FILES  # real analyses, not empty shells


@needs_spark
@pytest.mark.slow
def test_cli_stdout_jsonl_and_parquet(spark, tmp_path, capsys):
    import pyarrow.parquet as pq

    paths = [str(EXAMPLES)]
    expected = local_run(paths)
    assert len(expected) >= 4 and any(e["entities"] for e in expected)

    assert main(["analyze", *paths, "--engine", "spark", "--master", "local[2]"]) == 0
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert printed == expected

    out = tmp_path / "out.jsonl"
    assert main(["analyze", *paths, "--engine", "spark", "--output", str(out)]) == 0
    assert [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] == expected

    out = tmp_path / "out.parquet"
    assert main(["analyze", *paths, "--engine", "spark", "--output", str(out)]) == 0
    table = pq.read_table(out)
    assert set(table.column_names) == {"id", "path", "error", "analysis"}
    rows = table.to_pylist()
    assert [json.loads(r["analysis"]) for r in rows] == expected
    assert [(r["id"], r["path"], r["error"]) for r in rows] == [(e["id"], e["path"], None) for e in expected]


@needs_spark
@pytest.mark.slow
def test_hadoop_uris_in_and_out(spark, tmp_path):
    """file: URIs go through Hadoop's listing, Spark's binaryFile reader and Spark's text writer."""
    from marsad.engines.spark import run

    folder = EXAMPLES / "text"
    expected = local_run([str(folder)])
    assert run([folder.as_uri()], output=(tmp_path / "out.jsonl").as_uri()) == 0
    parts = sorted((tmp_path / "out.jsonl").glob("part-*"))
    got = [json.loads(line) for part in parts for line in part.read_text(encoding="utf-8").splitlines()]
    assert [o["path"] for o in got] == [f"file:{e['path']}" for e in expected]
    assert [{**o, "path": None} for o in got] == [{**e, "path": None} for e in expected]


@needs_spark
@pytest.mark.slow
def test_parquet_input_same_as_jsonl(spark, tmp_path):
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    source = EXAMPLES / "jsonl" / "wire.jsonl"
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    columns = {k: [r.get(k) for r in records] for k in ("id", "title", "outlet", "text")}
    # Dates as Parquet dates, not strings: the engine reads them as YYYY-MM-DD.
    columns["published"] = [dt.date.fromisoformat(r["published"]) if r.get("published") else None for r in records]
    columns["id"].append("no-text")
    columns["title"].append("عنوان بلا نص")
    columns["outlet"].append(None)
    columns["text"].append(None)
    columns["published"].append(None)
    pq.write_table(pa.table(columns), tmp_path / "wire.parquet")

    got = spark_run(spark, [str(tmp_path / "wire.parquet")])
    expected = local_run([str(source)])
    assert len(got) == len(expected) + 1
    assert [{**o, "path": None} for o in got[:-1]] == [{**e, "path": None} for e in expected]
    assert got[0]["path"] == f"{tmp_path / 'wire.parquet'}:1"
    assert got[-1]["id"] == "no-text" and got[-1]["error"]["code"] == "parquet_no_text"


@needs_spark
@pytest.mark.slow
def test_ingest_items_skips_known_documents(spark):
    from marsad.engines.spark import ingest_items
    from marsad.store.base import raw_from_json

    paths = [str(EXAMPLES / "text"), str(EXAMPLES / "html")]
    expected = local_run(paths)
    known = {expected[0]["id"]}
    items = [item for batch in ingest_items(paths, known_ids=known, batch=2) for item in batch]
    assert [c for c, _ in items] == expected[1:]
    assert [raw_from_json(r).stable_id() for _, r in items] == [e["id"] for e in expected[1:]]
