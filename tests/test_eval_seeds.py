"""``marsad eval seeds``: the contract's matching rules, and the scores on the seed articles."""

from __future__ import annotations

import json

import pytest

from marsad.cli import main
from marsad.model import Claim, Document, Entity, Event, Mention, Source, Span, TextSpan, TimeExpression
from marsad.paths import shared_dir
from marsad.eval.seeds import fold_key, match_attribution, match_date, match_entity, match_event
from marsad.tools.build_triggers import build


def test_fold_key_follows_the_contract():
    assert fold_key("إسماعيل\u00a0 قاآني") == "اسماعيل قاانی".replace("ی", "ي")
    assert fold_key("مُسْتَشْفَى الـمدينة") == "مستشفي المدينه"


def _doc() -> Document:
    text = "وقال مصدر مطلع إن قاآني اجتمع بقادة الفصائل في بغداد يوم 27 سبتمبر."
    doc = Document(id="d", path="d", text=text)
    q = text.index("قاآني")
    doc.entities = [Entity("e1", "PER", "إسماعيل قاآني", [Mention(q, q + 5, "قاآني", "PER", "e1")])]
    sent = Span(0, len(text))
    trig = text.index("اجتمع")
    doc.events = [Event("v1", "CONSULT", TextSpan(trig, trig + 5, "اجتمع"), sent, actor="e1")]
    doc.claims = [Claim("c1", sent, [Source("مصدر مطلع", "anonymous")])]
    d = text.index("27")
    doc.dates = [TimeExpression(d, d + 10, "27 سبتمبر", "2024-09-27")]
    return doc


def test_matchers():
    doc = _doc()
    assert match_entity({"type": "PER", "name": "اسماعيل قااني", "mentions": []}, doc)
    assert match_entity({"type": "PER", "name": "قائد", "mentions": ["قاآني"]}, doc)
    assert not match_entity({"type": "ORG", "name": "قاآني"}, doc)
    gold_entities = [{"type": "PER", "name": "إسماعيل قاآني", "mentions": ["قاآني"]}]
    assert match_event({"type": "CONSULT", "actor": "إسماعيل قاآني", "evidence": "اجتمع بقادة"}, doc, gold_entities)
    assert match_event({"type": "AGREE", "type_any": ["CONSULT"], "evidence": "اجتمع"}, doc, gold_entities)
    assert not match_event({"type": "CONSULT", "actor": "بغداد", "evidence": "اجتمع"}, doc, gold_entities)
    assert not match_event({"type": "ASSAULT", "evidence": "اجتمع"}, doc, gold_entities)
    assert match_attribution({"claim_contains": "إن قاآني اجتمع", "source_chain": ["العين", "مصدر مطلع"]}, doc)
    assert not match_attribution({"claim_contains": "إن قاآني اجتمع", "source": "مسؤول عراقي"}, doc)
    assert match_date({"text": "27 سبتمبر", "month": 9, "day": 27}, doc)
    assert not match_date({"text": "27 سبتمبر", "value": "2023-09-27"}, doc)


def test_build_triggers_keeps_hand_rows(tmp_path):
    cameo = tmp_path / "cameo.txt"
    cameo.write_text(
        "####### VERB PATTERNS #######\n--- قصف [---] ---\nقصف   # shell\nرجم   # stone\n"
        + "".join(f"- * هدف{i} [190] # قصف\n" for i in range(5))
        + "--- بدا [---] ---\nبدأ  # begin\n- * x [190]\n- * y [0341]\n",
        encoding="utf-8",
    )
    table = tmp_path / "c2p.txt"
    table.write_text("190: ASSAULT, , military # Use force\n0341: AGREE,  , x # y\n", encoding="utf-8")
    out = tmp_path / "triggers.tsv"
    out.write_text("lemma\ttype\tmode\tkind\tgenitive\tcontext\torigin\nقصف\tASSAULT\theavy-weapons\tverb\tactor\t\thand\n", encoding="utf-8")
    assert build(cameo, table, out, exclude=set()) == (1, 1)
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()[1:]]
    assert ["قصف", "ASSAULT", "heavy-weapons", "verb", "actor", "", "hand"] in rows
    assert ["رجم", "ASSAULT", "", "verb", "actor", "", "cameo"] in rows
    assert not any(r[0] == "بدا" for r in rows)  # split vote: no clear type


@pytest.mark.skipif(shared_dir() is None, reason="needs ../shared (gold/seeds.json and the seed articles)")
def test_eval_seeds_command(capsys):
    assert main(["eval", "seeds", "--format", "json", "--oracle-entities"]) == 0
    report = json.loads(capsys.readouterr().out)
    scores = report["scores"]
    assert set(scores) == {"entities", "events", "attributions", "dates", "boilerplate"}
    # with recognition taken as given, events and attributions are this module's own work
    assert scores["events"]["recall"] >= 0.6
    assert scores["attributions"]["recall"] >= 0.6
    assert main(["eval", "seeds"]) == 0
    assert "attributions" in capsys.readouterr().out
