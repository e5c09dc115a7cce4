"""Names mined from a news corpus (marsad.tools.build_names) on a small corpus of our own."""

from __future__ import annotations

from marsad.nlp.entities import function_words
from marsad.nlp.kb import load
from marsad.tools.build_names import mine_heads


def _corpus() -> list[str]:
    texts = []
    for n in range(12):
        texts.append(f"وأعلن تنظيم داعش مسؤوليته عن الهجوم رقم {n}. وقالت جماعة داعش إن مقاتليها انسحبوا.")
        texts.append("وقال الجيش إن داعش خسر مواقعه. وأكد مسؤول أن داعش يتراجع.")
        # A common noun after the same head: organising the elections, in a small share of its uses.
        texts.append("وناقش المجلس تنظيم الانتخابات المقبلة. وجرت الانتخابات في موعدها. وأجلت الانتخابات البلدية."
                     " وستجرى انتخابات جديدة. وتراقب اللجنة الانتخابات. وقاطع الحزب الانتخابات.")
    return texts


def test_a_name_that_follows_heads_is_mined_a_common_noun_is_not():
    rows = mine_heads(_corpus, frozenset(load().demonyms), function_words())
    forms = {form: typ for form, typ, _, _ in rows}
    assert forms.get("داعش") == "ORG"
    assert "الانتخابات" not in forms and "انتخابات" not in forms
