"""Stories are happenings: one strike told by three outlets is one story; a cultural item and a strike three weeks
later are not; a visit and an air strike about the same two countries on the same days are two stories."""

from pathlib import Path

from conftest import analyze

from marsad.corpus.stories import cluster

DATA = Path(__file__).parent / "data"


def members(name: str) -> list[list[str]]:
    objs = sorted(analyze(str(DATA / name)), key=lambda o: (o["published"], o["id"]))
    return sorted(sorted(s.reports) for s in cluster(objs))


def test_three_outlets_one_story():
    stories = members("multi_outlet.jsonl")
    assert ["o1", "o2", "o3"] in stories
    assert ["o4"] in stories and ["o5"] in stories


def test_two_happenings_about_the_same_countries_are_two_stories():
    # t1-t3: the Turkish foreign minister's water talks in Baghdad, told by three outlets over two days;
    # t4-t5: a Turkish drone strike in Sinjar and Baghdad's condemnation. Both are about Turkey and Iraq.
    assert members("same_countries.jsonl") == [["t1", "t2", "t3"], ["t4", "t5"]]


def test_a_sites_teasers_of_its_other_articles_join_no_story():
    # a1 (a prisoner swap) and a2 (floods in Kenya) both end with the site's teasers of other articles,
    # one of which (b) is the football report the first teaser opens. Teasers are no part of a report.
    from marsad.corpus.build import build

    objs = analyze(str(DATA / "teasers.jsonl"))
    stories = [sorted(r["id"] for r in s["reports"]) for s in build(objs).stories]
    assert not any({"a1", "a2"} <= set(s) for s in stories)
    assert not any({"a1", "b"} <= set(s) or {"a2", "b"} <= set(s) for s in stories)
