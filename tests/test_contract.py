"""The analysis contract end to end: real Arabic input through the CLI, validated against the JSON Schema."""

import json
from importlib import resources

import jsonschema
import pytest

from conftest import EXAMPLES, analyze, run_marsad

SCHEMA = json.loads(resources.files("marsad").joinpath("schema/analysis.schema.json").read_text(encoding="utf-8"))


def _validate(obj):
    jsonschema.validate(obj, SCHEMA)
    if "error" in obj and "text" not in obj:
        return
    text = obj["text"]
    for ent in obj["entities"]:
        for m in ent["mentions"]:
            assert 0 <= m["start"] < m["end"] <= len(text)
    for ev in obj["events"]:
        assert text[ev["trigger"]["start"] : ev["trigger"]["end"]] == ev["trigger"]["text"]
    for d in obj["dates"]:
        assert text[d["start"] : d["end"]] == d["text"]


def test_examples_are_contract_valid():
    objs = analyze(str(EXAMPLES), "--jobs", "2")
    assert len(objs) == 5
    for obj in objs:
        _validate(obj)
        assert "error" not in obj, obj.get("error")
    by_id = {o["id"]: o for o in objs}
    assert by_id["wire-001"]["outlet"] == "وكالة الشرق للأنباء"
    assert by_id["wire-001"]["text"].startswith("الحوثيون يعلنون استهداف سفينة")
    html = next(o for o in objs if o["path"].endswith(".html"))
    assert html["title"] == "الأردن وسوريا يتفقان على تشديد الرقابة على الحدود"
    assert html["published"] == "2024-05-14"
    assert "جميع الحقوق محفوظة" not in html["text"] and "window.tracker" not in html["text"]


def test_ids_are_stable_and_published_default_applies():
    a = analyze(str(EXAMPLES / "text"), "--published", "2024-03-10")
    b = analyze(str(EXAMPLES / "text"), "--published", "2024-03-10")
    assert [o["id"] for o in a] == [o["id"] for o in b]
    assert all(o["published"] == "2024-03-10" for o in a)


def test_standard_input():
    objs = analyze("-", stdin="قال وزير الخارجية المصري إن القاهرة ترفض أي تهجير للفلسطينيين.".encode())
    assert len(objs) == 1 and objs[0]["text"].startswith("قال وزير الخارجية")


def test_missing_path_is_a_run_error():
    proc = run_marsad("analyze", "/no/such/folder", check=False)
    assert proc.returncode != 0 and b"no such file" in proc.stderr


@pytest.mark.slow
def test_seeds_are_contract_valid_with_gold_evidence_kept(shared):
    objs = analyze(str(shared / "corpus" / "seeds"))
    assert len(objs) == 5
    gold = {d["file"]: d for d in json.loads((shared / "gold" / "seeds.json").read_text(encoding="utf-8"))["documents"]}
    from marsad.text.normalize import fold

    for obj in objs:
        _validate(obj)
        g = gold[obj["path"].rsplit("/", 1)[-1]]
        text = fold(obj["text"])
        for ev in g["events"]:
            assert fold(ev["evidence"]) in text, ev["evidence"]


def test_fast_ner_tagger_gives_contract_valid_output_with_the_same_main_actors():
    from marsad.nlp.ner.neural.fast import has_model

    if not has_model():
        pytest.skip("no shipped fast NER student")
    accurate = {o["id"]: o for o in analyze(str(EXAMPLES), "--jobs", "1")}
    names = lambda o: {e["name"] for e in o["entities"] if e["type"] in ("PER", "ORG", "LOC")}
    shared = total = 0
    for obj in analyze(str(EXAMPLES), "--jobs", "1", "--ner-tagger", "fast"):
        _validate(obj)
        assert "error" not in obj, obj.get("error")
        shared += len(names(obj) & names(accurate[obj["id"]]))
        total += len(names(accurate[obj["id"]]))
    # The student finds most of the people, organisations and places the merged networks find.
    assert total >= 30 and shared >= 0.8 * total
