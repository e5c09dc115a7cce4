"""The corpus-level entity table: a person known by a surname in one report and by a full name in another."""

from __future__ import annotations

from marsad.store.base import _merge_surnames


def _row(key: str, name: str, docs: set[str], aliases: dict[str, int], kb_id=None, typ="PER"):
    return {"key": key, "keys": [key], "name": name, "name_en": None, "type": typ, "kb_id": kb_id,
            "aliases": dict(aliases), "documents": len(docs), "first_seen": None, "last_seen": None}, docs


def test_surname_only_person_joins_the_one_full_name_in_the_same_company():
    full, d1 = _row("name:PER:اسماعيل قااني", "إسماعيل قاآني", {"a"}, {"إسماعيل قاآني": 2})
    short, d2 = _row("name:PER:قااني", "قاآني", {"b", "c"}, {"العميد قاآني": 3, "قااني": 1})
    force, d3 = _row("name:ORG:فيلق القدس", "فيلق القدس", {"a", "c"}, {"فيلق القدس": 2}, typ="ORG")
    docs = {full["key"]: d1, short["key"]: d2, force["key"]: d3}
    rows = _merge_surnames([full, short, force], docs)
    assert len(rows) == 2
    merged = next(r for r in rows if r["type"] == "PER")
    assert merged["documents"] == 3 and set(merged["keys"]) == {full["key"], short["key"]}
    assert merged["aliases"]["العميد قاآني"] == 3


def test_surname_in_other_company_stays_apart():
    # Michael Cohen in a report on Trump's lawyer; a Cohen of the Israeli fire service elsewhere.
    full, d1 = _row("name:PER:مايكل كوهين", "مايكل كوهين", {"a"}, {"مايكل كوهين": 1})
    lawyer_ctx, d2 = _row("name:ORG:مكتب التحقيقات", "مكتب التحقيقات", {"a"}, {"مكتب التحقيقات": 1}, typ="ORG")
    short, d3 = _row("name:PER:كوهين", "كوهين", {"b"}, {"كوهين": 3})
    fire_ctx, d4 = _row("name:ORG:الاطفاء", "سلطة الإطفاء", {"b"}, {"سلطة الإطفاء": 1}, typ="ORG")
    docs = {r["key"]: d for r, d in ((full, d1), (lawyer_ctx, d2), (short, d3), (fire_ctx, d4))}
    assert len(_merge_surnames([full, lawyer_ctx, short, fire_ctx], docs)) == 4


def test_surname_shared_by_two_people_stays_apart():
    nouri, d1 = _row("name:PER:نوري المالكي", "نوري المالكي", {"a"}, {"نوري المالكي": 1})
    riyad, d2 = _row("name:PER:رياض المالكي", "رياض المالكي", {"b"}, {"رياض المالكي": 1})
    short, d3 = _row("name:PER:المالكي", "المالكي", {"c"}, {"المالكي": 4})
    rows = _merge_surnames([nouri, riyad, short], {"name:PER:نوري المالكي": d1, "name:PER:رياض المالكي": d2, "name:PER:المالكي": d3})
    assert len(rows) == 3


def test_organisation_is_not_merged_by_its_last_word():
    org, d1 = _row("name:ORG:حزب الله", "حزب الله", {"a"}, {"حزب الله": 1}, typ="ORG")
    per, d2 = _row("name:PER:الله", "الله", {"b"}, {"الله": 1})
    assert len(_merge_surnames([org, per], {org["key"]: d1, per["key"]: d2})) == 2
