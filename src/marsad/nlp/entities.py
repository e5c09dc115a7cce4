"""Entities: gazetteer mentions, in-document merging of names, knowledge-base linking.

Runs after NER. It adds mentions of known places and groups that NER missed
(Aho-Corasick over folded text; a match may follow the clitics و ف ب ك ل لل,
which stay outside the span), and mentions of a country's people (على
الأمريكيين) as mentions of that country. It then groups mentions into
entities: titles are stripped for comparison (الجنرال قاسم سليماني ~ قاسم
سليماني), a surname links to the one full name in the document that ends with
it, spelling variants merge under guards, and mentions linked to one KB record
merge. Each entity is named by its longest title-free form and linked to the
KB (``kb_id``, ``name_en``); a capital's entity records the country it may
stand for in ``doc.meta["metonyms"]``. Finally every further occurrence of an
entity's names in the text becomes a mention too.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Optional

import ahocorasick
from rapidfuzz.distance import Levenshtein

from marsad.model import Document, Entity, Mention
from marsad.nlp import phrases
from marsad.nlp.kb import KnowledgeBase, load, without_article, word_list
from marsad.text.normalize import fold, fold_with_map, strip_diacritics
from marsad.text.tokens import segment

# Clitic sequences that may precede a name inside the same word.
_CLITICS = {"و", "ف", "ب", "ك", "ل", "وب", "ول", "وك", "فب", "فل", "فك"}
_ELIDING = {"ل", "ول", "فل"}  # ل + ال -> لل: the article's alef is dropped
_TYPES = ("PER", "ORG", "LOC", "MISC")
_DEMONSTRATIVE = re.compile(r"(?<!\w)(هذه|هذا|تلك|ذلك)\s+(ال[^\W\d_]{3,})(?!\w)")
_WORD = re.compile(r"\S+")
_LOOK_BACK = 120  # characters: room for the few words a rule reads before a position
_TITLE_LEMMAS = {"وزراء": "وزير"}  # the actor dictionary writes رئيس وزير for رئيس الوزراء
_SOFT_LETTERS = frozenset("اويءيئؤه")  # after fold(): long vowels, hamza and its seats, ta marbuta


@lru_cache(maxsize=None)
def _lexicon(name: str) -> tuple[tuple[str, ...], ...]:
    """Folded multiword entries of a resources/kb lexicon, longest first, as token tuples."""
    return tuple(sorted((tuple(w.split()) for w in word_list(name)), key=len, reverse=True))


@lru_cache(maxsize=1)
def _TITLE_SET() -> frozenset[tuple[str, ...]]:
    return frozenset(_lexicon("titles.txt"))


def _only_titles(m: Mention) -> bool:
    keys = tuple(fold(w) for w in m.text.split())
    return m.type == "PER" and all((k,) in _TITLE_SET() for k in keys)


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    text = resources.files("marsad.resources").joinpath("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(fold(w) for line in text.splitlines() if not line.startswith("#") for w in line.split())


@lru_cache(maxsize=1)
def news_names() -> dict[str, str]:
    """Folded form -> type of the names mined from the news corpus (``marsad build names``)."""
    path = resources.files("marsad.resources").joinpath("kb/news_names.tsv")
    if not path.is_file():
        return {}
    rows = (line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#"))
    return {form: typ for form, typ, *_ in rows}


@lru_cache(maxsize=65536)
def strip_titles(surface: str) -> str:
    """``surface`` without leading titles and honorifics (at least one word is kept)."""
    words = surface.split()
    keys = [fold(w) for w in words]
    titles = _lexicon("titles.txt")
    pos = 0
    changed = True
    while changed and pos < len(words) - 1:
        changed = False
        for title in titles:
            n = len(title)
            if pos + n < len(words) and tuple(keys[pos : pos + n]) == title:
                pos += n
                changed = True
                break
    return " ".join(words[pos:])


def _words_before(folded: str, pos: int, n: int) -> list[str]:
    """The last ``n`` words of ``folded[:pos]``, reading a bounded window, not the whole prefix."""
    lo = max(0, pos - _LOOK_BACK)
    words = folded[lo:pos].split()
    if lo > 0 and words and not folded[lo - 1].isspace():
        words = words[1:]  # the window cut a word
    return words[-n:]


def _without_generic_head(surface: str) -> str:
    """An organisation's name without a head that only says its kind (صحيفة غارديان -> غارديان)."""
    words = surface.split()
    if len(words) < 2:
        return surface
    head = fold(words[0])
    # A kind before a proper name goes (صحيفة غارديان); before a common noun it stays: وكالة الأنباء
    # الأردنية keeps its head, الأنباء alone names nothing. Members go always (فصائل المقاومة الإسلامية).
    if head in word_list("member_heads.txt") or head in word_list("generic_heads.txt") and not fold(words[1]).startswith("ال"):
        return " ".join(words[1:])
    return surface


