from hypothesis import given
from hypothesis import strategies as st

from marsad.text.sentences import split, split_spans
from marsad.text.tokens import segment, strip_proclitics, tokenize
from marsad.text.normalize import fold


def test_names_are_not_split_into_false_clitics():
    for word in ("بغداد", "بريطانيا", "لبنان", "فرنسا", "كركوك", "بيروت", "ليبيا"):
        assert segment(fold(word)) == ("", fold(word)), word


def test_clitics_are_split_before_names_and_the_article():
    assert segment(fold("لبغداد")) == ("ل", "بغداد")
    assert segment(fold("وبيروت")) == ("و", "بيروت")
    assert segment(fold("بالعراق")) == ("ب", "العراق")
    assert segment(fold("والموصل")) == ("و", "الموصل")
    assert segment(fold("للحرس")) == ("لل", "الحرس")


def test_strip_proclitics_quotes_the_stem_and_restores_the_article():
    assert strip_proclitics("لبغداد") == (1, "بغداد")
    assert strip_proclitics("للحرس") == (1, "الحرس")
    assert strip_proclitics("وَبِبغداد")[1].endswith("بغداد")


def test_tokens_carry_offsets_and_stems():
    text = "وصل الوفد لبغداد، والتقى بالرئيس."
    tokens = list(tokenize(text))
    assert [t.text for t in tokens] == ["وصل", "الوفد", "لبغداد", "،", "والتقى", "بالرئيس", "."]
    for t in tokens:
        assert text[t.start : t.end] == t.text
    bag = tokens[2]
    assert text[bag.stem_start : bag.stem_end] == "بغداد"


def test_numbers_and_latin_tokens():
    tokens = [t.text for t in tokenize("قاذفات بي-52 و1.3 مليون في 2019/05/12")]
    assert "52" in tokens and "1.3" in tokens and "2019" in tokens


def test_sentences_split_on_arabic_punctuation_and_keep_quotes():
    text = "قال الوزير: «لن نتراجع. هذا قرارنا». ثم غادر القاعة؟ نعم؛ غادر.\nفقرة جديدة"
    sentences = [text[s:e] for s, e in split_spans(text)]
    assert sentences[0] == "قال الوزير: «لن نتراجع. هذا قرارنا»."
    assert sentences[1] == "ثم غادر القاعة؟"
    assert sentences[-1] == "فقرة جديدة"


def test_no_split_after_abbreviation_or_in_numbers():
    text = "التقى د. محمد العلي بنسبة نمو 3.5 في المئة."
    assert len(split_spans(text)) == 1


@given(st.text(alphabet=st.sampled_from(list("ابتث جحخ.؟!،؛\n«»\"")), max_size=300))
def test_sentences_cover_text_without_overlap(text):
    spans = split_spans(text)
    last = 0
    for s, e in spans:
        assert last <= s < e <= len(text)
        last = e
    covered = "".join(text[s:e] for s, e in spans)
    assert covered.replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")
    for sentence in split(text):
        for token in sentence.tokens:
            assert sentence.start <= token.start < token.end <= sentence.end
