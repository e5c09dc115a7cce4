"""Named-entity recognition: the shipped CRF on real Arabic, the scorer, the component."""

from __future__ import annotations

import pytest

from marsad.cli import main
from marsad.model import Document
from marsad.nlp.ner import create, default_tagger
from marsad.nlp.ner.conll import normalize_tag, read_conll, score, spans
from marsad.text.sentences import split


def entities(words: list[str]) -> dict[str, str]:
    tags = default_tagger().tag(words)
    return {" ".join(words[i:j]): t for i, j, t in spans(tags)}


def test_president_city_organisation():
    words = "قال الرئيس المصري عبد الفتاح السيسي في القاهرة إن الأمم المتحدة سترسل مساعدات غدا .".split()
    found = entities(words)
    assert found.get("عبد الفتاح السيسي") == "PER"
    assert found.get("القاهرة") == "LOC"
    assert found.get("الأمم المتحدة") == "ORG"
    assert "قال" not in " ".join(found) and "الرئيس" not in " ".join(found)


def test_person_after_title_and_countries():
    words = "واستقبل الملك عبدالله الثاني في عمان وزير الخارجية الأمريكي جون كيري لبحث الأوضاع في سوريا والعراق .".split()
    found = entities(words)
    assert found.get("جون كيري") == "PER"
    assert found.get("سوريا") == "LOC"
    assert found.get("والعراق") == "LOC"  # the tagger works on whole tokens, clitics included
    assert any(t == "PER" and "عبدالله" in name for name, t in found.items())


def test_organisation_names():
    words = "وأعلنت منظمة الصحة العالمية ووكالة الأنباء الفرنسية أن الأمم المتحدة سترسل مساعدات .".split()
    found = entities(words)
    assert found.get("الأمم المتحدة") == "ORG"
    assert found.get("منظمة الصحة العالمية") == "ORG"


def test_coordinated_persons_are_two_names():
    found = entities("واستقبل الرئيس ميشال عون ونبيه بري في قصر بعبدا .".split())
    assert found.get("ميشال عون") == "PER" and found.get("ونبيه بري") == "PER"


def test_no_entities_in_plain_sentence():
    assert entities("وارتفعت أسعار الخبز والأرز بشكل كبير خلال الأسبوع الماضي .".split()) == {}


def test_spans_follow_conll_rules():
    tags = ["B-PER", "I-PER", "O", "I-LOC", "I-LOC", "B-ORG", "I-PER", "B-LOC", "B-LOC"]
    assert list(spans(tags)) == [(0, 2, "PER"), (3, 5, "LOC"), (5, 6, "ORG"), (6, 7, "PER"), (7, 8, "LOC"), (8, 9, "LOC")]


def test_score_matches_seqeval():
    seqeval = pytest.importorskip("seqeval.metrics")
    gold = [
        ["B-PER", "I-PER", "O", "B-LOC", "O", "B-ORG", "I-ORG", "I-ORG"],
        ["O", "B-MISC", "I-MISC", "O", "B-LOC", "I-LOC", "O"],
        ["I-PER", "O", "B-ORG", "B-ORG", "O"],
    ]
    pred = [
        ["B-PER", "I-PER", "O", "B-LOC", "O", "B-ORG", "I-ORG", "O"],
        ["O", "B-MISC", "I-MISC", "O", "B-LOC", "B-LOC", "O"],
        ["B-PER", "O", "B-ORG", "I-ORG", "B-PER"],
    ]
    ours = score(gold, pred)
    assert ours["micro"]["precision"] == pytest.approx(seqeval.precision_score(gold, pred))
    assert ours["micro"]["recall"] == pytest.approx(seqeval.recall_score(gold, pred))
    assert ours["micro"]["f1"] == pytest.approx(seqeval.f1_score(gold, pred))
    report = seqeval.classification_report(gold, pred, output_dict=True)
    for typ in ("PER", "LOC", "ORG", "MISC"):
        assert ours[typ]["f1"] == pytest.approx(report[typ]["f1-score"])
        assert ours[typ]["support"] == report[typ]["support"]


def test_score_matches_seqeval_on_anercorp_dev(shared):
    seqeval = pytest.importorskip("seqeval.metrics")
    sentences = read_conll(shared / "data/ner/anercorp/ANERCorp_CamelLab_train.txt")[-150:]
    gold = [t for _, t in sentences]
    pred = [default_tagger().tag(w) for w, _ in sentences]
    ours = score(gold, pred)
    assert ours["micro"]["f1"] == pytest.approx(seqeval.f1_score(gold, pred))
    assert ours["micro"]["f1"] > 0.6
    no_misc = score(gold, pred, exclude=("MISC",))
    drop = [[t if not t.endswith("MISC") else "O" for t in s] for s in gold]
    drop_p = [[t if not t.endswith("MISC") else "O" for t in s] for s in pred]
    assert no_misc["micro"]["f1"] == pytest.approx(seqeval.f1_score(drop, drop_p))


