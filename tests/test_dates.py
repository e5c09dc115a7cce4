"""Arabic time expressions: grammar, resolution against the publication date, pipeline use."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.io import read_path
from marsad.model import Document
from marsad.nlp.dates import date_of_span, find_dates, infer_published, tag_dates
from marsad.pipeline import Pipeline, load_config
from marsad.text.normalize import fold

WED = dt.date(2024, 9, 18)  # a Wednesday


def found(text: str, ref: dt.date | None = WED) -> dict[str, tuple]:
    return {e.text: (e.value, e.relative) for e in find_dates(text, ref)}


@pytest.mark.parametrize(
    "sentence, expr, value",
    [
        ("استعد لاقتحام البوكمال في نهاية كانون الثاني/يناير من العام 2017، وكانت الطائرات تزود الغرفة.", "نهاية كانون الثاني/يناير من العام 2017", "2017-01"),
        ("يتابع الأنشطة السرية في العراق منذ العام 2003.", "منذ العام 2003", "2003"),
        ("عقد الاجتماع الثلاثاء 5 آذار/مارس 2024 في بيروت.", "الثلاثاء 5 آذار/مارس 2024", "2024-03-05"),
        ("وقع الانفجار في 27 سبتمبر 2019 قرب الحدود.", "27 سبتمبر 2019", "2019-09-27"),
        ("صدر القرار بتاريخ 2024/03/05 عن المحكمة.", "2024/03/05", "2024-03-05"),
        ("انتهت المهلة في 5-3-2024 دون اتفاق.", "5-3-2024", "2024-03-05"),
        ("وُلد في ١٤ تموز ١٩٥٨ في بغداد.", "١٤ تموز ١٩٥٨", "1958-07-14"),
        ("افتتح المعرض يوم 3 جانفي 2020 بالعاصمة.", "3 جانفي 2020", "2020-01-03"),
        ("احتفل الجزائريون بعيد الاستقلال في 5 جويلية 1962.", "5 جويلية 1962", "1962-07-05"),
        ("تأسست الشبكة في 1 يونيو – حزيران عام 2002 في بغداد.", "1 يونيو – حزيران عام 2002", "2002-06-01"),
        ("أعلن أن الانسحاب سيكتمل نهاية عام 2026 على مراحل.", "نهاية عام 2026", "2026-12"),
        ("تراجع الإنتاج منتصف 2025 بشكل ملحوظ.", "منتصف 2025", "2025-06"),
        ("زار الوفد الرياض في أيار/مايو 2023 لبحث الملف.", "أيار/مايو 2023", "2023-05"),
        ("وشهدت البلاد احتجاجات واسعة عام 2019 ضد الحكومة.", "عام 2019", "2019"),
        ("أكد أن الاتفاق وقّع في 2015 بعد مفاوضات طويلة.", "2015", "2015"),
        ("توفي الملك سنة 1953 في الطائف.", "سنة 1953", "1953"),
        ("افتتح المسجد في 15 رمضان 1445 هـ وسط حضور كبير.", "15 رمضان 1445 هـ", "2024-03-25"),
        ("صدر المرسوم في 1 محرم 1300 هجرية.", "1 محرم 1300 هجرية", "1882-11-12"),
        ("ولد في السابع والعشرين من كانون الثاني 1950.", "السابع والعشرين من كانون الثاني 1950", "1950-01-27"),
    ],
)
def test_absolute_expressions(sentence: str, expr: str, value: str) -> None:
    exprs = found(sentence)
    assert exprs[expr] == (value, False)


@pytest.mark.parametrize(
    "sentence, expr, value",
    [
        ("اجتمع سليماني قبل 3 أسابيع بعناصر من الميليشيات.", "قبل 3 أسابيع", "2024-08-28"),
        ("وصل الوفد قبل ثلاثة أيام إلى العاصمة.", "قبل ثلاثة أيام", "2024-09-15"),
        ("سيعود الوزير بعد يومين إلى بلاده.", "بعد يومين", "2024-09-20"),
        ("انسحبت واشنطن قبل عام من الاتفاق النووي.", None, None),  # "قبل عام من": anchored on another event
        ("غادر البلاد منذ خمس سنوات ولم يعد.", "منذ خمس سنوات", "2019"),
        ("تراجعت الأسعار قبل شهرين بشكل حاد.", "قبل شهرين", "2024-07"),
        ("قالت الوزارة أمس إن الوفد سيصل.", "أمس", "2024-09-17"),
        ("وكان قد غادر أول من أمس إلى القاهرة.", "أول من أمس", "2024-09-16"),
        ("يصل الرئيس غدا إلى عمّان.", "غدا", "2024-09-19"),
        ("أعلن الجيش صباح اليوم عن عملية جديدة.", "صباح اليوم", "2024-09-18"),
        ("وزار قاآني، مساء الإثنين، العاصمة بغداد.", "مساء الإثنين", "2024-09-16"),
        ("ورفعت بريطانيا يوم الخميس مستوى التأهب.", "يوم الخميس", "2024-09-12"),
        ("وأعلن المسؤولية عن أعمال العنف يوم الاثنين الماضي قرب الحدود.", "يوم الاثنين الماضي", "2024-09-16"),
        ("التقى الرئيس الأربعاء الماضي نظيره الإيراني.", "الأربعاء الماضي", "2024-09-11"),
        ("قال إنه سيسافر الجمعة المقبل إلى نيويورك.", "الجمعة المقبل", "2024-09-20"),
        ("اندلع حريق ليلة السبت في السوق القديم.", "ليلة السبت", "2024-09-14"),
        ("انطلقت الحملة الأربعاء في كل المحافظات.", "الأربعاء", "2024-09-18"),  # the publication day itself
        ("سيعلن عنه 27 من سبتمبر/أيلول الجاري.", "27 من سبتمبر/أيلول الجاري", "2024-09-27"),
        ("تجرى الانتخابات في نوفمبر المقبل.", "نوفمبر المقبل", "2024-11"),
        ("جرت الانتخابات في نوفمبر الماضي.", "نوفمبر الماضي", "2023-11"),
        ("أنهى تدريب الضباط في ديسمبر/كانون الأول من العام الماضي.", "ديسمبر/كانون الأول من العام الماضي", "2023-12"),
        ("ارتفعت الصادرات خلال الشهر الماضي.", "الشهر الماضي", "2024-08"),
        ("بلغ النمو ذروته العام الماضي.", "العام الماضي", "2023"),
        ("ستبدأ المرحلة الثانية مطلع العام المقبل.", "مطلع العام المقبل", "2025-01"),
        ("يجب التوقيع قبل نهاية العام الحالي.", "نهاية العام الحالي", "2024-12"),
        ("وصلت صواريخ إلى سوريا الأسبوع الماضي عبر العراق.", "الأسبوع الماضي", "2024-09"),
        ("تراجعت الأسعار خلال الأيام الثلاثة الماضية بشكل حاد.", "الأيام الثلاثة الماضية", "2024-09"),
        ("ارتفعت الصادرات خلال الأشهر الستة الماضية.", "الأشهر الستة الماضية", "2024"),
        ("كان يد إيران الضاربة على مر السنوات الـ15 الماضية.", "السنوات الـ15 الماضية", None),  # spans years
        ("انخفضت الليرة منذ بداية العام الجاري.", "منذ بداية العام الجاري", "2024-01"),
        ("قال الوزير أمس الثلاثاء إن المفاوضات مستمرة.", "أمس الثلاثاء", "2024-09-17"),
        ("وصادف 3 شوال عطلة رسمية.", "3 شوال", "2024-04-12"),  # nearest occurrence
        ("أمهل الطرفين حتى الـ19 من أكتوبر/تشرين أول الجاري.", "الـ19 من أكتوبر/تشرين أول الجاري", "2024-10-19"),
        ("تدخل العقوبات حيز التنفيذ في الرابع من نوفمبر المقبل.", "الرابع من نوفمبر المقبل", "2024-11-04"),
        ("وسيجري الرئيس الجمعة محادثات مع نظيره.", "الجمعة", "2024-09-20"),  # future verb: forward
        ("ومن المقرر أن يصل الوفد الأحد إلى القاهرة.", "الأحد", "2024-09-22"),
        ("أطلقت السلطات سراح 40 معتقلا سياسيا الأحد.", "الأحد", "2024-09-15"),  # سياسيا is no future verb
    ],
)
def test_relative_expressions(sentence: str, expr: str | None, value: str | None) -> None:
    exprs = found(sentence)
    if expr is None:
        assert exprs == {}
        return
    assert exprs[expr] == (value, True)


def test_relative_without_reference_has_no_value() -> None:
    exprs = found("وصلت صواريخ الأسبوع الماضي، والتقى الرئيس الأربعاء الماضي، في 27 من سبتمبر الجاري.", None)
    assert exprs == {
        "الأسبوع الماضي": (None, True),
        "الأربعاء الماضي": (None, True),
        "27 من سبتمبر الجاري": (None, True),
    }
    # Absolute ones keep their value.
    assert found("في نهاية كانون الثاني/يناير من العام 2017", None) == {"نهاية كانون الثاني/يناير من العام 2017": ("2017-01", False)}


@pytest.mark.parametrize(
    "sentence",
    [
        "وقتل الأب في المنزل أمام أطفاله.",  # آب (August) folds to the word for "father"
        "مارس الضغط على الحكومة لسنوات.",  # مارس is also the verb "practised"
        "اشترى سيارة نيسان جديدة.",
        "شارك اللاعبون الأحد عشر في التدريب.",
        "وفي اليوم التالي عاد إلى منزله.",
        "في الليلة التي سبقت وصول المبعوث.",
        "فاز الفريق بنتيجة 2 صفر.",
        "بلغ عدد السكان 2000 نسمة والأسعار 1500 دولار.",
        "أصدرت الحكومة القرار رقم 2024/77.",
        "وقعت المعركة في مثل هذا اليوم قبل قرن.",
    ],
)
def test_not_time_expressions(sentence: str) -> None:
    assert find_dates(sentence, WED) == []


def test_hijri_is_marked() -> None:
    (e,) = find_dates("في 15 رمضان 1445 هـ", WED)
    assert e.calendar == "hijri" and e.text == "15 رمضان 1445 هـ"
    assert e.to_contract()["calendar"] == "hijri"
    (e,) = find_dates("أعلنت الهيئة المعايير يوم 14/10/1439 للعموم.", WED)
    assert (e.text, e.value, e.calendar) == ("14/10/1439", "2018-06-28", "hijri")


def test_longest_match_wins_and_order() -> None:
    text = "التقى الثلاثاء 5 آذار/مارس 2024 ثم سافر يوم الخميس."
    exprs = find_dates(text, WED)
    assert [e.text for e in exprs] == ["الثلاثاء 5 آذار/مارس 2024", "يوم الخميس"]
    assert all(a.end <= b.start for a, b in zip(exprs, exprs[1:]))


def test_spans_index_original_text_with_diacritics() -> None:
    text = "وَصَلَ الوَفْدُ يَوْمَ الخَمِيسِ المَاضِي إلى بَغْدَادَ."
    (e,) = find_dates(text, WED)
    assert e.text == text[e.start : e.end] == "يَوْمَ الخَمِيسِ المَاضِي"
    assert e.value == "2024-09-12"


def test_expression_does_not_cross_lines() -> None:
    exprs = find_dates("عقد في 5 آذار\n2024 كان عاما صعبا", WED)
    assert "\n" not in "".join(e.text for e in exprs)


def test_infer_published_from_label_and_dateline() -> None:
    assert infer_published("عنوان الخبر\nنشر في 12 مارس 2023 - 10:45\nنص الخبر أمس.") == "2023-03-12"
    assert infer_published("عنوان الخبر\nالثلاثاء 5 آذار/مارس 2024\nقال الوزير إن الاتفاق تم.") == "2024-03-05"
    # A date inside a body sentence is not the publication date.
    assert infer_published("قال الوزير إن الاتفاق وقع في 5 آذار/مارس 2024 بعد مفاوضات طويلة.") is None
    assert infer_published("وأعلنت المؤسسة في بيان أصدرته بتاريخ 3 حزيران/يونيو 2018م ونشرته على صفحتها الرسمية عن جنوح القارب.") is None


def test_component_resolves_against_published_and_infers_it() -> None:
    doc = Document(id="d", path="p", text="قال الوزير أمس إن الوفد يصل الأحد المقبل.", published="2024-09-18")
    tag_dates(doc)
    assert [(d.text, d.value) for d in doc.dates] == [("أمس", "2024-09-17"), ("الأحد المقبل", "2024-09-22")]

    doc = Document(id="d", path="p", text="قال الوزير أمس إن الوفد يصل.")
    doc.meta["published_default"] = "2020-01-10"
    tag_dates(doc)
    assert doc.dates[0].value == "2020-01-09"

    doc = Document(id="d", path="p", text="خبر عاجل\nتاريخ النشر: 2021/06/30\nأعلنت الحكومة أمس خطة جديدة.")
    tag_dates(doc)
    assert doc.published == "2021-06-30"
    assert [(d.text, d.value) for d in doc.dates if d.relative] == [("أمس", "2021-06-29")]


def test_date_of_span() -> None:
    text = "التقى الوزير نظيره. ووقع الانفجار يوم الخميس قرب المطار."
    doc = tag_dates(Document(id="d", path="p", text=text, published="2024-09-18"))
    second = text.index("ووقع")
    e = date_of_span(doc, second, len(text))
    assert e is not None and e.text == "يوم الخميس" and e.value == "2024-09-12"
    assert date_of_span(doc, 0, second) is None


def test_pipeline_has_dates_component() -> None:
    assert "dates" in [c["name"] for c in load_config()["components"]]


ARABIC = st.text(alphabet=st.sampled_from(list("ابتثجحخدذرسشصطظعغفقكلمنهويءأإآىة ٠١٢٣٤٥0123456789/-،.\nَُِ")), max_size=200)
WORDS = st.lists(
    st.sampled_from(
        ["في", "منذ", "العام", "عام", "2017", "٢٠٢٤", "5", "31", "كانون الثاني", "/", "يناير", "آذار", "مارس", "الماضي", "المقبل", "الجاري", "يوم",
         "الخميس", "مساء", "أمس", "اليوم", "قبل", "بعد", "3", "ثلاثة", "أسابيع", "يومين", "نهاية", "مطلع", "رمضان", "1445", "هـ", "-", "من", "الأسبوع", "الشهر", "\n"]
    ),
    max_size=25,
).map(" ".join)
REFS = st.one_of(st.none(), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)), st.dates())
ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@settings(max_examples=150, deadline=None)
@given(st.one_of(ARABIC, WORDS), REFS)
def test_properties(text: str, ref: dt.date | None) -> None:
    exprs = find_dates(text, ref)
    for e in exprs:
        assert 0 <= e.start < e.end <= len(text)
        assert e.text == text[e.start : e.end]
        if e.value is not None:
            assert ISO.match(e.value)
            dt.date.fromisoformat((e.value + "-01-01")[:10])
        if ref is None and e.relative:
            assert e.value is None
    assert all(a.end <= b.start for a, b in zip(exprs, exprs[1:]))


SEED_PUBLISHED = {"001": "2019-05-16", "002": "2024-09-18"}  # stated by their content (Guardian report, Sept. 2024 talks)


def test_seed_gold_dates(shared) -> None:
    gold = json.loads((shared / "gold" / "seeds.json").read_text(encoding="utf-8"))["documents"]
    pipeline = Pipeline.from_config(exclude=["framing"])
    expected = found_count = 0
    for g in gold:
        if not g.get("dates"):
            continue
        (raw,) = list(read_path(str(shared / "corpus" / "seeds" / g["file"])))
        doc = pipeline.analyze_raw(raw, SEED_PUBLISHED.get(g["file"][:3]))
        for gd in g["dates"]:
            expected += 1
            match = [d for d in doc.dates if fold(d.text) == fold(gd["text"])]
            assert match, f"{g['file']}: {gd['text']} not found in {[d.text for d in doc.dates]}"
            found_count += 1
            if "value" in gd:
                assert match[0].value == gd["value"]
            if gd.get("relative"):
                assert match[0].relative
            if "month" in gd:
                assert match[0].value[5:10] == f"{gd['month']:02d}-{gd['day']:02d}"
    assert expected and found_count == expected
