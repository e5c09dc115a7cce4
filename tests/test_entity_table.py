"""The corpus-level entity table: a person known by a surname in one report and by a full name in another."""

from __future__ import annotations

from marsad.store.base import _merge_surnames


def _row(key: str, name: str, docs: set[str], aliases: dict[str, int], kb_id=None, typ="PER"):
    return {"key": key, "keys": [key], "name": name, "name_en": None, "type": typ, "kb_id": kb_id,
            "aliases": dict(aliases), "documents": len(docs), "first_seen": None, "last_seen": None}, docs


def test_surname_only_person_joins_the_one_full_name():
    full, d1 = _row("name:PER:اسماعيل قااني", "إسماعيل قاآني", {"a"}, {"إسماعيل قاآني": 2})
    short, d2 = _row("name:PER:قااني", "قاآني", {"b", "c"}, {"العميد قاآني": 3, "قااني": 1})
    rows = _merge_surnames([full, short], {full["key"]: d1, short["key"]: d2})
    assert len(rows) == 1
    merged = rows[0]
    assert merged["documents"] == 3 and set(merged["keys"]) == {full["key"], short["key"]}
    assert merged["aliases"]["العميد قاآني"] == 3


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
