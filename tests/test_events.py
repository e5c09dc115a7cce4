"""PLOVER events on Arabic sentences whose entities are given by hand."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from marsad.model import Document
from marsad.nlp.events import candidates, create, entity_at, extract, trigger_lexicon
from marsad.text.sentences import split

from conftest import make_doc


def roles(doc: Document, event) -> tuple:
    name = {e.id: e.name for e in doc.entities}
    return name.get(event.actor), name.get(event.target), name.get(event.location)


def only(events, etype):
    found = [e for e in events if e.type == etype]
    assert len(found) == 1, [(e.type, e.trigger.text) for e in events]
    return found[0]


def test_candidates_strip_inflection_and_clitics():
    assert "حذر" in candidates("يحذرهم")
    assert "اغتال" in candidates("اغتالت")
    assert "استقبل" in candidates("سيستقبله")
    assert "اجتماع" in candidates("الاجتماع")
    assert "طلب" in candidates("طلبوا")
    assert candidates("طلب")[0] == "طلب"


def test_ontology_and_lexicon_agree():
    plover = json.loads(resources.files("marsad.resources").joinpath("plover.json").read_text(encoding="utf-8"))
    assert len(plover["types"]) == 16
    lex = trigger_lexicon()
    used = {t.type for entries in lex.values() for t in entries.values()}
    assert used <= set(plover["types"])
    assert len(used) == 16  # every type has at least one trigger
    for entries in lex.values():
        for t in entries.values():
            assert not t.mode or t.mode in plover["types"][t.type]["modes"], t


def test_vso_actor_target_location():
    doc = make_doc(
        "اغتالت الولايات المتحدة قاسم سليماني في بغداد.",
        [("LOC", "الولايات المتحدة"), ("PER", "قاسم سليماني"), ("LOC", "بغداد")],
    )
    ev = only(extract(doc), "ASSAULT")
    assert roles(doc, ev) == ("الولايات المتحدة", "قاسم سليماني", "بغداد")
    assert ev.mode == "targeted"
    assert ev.trigger.text == "اغتالت"
    assert doc.text[ev.sentence.start : ev.sentence.end] == doc.text


def test_subject_of_subordinate_clause_and_title_phrase():
    doc = make_doc(
        "كان مايك بومبيو على رأس الوكالة، حين طلب من السفير الأميركي لدى العراق دوجلاس سيليمان تسليم قاسم سليماني رسالة.",
        [("PER", "مايك بومبيو"), ("LOC", "العراق"), ("PER", "دوجلاس سيليمان"), ("PER", "قاسم سليماني")],
    )
    ev = only(extract(doc), "REQUEST")
    assert roles(doc, ev)[:2] == ("مايك بومبيو", "دوجلاس سيليمان")


def test_svo_and_verbal_noun_with_preposition_target():
    doc = make_doc("أعادت واشنطن فرض عقوبات على طهران.", [("LOC", "واشنطن"), ("LOC", "طهران")])
    ev = only(extract(doc), "SANCTION")
    assert roles(doc, ev)[:2] == ("واشنطن", "طهران")


def test_modes():
    neg = make_doc("لم تشن إسرائيل أي هجوم على غزة.", [("LOC", "إسرائيل"), ("LOC", "غزة")])
    ev = only(extract(neg), "ASSAULT")
    assert ev.mode == "negated"
    assert roles(neg, ev)[:2] == ("إسرائيل", "غزة")

    fut = make_doc("ستعقد روسيا وتركيا اجتماعا في أنقرة.", [("LOC", "روسيا"), ("LOC", "تركيا"), ("LOC", "أنقرة")])
    ev = only(extract(fut), "CONSULT")
    assert ev.mode == "future"
    assert roles(fut, ev)[2] == "أنقرة"

    planned = make_doc(
        "وكان الجيش يستعد لاقتحام آخر معاقل تنظيم داعش في سوريا.",
        [("ORG", "الجيش"), ("ORG", "تنظيم داعش"), ("LOC", "سوريا")],
    )
    ev = only(extract(planned), "ASSAULT")
    assert ev.mode == "planned"
    assert roles(planned, ev) == ("الجيش", "تنظيم داعش", "سوريا")

    cond = make_doc("وإذا وافقت حماس على المقترح فإن إسرائيل ستنسحب من رفح.", [("ORG", "حماس"), ("LOC", "إسرائيل"), ("LOC", "رفح")])
    events = extract(cond)
    assert only(events, "AGREE").mode == "conditional"
    assert roles(cond, only(events, "RETREAT"))[0] == "إسرائيل"


def test_passive_masdar_has_target_and_no_actor():
    doc = make_doc("تم اغتيال العالم النووي محسن فخري زاده قرب طهران.", [("PER", "محسن فخري زاده"), ("LOC", "طهران")])
    ev = only(extract(doc), "ASSAULT")
    assert roles(doc, ev) == (None, "محسن فخري زاده", "طهران")


def test_relative_clause_names_the_actor_of_a_noun():
    doc = make_doc(
        "وندد المجلس بالهجوم الذي شنته جماعة الحوثي على ميناء الحديدة.",
        [("ORG", "المجلس"), ("ORG", "جماعة الحوثي"), ("LOC", "الحديدة")],
    )
    ev = only(extract(doc), "ASSAULT")
    assert roles(doc, ev)[0] == "جماعة الحوثي"


def test_reporting_verbs_and_names_are_not_triggers():
    doc = make_doc("وقال المتحدث باسم قوات الحشد الشعبي إن الوضع هادئ.", [("ORG", "قوات الحشد الشعبي")])
    assert extract(doc) == []


def test_without_entities_events_keep_no_roles():
    doc = Document(id="t", path="t", text="وشنت الطائرات غارات على مواقع في المدينة.")
    doc.sentences = split(doc.text)
    doc = create()(doc)
    ev = only(doc.events, "ASSAULT")
    assert (ev.actor, ev.target, ev.location) == (None, None, None)
    assert ev.id == "v1"


def test_entity_at_overlap():
    doc = make_doc("زار الرئيس عبد الفتاح السيسي الرياض.", [("PER", "عبد الفتاح السيسي"), ("LOC", "الرياض")])
    start = doc.text.index("السيسي")
    assert entity_at(doc, start, start + 3) == "e1"
    assert entity_at(doc, 0, 3) is None


@pytest.mark.parametrize(
    "text, etype",
    [
        ("وتظاهر آلاف الطلاب أمام مبنى البرلمان.", "PROTEST"),
        ("واعتقلت الشرطة عشرات الناشطين.", "COERCE"),
        ("ونشرت الحكومة قوات إضافية على الحدود.", "MOBILIZE"),
        ("وأفرجت السلطات عن الصحفيين المعتقلين.", "RETREAT"),
        ("وأدانت الخارجية الهجوم بشدة.", "ACCUSE"),
        ("وأشاد الوزير بالتعاون بين البلدين.", "SUPPORT"),
    ],
)
def test_types_on_common_news_verbs(text, etype):
    doc = Document(id="t", path="t", text=text)
    doc.sentences = split(text)
    assert etype in {e.type for e in extract(doc)}


def test_subject_after_a_pronoun_preposition_and_visit_destination():
    doc = make_doc("وهو القرار الذي رحبت به إسرائيل.", [("LOC", "إسرائيل")])
    assert roles(doc, only(extract(doc), "SUPPORT"))[0] == "إسرائيل"
    doc = make_doc("وزار وزير الخارجية الروسي سيرغي لافروف لبغداد.", [("PER", "سيرغي لافروف"), ("LOC", "بغداد")])
    assert roles(doc, only(extract(doc), "CONSULT")) == ("سيرغي لافروف", None, "بغداد")


def test_agent_phrase_names_the_actor():
    doc = make_doc(
        "وأدان المجلس اغتيال الصحفي في الموصل على يد تنظيم داعش.",
        [("ORG", "المجلس"), ("LOC", "الموصل"), ("ORG", "تنظيم داعش")],
    )
    ev = only(extract(doc), "ASSAULT")
    assert roles(doc, ev)[0] == "تنظيم داعش"


def test_agreement_between_two_sides():
    doc = make_doc(
        "ورحب الوسطاء بالاتفاق بين إثيوبيا وإريتريا على إنهاء النزاع.",
        [("LOC", "إثيوبيا"), ("LOC", "إريتريا")],
    )
    ev = only(extract(doc), "AGREE")
    assert roles(doc, ev)[:2] == ("إثيوبيا", "إريتريا")


def test_alleged_and_any_events_are_not_facts():
    alleged = make_doc("وتحدثت وسائل إعلام روسية عن الهجوم المزعوم على دوما.", [("LOC", "دوما")])
    assert only(extract(alleged), "ASSAULT").mode == "uncertain"
    anyone = make_doc("وحذرت طهران من أن أي هجوم على أراضيها سيقابل برد قاس.", [("LOC", "طهران")])
    assert only(extract(anyone), "ASSAULT").mode == "hypothetical"


def test_places_papers_and_achievements_are_not_events():
    camps = make_doc("وكشف التقرير عن معسكرات اعتقال في إقليم شينجيانغ.", [("LOC", "إقليم شينجيانغ")])
    assert not [e for e in extract(camps) if e.type == "COERCE"]
    achieve = make_doc("وتسعى الحكومة إلى تحقيق أهدافها الاقتصادية.", [("ORG", "الحكومة")])
    assert not [e for e in extract(achieve) if e.type == "ACCUSE"]
    probe = make_doc("وفتحت الشرطة تحقيقا في الحادث.", [("ORG", "الشرطة")])
    assert only(extract(probe), "ACCUSE").mode == "investigate"


def test_source_declining_to_be_named_rejects_nothing():
    doc = make_doc("وقال مسؤول رفض الكشف عن هويته إن الوفد وصل إلى الدوحة.", [("LOC", "الدوحة")])
    assert not [e for e in extract(doc) if e.type == "REJECT"]
    doc = make_doc("رفضت الدوحة المطالب الأربعة.", [("LOC", "الدوحة")])
    assert only(extract(doc), "REJECT")


def test_speaker_of_a_quote_is_not_the_actor_inside_it():
    doc = make_doc("وقال ترامب: الهجوم على السفارة الأمريكية عمل جبان.", [("PER", "ترامب"), ("ORG", "السفارة الأمريكية")])
    ev = only(extract(doc), "ASSAULT")
    assert roles(doc, ev)[:2] == (None, "السفارة الأمريكية")


def test_unnamed_subject_before_a_name_makes_the_name_the_target():
    doc = make_doc("واستهدفت الفصائل الفلسطينية إسرائيل بعشرات الصواريخ.", [("LOC", "إسرائيل")])
    ev = only(extract(doc), "ASSAULT")
    assert roles(doc, ev)[:2] == (None, "إسرائيل")
    # A title with its nisba still leads to the name: the name is the subject.
    doc = make_doc("واستقبل الرئيس المصري عبد الفتاح السيسي الوفد في القاهرة.", [("PER", "عبد الفتاح السيسي"), ("LOC", "القاهرة")])
    assert roles(doc, only(extract(doc), "CONSULT"))[0] == "عبد الفتاح السيسي"


def test_bare_qatl_names_the_victim():
    doc = make_doc("وأدانت المنظمة قتل الصحفي جمال خاشقجي في إسطنبول.", [("ORG", "المنظمة"), ("PER", "جمال خاشقجي"), ("LOC", "إسطنبول")])
    ev = only(extract(doc), "ASSAULT")
    assert roles(doc, ev)[1] == "جمال خاشقجي"
    doc = make_doc("وقتلت القوات الحكومية ثلاثة مسلحين في درعا.", [("ORG", "القوات الحكومية"), ("LOC", "درعا")])
    assert roles(doc, only(extract(doc), "ASSAULT"))[0] == "القوات الحكومية"
