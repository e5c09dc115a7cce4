"""A short atheris run in CI (`make fuzz` runs it long), and a hypothesis property test of the readers."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.io import _read_stream

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


# Bytes that look like the start of each format, so that generated inputs reach the format's reader.
_HEADS = [b"", b"<DOC>\n<DOCNO>x</DOCNO>\n<TEXT>", b'{"id": "x", "text": "', b"WARC/1.0\r\nWARC-Type: response\r\n",
          b"\x1f\x8b\x08\x00", b"<html><body><p>", "قال المتحدث ".encode(), "قال".encode("cp1256"), b"\xff\xfe"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(head=st.sampled_from(_HEADS), body=st.binary(max_size=2000),
       name=st.sampled_from(["a.txt", "a.html", "a.jsonl", "a.trec", "a.warc", "a.warc.gz", "a"]))
def test_readers_turn_any_bytes_into_documents_or_errors(head, body, name):
    """Property: whatever the bytes, reading yields documents, each with a path and text, html or an error."""
    docs = list(_read_stream(io.BufferedReader(io.BytesIO(head + body)), name, 1 << 20))
    # A blank JSON Lines file (white space, or a byte-order mark alone) holds no document.
    assert docs or not (head + body).removeprefix(b"\xef\xbb\xbf").strip()
    for doc in docs:
        assert doc.path
        assert doc.error is not None or isinstance(doc.text, str) or isinstance(doc.html, str)
        if doc.error is not None:
            code, message = doc.error
            assert code and isinstance(message, str)
