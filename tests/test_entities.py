"""The entities component: gazetteer mentions, merging names within a document, KB links."""

from __future__ import annotations

import pytest

from marsad.model import Document, Mention
from marsad.nlp.entities import create, strip_titles
from marsad.nlp.kb import load


@pytest.fixture(scope="module")
def linker():
    return create()


def _doc(text: str, spans: list[tuple[str, str, int]] = ()) -> Document:
    """A document with NER-style mentions: (surface, type, occurrence index)."""
    doc = Document(id="t", path="t", text=text)
    for surface, typ, nth in spans:
        start = -1
        for _ in range(nth + 1):
            start = text.index(surface, start + 1)
        doc.mentions.append(Mention(start, start + len(surface), surface, typ))
    return doc


def _by_name(doc: Document) -> dict[str, object]:
    return {e.name: e for e in doc.entities}


def test_strip_titles():
    assert strip_titles("القائد الشهيد الحاج قاسم سليماني") == "قاسم سليماني"
    assert strip_titles("وزير الخارجية مايك بومبيو") == "مايك بومبيو"
    assert strip_titles("الميجر جنرال إسماعيل قاآني") == "إسماعيل قاآني"
    assert strip_titles("الرئيس") == "الرئيس"  # a bare title stays


def test_titles_stripped_and_surname_linked(linker):
    text = (
        "أعلن الجنرال قاسم سليماني أمس أن قواته ستبقى في المنطقة. "
        "وقال الحاج قاسم سليماني في كلمته إن المعركة طويلة، وأضاف سليماني أن النصر قريب."
    )
    doc = linker(_doc(text, [("الجنرال قاسم سليماني", "PER", 0), ("قاسم سليماني", "PER", 1), ("سليماني", "PER", 2)]))
    people = [e for e in doc.entities if e.type == "PER"]
    assert len(people) == 1
    soleimani = people[0]
    assert soleimani.name == "قاسم سليماني"
    texts = [m.text for m in soleimani.mentions]
    assert "الجنرال قاسم سليماني" in texts and "الحاج قاسم سليماني" in texts and "سليماني" in texts
    assert soleimani.name_en and soleimani.name_en.lower().endswith("soleimani")
    assert all(doc.text[m.start : m.end] == m.text for m in soleimani.mentions)


def test_surname_shared_by_two_people_is_not_merged(linker):
    text = (
        "التقى نوري المالكي بالنائب حبيب المالكي في بغداد، "
        "وقال المالكي إن الحوار مستمر."
    )
    doc = linker(_doc(text, [("نوري المالكي", "PER", 0), ("حبيب المالكي", "PER", 0), ("المالكي", "PER", 2)]))
    people = {e.name: e for e in doc.entities if e.type == "PER"}
    assert {"نوري المالكي", "حبيب المالكي"} <= set(people)
    assert len(people["نوري المالكي"].mentions) == 1 and len(people["حبيب المالكي"].mentions) == 1
    assert "المالكي" in people  # the ambiguous surname stays on its own


def test_spelling_variants_merge(linker):
    text = (
        "وصل العميد إسماعيل قاآني إلى بغداد، والتقى قااني بقادة الفصائل. "
        "واستهدفت صواريخ قاعدة عين الأسد، ثم أعلن الجيش أن عين الاسد لم تتضرر. "
        "وانتقدت الخارجية الأمريكية الهجوم، وأكدت الخارجية الأميركية دعمها لبغداد."
    )
    doc = linker(
        _doc(
            text,
            [
                ("إسماعيل قاآني", "PER", 0),
                ("قااني", "PER", 0),
                ("عين الأسد", "LOC", 0),
                ("عين الاسد", "LOC", 0),
                ("الخارجية الأمريكية", "ORG", 0),
                ("الخارجية الأميركية", "ORG", 0),
            ],
        )
    )
    ents = _by_name(doc)
    assert {m.text for m in ents["إسماعيل قاآني"].mentions} >= {"العميد إسماعيل قاآني", "قااني"}
    assert len([e for e in doc.entities if e.type == "LOC" and "الاسد" in e.name.replace("أ", "ا")]) == 1
    assert len([e for e in doc.entities if e.type == "ORG"]) == 1
    assert [e.id for e in doc.entities] == [f"e{i}" for i in range(1, len(doc.entities) + 1)]


def test_different_people_with_similar_names_stay_apart(linker):
    text = "استقبل محمد علي الحكيم الوزير محمد علي الحكيمي في مكتبه."
    doc = linker(_doc(text, [("محمد علي الحكيم", "PER", 0), ("محمد علي الحكيمي", "PER", 0)]))
    assert len([e for e in doc.entities if e.type == "PER"]) == 2