def test_corpus_tag_spellings():
    assert normalize_tag("B-PERS") == "B-PER"
    assert normalize_tag("I-MIS2") == "I-MISC"
    assert normalize_tag("I--ORG") == "I-ORG"
    assert normalize_tag("B-ENGLISH") == "O"
    assert normalize_tag("O") == "O"


def test_tag_command_keeps_sentences(tmp_path, capsys):
    path = tmp_path / "in.conll"
    path.write_text("زار O\nالرئيس O\nالفرنسي O\nإيمانويل O\nماكرون O\nبيروت O\n\nوصل\nالوفد\nإلى\nدمشق\n", encoding="utf-8")
    assert main(["tag", "--conll", str(path)]) == 0
    lines = capsys.readouterr().out.split("\n")
    assert lines[6] == ""
    rows = [line.split("\t") for line in lines if line]
    assert [r[0] for r in rows][:6] == ["زار", "الرئيس", "الفرنسي", "إيمانويل", "ماكرون", "بيروت"]
    assert rows[3][1] == "B-PER" and rows[4][1] == "I-PER"
    assert rows[5][1] == "B-LOC"
    assert rows[-1] == ["دمشق", "B-LOC"]
    assert all(r[1] == "O" or r[1][:2] in ("B-", "I-") and r[1][2:] in ("PER", "ORG", "LOC", "MISC") for r in rows)


