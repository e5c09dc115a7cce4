"""Coverage-guided fuzzing of the readers, normaliser, tokeniser, sentence splitter and cleaner with atheris.

    .venv/bin/python fuzz/fuzz_analyze.py -runs=20000        # or: make fuzz

Any exception other than the per-document errors the pipeline reports is a bug.
"""

from __future__ import annotations

import io
import sys

import atheris

with atheris.instrument_imports():
    from marsad.io import _read_stream
    from marsad.pipeline import Pipeline, document_from_raw
    from marsad.text.normalize import fold, fold_with_map, to_original_span
    from marsad.text.sentences import split

# The model-free front of the pipeline: readers through sentences.
PIPELINE = Pipeline.from_config({"components": [
    {"name": "extract", "factory": "marsad.text.extract:create"},
    {"name": "clean", "factory": "marsad.text.clean:create"},
    {"name": "sentences", "factory": "marsad.text.segment:create"},
]})


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    name = fdp.PickValueInList(["a.txt", "a.html", "a.jsonl", "a.trec", "a.warc"])
    payload = fdp.ConsumeBytes(fdp.remaining_bytes())
    for raw in _read_stream(io.BufferedReader(io.BytesIO(payload)), name, 1 << 20):
        doc = PIPELINE(document_from_raw(raw))
        if doc.error is None:
            for sentence in split(doc.text):
                assert 0 <= sentence.start < sentence.end <= len(doc.text)
    text = payload.decode("utf-8", errors="replace")
    folded, index_map = fold_with_map(text)
    if folded:
        start, end = to_original_span(index_map, 0, len(folded))
        assert fold(text[start:end]) == fold(folded)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
