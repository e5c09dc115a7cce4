"""Entity phrases from Arabic noun-phrase structure, around and beyond what the tagger found.

A tagger trained on 2007 newswire misses the shape of many news names. These
rules read the phrase instead of the word; their word lists are data files in
resources/kb/:

- an institution and its country's nisba is an organisation: الإدارة الأميركية,
  السفارة الأمريكية, وكالة الاستخبارات المركزية الأمريكية (institutions.txt);
  so is a collective head with a definite noun and adjective: قوات الحشد الشعبي
  (collective_heads.txt); a base with a country's nisba is a place: قاعدة التاجي
  العسكرية العراقية;
- a name after an organisation or place head takes the head in: وكالة يونيوز,
  تنظيم داعش, قاعدة عين الأسد, إقليم كردستان (org_descriptors.txt, and the
  place heads that belong to the name, name_place_heads.txt);
- an organisation is widened over the definite nisba adjectives that follow it
  (حرس الثورة الإسلامية); a news outlet ends in الإخبارية (outlet_markers.txt);
- a body of an organisation joins it (الجمعية العامة للأمم المتحدة), an office held by a
  person does not (الأمين العام للأمم المتحدة);
- a person's name takes a following definite nisba surname (محمد شياع السوداني);
- a place loses its country's nisba adjective (البوكمال السورية -> البوكمال).

Mentions are (start, end) spans of the document text; clitics stay outside.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Callable

from marsad.model import Document, Mention, Token
from marsad.nlp.kb import without_article as _bare, word_list as _words
from marsad.text.normalize import fold

_MAX_INNER = 2  # definite words between an institution and its nisba
_RARE_BELOW = 500  # corpus count under which a word is taken for part of a name


def _quote(text: str, tok: Token, end: int) -> str:
    """The text of a span from ``tok``'s stem to ``end``; للرئاسة quotes as الرئاسة."""
    quoted = text[tok.stem_start : end]
    return "ا" + quoted if tok.prefix.endswith("لل") else quoted


def _feminine(word: str) -> bool:
    """Feminine agreement: a singular in ة (folded ه) or a plural in ات takes a nisba in ية."""
    return word.endswith("ه") or word.endswith("ات")


def _stem(tok: Token) -> str:
    return tok.stem or tok.norm


def _rare(word: str) -> bool:
    """Seldom seen in the news corpus: a name more likely than a common word."""
    from marsad.text.tokens import lexicon

    return lexicon().get(word, 0) < _RARE_BELOW


def _is_nisba(word: str) -> bool:
    """A definite adjective of relation: الإسلامية, الشعبي."""
    return word.startswith("ال") and len(word) > 4 and (word.endswith("ي") or word.endswith("يه"))