def test_eval_command_on_folder(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("قال O\nأوباما B-PERS\nفي O\nواشنطن B-LOC\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("وصل O\nبوتين B-PER\nإلى O\nموسكو B-LOC\n", encoding="utf-8")
    assert main(["eval", "ner", "--test", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "2 sentences, 8 tokens" in out
    micro = next(line for line in out.splitlines() if line.startswith("micro")).split()
    assert micro[-1] == "4" and float(micro[3]) > 70


def _analyse(text: str) -> Document:
    doc = Document(id="t", path="t", text=text)
    doc.sentences = split(text)
    return create()(doc)


def test_component_leaves_clitics_outside():
    text = "وصل الرئيس العراقي إلى بغداد أمس. وقال الأمين العام للأمم المتحدة إن الوضع خطير، ثم عاد لبغداد."
    doc = _analyse(text)
    by_text = {(m.text, m.type) for m in doc.mentions}
    assert ("بغداد", "LOC") in by_text
    baghdad = [m for m in doc.mentions if m.text == "بغداد"]
    assert len(baghdad) == 2
    for m in baghdad:
        assert text[m.start : m.end] == "بغداد"
    un = next(m for m in doc.mentions if m.type == "ORG")
    assert un.text == "الأمم المتحدة"
    assert text[un.start : un.end] == "لأمم المتحدة"  # لل: the article's alef was elided
    assert all(m.source == "ner" for m in doc.mentions)


def test_component_offsets_index_text():
    text = "التقى وزير الخارجية السعودي فيصل بن فرحان نظيره التركي في أنقرة."
    doc = _analyse(text)
    for m in doc.mentions:
        assert text[m.start : m.end] == m.text
    # فيصل is a name the segmenter would split as ف + يصل; the mention keeps it whole.
    assert {(m.text, m.type) for m in doc.mentions} == {("فيصل بن فرحان", "PER"), ("أنقرة", "LOC")}


_FIT_SCRIPT = """
import sys
from pathlib import Path
from marsad.nlp.ner.conll import read_conll
from marsad.nlp.ner.features import Featurizer, Resources
from marsad.nlp.ner.tagger import resource_dir
from marsad.nlp.ner.train import TRAIN_FILE, fit
sentences = read_conll(Path(sys.argv[1]) / TRAIN_FILE)[:150]
fit(sentences, Featurizer(Resources.load(resource_dir())), {"max_iterations": 15}, Path(sys.argv[2]))
"""


def test_training_is_deterministic(shared, tmp_path):
    import os
    import subprocess
    import sys

    models = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"m{hash_seed}.crfsuite"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-c", _FIT_SCRIPT, str(shared), str(out)], check=True, env=env, timeout=120)
        models.append(out.read_bytes())
    assert models[0] == models[1]


def test_lowercase_latin_markup_is_not_a_name():
    from marsad.pipeline import Pipeline
    from marsad.io import RawDocument

    text = "قال المتحدث في بغداد <img src=x onerror=alert(1)> إن الوفد وصل إلى طهران."
    doc = Pipeline.from_config().analyze_raw(RawDocument(path="t", text=text))
    names = {e.name for e in doc.entities}
    assert {"بغداد", "طهران"} <= names
    assert not any(n.isascii() for n in names)


def test_consistency_tags_a_recurring_name_the_tagger_missed():
    from marsad.nlp.ner.consistency import propagate

    sentences = [
        "قال رئيس الوزراء نوري المالكي إن الانتخابات ستجري في موعدها".split(),
        "وأضاف أن نوري المالكي سيزور أربيل".split(),
        "وكان المالكي قد التقى السفير".split(),
    ]
    tags = [
        ["O", "O", "O", "B-PER", "I-PER", "O", "O", "O", "O", "O"],
        ["O", "O", "O", "O", "O", "B-LOC"],  # the tagger missed the name here
        ["O", "O", "O", "O", "O"],
    ]
    out = propagate(sentences, tags)
    assert out[1] == ["O", "O", "B-PER", "I-PER", "O", "B-LOC"]
    assert out[0] == tags[0]
    assert out[2] == tags[2]  # المالكي alone was never tagged: left as it is


def test_consistency_stays_inside_its_window():
    from marsad.nlp.ner.consistency import propagate

    sentences = [["زار", "بغداد"], ["غادر", "بغداد"]]
    tags = [["O", "B-LOC"], ["O", "O"]]
    assert propagate(sentences, tags, window=1)[1] == ["O", "O"]
    assert propagate(sentences, tags, window=2)[1] == ["O", "B-LOC"]


def test_consistency_gives_a_name_its_majority_type():
    from marsad.nlp.ner.consistency import propagate

    sentences = [
        "قصفت الطائرات كفر نبودة فجرا".split(),
        "وقال ناشطون إن كفر نبودة تعرضت لقصف".split(),
        "ونزح سكان كفر نبودة".split(),
        "وزار أوباما بغداد".split(),
        "وقال بغداد".split(),
    ]
    tags = [
        ["O", "O", "B-LOC", "I-LOC", "O"],
        ["O", "O", "O", "B-ORG", "I-ORG", "O", "O"],  # one reading against two
        ["O", "O", "B-LOC", "I-LOC"],
        ["O", "B-PER", "B-LOC"],
        ["O", "B-PER"],  # one against one: the tagger's reading stays
    ]
    out = propagate(sentences, tags)
    assert out[1] == ["O", "O", "O", "B-LOC", "I-LOC", "O", "O"]
    assert out[0] == tags[0] and out[2] == tags[2]
    assert out[3] == tags[3] and out[4] == tags[4]


def test_consistency_finds_a_name_again_behind_a_proclitic():
    from marsad.nlp.ner.consistency import propagate

    sentences = [
        "وطالبت الولايات المتحدة سورية بوقف القصف".split(),
        "والتزمت إيران وسورية الصمت".split(),
        "وأشاد المدرب بأداء الأهلي".split(),
        "وفاز بالأهلي على الزمالك".split(),
    ]
    tags = [
        ["O", "B-LOC", "I-LOC", "B-LOC", "O", "O"],
        ["O", "B-LOC", "O", "O"],  # the tagger missed وسورية
        ["O", "O", "O", "B-ORG"],
        ["O", "O", "O", "B-ORG"],  # ... and بالأهلي
    ]
    out = propagate(sentences, tags)
    assert out[1] == ["O", "B-LOC", "B-LOC", "O"]
    assert out[3] == ["O", "B-ORG", "O", "B-ORG"]
    assert out[0] == tags[0] and out[2] == tags[2]


def test_kaf_of_a_name_is_not_the_preposition():
    """ك ("like") is not split off a name (كاني ماسي, not اني ماسي); other proclitics still are."""
    from marsad.nlp.ner import default_tagger, mentions
    from marsad.text.tokens import tokenize

    text = "قصفت طائرات قرية كاني ماسي، ثم عاد الوفد لبغداد."
    tokens = list(tokenize(text))
    assert tokens[3].prefix == "ك"  # what the general-purpose segmenter says of كاني
    tags = ["O", "O", "O", "B-LOC", "I-LOC", "O", "O", "O", "O", "B-LOC", "O"]
    assert [t.text for t in tokens][9] == "لبغداد"
    found = [(m.text, text[m.start : m.end]) for m in mentions(text, tokens, tags, default_tagger())]
    assert found == [("كاني ماسي", "كاني ماسي"), ("بغداد", "بغداد")]
