"""A killed ingest loses nothing it committed and is finished by running the same command again."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

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


def test_sigkill_mid_run_then_rerun(tmp_path):
    inputs = tmp_path / "news.jsonl"
    docs = [
        {"id": f"n{i}", "title": f"تطورات في {PLACES[i % 6]} رقم {i}",
         "text": f"أفاد مراسلنا في {PLACES[i % 6]} بأن الاجتماع رقم {i} انتهى دون اتفاق، وقال مسؤول إن المحادثات ستستأنف."}
        for i in range(60)
    ]
    lines = [json.dumps(d, ensure_ascii=False) for d in docs]
    inputs.write_text("\n".join(lines + lines[:10]) + "\n", encoding="utf-8")  # ten inputs twice
    config = load_config()
    config["components"] = [c for c in config["components"] if c["name"] in ("extract", "clean", "sentences")]
    config["components"].append({"name": "slow", "factory": "test_ingest_crash:slow"})
    pipeline = tmp_path / "pipeline.json"
    pipeline.write_text(json.dumps(config), encoding="utf-8")
    db = tmp_path / "kb.db"
    cmd = [sys.executable, "-m", "marsad.cli", "ingest", str(inputs), "--db", str(db), "--batch", "5", "--jobs", "1",
           "--pipeline", str(pipeline)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])}

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
