"""The adversarial input corpus, made here at test time: what crawlers bring back, through `marsad ingest`.

Each input gets a clear per-document error or a correct analysis; the run goes on, exits 0, and stays within
the per-document limits it was given (--doc-timeout, --max-bytes, --max-memory).
"""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from marsad.pipeline import load_config

GOOD = "أعلن الجيش اللبناني، السبت، انتشار وحداته على الحدود الجنوبية بعد اجتماع أمني في بيروت."
SECOND = "وقال مسؤول في الوزارة إن الاجتماع سيعقد الأسبوع المقبل في العاصمة."
HOSTILE_HTML = f"""<html><head><title>انتشار الجيش</title><script>alert('x1')</script></head>
<body onload="alert('x2')"><article><p>{GOOD}</p>
<p><a href="javascript:alert('x3')">اضغط هنا</a> <img src=x onerror="alert('x4')"></p>
<iframe src="https://evil.example/" srcdoc="&lt;script&gt;alert('x5')&lt;/script&gt;"></iframe>
<svg onload="alert('x6')"><script>alert('x7')</script></svg><p>{SECOND}</p></article>
<noscript>alert('x8')</noscript></body></html>"""


def hungry(bytes_per_char: int = 1000):
    """A component whose memory grows with the document, as a runaway analysis would."""

    def component(doc):
        doc.meta["scratch"] = len(bytearray(bytes_per_char * len(doc.text)))
        doc.meta.pop("scratch")
        return doc

    return component


def nap(marker: str = "نوم", seconds: float = 30.0):
    """A component that hangs on documents holding ``marker``."""

    def component(doc):
        if marker in doc.text:
            time.sleep(seconds)
        return doc

    return component


def write_corpus(folder: Path) -> None:
    folder.mkdir()
    files = {
        "good.txt": GOOD.encode(),
        "damaged_utf8.txt": GOOD.encode()[:41] + b"\xff\xfe\xc3(" + GOOD.encode()[41:] + b"\xed\xa0\x80",
        "legacy_iso8859_6.txt": GOOD.replace("،", ",").encode("iso8859-6"),
        "mixed_encodings.txt": GOOD.encode() + b"\n" + SECOND.encode("cp1256"),
        "nul_bytes.txt": GOOD.encode() + b"\x00" * 300 + SECOND.encode(),
        "binary.bin": bytes(range(256)) * 64,
        "huge.txt": (GOOD + "\n").encode() * 4000,  # over --max-bytes
        "hostile.html": HOSTILE_HTML.encode(),
        "deep.html": ("<html><body>" + "<div>" * 20000 + GOOD + "</div>" * 20000 + "</body></html>").encode(),
        "deep.jsonl": "\n".join([
            json.dumps({"id": "deep-ok", "text": SECOND}, ensure_ascii=False),
            "[" * 20000 + "]" * 20000,
            '{"id": "deep-text", "text": ' + "[" * 20000 + "]" * 20000 + "}",
            '{"id": "cut", "text": "' + GOOD,
        ]).encode(),
        "broken.trec": (f"<DOC>\n<DOCNO>t1</DOCNO>\n<TEXT>{GOOD}\n<DOC>\n<DOCNO>t2</DOCNO>\n<TEXT>{SECOND}</TEXT>\n</DOC>\n"
                        "<DOC><DOCNO>t3").encode(),
        "no_uri.warc": b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 4\r\n\r\nxxxx\r\n\r\n",
        # 200 MB of zeros in 200 kB: read only up to --max-bytes.
        "bomb.warc.gz": gzip.compress(b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: http://bomb.example/\r\n"
                                      b"Content-Type: text/plain\r\nContent-Length: 200000000\r\n\r\n" + b"\0" * 200_000_000, 6),
        "persian.txt": "وزیر امور خارجه ایران روز دوشنبه گفت که مذاکرات با کشورهای اروپایی ادامه خواهد داشت.".encode(),
        "urdu.txt": "وزیر خارجہ نے پیر کو کہا کہ یورپی ممالک کے ساتھ بات چیت جاری رہے گی اور ابھی کوئی معاہدہ نہیں ہوا۔".encode(),
        "english.txt": b"The foreign minister said on Monday that talks with European countries would continue.",
        "long_doc.txt": ("وقال المتحدث إن الوضع مستقر في المدينة " * 2000).encode(),  # 78k characters: 1.5 GB in `hungry`
        "hangs.txt": f"{GOOD} نوم".encode(),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> tuple[dict[str, dict], subprocess.CompletedProcess]:
    """The corpus through `marsad ingest` with tight limits; the stored analyses by file (and record) name."""
    tmp = tmp_path_factory.mktemp("adversarial")
    write_corpus(tmp / "corpus")
    config = load_config()
    config["components"] = [c for c in config["components"] if c["name"] in ("extract", "clean", "language", "sentences")]
    config["components"] += [{"name": "hungry", "factory": "test_adversarial:hungry", "options": {"bytes_per_char": 20000}},
                             {"name": "nap", "factory": "test_adversarial:nap"}]
    (tmp / "pipeline.json").write_text(json.dumps(config), encoding="utf-8")
    db = tmp / "kb.db"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])}
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "marsad.cli", "ingest", str(tmp / "corpus"), "--db", str(db), "--jobs", "1",
         "--pipeline", str(tmp / "pipeline.json"), "--max-bytes", "300000", "--doc-timeout", "5", "--max-memory", "400"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    proc.elapsed = time.monotonic() - t0
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT path, contract FROM documents").fetchall()
    by_name = {}
    for path, contract in rows:
        by_name[path.replace(str(tmp / "corpus") + "/", "")] = json.loads(contract)
    return by_name, proc


