"""Shared fixtures: the ../shared data folder (tests skip without it) and CLI runners."""

from __future__ import annotations

import json
import re
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


def make_doc(text: str, entities: list[tuple[str, str]]):
    """A document with sentences and one entity per (type, name), mentioned wherever the name occurs
    as a word (after a clitic و ب ل ف)."""
    from marsad.model import Document, Entity, Mention
    from marsad.text.sentences import split

    doc = Document(id="t", path="t", text=text)
    doc.sentences = split(text)
    for k, (etype, name) in enumerate(entities, start=1):
        ent = Entity(id=f"e{k}", type=etype, name=name)
        for m in re.finditer(r"(?<!\w)(?:[وبلف]|لل)?(" + re.escape(name) + r")(?!\w)", text):
            ent.mentions.append(Mention(m.start(1), m.end(1), name, etype, ent.id))
        doc.entities.append(ent)
    return doc
