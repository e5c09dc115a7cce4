"""The knowledge base: lookups, demonyms, capitals, transliteration, role holders, the builder."""

from __future__ import annotations

from marsad.nlp.kb import lemma_key, load


def test_country_variants_and_codes():
    kb = load()
    for name in ("سوريا", "سورية"):
        rec = kb.best(name, "LOC")
        assert rec["id"] == "marsad:country:SYR" and rec["name_en"] == "Syria"
    assert kb.best("العراق", "LOC")["iso3"] == "IRQ"
    assert kb.best("عراق", "LOC")["id"] == "marsad:country:IRQ"  # article-less form
    assert kb.best("الولايات المتحدة", "LOC")["name_en"] == "United States"
    assert kb.best("بريطانيا", "LOC")["id"] == "marsad:country:GBR"
    assert kb.best("إيران", "LOC")["id"] == kb.best("ايران", "LOC")["id"] == "marsad:country:IRN"


def test_capitals_point_to_their_country():
    kb = load()
    tehran = kb.best("طهران", "LOC")
    assert tehran["kind"] == "city" and tehran["name_en"] == "Tehran"
    assert tehran["capital_of"] == "marsad:country:IRN"
    assert kb.best("واشنطن", "LOC")["capital_of"] == "marsad:country:USA"
    baghdad = kb.best("بغداد", "LOC")
    assert baghdad["capital_of"] == "marsad:country:IRQ" and 33 < baghdad["lat"] < 34
    assert kb.get("marsad:country:IRQ")["capital"] == baghdad["id"]


def test_demonyms_regular_and_irregular():
    kb = load()
    for form in ("أمريكي", "الأميركية", "الأمريكيين", "الأميركيون", "الأمريكان"):
        assert kb.demonym(form)["id"] == "marsad:country:USA", form
    assert kb.demonym("العراقيين")["id"] == "marsad:country:IRQ"
    assert kb.demonym("السورية")["id"] == "marsad:country:SYR"
    assert kb.demonym("البريطانية")["id"] == "marsad:country:GBR"
    assert kb.demonym("طاولة") is None


def test_common_words_stay_out_of_the_gazetteer():
    forms = {form for form, _, variant in load().gazetteer() if not variant}
    assert {"بغداد", "دمشق", "النجف", "اربيل", "الولايات المتحده"} <= forms
    assert not {"سنه", "عنه", "المدينه", "الخبراء"} & forms  # city names that are also common words


def test_actor_groups_by_lemma_key():
    kb = load()
    assert lemma_key("الحرس الثوري الايراني") == "حرس ثوري ايراني"
    guard = kb.best("الحرس الثوري الإيراني", "ORG")
    assert guard is not None and guard["kind"] == "group"
    assert kb.best("الحرس الثوري الإيراني", "LOC") is None  # type filter


def test_role_holder_at_a_date():
    kb = load()
    in_2010 = [r["name"] for r in kb.holder("IRQGOV", "2010-06-01")]
    assert any("المالكي" in n for n in in_2010)
    assert not any("المالكي" in r["name"] for r in kb.holder("IRQGOV", "1990"))


def test_person_transliteration_uses_wikidata_spellings():
    kb = load()
    assert kb.transliterate("قاسم سليماني").lower().endswith("soleimani")
    assert kb.transliterate("دونالد ترامب") == "Donald Trump"
    assert kb.transliterate("محمد السوداني").startswith("Mohamed al-")


def test_fuzzy_lookup_is_guarded():
    kb = load()
    assert kb.fuzzy("اسطنبولل", "LOC")["name_en"] == "Istanbul"
    assert kb.fuzzy("قم", "LOC") is None  # too short for a fuzzy match


def test_builder_from_shared_data(shared, tmp_path):
    from marsad.tools.build_kb import build, default_resource_dir, write

    kb = build(shared, default_resource_dir())
    kinds = {r["kind"] for r in kb["records"]}
    assert kinds == {"country", "city", "person", "group", "agent"}
    ids = [r["id"] for r in kb["records"]]
    assert len(ids) == len(set(ids))
    maliki = [r for r in kb["records"] if r["kind"] == "person" and r["name"] == "نوري المالكي"]
    assert maliki and ["IRQGOV", "2010-12-21", "2014-09-08"] in maliki[0]["roles"]
    out = tmp_path / "kb.json.gz"
    write(kb, out)
    assert 0 < out.stat().st_size < 15_000_000


def test_surname_links_only_to_a_unique_person():
    kb = load()
    assert kb.by_surname("سليماني")["name"] == "قاسم سليماني"
    # Many people share a common surname: no link rather than a wrong one.
    assert kb.by_surname("الحسيني") is None
    assert kb.by_surname("قاسم سليماني") is None  # a full name is not a surname


def test_lemmatised_organisation_is_not_a_person():
    # بيت أبيض is how the actor dictionary writes البيت الأبيض; بيت is also the name Pete.
    rec = load().best("البيت الأبيض")
    assert rec is not None and rec["type"] == "ORG"