def test_the_run_goes_on_and_every_input_has_its_line(ingested):
    docs, proc = ingested
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    assert proc.elapsed < 120  # the bomb is not inflated, the hanging document is cut at 5 s
    assert {name if name.startswith("http") else name.split("#")[0].split(":")[0] for name in docs} >= {
        "good.txt", "damaged_utf8.txt", "legacy_iso8859_6.txt", "mixed_encodings.txt", "nul_bytes.txt", "binary.bin",
        "huge.txt", "hostile.html", "deep.html", "deep.jsonl", "broken.trec", "no_uri.warc", "http://bomb.example/",
        "persian.txt", "urdu.txt", "english.txt", "long_doc.txt", "hangs.txt"}
    assert docs["good.txt"]["text"] == GOOD and "error" not in docs["good.txt"]


def test_encodings_damaged_legacy_and_mixed_are_read_as_arabic(ingested):
    docs, _ = ingested
    damaged = docs["damaged_utf8.txt"]
    assert "error" not in damaged and damaged["language"] == "ar"
    assert damaged["text"].startswith("أعلن الجيش اللبناني،") and "بعد اجتماع أمني في بيروت.\ufffd" in damaged["text"]
    assert docs["legacy_iso8859_6.txt"]["text"] == GOOD.replace("،", ",")
    assert docs["mixed_encodings.txt"]["text"] == GOOD + "\n" + SECOND  # each line in its own encoding
    nul = docs["nul_bytes.txt"]
    assert "\x00" not in nul["text"] and nul["text"].startswith(GOOD) and nul["text"].endswith(SECOND)
    assert docs["binary.bin"]["error"]["code"] == "binary_input"


def test_limits_size_time_and_memory_give_per_document_errors(ingested):
    docs, _ = ingested
    assert docs["huge.txt"]["error"]["code"] == "too_large"
    assert docs["http://bomb.example/"]["error"]["code"] == "too_large"
    assert docs["hangs.txt"]["error"]["code"] == "timeout"
    memory = docs["long_doc.txt"]["error"]
    assert memory["code"] == "hungry_failed" and "MemoryError" in memory["message"]
    # The same component passed every short document under the same limit.
    assert "error" not in docs["mixed_encodings.txt"] and "error" not in docs["hostile.html"]


def test_hostile_html_keeps_the_article_and_drops_scripts_handlers_and_frames(ingested):
    docs, _ = ingested
    doc = docs["hostile.html"]
    assert GOOD in doc["text"] and SECOND in doc["text"]
    for bad in ["alert", "javascript:", "onerror", "onload", "iframe", "evil.example", "<"]:
        assert bad not in doc["text"], bad
    assert docs["deep.html"]["error"]["code"].startswith("extract")


def test_malformed_jsonl_trec_and_warc_are_reported_record_by_record(ingested):
    docs, _ = ingested
    jsonl = {name.split(":")[-1]: d for name, d in docs.items() if name.startswith("deep.jsonl")}
    assert jsonl["1"]["text"] == SECOND and jsonl["1"]["id"] == "deep-ok"
    assert [jsonl[n]["error"]["code"] for n in ("2", "3", "4")] == ["jsonl_malformed"] * 3
    trec = {name.split("#")[-1]: d for name, d in docs.items() if name.startswith("broken.trec")}
    assert trec["t2"]["text"] == SECOND
    assert {d["error"]["code"] for k, d in trec.items() if k != "t2"} == {"trec_unclosed", "trec_truncated"}
    (warc,) = [d for name, d in docs.items() if name.startswith("no_uri.warc")]
    assert warc["error"]["code"] == "warc_malformed"


def test_other_languages_are_flagged_not_analysed(ingested):
    docs, _ = ingested
    for name, lang in (("persian.txt", "fa"), ("urdu.txt", "ur"), ("english.txt", "en")):
        assert docs[name]["error"]["code"] == "not_arabic" and docs[name]["language"] == lang, name
