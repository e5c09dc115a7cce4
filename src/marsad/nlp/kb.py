"""The entity knowledge base: loading, name lookup, transliteration, role holders.

Built by ``marsad build kb`` (marsad.tools.build_kb) into resources/kb/kb.json.gz
and loaded once per process. Names are indexed by their folded form, by that
form without the article, and by a "lemma key" with the article dropped from
every word (the actor dictionary writes حرس ثوري إيراني for الحرس الثوري الإيراني).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator, Optional

from rapidfuzz import fuzz, process

from marsad.text.normalize import fold

# Which record kinds a mention type may link to, best first.
_KINDS = {"LOC": ("country", "city"), "ORG": ("group",), "PER": ("person",), "MISC": ("agent",)}
_KIND_RANK = {"country": 0, "city": 1, "group": 2, "person": 3, "agent": 4}


def without_article(word: str) -> str:
    """A folded word without its article (الرئيس -> رئيس); a short word stays whole (الي)."""
    return word[2:] if word.startswith("ال") and len(word) > 3 else word


def lemma_key(key: str) -> str:
    """A folded name with the article dropped from every word."""
    return " ".join(without_article(t) for t in key.split())


@lru_cache(maxsize=None)
def word_list(name: str) -> frozenset[str]:
    """The folded entries (one a line, ``#`` comments skipped) of the word list resources/kb/``name``."""
    text = resources.files("marsad.resources").joinpath(f"kb/{name}").read_text(encoding="utf-8")
    return frozenset(" ".join(fold(line).split()) for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _rank(rec: dict[str, Any]) -> tuple:
    return (_KIND_RANK[rec["kind"]], "capital_of" not in rec, -rec.get("population", 0))


@dataclass
class KnowledgeBase:
    records: dict[str, dict[str, Any]]
    demonyms: dict[str, str]
    plurals: dict[str, str]
    translit: dict[str, str]
    _exact: dict[str, list[str]] = field(default_factory=dict)
    _lemma: dict[str, list[str]] = field(default_factory=dict)
    _roles: dict[str, list[tuple[Optional[str], Optional[str], str]]] = field(default_factory=dict)
    _surnames: dict[str, list[str]] = field(default_factory=dict)
    _given: set[str] = field(default_factory=set)
    _offices: dict[tuple[str, str], list[tuple[Optional[str], Optional[str], str]]] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "KnowledgeBase":
        kb = cls({r["id"]: r for r in data["records"]}, data["demonyms"], data.get("plurals", {}), data["translit"])
        for office in data.get("offices", []):
            for start, end in office["terms"]:
                kb._offices.setdefault((office["title"], office["country"]), []).append((start, end, office["holder"]))
        for rec in sorted(kb.records.values(), key=_rank):
            for name in rec["names"] + rec.get("variants", []):
                key = fold(name)
                for k in {key, key[2:] if key.startswith("ال") and len(key) > 4 else key}:
                    kb._exact.setdefault(k, []).append(rec["id"])
                kb._lemma.setdefault(lemma_key(key), []).append(rec["id"])
            if rec["kind"] == "person" and " " in rec["name"]:
                words = fold(rec["name"]).split()
                kb._surnames.setdefault(words[-1], []).append(rec["id"])
                kb._given.add(words[0])
            for code, start, end in rec.get("roles", []):
                if rec["kind"] == "person":
                    kb._roles.setdefault(code, []).append((start, end, rec["id"]))
        return kb

    def get(self, kb_id: Optional[str]) -> Optional[dict[str, Any]]:
        return self.records.get(kb_id) if kb_id else None

    def lookup(self, name: str, type: Optional[str] = None) -> list[dict[str, Any]]:
        """Records named ``name`` (exactly, after folding; else by lemma key), best first."""
        key = fold(name)
        kinds = _KINDS.get(type or "", tuple(_KIND_RANK))
        for index, k in ((self._exact, key), (self._lemma, lemma_key(key))):
            found = [self.records[i] for i in dict.fromkeys(index.get(k, ())) if self.records[i]["kind"] in kinds]
            if found:
                return found
        return []

    def best(self, name: str, type: Optional[str] = None) -> Optional[dict[str, Any]]:
        found = self.lookup(name, type)
        return found[0] if found else None

    def is_given_name(self, word: str) -> bool:
        """Whether a folded word (or it without the article: الحسين) opens a known person's name."""
        return word in self._given or (word.startswith("ال") and word[2:] in self._given)

    def by_surname(self, surname: str) -> Optional[dict[str, Any]]:
        """The one person whose full name ends with ``surname`` (سليماني), if only one does."""
        key = fold(surname)
        if len(key) < 5 or " " in key or self.is_given_name(key):
            return None  # a given name too (الحسين, حسين): it may be anyone
        found = self._surnames.get(key, [])
        return self.records[found[0]] if len(found) == 1 else None

    def fuzzy(self, name: str, type: Optional[str] = None, score: float = 92) -> Optional[dict[str, Any]]:
        """Closest record by edit ratio, guarded: length ≥ 5, same first letter and word count."""
        key = fold(name)
        if len(key) < 5:
            return None
        kinds = _KINDS.get(type or "", tuple(_KIND_RANK))
        words = key.count(" ")
        choices = [
            k
            for k in self._exact
            if k[:1] == key[:1] and k.count(" ") == words and abs(len(k) - len(key)) <= 2
            and any(self.records[i]["kind"] in kinds for i in self._exact[k])
        ]
        hit = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=score)
        return self.best(hit[0], type) if hit else None

    def demonym(self, form: str) -> Optional[dict[str, Any]]:
        """The country a nisba form names or qualifies: الأميركية -> United States."""
        return self.get(self.demonyms.get(fold(form)))

    def transliterate(self, name: str) -> str:
        """English spelling of an Arabic person name, word by word (Wikidata spellings first)."""
        words = []
        for token in name.split():
            key = fold(token)
            if key.startswith("ال") and key[2:] in self.translit:
                words.append("al-" + self.translit[key[2:]])
            elif key in self.translit:
                en = self.translit[key]
                if key.startswith("ال") and en[:2].lower() == "al" and len(en) > 4:
                    en = "al-" + en[2:].lstrip("-").capitalize()  # Alsoudani -> al-Soudani
                words.append(en)
            else:
                words.append(_romanize(token))
        return " ".join(w for w in words if w)

    def holder(self, role_code: str, date: str) -> list[dict[str, Any]]:
        """Persons holding ``role_code`` (e.g. IRQGOV) on ``date`` (YYYY[-MM[-DD]]), latest start first."""
        day = (date + "-01-01")[:10] if len(date) == 4 else (date + "-01")[:10] if len(date) == 7 else date
        found = [
            (start or "", rid)
            for start, end, rid in self._roles.get(role_code, [])
            if (start is None or start <= day) and (end is None or day <= end)
        ]
        return [self.records[rid] for rid in dict.fromkeys(rid for _, rid in sorted(found, reverse=True))]

    def office_titles(self) -> set[str]:
        """Folded, article-free titles of the offices the KB knows holders of (رييس, رييس وزير)."""
        return {title for title, _ in self._offices}

    def office_holders(self, title: str, country: str, date: str) -> list[dict[str, Any]]:
        """KB persons holding ``title`` for ``country`` (a record id) on ``date`` (YYYY-MM-DD)."""
        found = []
        for start, end, holder in self._offices.get((title, country), []):
            if (start is None or start <= date) and (end is None or date <= end):
                rec = self.best(holder, "PER")
                if rec is not None and rec not in found:
                    found.append(rec)
        return found

    def gazetteer(self) -> Iterator[tuple[str, dict[str, Any], bool]]:
        """(folded surface form, record, is a generated variant) to look for in running text, best record first.

        A generated variant (سورية beside سوريا) is also a nisba adjective, so it
        needs more context in the text than a name does.
        """
        for rec in sorted(self.records.values(), key=_rank):
            if rec["kind"] == "country":
                for name in rec["names"]:
                    yield fold(name), rec, False
                for name in rec.get("variants", ()):
                    yield fold(name), rec, True
            elif rec["kind"] == "city":
                for name in rec.get("gazetteer", ()):
                    yield fold(name), rec, False
            elif rec["kind"] == "person" and " " in rec["name"]:
                yield fold(rec["name"]), rec, False  # full names only: a surname alone is ambiguous
            elif rec["kind"] == "group" and rec.get("gazetteer"):
                for form in self._group_surfaces(fold(rec["name"])):
                    yield form, rec, False

    def _group_surfaces(self, key: str) -> list[str]:
        """Running-text forms of a lemmatised group name.

        حرس ثوري ايراني -> الحرس الثوري الايراني (adjectives agree); حلف شمال اطلسي
        -> حلف شمال الاطلسي (a construct: only the last noun takes the article).
        """
        tokens = key.split()
        if len(tokens) < 2 or any(len(t) < 2 for t in tokens):
            return []
        definite = ["ال" + t if not t.startswith("ال") else t for t in tokens]
        forms = [" ".join(tokens), " ".join(definite)]
        if tokens[-1] not in self.demonyms:
            forms.append(" ".join(tokens[:-1] + definite[-1:]))
        return list(dict.fromkeys(forms))


@lru_cache(maxsize=1)
def _romanizer():
    """arabic-name-romanizer's transliterator on one ONNX thread: its default of two threads per
    process puts four spinning threads on two cores when the pipeline runs two workers."""
    try:
        from arabic_name_romanizer import Transliterator
        from arabic_name_romanizer.api import default_resources_dir
        from arabic_name_romanizer.inference import OnnxModel
    except ImportError:  # optional fallback
        return None
    return Transliterator(model=OnnxModel(default_resources_dir(), intra_op_threads=1))


@lru_cache(maxsize=65536)
def _romanize(token: str) -> str:
    romanizer = _romanizer()
    if romanizer is None:
        return ""
    return str(romanizer.transliterate(token) or "")


KB_RESOURCE = "kb/kb.json.gz"


@lru_cache(maxsize=1)
def load() -> KnowledgeBase:
    """The packaged knowledge base (empty if it was not built)."""
    try:
        path = resources.files("marsad.resources").joinpath(KB_RESOURCE)
        with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
            return KnowledgeBase.from_json(json.load(fh))
    except FileNotFoundError:
        return KnowledgeBase.from_json({"records": [], "demonyms": {}, "translit": {}})
