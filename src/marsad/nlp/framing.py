"""Framing markers: loaded terms that signal a camp, from ``resources/framing.json``.

Matching runs on folded text (``fold_with_map``), one line at a time, longest
form first. A form may carry the proclitics و ف ب ك ل (outside the reported
span; a ل that swallowed the article's alef, as in للاحتلال, stays in) and,
for terms that allow it, an enclitic pronoun (inside the span: شهداؤنا).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from marsad.model import Document, FramingMarker
from marsad.text.normalize import fold, fold_with_map


@dataclass(frozen=True)
class _Term:
    term: str
    side: str
    enclitics: bool
    not_after: frozenset[str]  # words that cancel the term right before it
    not_before: frozenset[str]  # ... right after it; "ب*" is any word starting with ب


def _alt(forms) -> str:
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in sorted(forms, key=len, reverse=True))


class _Matcher:
    def __init__(self, data: dict) -> None:
        self.forms: dict[str, _Term] = {}  # folded form -> term
        for entry in data["terms"]:
            t = _Term(
                entry["term"],
                entry["side"],
                entry.get("enclitics", False),
                frozenset(fold(w) for w in entry.get("not_after", [])),
                frozenset(fold(w) for w in entry.get("not_before", [])),
            )
            for form in map(fold, entry["forms"]):
                self.forms.setdefault(form, t)
                if t.enclitics and form.endswith("ه"):  # ta marbuta before a pronoun: مرتزقته
                    self.forms.setdefault(form[:-1] + "ت", t)
        # After a proclitic ل the article's alef is dropped: ل + الاحتلال -> للاحتلال.
        self.l_forms = {f[1:]: f for f in self.forms if f.startswith("ال")}
        pro = [fold(p) for p in data["proclitics"]]
        before_l = _alt(p[:-1] for p in pro if p.endswith("ل") and len(p) > 1)
        enc = _alt(fold(e) for e in data["enclitics"])
        self.pattern = re.compile(
            rf"(?<!\w)(?:(?:{_alt(pro)})?(?P<body>{_alt(self.forms)})"
            rf"|(?:{before_l})?ل(?P<lbody>{_alt(self.l_forms)}))(?P<enc>{enc})?(?!\w)"
        )

    def find(self, text: str) -> list[FramingMarker]:
        out: list[FramingMarker] = []
        pos = 0
        for line in text.split("\n"):
            folded, index_map = fold_with_map(line)
            for m in self.pattern.finditer(folded):
                if m.group("body"):
                    form, s = m.group("body"), m.start("body")
                else:
                    form, s = self.l_forms[m.group("lbody")], m.start("lbody") - 1
                term = self.forms[re.sub(r"\s+", " ", form)]
                if m.group("enc") and not term.enclitics:
                    continue
                e = m.end()
                before, after = folded[max(0, s - 40) : s].split(), folded[e : e + 40].split()
                if before and {before[-1], re.sub("^[وف]", "", before[-1]), re.sub("^[وف]?[بكل]", "", before[-1])} & term.not_after:
                    continue
                if after and ({after[0]} | {after[0][:i] + "*" for i in range(1, len(after[0]))}) & term.not_before:
                    continue
                start = index_map[s] + pos
                end = (index_map[e] if e < len(folded) else len(line)) + pos
                out.append(FramingMarker(start, end, text[start:end], term.term, term.side))
            pos += len(line) + 1
        return out


@lru_cache(maxsize=1)
def _matcher() -> _Matcher:
    text = resources.files("marsad.resources").joinpath("framing.json").read_text(encoding="utf-8")
    return _Matcher(json.loads(text))


def find_framing(text: str) -> list[FramingMarker]:
    """Framing markers of ``text``, in order, non-overlapping."""
    return _matcher().find(text)


def tag_framing(doc: Document) -> Document:
    doc.framing.extend(find_framing(doc.text))
    return doc


def create():
    return tag_framing