def test_gazetteer_finds_places_with_clitics_outside(linker):
    text = "وصل الوفد لبغداد قادما من طهران، ثم توجه للعراق وسوريا، وبحث مع الأمريكيين الوضع في واشنطن."
    doc = linker(_doc(text))
    ents = _by_name(doc)
    baghdad = ents["بغداد"]
    assert baghdad.kb_id and baghdad.name_en == "Baghdad" and baghdad.type == "LOC"
    m = baghdad.mentions[0]
    assert text[m.start : m.end] == "بغداد" and text[m.start - 1] == "ل"
    iraq = ents["العراق"]
    assert iraq.kb_id == "marsad:country:IRQ" and iraq.name_en == "Iraq"
    assert iraq.mentions[0].text == "العراق" and text[iraq.mentions[0].start - 1] == "ل"
    assert ents["سوريا"].kb_id == "marsad:country:SYR"
    usa = ents["الولايات المتحدة"]  # named by the KB: only its people are mentioned
    assert usa.kb_id == "marsad:country:USA" and [m.text for m in usa.mentions] == ["الأمريكيين"]
    assert ents["واشنطن"].name_en == "Washington"
    assert doc.meta["metonyms"][ents["طهران"].id] == "marsad:country:IRN"
    assert doc.meta["metonyms"][ents["واشنطن"].id] == "marsad:country:USA"


def test_nisba_after_a_definite_noun_is_an_adjective(linker):
    doc = linker(_doc("قتل الجنود الأمريكيين في الهجوم."))
    assert not [e for e in doc.entities if e.kb_id == "marsad:country:USA"]


def test_country_spelling_variant_needs_a_noun_context(linker):
    doc = linker(_doc("وصلت قوات سورية إلى الحدود، بعد العدوان على سورية منذ سنوات."))
    syria = [e for e in doc.entities if e.kb_id == "marsad:country:SYR"]
    assert len(syria) == 1 and len(syria[0].mentions) == 1
    m = syria[0].mentions[0]
    assert doc.text[m.start - 4 : m.start] == "على "


def test_no_match_inside_a_longer_word(linker):
    doc = linker(_doc("كانت البغدادية تبث برنامجا عن العراقيين."))
    assert "بغداد" not in _by_name(doc)


def test_ner_mention_wins_over_gazetteer_and_links(linker):
    text = "قال الحرس الثوري الإيراني إن إيران سترد."
    doc = linker(_doc(text, [("الحرس الثوري الإيراني", "ORG", 0)]))
    ents = _by_name(doc)
    guard = ents["الحرس الثوري الإيراني"]
    assert guard.type == "ORG" and guard.kb_id and guard.kb_id.startswith("marsad:actor:")
    assert ents["إيران"].kb_id == "marsad:country:IRN"
    spans = sorted((m.start, m.end) for m in doc.mentions)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))  # no overlapping mentions


def test_aliases_and_repeated_names(linker):
    text = "زار مايك بومبيو العراق. وقال وزير الخارجية مايك بومبيو إن بومبيو لن يتراجع."
    doc = linker(_doc(text, [("مايك بومبيو", "PER", 0)]))
    pompeo = _by_name(doc)["مايك بومبيو"]
    assert len(pompeo.mentions) == 3
    assert set(pompeo.aliases) == {"مايك بومبيو", "بومبيو"}
    assert pompeo.name_en == "Mike Pompeo"


def test_empty_document(linker):
    doc = linker(Document(id="e", path="e", text=""))
    assert doc.entities == []


def test_a_stray_diacritic_or_a_bare_title_never_breaks_entity_merging():
    from marsad.io import RawDocument
    from marsad.pipeline import Pipeline

    text = "قال الرئيس الروسي فلاديمير بوتين ّ إن موسكو لن تسمح بتقسيم سوريا، وأضاف الرئيس أن ّ القوات الروسية باقية."
    doc = Pipeline.from_config().analyze_raw(RawDocument(path="t", text=text))
    assert doc.error is None
    assert all(e.name.strip("\u0651 ") for e in doc.entities)


def test_bodies_of_two_countries_stay_apart(linker):
    text = "وانتقدت الحكومة الإيطالية قرار الحكومة الفرنسية، وقالت الحكومة إن الحوار مستمر."
    doc = linker(_doc(text, [("الحكومة الإيطالية", "ORG", 0), ("الحكومة الفرنسية", "ORG", 0), ("الحكومة", "ORG", 2)]))
    orgs = [e for e in doc.entities if e.type == "ORG"]
    names = {e.name for e in orgs}
    assert {"الحكومة الإيطالية", "الحكومة الفرنسية"} <= names
    # Neither absorbs the other, nor the bare generic word: it could be either government.
    for e in orgs:
        texts = {m.text for m in e.mentions}
        assert len(texts & {"الحكومة الإيطالية", "الحكومة الفرنسية", "الحكومة"}) == 1


def test_a_consonant_makes_another_name_a_vowel_does_not(linker):
    text = "والتقى جون كيري نظيره، ثم اتصل جون كيلي بالبيت الأبيض. وقالت الخارجية الأمريكية والخارجية الأميركية."
    doc = linker(_doc(text, [("جون كيري", "PER", 0), ("جون كيلي", "PER", 0),
                             ("الخارجية الأمريكية", "ORG", 0), ("الخارجية الأميركية", "ORG", 0)]))
    people = [e for e in doc.entities if e.type == "PER"]
    assert len(people) == 2
    state = [e for e in doc.entities if e.type == "ORG" and "الخارجية" in e.name]
    assert len(state) == 1  # ري/ير trade places: one spelling of one name


