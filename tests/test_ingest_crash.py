"""A killed ingest loses nothing it committed and is finished by running the same command again."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES
from marsad.pipeline import load_config

PLACES = ["بغداد", "دمشق", "بيروت", "طهران", "عمّان", "القاهرة"]


def slow(delay: float = 0.05):
    """A pipeline component that only takes time, so the run can be killed part-way."""

    def component(doc):
        time.sleep(delay)
        return doc

    return component


def count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def news(n: int) -> list[dict]:
    return [
        {"id": f"n{i}", "title": f"تطورات في {PLACES[i % 6]} رقم {i}",
         "text": f"أفاد مراسلنا في {PLACES[i % 6]} بأن الاجتماع رقم {i} انتهى دون اتفاق، وقال مسؤول إن المحادثات ستستأنف."}
        for i in range(n)
    ]


def ingest_command(tmp_path: Path, inputs: list[Path], db: Path, delay: float) -> tuple[list[str], dict]:
    """``marsad ingest`` with the model-free front of the pipeline plus a component that takes ``delay`` s a document."""
    config = load_config()
    config["components"] = [c for c in config["components"] if c["name"] in ("extract", "clean", "sentences")]
    config["components"].append({"name": "slow", "factory": "test_ingest_crash:slow", "options": {"delay": delay}})
    pipeline = tmp_path / "pipeline.json"
    pipeline.write_text(json.dumps(config), encoding="utf-8")
    cmd = [sys.executable, "-m", "marsad.cli", "ingest", *map(str, inputs), "--db", str(db), "--batch", "5",
           "--jobs", "1", "--pipeline", str(pipeline)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])}
    return cmd, env


def test_sigkill_mid_run_then_rerun(tmp_path):
    inputs = tmp_path / "news.jsonl"
    lines = [json.dumps(d, ensure_ascii=False) for d in news(60)]
    inputs.write_text("\n".join(lines + lines[:10]) + "\n", encoding="utf-8")  # ten inputs twice
    db = tmp_path / "kb.db"
    cmd, env = ingest_command(tmp_path, [inputs], db, 0.05)

    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while count(db) < 10 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    with sqlite3.connect(db) as conn:
        committed = {r[0] for r in conn.execute("SELECT id FROM documents")}
    assert 10 <= len(committed) < 60

    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert f"skipped {len(committed) + 10} already stored" in rerun.stderr
    with sqlite3.connect(db) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM documents")]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM doc_terms").fetchone()[0] == 60
        seqs = [r[0] for r in conn.execute("SELECT seq FROM documents ORDER BY seq")]
    assert len(ids) == len(set(ids)) == 60
    assert committed <= set(ids)
    assert seqs == list(range(1, 61))


def snapshot(db: Path) -> dict[str, list]:
    """Everything the database holds, row by row, except ingest timestamps and the FTS index's internal pages."""
    if not db.exists():
        return {}
    with sqlite3.connect(db, timeout=10) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        if "doc_terms" in tables:
            # Raises sqlite3.DatabaseError when the full-text index disagrees with its content.
            conn.execute("INSERT INTO doc_terms (doc_terms) VALUES ('integrity-check')")
        state = {}
        for table in tables:
            if table.startswith("doc_terms_"):
                continue
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if not r[1].endswith("_at")]
            rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
            state[table] = sorted(rows, key=repr)
        return state


@pytest.mark.slow
def test_twenty_sigkills_at_random_points(tmp_path):
    """Kill ``marsad ingest`` at 20 seeded random moments (start-up, analysis, commit), rerunning each time."""
    docs = news(36)
    # The same text under another id is stored once more, marked as a duplicate, never searched twice.
    docs += [dict(d, id=f"copy-{d['id']}") for d in docs[:4]]
    lines = [json.dumps(d, ensure_ascii=False) for d in docs]
    corpus = tmp_path / "corpus"
    shutil.copytree(EXAMPLES, corpus / "examples")
    (corpus / "news.jsonl").write_text("\n".join(lines + lines[:6]) + "\n", encoding="utf-8")
    delay = 0.03

    clean_db = tmp_path / "clean.db"
    cmd, env = ingest_command(tmp_path, [corpus], clean_db, delay)
    t0 = time.monotonic()
    subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=120)
    clean_run = time.monotonic() - t0
    clean = snapshot(clean_db)
    n_docs = len(clean["documents"])
    assert n_docs >= len(docs) + 3

    db = tmp_path / "kb.db"
    cmd, env = ingest_command(tmp_path, [corpus], db, delay)
    rng = random.Random(20240611)
    kills = completed = 0
    before = snapshot(db)
    for _ in range(60):
        if kills == 20:
            break
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            proc.wait(timeout=rng.uniform(0.0, clean_run))
            assert proc.returncode == 0, proc.stderr.read().decode()[-2000:]
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
        proc.stderr.close()
        after = snapshot(db)
        # Nothing committed is lost or changed. Rows only accumulate, except the counts and names that later
        # documents update: a term's document frequency, an entity's English name.
        for table, rows in before.items():
            if table == "vocabulary":
                df = dict(after[table])
                assert all(df.get(term, 0) >= n for term, n in rows)
            elif table == "entities":
                assert {r[0] for r in rows} <= {r[0] for r in after[table]}
            else:
                assert set(rows) <= set(after[table]), table
        if after:
            ids = [r[0] for r in after["documents"]]
            assert len(ids) == len(set(ids))
            assert sorted(r[0] for r in after["doc_terms"]) == sorted(ids)  # each document indexed exactly once
        if after and len(after["documents"]) == n_docs:
            assert after == clean
            completed += 1
            for suffix in ("", "-wal", "-shm"):  # start again, so that later kills still land mid-run
                Path(str(db) + suffix).unlink(missing_ok=True)
            after = {}
        before = after
    assert kills == 20
    subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=120)
    assert snapshot(db) == clean