class PhraseRules:
    def __init__(self, demonyms: dict[str, str], is_place_name: Callable[[str], bool] = lambda form: False):
        self.demonyms = demonyms
        self.is_place_name = is_place_name
        self.media = _words("media_heads.txt")
        self.institutions = _words("institutions.txt") | self.media
        self.org_heads = frozenset(w for w in _words("org_descriptors.txt") if " " not in w)
        self.outlet_markers = _words("outlet_markers.txt")
        self.collective = _words("collective_heads.txt")
        self.place_heads = _words("place_heads.txt")
        self.name_place_heads = _words("name_place_heads.txt")
        # Words after which a name is a place: مدينة, قرية (heads outside the name), شمال, سكان, محافظ.
        self.before_places = self.place_heads - self.name_place_heads | _words("place_context.txt")
        self.titles = _words("titles.txt")
        self.descriptive = _words("descriptive_adjectives.txt")
        self.apposition_heads = _words("apposition_heads.txt")

    def is_demonym(self, word: str) -> bool:
        return word in self.demonyms

    def apply(self, doc: Document, mentions: list[Mention]) -> list[Mention]:
        """``mentions`` adjusted and completed by the phrase rules."""
        text = doc.text
        ordered = sorted(mentions, key=lambda m: (m.start, m.end))
        starts = [m.start for m in ordered]
        out: list[Mention] = []
        done = 0  # mentions before this index are handled
        for sent in doc.sentences:
            lo, hi = bisect_left(starts, sent.start), bisect_left(starts, sent.end)
            out += ordered[done:lo]  # outside any sentence: kept as they are
            done = max(done, hi)
            local = ordered[lo:hi]
            toks = [t for t in sent.tokens if t.norm]
            if toks:
                local = self._adjust(text, toks, local)
                local = self._appositions(text, toks, local)
                local = self._add(text, toks, local, self._institutions(text, toks))
                local = self._add(text, toks, local, self._collectives(text, toks))
                local = self._add(text, toks, local, self._bases(text, toks))
                local = self._widen_bodies(text, toks, local)
                local = self._add(text, toks, local, self._outlets(text, toks, local))
            out += local
        out += ordered[done:]
        return sorted(out, key=lambda m: (m.start, m.end))

    # -- new phrases --

    def _institutions(self, text: str, toks: list[Token]) -> list[Mention]:
        """Institution (+ up to two definite words) + country nisba: الخارجية الأميركية."""
        found = []
        for i, tok in enumerate(toks):
            head = _bare(_stem(tok))
            if head not in self.institutions:
                continue
            media = head in self.media
            for j in range(i + 1, min(i + 2 + _MAX_INNER, len(toks))):
                word = toks[j].norm
                if self.is_demonym(word) and word.startswith("ال"):
                    if _feminine(head) != word.endswith("يه"):
                        break  # وزير الخارجية اليمني: the nisba agrees with the minister, not the ministry
                    # An outlet's name leaves its country out (قناة الحرة الأمريكية).
                    end = (toks[j - 1].end if j > i + 1 else None) if media else toks[j].end
                    if end is not None:
                        found.append(Mention(tok.stem_start, end, _quote(text, tok, end), "ORG", source="phrase"))
                    break
                # Between an institution and its nisba come definite words (الاستخبارات المركزية);
                # an outlet's own name may be any word (صحيفة نيويورك تايمز).
                if not word.isalpha() or toks[j].prefix or not (media or word.startswith("ال")):
                    break
        return found

    def _collectives(self, text: str, toks: list[Token]) -> list[Mention]:
        """Collective head + definite noun + definite nisba adjectives: قوى الإطار التنسيقي الشيعي."""
        found = []
        for i, tok in enumerate(toks[:-2]):
            if _stem(tok) not in self.collective:
                continue
            noun = toks[i + 1]
            if noun.prefix or not noun.norm.isalpha() or self.is_demonym(noun.norm):
                continue
            k = i + 1
            if not noun.norm.startswith("ال"):
                # A construct names the group: عصائب أهل الحق, كتائب حزب الله.
                owner = toks[i + 2]
                if owner.prefix or not owner.norm.startswith("ال") or not owner.norm.isalpha() or self.is_demonym(owner.norm):
                    continue
                found.append(Mention(tok.stem_start, owner.end, _quote(text, tok, owner.end), "ORG", source="phrase"))
                continue
            while k + 1 < len(toks) and k - i <= 2 and self._adjective(toks[k + 1]) and not self.is_demonym(toks[k + 1].norm):
                k += 1
            if k > i + 1:
                end = toks[k].end
                found.append(Mention(tok.stem_start, end, _quote(text, tok, end), "ORG", source="phrase"))
        return found

    def _bases(self, text: str, toks: list[Token]) -> list[Mention]:
        """A place head, its name, adjectives, and a country's nisba: قاعدة التاجي العسكرية العراقية
        gives قاعدة التاجي; قاعدة عين الأسد الأميركية gives قاعدة عين الأسد."""
        found = []
        for i, tok in enumerate(toks):
            if _stem(tok) not in self.name_place_heads:
                continue
            k = i + 1
            while k < len(toks) and k - i <= 2 and toks[k].norm.isalpha() and not toks[k].prefix \
                    and not (k > i + 1 and self._adjective(toks[k])) and not self.is_demonym(toks[k].norm):
                k += 1
            name_end = k
            while k < len(toks) and k - name_end < 2 and self._adjective(toks[k]) and not self.is_demonym(toks[k].norm):
                k += 1
            if name_end > i + 1 and self._placed(toks, k):
                end = toks[name_end - 1].end
                found.append(Mention(tok.stem_start, end, _quote(text, tok, end), "LOC", source="phrase"))
        return found

    def _placed(self, toks: list[Token], k: int) -> bool:
        """Whether a base's name ends where its country or its place is said: الأميركية, or
        (after a comma) بمحافظة الأنبار, في العراق."""
        if k < len(toks) and toks[k].norm.startswith("ال") and self.is_demonym(toks[k].norm):
            return True
        if k < len(toks) and not toks[k].norm.isalpha():
            k += 1  # a comma
        if k >= len(toks):
            return False
        nxt = toks[k]
        if nxt.norm == "في" and k + 1 < len(toks):
            nxt = toks[k + 1]
        elif nxt.prefix not in ("ب", "وب"):
            return False
        return _stem(nxt) in self.place_heads or self.is_place_name(_stem(nxt))

    def _widen_bodies(self, text: str, toks: list[Token], mentions: list[Mention]) -> list[Mention]:
        """A body of an organisation: definite noun + definite adjective + لل + the organisation
        (الجمعية العامة للأمم المتحدة); not an office held by a person (الأمين العام للأمم المتحدة)."""
        covered = {(m.start, m.end) for m in mentions}
        out = []
        for m in mentions:
            k = next((k for k, t in enumerate(toks) if t.stem_start == m.start and t.prefix in ("لل", "ول", "ل")), None)
            if m.type == "ORG" and k is not None and k >= 2 and toks[k].prefix == "لل":
                noun, adj = toks[k - 2], toks[k - 1]
                body = (noun.stem, adj.norm)
                inside = any(s < adj.end and noun.stem_start < e for s, e in covered)
                if (noun.stem.startswith("ال") and adj.norm.startswith("ال") and noun.stem.isalpha() and adj.norm.isalpha()
                        and not adj.prefix and not inside and _bare(noun.stem) in self.institutions
                        and " ".join(body) not in self.titles and noun.stem not in self.titles):
                    start = noun.stem_start
                    m = Mention(start, m.end, text[start : m.end], "ORG", m.entity, "phrase")
            out.append(m)
        return out

    @staticmethod
    def _adjective(tok: Token) -> bool:
        return not tok.prefix and _is_nisba(tok.norm)

    def _outlets(self, text: str, toks: list[Token], mentions: list[Mention]) -> list[Mention]:
        """Up to three name words ending in an outlet marker: العين الإخبارية, شبكة نهرين نت الإخبارية.

        Name words are rare words, words of a mention already found, or the outlet's head,
        which ends the walk back; a common word (مطلع) ends it too."""
        covered = {k for k, t in enumerate(toks) for m in mentions if m.start <= t.stem_start and t.end <= m.end}

        def name_word(k: int) -> bool:
            t = toks[k]
            return t.norm.isalpha() and (k in covered or _stem(t) in self.org_heads or _rare(_stem(t)))

        found = []
        for j, tok in enumerate(toks):
            if tok.norm not in self.outlet_markers or j == 0 or not name_word(j - 1):
                continue
            i = j - 1
            while i > 0 and j - i < 3 and not toks[i].prefix and _stem(toks[i]) not in self.org_heads and name_word(i - 1):
                i -= 1
            if not any(k in covered or _stem(toks[k]) in self.org_heads for k in range(i, j)):
                continue  # rare words alone are no outlet (زوجته الإعلامية: his wife, a journalist)
            start = toks[i].stem_start
            found.append(Mention(start, tok.end, text[start : tok.end], "ORG", source="phrase"))
        return found

    @staticmethod
    def _add(text: str, toks: list[Token], mentions: list[Mention], new: list[Mention]) -> list[Mention]:
        """Add each new phrase, replacing the mentions it covers; skip it where it cuts one."""
        for phrase in new:
            inside = [m for m in mentions if phrase.start <= m.start and m.end <= phrase.end]
            crossing = [m for m in mentions if m.start < phrase.end and phrase.start < m.end and m not in inside]
            if crossing:
                continue
            mentions = [m for m in mentions if m not in inside] + [phrase]
        return mentions

    # -- adjusting what was found --

    def _appositions(self, text: str, toks: list[Token], mentions: list[Mention]) -> list[Mention]:
        """A person's name runs on over one name word typed otherwise when an apposition follows
        (وقال سامان بيرو، رئيس بلدية ...: بيرو is a surname here, not Peru). ``mentions`` in order."""
        ends = {t.end: k for k, t in enumerate(toks)}
        by_start = {m.start: m for m in mentions}
        out, absorbed = [], set()
        for m in mentions:
            if id(m) in absorbed:
                continue
            k = ends.get(m.end)
            if m.type == "PER" and k is not None and k + 3 < len(toks):
                word, comma, head = toks[k + 1 : k + 4]
                nxt = by_start.get(word.start)
                if (nxt is not None and nxt.type != "PER" and nxt.end == word.end and not word.prefix
                        and comma.norm in ("،", ",") and not head.prefix and _stem(head) in self.apposition_heads):
                    absorbed.add(id(nxt))
                    m = Mention(m.start, nxt.end, text[m.start : nxt.end], "PER", m.entity, "phrase")
            out.append(m)
        return out

    def _adjust(self, text: str, toks: list[Token], mentions: list[Mention]) -> list[Mention]:
        starts = {t.stem_start: k for k, t in enumerate(toks)} | {t.start: k for k, t in enumerate(toks)}
        ends = {t.end: k for k, t in enumerate(toks)}
        taken = {(m.start, m.end) for m in mentions}
        out = []
        for m in mentions:
            first, last = starts.get(m.start), ends.get(m.end)
            if first is None or last is None:
                out.append(m)
                continue
            start, end, typ, source = m.start, m.end, m.type, m.source
            if typ == "LOC" and last == first + 1 and self.is_demonym(toks[last].norm) and not self.is_place_name(fold(m.text)):
                # البوكمال السورية: the adjective is not the name (but المملكة العربية السعودية is).
                end = toks[first].end
            # A name after an administrative head (قرية كاني ماسي, محافظة دهوك) is that place: in
            # ANERcorp train such a name is a place 205 times and something else 5 times (see
            # place_context.txt for the other words).
            if first > 0 and m.source == "ner" and typ != "LOC" and _stem(toks[first - 1]) in self.before_places:
                typ, source = "LOC", "phrase"
            # Widen over the head right before: وكالة يونيوز, إقليم كردستان.
            if first > 0 and not toks[first].prefix:
                head = toks[first - 1]
                key = _stem(head)
                if (typ == "ORG" and key in self.org_heads) or (typ == "LOC" and key in self.name_place_heads):
                    start = head.stem_start
            k = last
            if typ == "ORG":
                # Definite nisba adjectives that follow belong to the name (حرس الثورة الإسلامية).
                while k + 1 < len(toks) and k - last < 2 and _is_nisba(toks[k + 1].norm) and not toks[k + 1].prefix \
                        and not self.is_demonym(toks[k + 1].norm) and toks[k + 1].norm not in self.descriptive:
                    k += 1
            elif typ == "PER" and last > first and k + 1 < len(toks):
                nxt = toks[k + 1]
                # A two-word name and a nisba surname: محمد شياع السوداني.
                if _is_nisba(nxt.norm) and not nxt.prefix and (start, nxt.end) not in taken:
                    k += 1
            end = max(end, toks[k].end) if k > last else end
            if (start, end, typ) != (m.start, m.end, m.type):
                m = Mention(start, end, text[start:end], typ, m.entity, source)
            out.append(m)
        # Widening may swallow a neighbour (a head that was tagged on its own): keep the wider.
        out.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[Mention] = []
        for m in out:
            if kept and m.start < kept[-1].end:
                continue
            kept.append(m)
        return kept
