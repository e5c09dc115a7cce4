"""Entity phrases read from noun-phrase structure (marsad.nlp.phrases), through the entity linker."""

from __future__ import annotations

import pytest

from marsad.model import Mention
from marsad.nlp.entities import create
from marsad.text.sentences import split


@pytest.fixture(scope="module")
def linker():
    return create()


def _link(linker, text: str, spans: list[tuple[str, str]] = ()):
    """Run the linker on ``text`` with tagger-style mentions (surface, type) at their first occurrence."""
    from marsad.model import Document

    doc = Document(id="t", path="t", text=text)
    doc.sentences = split(text)
    for surface, typ in spans:
        start = text.index(surface)
        doc.mentions.append(Mention(start, start + len(surface), surface, typ))
    return linker(doc)


def _mentions(doc, typ: str) -> set[str]:
    return {m.text for e in doc.entities if e.type == typ for m in e.mentions}


def test_institution_with_country_nisba_is_an_organisation(linker):
    doc = _link(linker, "وقال مسؤول في الإدارة الأميركية إن السفارة الأمريكية في بغداد لن تغلق، "
                        "فيما نفت وكالة الاستخبارات المركزية الأمريكية الخبر.")
    orgs = _mentions(doc, "ORG")
    assert {"الإدارة الأميركية", "السفارة الأمريكية", "وكالة الاستخبارات المركزية الأمريكية"} <= orgs
    # The country's nisba alone is not turned into an organisation.
    assert "الأمريكية" not in orgs


def test_common_noun_before_a_nisba_is_not_an_organisation(linker):
    doc = _link(linker, "وتضررت المدن العراقية من الفيضانات في الأراضي السورية.")
    assert not _mentions(doc, "ORG")


def test_outlet_name_leaves_its_country_out(linker):
    doc = _link(linker, "وروجت قناة الحرة الأمريكية للخبر في نشرتها المسائية.")
    assert "قناة الحرة" in _mentions(doc, "ORG")


def test_heads_widen_names_and_generic_heads_leave_the_canonical_name(linker):
    text = "وأفادت وكالة يونيوز أن الوفد زار إقليم كردستان، ثم وصل إلى قاعدة عين الأسد."
    doc = _link(linker, text, [("يونيوز", "ORG"), ("كردستان", "LOC"), ("عين الأسد", "LOC")])
    assert "وكالة يونيوز" in _mentions(doc, "ORG")
    assert {"إقليم كردستان", "قاعدة عين الأسد"} <= _mentions(doc, "LOC")
    names = {e.name for e in doc.entities}
    assert "يونيوز" in names and "وكالة يونيوز" not in names  # the agency is named without its head


def test_outlet_marker_closes_a_name_and_common_words_stop_it(linker):
    doc = _link(linker, "وقال مصدر مطلع لشبكة نهرين نت الإخبارية إن الاجتماع تأجل.")
    orgs = _mentions(doc, "ORG")
    assert "شبكة نهرين نت الإخبارية" in orgs
    assert not any("مطلع" in o for o in orgs)


def test_place_loses_its_country_nisba_but_country_names_keep_theirs(linker):
    text = "وسقطت قذائف على مدينة البوكمال السورية، وردت الولايات المتحدة الأميركية ببيان."
    doc = _link(linker, text, [("البوكمال السورية", "LOC"), ("الولايات المتحدة الأميركية", "LOC")])
    places = _mentions(doc, "LOC")
    assert "البوكمال" in places and "البوكمال السورية" not in places
    assert "الولايات المتحدة الأميركية" in places


def test_person_takes_a_nisba_surname_and_organisation_its_adjectives(linker):
    text = "واستقبل رئيس الوزراء محمد شياع السوداني وفدا من حرس الثورة الإسلامية في بغداد."
    doc = _link(linker, text, [("محمد شياع", "PER"), ("حرس الثورة", "ORG")])
    assert "محمد شياع السوداني" in {e.name for e in doc.entities if e.type == "PER"}
    assert "حرس الثورة الإسلامية" in _mentions(doc, "ORG")


def test_org_mentioned_with_its_head_is_found_alone_later(linker):
    text = "وأعلن تنظيم داعش مسؤوليته عن الهجوم. وقالت الشرطة إن داعش استهدف السوق."
    doc = _link(linker, text, [("تنظيم داعش", "ORG")])
    isis = [e for e in doc.entities if e.type == "ORG" and "داعش" in e.name]
    assert len(isis) == 1 and len(isis[0].mentions) == 2


def test_collective_head_with_noun_and_adjective_is_an_organisation(linker):
    doc = _link(linker, "وحضر ممثلون عن قوى الإطار التنسيقي الشيعي اجتماعا مع قادة فصائل المقاومة الإسلامية.")
    orgs = _mentions(doc, "ORG")
    assert {"قوى الإطار التنسيقي الشيعي", "فصائل المقاومة الإسلامية"} <= orgs
    assert "المقاومة الإسلامية" in {e.name for e in doc.entities}  # فصائل only says what kind


def test_base_named_before_its_adjectives_and_country(linker):
    doc = _link(linker, "وسقط صاروخ على قاعدة التاجي العسكرية العراقية، بعد هجوم على قاعدة عين الأسد الأميركية.")
    assert {"قاعدة التاجي", "قاعدة عين الأسد"} <= _mentions(doc, "LOC")
    # The same head in its common sense, with no country after it, is no place.
    doc = _link(linker, "وجرى الاتفاق على قاعدة واضحة للتعاون بين الطرفين.")
    assert not _mentions(doc, "LOC")