def _org_core(key: str, kb: KnowledgeBase) -> str:
    """An organisation's key without a generic head (صحيفة) or a trailing nisba (البريطانية)."""
    tokens = key.split()
    for head in _lexicon("org_descriptors.txt"):
        if len(tokens) > len(head) and tuple(tokens[: len(head)]) == head:
            tokens = tokens[len(head) :]
            break
    if len(tokens) > 1 and tokens[-1] in kb.demonyms:
        # The country stays in the key: الحكومة الإيطالية and الحكومة الفرنسية are two bodies.
        tokens = tokens[:-1] + ["@" + kb.demonyms[tokens[-1]]]
    return " ".join(tokens)


# --- matching in folded text -------------------------------------------------------------------


def _word_char(ch: str) -> bool:
    return ch.isalnum()


def _find(automaton: Any, folded: str, index_map: list[int], text: str) -> list[tuple[int, int, str, Any]]:
    """(start, end, mention text, payload) for matches at word boundaries, clitics outside the span."""
    out = []
    for end_idx, (key, elided, payload) in automaton.iter(folded):
        start, end = end_idx - len(key) + 1, end_idx + 1
        if end < len(folded) and _word_char(folded[end]):
            continue
        word_start = start
        while word_start > 0 and _word_char(folded[word_start - 1]):
            word_start -= 1
        prefix = folded[word_start:start]
        if elided:
            if prefix not in _ELIDING:
                continue
        elif prefix and (prefix not in _CLITICS or segment((prefix + key).split(" ")[0])[0] != prefix):
            continue  # كبيرا is a word, not ك + بيرا
        s, e = index_map[start], index_map[end - 1] + 1
        surface = text[s:e]
        out.append((s, e, "ا" + surface if elided else surface, payload))
    return out


def _automaton(entries: list[tuple[str, Any]]) -> Optional[Any]:
    auto = ahocorasick.Automaton()
    for key, payload in entries:
        if not key or key in auto:
            continue  # the first entry for a form wins
        auto.add_word(key, (key, False, payload))
        if key.startswith("ال") and len(key) > 3:
            elided = key[1:]  # للعراق: ل + لعراق
            if elided not in auto:
                auto.add_word(elided, (elided, True, payload))
    if not len(auto):
        return None
    auto.make_automaton()
    return auto


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in taken)


def _select(cands: list[tuple[int, int, str, Any]], taken: list[tuple[int, int]]) -> list[tuple[int, int, str, Any]]:
    """Longest-first, non-overlapping, not overlapping ``taken`` (which grows)."""
    chosen = []
    for c in sorted(cands, key=lambda c: (-(c[1] - c[0]), c[0])):
        if not _overlaps((c[0], c[1]), taken):
            taken.append((c[0], c[1]))
            chosen.append(c)
    return chosen


# --- the component -----------------------------------------------------------------------------


