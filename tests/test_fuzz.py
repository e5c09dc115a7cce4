"""A short atheris run in CI; `make fuzz` runs it long."""

import subprocess
import sys
from pathlib import Path

import pytest

HARNESS = Path(__file__).resolve().parents[1] / "fuzz" / "fuzz_analyze.py"


@pytest.mark.slow
def test_short_fuzz_run_finds_no_crash(tmp_path):
    pytest.importorskip("atheris")
    proc = subprocess.run(
        [sys.executable, str(HARNESS), "-runs=5000", "-max_len=4096", f"-artifact_prefix={tmp_path}/"],
        capture_output=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-3000:]
    assert b"Done 5000 runs" in proc.stderr
