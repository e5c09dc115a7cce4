"""Batched runs: documents analysed together come out as each would alone."""

from __future__ import annotations

from conftest import EXAMPLES

from marsad.io import RawDocument, read_paths
from marsad.pipeline import NamedComponent, Pipeline, analyze_stream, document_from_raw


def test_a_batch_gives_each_document_its_own_analysis():
    raws = list(read_paths([str(EXAMPLES)]))
    assert len(raws) > 3
    pipeline = Pipeline.from_config()
    alone = [pipeline.analyze_raw(raw).to_contract() for raw in raws]
    together = list(analyze_stream(raws, jobs=1))
    assert together == alone
    assert sum(len(obj["entities"]) for obj in together) > 10


def test_a_failing_batch_hook_or_document_fails_alone():
    def mark(doc):
        if "انفجار" in doc.raw_text:
            raise ValueError("no explosions here")
        doc.title = doc.raw_text.split()[0]
        return doc

    def prepare(docs):
        raise RuntimeError("the batch is lost, not the documents")

    mark.prepare = prepare
    texts = ["قال الوزير إن المحادثات مستمرة", "وقع انفجار في بغداد", "أعلنت الحكومة موعد الانتخابات"]
    docs = [document_from_raw(RawDocument(path=f"{i}.txt", text=t)) for i, t in enumerate(texts)]
    done = Pipeline([NamedComponent("mark", mark)], seconds_per_document=5).run_many(docs)
    assert [d.error.code if d.error else d.title for d in done] == ["قال", "mark_failed", "أعلنت"]