def test_demonstrative_points_back_to_the_organisation(linker):
    text = "وأعلنت الإدارة الأميركية خطة جديدة. وتريد هذه الإدارة اتفاقا سريعا."
    doc = linker(_doc(text, [("الإدارة الأميركية", "ORG", 0)]))
    admin = next(e for e in doc.entities if e.name == "الإدارة الأميركية")
    assert [m.text for m in admin.mentions] == ["الإدارة الأميركية", "الإدارة"]


def test_title_alone_stands_for_the_one_person_who_holds_it(linker):
    text = ("وصل الجنرال إسماعيل قاآني إلى بغداد أمس. وبحسب المصدر فإن الجنرال الإيراني، طالب الفصائل بالتهدئة. "
            "وقال الأمير فيصل إن الزيارة مهمة.")
    doc = linker(_doc(text, [("الجنرال إسماعيل قاآني", "PER", 0), ("بغداد", "LOC", 0)]))
    qaani = next(e for e in doc.entities if e.name == "إسماعيل قاآني")
    assert "الجنرال الإيراني" in [m.text for m in qaani.mentions]


def test_title_held_by_two_people_links_to_neither(linker):
    text = "التقى الرئيس إيمانويل ماكرون الرئيس دونالد ترامب. وقال الرئيس إن اللقاء كان مثمرا."
    doc = linker(_doc(text, [("الرئيس إيمانويل ماكرون", "PER", 0), ("الرئيس دونالد ترامب", "PER", 0)]))
    assert not any(m.source == "anaphor" for e in doc.entities for m in e.mentions)


def test_one_word_body_tagged_as_person_is_an_organisation(linker):
    text = "وقال البنتاغون إن القوات ستبقى."
    doc = linker(_doc(text, [("البنتاغون", "PER", 0)]))
    assert [(e.type, e.name) for e in doc.entities] == [("ORG", "البنتاغون")]


def test_relative_of_a_person_is_not_the_person(linker):
    text = "وقالت رنيم إن ابن رنيم نجا من الحادث، وأكدت رنيم أنها بخير."
    doc = linker(_doc(text, [("رنيم", "PER", 0), ("ابن رنيم", "PER", 0), ("رنيم", "PER", 2)]))
    assert len([e for e in doc.entities if e.type == "PER"]) == 2


def test_homographs_by_written_vowel_and_by_the_capital_named(linker):
    doc = linker(_doc("وصل الوفد إلى عمّان قادما من عُمان.", [("عمّان", "LOC", 0), ("عُمان", "LOC", 0)]))
    ids = {e.name: e.kb_id for e in doc.entities}
    assert ids["عمّان"] == load().get("marsad:country:JOR")["capital"]
    assert ids["عُمان"] == "marsad:country:OMN"
    doc = linker(_doc("وعقد الاجتماع في العاصمة الأردنية عمان أمس.", [("عمان", "LOC", 0)]))
    assert doc.entities[0].kb_id == load().get("marsad:country:JOR")["capital"]


def test_place_names_read_as_words_are_no_places(linker):
    doc = linker(_doc("وترفض واشنطن دومًا هذه الشروط، وعاد إلى مسقط رأسه في الجنوب.", [("واشنطن", "LOC", 0)]))
    assert [e.name for e in doc.entities] == ["واشنطن"]


def test_office_resolves_to_its_holder_on_the_article_date(linker):
    putin = load().best("فلاديمير بوتين", "PER")
    text = "وقال الرئيس الروسي إن بلاده لن تتراجع. واستقبل رئيس الوزراء البريطاني نظيره."
    doc = _doc(text, [])
    doc.published = "2015-03-01"
    doc = linker(doc)
    held = {m.text: e.kb_id for e in doc.entities for m in e.mentions}
    assert held["الرئيس الروسي"] == putin["id"]
    # The dictionary's British prime minister left office in 2010, and it knows no successor: no link made up.
    assert "رئيس الوزراء البريطاني" not in held
    # Without a date, or with a name after the title, the title is left alone.
    undated = linker(_doc(text, []))
    assert not any(m.source == "office" for e in undated.entities for m in e.mentions)
    named = _doc("وقال الرئيس الروسي فلاديمير بوتين إن بلاده لن تتراجع.", [("فلاديمير بوتين", "PER", 0)])
    named.published = "2015-03-01"
    named = linker(named)
    assert not any(m.source == "office" for e in named.entities for m in e.mentions)


def test_title_before_a_name_and_its_nisba_is_remembered(linker):
    text = "والتقى السفير الأمريكي روبرت فورد بالمعارضين. وأضاف السفير أن الحل سياسي."
    doc = linker(_doc(text, [("روبرت فورد", "PER", 0)]))
    ford = next(e for e in doc.entities if e.name == "روبرت فورد")
    assert "السفير" in [m.text for m in ford.mentions]
