"""Framing markers: loaded vocabulary with the camp it signals."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.io import read_path
from marsad.model import Document
from marsad.nlp.framing import find_framing, tag_framing
from marsad.pipeline import Pipeline, load_config
from marsad.text.normalize import fold


def markers(text: str) -> list[tuple[str, str, str]]:
    return [(m.text, m.term, m.side) for m in find_framing(text)]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("أكدت المقاومة الإسلامية أن كيان الاحتلال سيدفع الثمن.",
         [("المقاومة الإسلامية", "المقاومة", "resistance_axis"), ("كيان الاحتلال", "كيان الاحتلال", "resistance_axis")]),
        ("وسقط الشهيدان في قصف للاحتلال قرب الحدود.",
         [("الشهيدان", "الشهيد", "resistance_axis"), ("للاحتلال", "الاحتلال", "resistance_axis")]),
        ("وقال إن شهداءنا لن ينسوا جرائم العدو الصهيوني ومرتزقته.",
         [("شهداءنا", "الشهيد", "resistance_axis"), ("العدو الصهيوني", "العدو الصهيوني", "resistance_axis"), ("مرتزقته", "مرتزقة", "resistance_axis")]),
        ("واستنفرت ميليشيا الحوثي عناصرها في شوارع صنعاء.", [("ميليشيا الحوثي", "ميليشيا الحوثي", "anti_axis")]),
        ("وهاجمت الميليشيات الموالية لإيران قاعدة عسكرية.", [("الميليشيات الموالية لإيران", "ميليشيات", "anti_axis")]),
        ("تحذر الرياض من أذرع إيران في المنطقة ومن وكلاء طهران.",
         [("أذرع إيران", "أذرع إيران", "anti_axis"), ("وكلاء طهران", "وكلاء إيران", "anti_axis")]),
        ("وقتل مدنيون في قصف لقوات النظام السوري على الغوطة.", [("قوات النظام السوري", "النظام السوري", "anti_axis")]),
        ("وأعلن الجيش الإسرائيلي مقتل ثلاثة أشخاص.", [("الجيش الإسرائيلي", "إسرائيل", "neutral")]),
        ("وبالمقاومة وحدها يتحرر الوطن.", [("المقاومة", "المقاومة", "resistance_axis")]),
        ("وتزيد المخاوف المتعلقة بأنشطة إيران الخبيثة في العراق.", [("إيران الخبيثة", "الخبيثة", "anti_axis")]),
    ],
)
def test_loaded_terms(sentence: str, expected: list) -> None:
    assert markers(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "وعالج الأطباء الأورام الخبيثة بنجاح.",  # malignant tumours, not a political label
        "ويوصي المدربون بتمارين المقاومة لكبار السن.",
        "وحذرت المنظمة من تزايد المقاومة البكتيرية للمضادات الحيوية.",
        "لكن البيانات التي استشهد بها التقرير قديمة.",  # استشهد ب = "cited"
        "واحتل الفريق المركز الأول في البطولة.",
        "ورفض مقاومة التغيير داخل الشركة.",
        "وقال المستشار يحيى رحيم صفوي إن المناورات انتهت.",  # a surname, not the slur
        "وبرهن القطاع المصرفي عن صمود كبير أمام الأزمة.",
        "واستهدفت البرمجيات الخبيثة حواسيب البنوك.",
    ],
)
def test_ordinary_language_is_not_framing(sentence: str) -> None:
    assert markers(sentence) == []


def test_offsets_index_original_text() -> None:
    text = "وَأَعْلَنَتِ المُقَاوَمَةُ\nأَنَّ الاحْتِلَالَ انْسَحَبَ"
    found = find_framing(text)
    assert [(m.term, m.text) for m in found] == [("المقاومة", "المُقَاوَمَةُ"), ("الاحتلال", "الاحْتِلَالَ")]
    for m in found:
        assert text[m.start : m.end] == m.text


def test_component_and_pipeline() -> None:
    doc = tag_framing(Document(id="d", path="p", text="قصفت طائرات الاحتلال مواقع المقاومة."))
    assert [m.term for m in doc.framing] == ["الاحتلال", "المقاومة"]
    assert doc.to_contract()["framing"][0]["side"] == "resistance_axis"
    assert load_config()["components"][-1]["name"] == "framing"


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.text(max_size=200),
        st.lists(st.sampled_from(["و", "ال", "ل", "المقاومة", "الاحتلال", "شهداء", "نا", "ميليشيا", "الحوثي", " ", "\n", "َ", "ـ", "بها"]), max_size=30).map("".join),
    )
)
def test_properties(text: str) -> None:
    found = find_framing(text)
    for m in found:
        assert 0 <= m.start < m.end <= len(text)
        assert m.text == text[m.start : m.end]
        assert m.side in {"resistance_axis", "anti_axis", "neutral"}
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


def test_seed_gold_framing(shared) -> None:
    gold = json.loads((shared / "gold" / "seeds.json").read_text(encoding="utf-8"))["documents"]
    pipeline = Pipeline.from_config()
    expected = 0
    for g in gold:
        if not g.get("framing"):
            continue
        (raw,) = list(read_path(str(shared / "corpus" / "seeds" / g["file"])))
        doc = pipeline.analyze_raw(raw)
        keys = {fold(m.text) for m in doc.framing} | {fold(m.term) for m in doc.framing}
        for term in g["framing"]:
            expected += 1
            assert fold(term) in keys, f"{g['file']}: {term}"
    assert expected
