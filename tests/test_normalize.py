from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.text.normalize import clean_surface, fold, fold_with_map, to_original_span

ARABIC_TEXT = st.text(
    alphabet=st.sampled_from(
        list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآىةؤئ ") + ["\u064e", "\u0650", "\u0651", "\u0640", "\u00a0", "\u200f", "\u200c", "٣", "۴", "\n", "ـ", "a", "Z", "«", "»"]
    ),
    max_size=200,
)


def test_fold_unifies_arabic_forms():
    assert fold("أَحْمَد") == fold("احمد") == "احمد"
    assert fold("إيران") == fold("ايران")
    assert fold("مدرسة") == fold("مدرسه")
    assert fold("مستشفى") == fold("مستشفي")
    assert fold("قاآني") == fold("قااني")
    assert fold("الســـلام") == "السلام"
    assert fold("عام ٢٠١٧") == "عام 2017"
    assert fold("۱۴۰۲") == "1402"
    assert fold("بغداد\u00a0\u00a0اليوم") == "بغداد اليوم"
    assert fold("\u200fطهران\u200e") == "طهران"


def test_clean_surface_keeps_letters_and_drops_invisible_marks():
    text = "قال\u00a0الوزير\u200f «نعم»\r\nثم غادر"
    assert clean_surface(text) == "قال الوزير «نعم»\nثم غادر"


@settings(max_examples=300)
@given(ARABIC_TEXT)
def test_fold_map_points_back_to_the_characters_it_came_from(text):
    folded, index_map = fold_with_map(text)
    assert len(index_map) == len(folded) + 1
    assert index_map == sorted(index_map)
    for i, ch in enumerate(folded):
        assert fold(text[index_map[i]]).replace(" ", "") == ch.strip() or ch == " "


@settings(max_examples=300)
@given(ARABIC_TEXT, st.data())
def test_span_round_trip(text, data):
    folded, index_map = fold_with_map(text)
    if not folded:
        return
    start = data.draw(st.integers(0, len(folded) - 1))
    end = data.draw(st.integers(start + 1, len(folded)))
    o_start, o_end = to_original_span(index_map, start, end)
    # The original slice folds to the folded slice (white space runs aside).
    assert fold(text[o_start:o_end]) == fold(folded[start:end])


@given(ARABIC_TEXT)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)