class EntityLinker:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        entries: list[tuple[str, Any]] = [
            (key, ("variant" if variant else "kb", rec["id"])) for key, rec, variant in kb.gazetteer()
        ]
        entries += [(form, ("people", cid)) for form, cid in kb.plurals.items()]
        entries += [(form, ("news", typ)) for form, typ in news_names().items()]
        self.gazetteer = _automaton(entries)
        self.news_names = news_names()
        self.office_titles = kb.office_titles()
        self.place_idioms = tuple(" ".join(t) for t in _lexicon("place_idioms.txt"))
        # Vocalised names tell homographs apart (عمّان Amman, عُمان Oman).
        self.vocalized = {n: rec["id"] for rec in kb.records.values() if rec["type"] == "LOC"
                          for n in rec["names"] if n != strip_diacritics(n)}
        self.phrase_rules = phrases.PhraseRules(kb.demonyms, lambda form: kb.best(form, "LOC") is not None)

    def __call__(self, doc: Document) -> Document:
        if not doc.text:
            return doc
        text = doc.text
        folded, index_map = fold_with_map(text)
        mentions = [self._with_titles(text, m) for m in doc.mentions if m.type in _TYPES and not _only_titles(m)]
        links: dict[int, str] = {}  # id(mention) -> KB id known at detection
        taken = [(m.start, m.end) for m in mentions]
        if self.gazetteer is not None:
            for s, e, surface, (how, ref) in _select(_find(self.gazetteer, folded, index_map, text), taken):
                if how == "people" and self._adjective(folded, index_map, s):
                    continue
                if how == "variant" and not self._after_function_word(folded, index_map, s):
                    continue
                if how != "people" and self._not_a_place(text, folded, index_map, s, e):
                    continue
                if how == "news":  # a name mined from the news corpus: a type, no record
                    mentions.append(Mention(s, e, surface, ref, source="lexicon"))
                    continue
                rec = self.kb.records[ref]
                m = Mention(s, e, surface, rec["type"], source="demonym" if how == "people" else "gazetteer")
                links[id(m)] = ref
                mentions.append(m)
        mentions += self._office_holders(doc, folded, index_map, mentions, links)
        for m in mentions:
            m.type = self._kb_type(m)
        mentions = self.phrase_rules.apply(doc, sorted(mentions, key=lambda m: (m.start, m.end)))
        self._one_type_per_name(mentions, links)
        for m in mentions:
            if m.type == "LOC":
                place = self._place_in_context(folded, index_map, m)
                if place:
                    links[id(m)] = place
        clusters = self._cluster(mentions, links)
        entities = self._entities(doc, clusters, links)
        self._more_mentions(doc, entities, folded, index_map)
        self._renumber(doc, entities)
        doc.entities = entities
        doc.mentions = sorted((m for e in entities for m in e.mentions), key=lambda m: (m.start, m.end))
        return doc

    def _one_type_per_name(self, mentions: list[Mention], links: dict[int, str]) -> None:
        """Give every mention of a name in a document the same type: a name recurring within one
        article is nearly always one thing, while the tagger, reading each sentence alone, may type
        a rare name (a village) differently each time. A type that a list, a phrase rule or the
        knowledge base gives the name outvotes the tagger's; among equals the most frequent wins,
        then the first."""
        named = [(m, fold(strip_titles(m.text))) for m in mentions if m.source != "demonym"]  # not a people's name
        votes: dict[str, dict[str, int]] = {}
        for m, key in named:
            tally = votes.setdefault(key, {})
            tally[m.type] = tally.get(m.type, 0) + (1 if m.source == "ner" and id(m) not in links else len(mentions))
        for key, tally in votes.items():
            if len(tally) > 1:
                for typ in tally:
                    rec = self.kb.best(key, typ)
                    if rec is not None and rec["type"] == typ:
                        tally[typ] += len(mentions)
        for m, key in named:
            if len(votes[key]) > 1:
                m.type = max(votes[key], key=votes[key].__getitem__)  # a dict keeps first-seen order for ties

    def _office_holders(self, doc: Document, folded: str, index_map: list[int], mentions: list[Mention],
                        links: dict[int, str]) -> list[Mention]:
        """An office with its country and no name after it (رئيس الوزراء العراقي، الرئيس الروسي) is
        the one person the KB knows held it on the article's date."""
        if not doc.published or not self.office_titles:
            return []
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(folded)]
        taken = [(m.start, m.end) for m in mentions]
        found = []
        for j, (_, _, nisba) in enumerate(words):
            if not (nisba.startswith("ال") and nisba in self.kb.demonyms):
                continue  # the office's country closes it: look back from each definite nisba
            for n in (2, 1):
                i = j - n
                if i < 0:
                    continue
                title = " ".join(_TITLE_LEMMAS.get(without_article(w), without_article(w)) for _, _, w in words[i:j])
                if title not in self.office_titles:
                    continue
                start, end = index_map[words[i][0]], index_map[words[j][1] - 1] + 1
                if _overlaps((start, end + 2), taken) or self._name_follows(folded, words[j][1], end, (a for a, _ in taken)):
                    continue  # a name follows (or is there): the title is that name's own
                holders = self.kb.office_holders(title, self.kb.demonyms[nisba], doc.published[:10])
                if len(holders) == 1:
                    m = Mention(start, end, doc.text[start:end], "PER", source="office")
                    links[id(m)] = holders[0]["id"]
                    found.append(m)
                    taken.append((start, end))
                break
        return found

    def _name_follows(self, folded: str, fold_end: int, end: int, starts: Iterable[int]) -> bool:
        """Whether a name comes right after a title ending at ``end`` (``fold_end`` in the folded
        text): a mention starts there, or the next word is a name's word and no function word."""
        if any(end <= s_ <= end + 2 for s_ in starts):
            return True
        nxt = _WORD.match(folded, fold_end + 1) if folded[fold_end : fold_end + 1] == " " else None
        return nxt is not None and nxt.group() in self.kb.translit and nxt.group() not in function_words()

    def _not_a_place(self, text: str, folded: str, index_map: list[int], start: int, end: int) -> bool:
        """A place name read as a word: an adverb with tanween (دومًا) or an idiom (مسقط رأسه)."""
        if text[start:end].endswith(("ًا", "اً")) or text[end : end + 1] == "ً":
            return True
        pos = bisect_left(index_map, start)
        return any(folded.startswith(idiom, pos) for idiom in self.place_idioms)

    def _place_in_context(self, folded: str, index_map: list[int], m: Mention) -> Optional[str]:
        """The place a written vowel or the text around it picks among homographs: عمّان is Amman,
        عُمان Oman; العاصمة الأردنية عمان is Jordan's capital."""
        written = m.text.replace("ـ", "")
        if written in self.vocalized:
            return self.vocalized[written]
        before = _words_before(folded, bisect_left(index_map, m.start), 2)
        if len(before) == 2 and before[0] == "العاصمه" and before[1] in self.kb.demonyms:
            country = self.kb.get(self.kb.demonyms[before[1]])
            capital = self.kb.get(country.get("capital")) if country else None
            if capital and fold(m.text) in {fold(n) for n in capital["names"]}:
                return capital["id"]
        return None

    def _kb_type(self, m: Mention) -> str:
        """A tagged mention's type, unless the knowledge base knows the name better: a MISC the KB
        or the mined names type (البيت الأبيض), or one word the KB knows as a body (البنتاغون,
        الكرملين) tagged as a person."""
        if m.source != "ner":
            return m.type
        if m.type == "MISC":
            return self._known_type(m.text) or m.type
        if m.type == "PER" and " " not in m.text.strip():
            rec = self.kb.best(m.text, "ORG")
            if rec is not None and fold(rec["name"]) == fold(m.text):
                return "ORG"
        return m.type

    def _known_type(self, surface: str) -> Optional[str]:
        """The type the knowledge base or the mined names give a form (البيت الأبيض is an organisation)."""
        key = fold(surface)
        if key in self.news_names:
            return self.news_names[key]
        rec = self.kb.best(key)
        return rec["type"] if rec is not None and rec["kind"] in ("group", "country", "city") else None

    @staticmethod
    def _with_titles(text: str, m: Mention) -> Mention:
        """A person's mention widened over the titles right before it (الجنرال سليماني)."""
        if m.type != "PER":
            return m
        titles = _TITLE_SET()
        start = m.start
        while True:
            before = text[:start].rstrip(" ")
            words = before.split(" ")[-2:]
            found = None
            for n in (2, 1):
                cand = words[-n:]
                if len(cand) != n or not all(cand):
                    continue
                keys = tuple(fold(w) for w in cand)
                if keys in titles:
                    found = (cand, 0)
                elif keys[0][:1] in ("و", "ف") and (keys[0][1:],) + keys[1:] in titles:
                    found = (cand, 1)  # والجنرال: the conjunction stays outside
                if found:
                    break
            if not found:
                break
            start = len(before) - len(" ".join(found[0])) + found[1]
            if found[1]:
                break
        if start == m.start:
            return m
        return Mention(start, m.end, text[start : m.start] + m.text, m.type, m.entity, m.source)

    @staticmethod
    def _after_function_word(folded: str, index_map: list[int], start: int) -> bool:
        """Whether a name starts a clause or follows a clitic or function word (في سورية, وسورية)."""
        pos = bisect_left(index_map, start)
        if pos > 0 and _word_char(folded[pos - 1]):
            return True  # a clitic is attached
        before = folded[:pos].rstrip()
        if not before or not _word_char(before[-1]):
            return True
        return before.split()[-1] in function_words()

    @staticmethod
    def _adjective(folded: str, index_map: list[int], start: int) -> bool:
        """Whether the word before ``start`` is a definite noun, so a nisba there qualifies it."""
        pos = bisect_left(index_map, start)
        before = folded[:pos].rstrip()
        word = before.split(" ")[-1] if before else ""
        return word.startswith("ال") and word.isalpha()

    # -- grouping --

    def _cluster(self, mentions: list[Mention], links: dict[int, str]) -> list[list[Mention]]:
        parent = list(range(len(mentions)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        def kb_of(i: int) -> Optional[str]:
            return links.get(id(mentions[i]))

        def union(i: int, j: int) -> None:
            ri, rj = find(i), find(j)
            if ri == rj:
                return
            if kb_ids[ri] and kb_ids[rj] and not (kb_ids[ri] & kb_ids[rj]):
                return  # two different KB records
            parent[rj] = ri
            kb_ids[ri] |= kb_ids.pop(rj)

        keys = [fold(strip_titles(m.text)) for m in mentions]
        for i, m in enumerate(mentions):
            if id(m) not in links:
                rec = self.kb.best(keys[i], m.type)
                if rec is not None and rec["type"] == m.type:
                    links[id(m)] = rec["id"]
        kb_ids = {i: {kb_of(i)} - {None} for i in range(len(mentions))}  # per cluster root
        by_key: dict[tuple[str, str], int] = {}
        by_kb: dict[tuple[str, str], int] = {}
        for i, m in enumerate(mentions):
            first = by_key.setdefault((m.type, keys[i]), i)
            union(first, i)
            kb_id = kb_of(i)
            if kb_id:
                union(by_kb.setdefault((m.type, kb_id), i), i)
            if m.type == "ORG":
                union(by_key.setdefault(("ORG*", _org_core(keys[i], self.kb)), i), i)
        distinct = sorted({(m.type, keys[i]) for i, m in enumerate(mentions)}, key=lambda tk: (-len(tk[1]), tk))
        first_of = {tk: by_key[tk] for tk in distinct}
        for typ, key in distinct:
            tokens = key.split()
            if not tokens:  # a mention that was nothing but a title or a clitic
                continue
            # A shorter name that begins, or for a person ends, a unique longer one.
            if typ in ("PER", "ORG"):
                longer = [
                    k
                    for t, k in distinct
                    if t == typ and len(k.split()) > len(tokens)
                    and (
                        k.split()[: len(tokens)] == tokens
                        or typ == "PER" and k.split()[-len(tokens) :] == tokens
                        and not (len(k.split()) == len(tokens) + 1 and k.split()[0] in word_list("kinship.txt"))
                    )
                ]
                # One generic word (الخارجية, الشرطة) joins no organisation by itself: in وزير
                # الخارجية الأمريكي it is another country's ministry than the one named elsewhere.
                one_word_org = typ == "ORG" and len(tokens) == 1
                if len(tokens[-1]) >= 3 and longer and not one_word_org and len({find(first_of[(typ, k)]) for k in longer}) == 1:
                    union(first_of[(typ, longer[0])], first_of[(typ, key)])
            # Spelling variants: one word differs by a small edit, same first letter.
            for t2, k2 in distinct:
                if t2 == typ and k2 != key and self._variant(key, k2):
                    union(first_of[(typ, key)], first_of[(t2, k2)])
        groups: dict[int, list[Mention]] = {}
        for i, m in enumerate(mentions):
            groups.setdefault(find(i), []).append(m)
        return sorted(groups.values(), key=lambda g: g[0].start)

    @staticmethod
    def _variant(a: str, b: str) -> bool:
        ta, tb = a.split(), b.split()
        if len(ta) != len(tb):
            return False
        diff = [(x, y) for x, y in zip(ta, tb) if x != y]
        if len(diff) != 1:
            return False
        x, y = diff[0]
        # Same length: a letter swapped or replaced (الأمريكية/الأميركية), never one
        # added, which makes another name (الحكيم/الحكيمي).
        if x[0] != y[0] or len(x) != len(y) or len(x) < 4:
            return False
        if Levenshtein.distance(x, y) > (2 if len(x) >= 8 else 1):
            return False
        # Only long vowels and hamza seats vary in spelling a name; a consonant makes another
        # name (كيري/كيلي). Letters that trade places (ري/ير) are a spelling too.
        changed = [(p, q) for p, q in zip(x, y) if p != q]
        if len(changed) == 2 and changed[0] == changed[1][::-1]:
            return True
        return all(p in _SOFT_LETTERS and q in _SOFT_LETTERS for p, q in changed)

    # -- naming and linking --

    def _entities(self, doc: Document, clusters: list[list[Mention]], links: dict[int, str]) -> list[Entity]:
        entities = []
        metonyms: dict[str, str] = {}
        for n, group in enumerate(clusters, 1):
            typ = group[0].type
            named = [m for m in group if m.source != "demonym"]
            forms = [strip_titles(m.text) for m in named]
            kb_ids = [links[id(m)] for m in group if id(m) in links]
            rec = self.kb.get(kb_ids[0]) if kb_ids else None
            if rec is None:
                for form in sorted(set(forms), key=lambda f: (-len(f), f)):
                    rec = self.kb.best(form, typ)
                    if rec is not None:
                        break
            if rec is None and typ == "PER" and forms and all(" " not in f for f in forms):
                rec = self.kb.by_surname(forms[0])  # الجنرال سليماني, where no full name is written
            if forms:
                names = [_without_generic_head(f) for f in forms] if typ == "ORG" else forms
                name = max(names, key=lambda f: (len(f.split()), len(fold(f))))
            else:
                name = rec["name"] if rec else group[0].text
            ent = Entity(id=f"e{n}", type=typ, name=name, mentions=list(group))
            ent.aliases = list(dict.fromkeys(m.text for m in group))
            if rec is not None:
                ent.kb_id = rec["id"]
                ent.name_en = rec.get("name_en")
                if rec.get("capital_of"):
                    metonyms[ent.id] = rec["capital_of"]
            if ent.name_en is None and typ == "PER":
                ent.name_en = self.kb.transliterate(name) or None
            for m in group:
                m.entity = ent.id
            entities.append(ent)
        if metonyms:
            doc.meta["metonyms"] = metonyms
        return entities

    def _more_mentions(self, doc: Document, entities: list[Entity], folded: str, index_map: list[int]) -> None:
        """Further occurrences of each entity's names (and a person's unique surname)."""
        forms: dict[str, Optional[Entity]] = {}
        surnames: dict[str, set[str]] = {}
        for ent in entities:
            for m in ent.mentions:
                if m.source == "demonym":
                    continue
                key = fold(m.text)
                keys = {key}
                if ent.type == "ORG" and "@" not in _org_core(key, self.kb):
                    keys.add(_org_core(key, self.kb))  # تنظيم داعش, then داعش alone
                for key in keys:
                    if len(key) >= 3 and key not in self.kb.demonyms:  # سورية may be an adjective elsewhere
                        forms[key] = ent if forms.get(key, ent) is ent else None
            if ent.type == "PER" and len(ent.name.split()) > 1:
                last = fold(ent.name.split()[-1])
                if len(last) >= 4:
                    surnames.setdefault(last, set()).add(ent.id)
        by_id = {e.id: e for e in entities}
        for last, ids in surnames.items():
            if len(ids) == 1 and last not in forms:
                forms[last] = by_id[next(iter(ids))]
        auto = _automaton([(k, e.id) for k, e in forms.items() if e is not None])
        if auto is None:
            return
        taken = [(m.start, m.end) for e in entities for m in e.mentions]
        for s, e, surface, eid in _select(_find(auto, folded, index_map, doc.text), taken):
            ent = by_id[eid]
            ent.mentions.append(Mention(s, e, surface, ent.type, entity=eid, source="entities"))
        self._demonstratives(doc, entities, taken)
        self._title_anaphors(doc, entities, folded, index_map, taken)
        for ent in entities:
            ent.mentions.sort(key=lambda m: (m.start, m.end))
            ent.aliases = list(dict.fromkeys(m.text for m in ent.mentions))


    @staticmethod
    def _demonstratives(doc: Document, entities: list[Entity], taken: list[tuple[int, int]]) -> None:
        """A demonstrative and a noun (هذه الإدارة, تلك الحكومة) point back to the nearest
        organisation before it whose name opens with that noun (الإدارة الأميركية)."""
        for m in _DEMONSTRATIVE.finditer(doc.text):
            start, end = m.start(2), m.end(2)
            if _overlaps((start, end), taken):
                continue
            noun = fold(m.group(2))
            best = None
            for ent in entities:
                if ent.type != "ORG":
                    continue
                for prior in ent.mentions:
                    words = fold(strip_titles(prior.text)).split()
                    if prior.end <= start and len(words) > 1 and words[0] == noun and (best is None or prior.end > best[0]):
                        best = (prior.end, ent)
            if best is not None:
                ent = best[1]
                ent.mentions.append(Mention(start, end, m.group(2), "ORG", entity=ent.id, source="anaphor"))
                taken.append((start, end))

    def _title_anaphors(self, doc: Document, entities: list[Entity], folded: str, index_map: list[int],
                        taken: list[tuple[int, int]]) -> None:
        """A title with no name after it (الجنرال الإيراني، طالب ...) stands for the one person of
        the document introduced with that title earlier (الجنرال إسماعيل قاآني). Two people with
        the title: no link."""
        holders: dict[str, list[tuple[int, Entity]]] = {}
        for ent in entities:
            if ent.type != "PER":
                continue
            for m in ent.mentions:
                name = strip_titles(m.text)
                title = m.text[: len(m.text) - len(name)].split()
                if title and name != m.text:
                    holders.setdefault(fold(title[-1]), []).append((m.end, ent))
                # A title a few words before the name, past its nisba (السفير الأمريكي روبرت فورد).
                before = _words_before(folded, bisect_left(index_map, m.start), 3)
                for word in before:
                    if (word,) in _TITLE_SET() and word.startswith("ال"):
                        holders.setdefault(word, []).append((m.end, ent))
                        break
        for key, found in holders.items():
            if len({id(e) for _, e in found}) != 1 or not key.startswith("ال"):
                continue
            first_end, ent = min(found, key=lambda f: f[0])
            for m in re.finditer(r"(?<!\w)" + re.escape(key) + r"(?:\s+(ال[^\W\d_]+))?(?!\w)", folded):
                start, end = index_map[m.start()], index_map[m.end() - 1] + 1
                nisba = m.group(1)
                if start < first_end or _overlaps((start, end), taken) or (nisba and nisba not in self.kb.demonyms):
                    continue
                prior = _words_before(folded, m.start(), 1)
                if prior and prior[0] in word_list("generic_office_words.txt"):
                    continue  # منصب الرئيس: the office, not its holder
                if self._name_follows(folded, m.end(), end, (x.start for e in entities for x in e.mentions)):
                    continue  # a name follows (الأمير فخر الدين): the title is that name's own
                ent.mentions.append(Mention(start, end, doc.text[start:end], "PER", entity=ent.id, source="anaphor"))
                taken.append((start, end))

    @staticmethod
    def _renumber(doc: Document, entities: list[Entity]) -> None:
        """Entity ids e1, e2 ... in order of first mention."""
        entities.sort(key=lambda e: e.mentions[0].start)
        new = {}
        for n, ent in enumerate(entities, 1):
            new[ent.id] = ent.id = f"e{n}"
            for m in ent.mentions:
                m.entity = ent.id
        if "metonyms" in doc.meta:
            doc.meta["metonyms"] = {new[k]: v for k, v in doc.meta["metonyms"].items()}


def create(**options: Any) -> EntityLinker:
    return EntityLinker(load())