def test_base_placed_by_its_province_and_group_named_by_a_construct(linker):
    doc = _link(linker, "وانسحبت القوات من قاعدة عين الأسد، بمحافظة الأنبار، فيما هددت عصائب أهل الحق بالتصعيد.")
    assert "قاعدة عين الأسد" in _mentions(doc, "LOC")
    assert "عصائب أهل الحق" in _mentions(doc, "ORG")


def test_body_of_an_organisation_but_not_an_office(linker):
    text = "وحضر الوزير اجتماع الجمعية العامة للأمم المتحدة، والتقى الأمين العام للأمم المتحدة."
    first = text.index("لأمم المتحدة")  # للأمم: the article's alef is elided after ل
    second = text.index("لأمم المتحدة", first + 1)
    from marsad.model import Document

    doc = Document(id="t", path="t", text=text)
    doc.sentences = split(text)
    doc.mentions = [Mention(s, s + len("لأمم المتحدة"), "الأمم المتحدة", "ORG") for s in (first, second)]
    doc = linker(doc)
    orgs = _mentions(doc, "ORG")
    assert "الجمعية العامة للأمم المتحدة" in orgs
    assert not any(o.startswith("الأمين") for o in orgs)


def test_hashtag_words_are_read_as_words():
    from marsad.model import Document
    from marsad.text.clean import create as cleaner

    doc = cleaner()(Document(id="t", path="t", text="", raw_text="تابعوا وسم #كوريا_الجنوبية و#كوريا_الشمالية اليوم"))
    assert "#كوريا الجنوبية" in doc.text and "#كوريا الشمالية" in doc.text


def test_a_kind_before_a_common_noun_stays_in_the_name(linker):
    doc = _link(linker, "وقالت وكالة الأنباء الأردنية إن الحدود أغلقت.")
    assert "وكالة الأنباء الأردنية" in {e.name for e in doc.entities}


def _tagged(linker, text: str, spans: list[tuple[str, str, int]]):
    """Like ``_link``, with each mention at its ``n``-th occurrence: (surface, type, n)."""
    from marsad.model import Document

    doc = Document(id="t", path="t", text=text)
    doc.sentences = split(text)
    for surface, typ, nth in spans:
        start = -1
        for _ in range(nth + 1):
            start = text.index(surface, start + 1)
        doc.mentions.append(Mention(start, start + len(surface), surface, typ))
    return linker(doc)


def test_a_name_after_an_administrative_head_is_a_place(linker):
    doc = _tagged(linker, "قصفت طائرات مسيرة قرية تل شعير الحدودية فجر اليوم.", [("تل شعير", "ORG", 0)])
    assert [(e.type, e.name) for e in doc.entities] == [("LOC", "تل شعير")]
    # A head that is part of the name (جبل, مخيم) is taken into it instead, as before.
    doc = _tagged(linker, "وصلت التعزيزات إلى مخيم الهول صباح السبت.", [("الهول", "LOC", 0)])
    assert "مخيم الهول" in {e.name for e in doc.entities}


def test_a_name_has_one_type_in_a_document(linker):
    text = "دخلت القوات الحكومية تل شعير بعد حصار طويل. وقال ناشطون إن تل شعير شهدت معارك، وإن سكان تل شعير نزحوا."
    doc = _tagged(linker, text, [("تل شعير", "LOC", 0), ("تل شعير", "ORG", 1), ("تل شعير", "LOC", 2)])
    assert [(e.type, len(e.mentions)) for e in doc.entities] == [("LOC", 3)]
    # What a phrase rule decided outvotes the tagger, however often the tagger said otherwise.
    text = "نزح سكان تل شعير بعد القصف. وقال أهالي تل شعير إن القصف على قرية تل شعير مستمر."
    doc = _tagged(linker, text, [("تل شعير", "PER", 0), ("تل شعير", "PER", 1), ("تل شعير", "MISC", 2)])
    assert [(e.type, len(e.mentions)) for e in doc.entities] == [("LOC", 3)]


def test_an_apposition_makes_the_name_before_it_one_person(linker):
    # بيرو is also Peru: before "، رئيس بلدية" it is the second word of a person's name.
    text = "وقال سامان بيرو، رئيس بلدية القرية، إن الأهالي غادروا منازلهم."
    doc = _tagged(linker, text, [("سامان", "PER", 0), ("بيرو", "LOC", 0)])
    assert [(e.type, e.name) for e in doc.entities] == [("PER", "سامان بيرو")]
    # Without the apposition a person may well be followed by a place: زار أوباما بغداد.
    doc = _tagged(linker, "زار أوباما بغداد، ثم غادر.", [("أوباما", "PER", 0), ("بغداد", "LOC", 0)])
    assert {(e.type, e.name) for e in doc.entities} == {("PER", "أوباما"), ("LOC", "بغداد")}
    # A place written with a clitic (ببغداد) is not part of the name.
    doc = _tagged(linker, "وقال أحمد ببغداد، رئيس الوفد، إن المحادثات انتهت.", [("أحمد", "PER", 0), ("بغداد", "LOC", 0)])
    assert ("LOC", "بغداد") in {(e.type, e.name) for e in doc.entities}
