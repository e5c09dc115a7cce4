"""Shared fixtures: the ../shared data folder (tests skip without it) and CLI runners."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from marsad.paths import shared_dir

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"


@pytest.fixture(scope="session")
def shared() -> Path:
    path = shared_dir()
    if path is None:
        pytest.skip("../shared data is absent (set MARSAD_SHARED to its folder)")
    return path


def run_marsad(*args: str, stdin: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "marsad.cli", *args], input=stdin, capture_output=True, timeout=600
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"marsad {' '.join(args)} exited {proc.returncode}: {proc.stderr.decode()[-2000:]}")
    return proc


def analyze(*args: str, stdin: bytes | None = None) -> list[dict]:
    proc = run_marsad("analyze", *args, stdin=stdin)
    return [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
