"""Stories: one strike told by three outlets is one story; a cultural item and a strike three weeks later are not."""

from pathlib import Path

from conftest import analyze

from marsad.corpus.stories import cluster

CORPUS = Path(__file__).parent / "data" / "multi_outlet.jsonl"


def test_three_outlets_one_story():
    objs = sorted(analyze(str(CORPUS)), key=lambda o: (o["published"], o["id"]))
    stories = cluster(objs)
    members = sorted(sorted(s.reports) for s in stories)
    assert ["o1", "o2", "o3"] in members
    assert ["o4"] in members and ["o5"] in members
