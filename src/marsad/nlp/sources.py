"""Claims and their sources (isnad), quotes, and message chains.

A claim is a sentence with a reporting cue: a verb (قال، أفاد، نقلت، تكشف …,
matched on lemma-ish forms, see ``marsad.nlp.events.candidates``) or a
prepositional cue (بحسب، وفقا لـ، نقلا عن). Its sources run from the outermost
reporter to the original source:

* the noun phrase after a verb cue is its subject (قال مصدر مطلع); when the
  verb is followed at once by أن/إن, a colon or a quote, the subject is the
  phrase before it (مصادر ... قالت);
* ``عن X`` after it adds X as the source the first one cites
  (نقلت صحيفة غارديان عن مصادر → [غارديان, مصادر]);
* ``لـ X`` after it names the outlet reported to, which goes first
  (أفاد مصدر مطلع لـ«العين الإخبارية» → [العين الإخبارية, مصدر مطلع]);
* anaphora (هذه المصادر، المصدر، وأضاف with no subject) repeat the previous
  claim's sources.

Kinds come from the phrase: an outlet noun or a known outlet → named_outlet;
PER entity → named_person; other entities → named_org; مصدر/مصادر → anonymous,
or anonymous_affiliated with مقرب من / في … right after the noun; مسؤول،
دبلوماسي … without a name → official_unnamed.

Statements the outlet makes in its own voice get no claim: a claim records an
attribution the text makes, and the outlet is already ``doc.outlet``.

Quotes: direct quotes (« » “ ” " ") of three words or more, and the أن/إن
clause after a cue as an indirect quote. Chains: a message passed on
(رسالة، أبلغ، نقل، حمل ...) with its sender, intermediaries (طلب من X،
عبر، من خلال) and recipient.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Optional

from marsad.model import Chain, Claim, Document, Hop, Quote, Sentence, Source, Span, TextSpan, Token
from marsad.nlp.events import Slot, candidates, cues, sentence_subject, slots_of, title_gap
from marsad.nlp.kb import word_list
from marsad.text.normalize import fold, strip_diacritics

_PUNCT = set("،,;؛:.!?؟()[]-–—٬٫")
_QUOTES = set("«»“”\"„‟")
_QUOTE_PAIRS = {"«": "»", "“": "”", '"': '"', "”": "”", "„": "“"}
_MAX_NP = 9


@lru_cache(maxsize=1)
def lexicon() -> dict:
    data = json.loads(resources.files("marsad.resources").joinpath("sources.json").read_text(encoding="utf-8"))
    return {k: ({fold(w) for w in v} if isinstance(v, list) else v) for k, v in data.items()}


def _word(tok: Token) -> str:
    return tok.stem or tok.norm


def _is_punct(tok: Token) -> bool:
    return tok.text in _PUNCT or tok.text in _QUOTES


def _is_complementizer(tok: Token) -> bool:
    comp = lexicon()["complementizers"]
    return tok.norm in comp or _word(tok) in comp or (tok.norm[:1] in "وف" and tok.norm[1:] in comp)


def _cue_forms(tok: Token) -> frozenset[str]:
    """Lemma-ish forms of a token that may be a reporting verb: third person, not
    future (سيعلن), not first person (نقول، أقول), no restored alef (يضاف is not أضاف)."""
    return _cue_forms_of(_word(tok))


@lru_cache(maxsize=100_000)
def _cue_forms_of(w: str) -> frozenset[str]:
    out = set()
    for f in candidates(w):
        pos = w.find(f)
        if pos < 0 or (pos == 1 and w[0] in "نا") or (pos >= 1 and w[0] == "س"):
            continue
        out.add(f)
    return frozenset(out)


@lru_cache(maxsize=1)
def _all_cues() -> frozenset[str]:
    lex = lexicon()
    return frozenset(lex["verb_cues"] | lex["citing_cues"])


def _is_cue_word(tok: Token) -> bool:
    """Any form of a reporting verb, nouns included (قولها): it ends a source phrase."""
    return bool(_cue_forms(tok) & _all_cues())


def _is_verb_cue(toks: list[Token], i: int) -> bool:
    lex = lexicon()
    tok = toks[i]
    w = _word(tok)
    if w.startswith("ال") or tok.prefix.lstrip("وف") or tok.norm in lex["not_cues"]:
        return False
    surface = strip_diacritics(tok.text)
    if surface.endswith("ة") or (i > 0 and _word(toks[i - 1]) in cues()["prepositions"]):
        return False  # a verbal noun (تابعة، عن ذكر)
    if surface.endswith(("ه", "ها", "هم")) and w not in lex["verb_cues"]:
        return False  # an object pronoun (أعلنته، ما قالته): it reports something named before
    if i > 0 and (toks[i - 1].norm in cues()["negation"] or toks[i - 1].norm[1:] in cues()["negation"] and toks[i - 1].norm[:1] in "وف"):
        return False  # ولم يكشف، لم يذكر: nothing was said
    forms = _cue_forms(tok)
    if forms & lex["verb_cues"]:
        return True
    if forms & lex["citing_cues"]:  # نقل عن، نقلت الصحيفة عن (not نقل سفارتها)
        return any(t.norm == "عن" for t in toks[i + 1 : i + 7])
    if forms & lex["weak_verb_cues"]:
        window = toks[i + 1 : i + 1 + lex["weak_complement_window"]]
        return any(_is_complementizer(t) for t in window)
    return False


def _is_prep_cue(toks: list[Token], i: int) -> int:
    """Length in tokens of a prepositional cue starting at ``i`` (0 if none)."""
    lex = lexicon()
    w = toks[i].norm
    if w in lex["not_cues"]:
        return 0
    if w in lex["preposition_cues"] or _word(toks[i]) in lex["preposition_cues"]:
        nxt = toks[i + 1].norm if i + 1 < len(toks) else ""
        # نقلا عن، استنادا إلى، وفقا لـ: the preposition belongs to the cue
        takes = {"نقلا": ("عن",), "استنادا": ("الي",), "وفقا": ("ل", "لـ"), "طبقا": ("ل", "لـ"), "وفق": ()}
        return 2 if nxt in takes.get(_word(toks[i]).lstrip("و"), ()) else 1
    if i + 1 < len(toks) and f"{w} {toks[i + 1].norm}" in lex["preposition_cues"]:
        return 2
    return 0


# --- noun phrases --------------------------------------------------------------------------------


@dataclass(slots=True)
class Phrase:
    first: int
    last: int  # inclusive


def _stops_np(tok: Token) -> bool:
    lex = lexicon()
    return _is_punct(tok) or _is_complementizer(tok) or tok.norm in lex["stop_words"] or _word(tok) in lex["stop_words"]


def _is_nisba(tok: Token) -> bool:
    w = _word(tok)
    return w not in cues()["relatives"] and w.startswith("ال") and (w.endswith("يه") or w.endswith("ي") or w.endswith("يون") or w.endswith("يين"))


def phrase_after(toks: list[Token], j: int, slots: list[Slot]) -> Optional[Phrase]:
    """The source noun phrase starting at token ``j`` (skipping a quote mark), or None."""
    lex = lexicon()
    n = len(toks)
    while j < n and toks[j].text in _QUOTES:
        j += 1
    if j >= n or _stops_np(toks[j]) or toks[j].norm in ("عن", "ل", "لـ") or _is_verb_cue(toks, j):
        return None
    head = _word(toks[j])
    for m in range(min(n - 1, j + 3), j - 1, -1):
        # a known outlet by name (العين الإخبارية، رويترز)
        if " ".join(_word(t) for t in toks[j : m + 1]) in lex["known_outlets"]:
            while m + 1 < n and _is_nisba(toks[m + 1]):
                m += 1
            return Phrase(j, m)
    k = j
    slot = next((s for s in slots if s.first <= j + 3 and s.last >= j and s.first >= j), None)
    if head in lex["outlet_nouns"] or head in lex["anonymous_nouns"] or head in lex["official_nouns"] or toks[j].norm.isdigit():
        # head noun with its adjectives, affiliation and names, up to a boundary
        if toks[j].norm.isdigit() and j + 1 < n:
            k = j + 1
        if head in lex["outlet_nouns"]:
            # a known outlet's name after the noun (صحيفة واشنطن بوست) is taken whole
            for m in range(min(n - 1, j + 4), j, -1):
                if " ".join(_word(t) for t in toks[j + 1 : m + 1]) in lex["known_outlets"]:
                    while m + 1 < n and _is_nisba(toks[m + 1]):
                        m += 1
                    return Phrase(j, m)
        while k + 1 < n and k + 1 - j < _MAX_NP:
            nxt = toks[k + 1]
            if nxt.text in _QUOTES or _stops_np(nxt) and _word(nxt) not in ("في",) or _is_cue_word(nxt):
                break
            if nxt.norm in ("عن", "ل", "لـ") or (nxt.prefix.lstrip("وف").startswith("ل") and _word(nxt) not in lex["outlet_name_tails"]):
                # القائد العام للجيش الوطني الليبي المشير خليفة حفتر: the title runs on to the name
                person = next((s for s in slots if s.type == "PER" and k + 1 < s.first <= k + 7), None)
                if head in lex["official_nouns"] and person is not None and _word(nxt).startswith("ال") and title_gap(toks, k + 2, person.first):
                    k = person.last
                break
            adjective = _is_nisba(nxt) or not head.startswith("ال") and _word(nxt).endswith(("يه", "ي"))  # شبكة تلفزيونية أميركية
            if head in lex["outlet_nouns"] and k + 1 - j >= 2 and not adjective and _word(nxt) not in lex["outlet_name_tails"]:
                if not any(s.first <= k + 1 <= s.last for s in slots):
                    break
            k += 1
        if head in lex["official_nouns"]:
            # السفير الفلسطيني لدى المنظمة الدولية رياض منصور: the title's own phrase, then its holder
            person = next((s for s in slots if s.type == "PER" and k < s.first <= k + 6), None)
            if person is not None and all(
                _word(t).startswith("ال") or _word(t) in ("لدي", "في") or any(x.first <= m <= x.last for x in slots)
                for m, t in enumerate(toks[k + 1 : person.first], start=k + 1)
            ):
                k = person.last
        if head in lex["official_nouns"] and k + 2 < n and toks[k + 1].text in ("،", ","):
            # المتحدث باسم طالبان، ذبيح الله مجاهد: the title, then the person who holds it
            person = next((s for s in slots if s.type == "PER" and s.first == k + 2), None)
            if person is not None and (person.last + 1 >= n or _is_punct(toks[person.last + 1]) or _is_cue_word(toks[person.last + 1])):
                k = person.last
        return Phrase(j, k)
    if slot is not None:
        # title words then a name, then its nisba adjectives
        if any(_stops_np(toks[m]) for m in range(j, slot.first)) or not title_gap(toks, j, slot.first):
            return None
        k = slot.last
        while k + 1 < n and _is_nisba(toks[k + 1]):
            k += 1
        return Phrase(j, k)
    if head.startswith("ال") and head[2:] in word_list("institutions.txt") and not _is_nisba(toks[j + 1] if j + 1 < n else toks[j]):
        return Phrase(j, j)  # قالت الوزارة في بيان: a body named before
    # an anaphor (هذه المصادر، المصدر) or a bare title (الوزير)
    for length in (3, 2, 1):
        text = " ".join(_word(t) for t in toks[j : j + length])
        if text in lex["anaphors"] or (length == 1 and text in lex["official_nouns"]):
            k = j + length - 1
            while k + 1 < n and _is_nisba(toks[k + 1]) or (k + 1 < n and _word(toks[k + 1]) in ("المطلع", "المطلعه", "نفسه", "ذاته", "نفسها", "ذاتها")):
                k += 1
            return Phrase(j, k)
    return None


def phrase_before(toks: list[Token], i: int, lo: int, slots: list[Slot]) -> Optional[Phrase]:
    """Subject phrase before a cue at ``i``: a source noun opening the clause
    (مصادر ... قالت; أن شخصيات كردية ...، أكد), else the sentence's subject name
    (رفض سليماني ... وقال)."""
    lex = lexicon()
    start = i - 1
    crossed = 0
    while start > lo and i - start <= 12:
        tok = toks[start - 1]
        if _is_complementizer(tok) or _is_verb_cue(toks, start - 1):
            break
        if _is_punct(tok):
            crossed += 1
            if crossed > 1:
                break
        start -= 1
    for j in range(start, i):
        w = _word(toks[j])
        opening = j - 1 if j > 0 and toks[j - 1].norm.isdigit() else j  # 3 مسؤولين
        opens = opening in (0, start) or _is_punct(toks[opening - 1]) or _is_complementizer(toks[opening - 1])
        if opens and (w in lex["anonymous_nouns"] or w in lex["official_nouns"] or w in lex["outlet_nouns"]):
            end = j
            while end + 1 < i and not _is_punct(toks[end + 1]) and not _is_verb_cue(toks, end + 1):
                end += 1
            return Phrase(opening, end)
    adjacent = next((s for s in slots if s.prep is None and s.last < i and title_gap(toks, s.last + 1, i)), None)
    if adjacent is not None and not any(s.first > adjacent.last and s.last < i for s in slots):
        return Phrase(adjacent.first, i - 1)  # وكانت المملكة المتحدة قالت
    # the sentence's subject, for a verb coordinated with its own (رفض سليماني ... وقال)
    # or after أنه (أكد أنه ... وأضاف): not for لامرأة تؤكد، whose subject is that noun
    subj = sentence_subject(toks, slots, i) if _coordinated(toks, i) else None
    if subj is None:
        return None
    k = subj.last
    while k + 1 < i and _is_nisba(toks[k + 1]):
        k += 1
    return Phrase(subj.first, k)


# --- kinds ---------------------------------------------------------------------------------------


def _phrase_text(doc: Document, toks: list[Token], ph: Phrase) -> tuple[str, int, int]:
    start, end = toks[ph.first].stem_start, toks[ph.last].end
    text = doc.text[start:end]
    while text and text[-1] in "«»“”\"'":
        text, end = text[:-1], end - 1
    while text and text[0] in "«»“”\"'":
        text, start = text[1:], start + 1
    return text, start, end


def classify(doc: Document, toks: list[Token], ph: Phrase, slots: list[Slot]) -> tuple[str, Optional[str]]:
    """(kind, entity id) of a source phrase."""
    lex = lexicon()
    inside = [s for s in slots if ph.first <= s.first and s.last <= ph.last]
    words = [_word(t) for t in toks[ph.first : ph.last + 1]]
    heads = [w for w in words if not w.isdigit()]
    head = heads[0] if heads else ""
    folded = " " + fold(" ".join(t.text for t in toks[ph.first : ph.last + 1])) + " "
    per = next((s for s in inside if s.type == "PER"), None)
    org = next((s for s in inside if s.type in ("ORG", "MISC")), None)
    loc = next((s for s in inside if s.type == "LOC"), None)
    known_outlet = any(f" {o} " in folded or f" ال{o} " in folded for o in lex["known_outlets"])
    if per is not None and fold(" ".join(t.text for t in toks[per.first : per.last + 1])) in lex["known_outlets"]:
        per = None  # a news agency taken for a person (فرانس برس)
    if head in lex["outlet_nouns"] or (known_outlet and not per):
        return "named_outlet", (org or loc or per).entity if (org or loc or per) else None
    if head in lex["anonymous_nouns"]:
        near = words[1:4]
        if any(w in lex["official_adjectives"] for w in near[:2]):
            return "official_unnamed", None  # مصادر رسمية، مصدر أمني
        # مصادر مقربة من X is affiliated whatever X is; مصدر في/من X only when X is a body (an
        # organisation, or an institution's noun), not a place (مصدر من داخل البيضاء is a local source).
        body = org or any(w in word_list("institutions.txt") or w[2:] in word_list("institutions.txt") for w in near)  # مصدر في شرطة دهوك
        if any(w in lex["strong_affiliation_markers"] for w in near) or (body and any(w in lex["affiliation_markers"] for w in near)):
            return "anonymous_affiliated", (org or loc).entity if (org or loc) else None
        return "anonymous", None
    plural = head.endswith(("ون", "ين")) or head in ("ضباط", "اعضاء", "نواب", "خبراء", "مسوولي")
    if plural and per is not None and any(w in ("في", "من") for w in words[: per.first - ph.first]):
        return "official_unnamed", None  # مسؤولون كبار في إدارة الرئيس ترامب: the name is their employer
    if per is not None:
        return "named_person", per.entity
    if head in lex["official_nouns"]:
        return "official_unnamed", None
    if org or loc:
        return "named_org", (org or loc).entity
    if len(words) == 1 and head.startswith("ال") and head[2:] in word_list("institutions.txt"):
        # قالت الوزارة: the body named earlier whose name opens with that noun (وزارة الخارجية), else an
        # official body unnamed
        start = toks[ph.first].start
        prior = [(m.end, e) for e in doc.entities if e.type == "ORG" for m in e.mentions
                 if m.end <= start and fold(m.text).split()[:1] in ([head], [head[2:]])]
        return ("named_org", max(prior, key=lambda p: p[0])[1].id) if prior else ("official_unnamed", None)
    return "", None



def _is_anaphor(toks: list[Token], ph: Phrase) -> bool:
    lex = lexicon()
    words = [_word(t) for t in toks[ph.first : ph.last + 1]]
    for length in (3, 2, 1):
        if " ".join(words[:length]) in lex["anaphors"]:
            return True
    return False


# --- claims --------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Found:
    cue_first: int
    cue_last: int
    sources: list[Source]
    rest: int  # token index where the reported content starts


def _source(doc: Document, toks: list[Token], ph: Phrase, slots: list[Slot]) -> Optional[Source]:
    kind, entity = classify(doc, toks, ph, slots)
    if not kind:
        return None
    text, start, end = _phrase_text(doc, toks, ph)
    return Source(text=text, kind=kind, entity=entity, start=start, end=end)


def resolve_anaphor(toks: list[Token], ph: Phrase, history: list[list[Source]]) -> Optional[list[Source]]:
    """Sources an anaphor (هذه المصادر، المصدر المطلع، الصحيفة) takes up: the latest
    claim with a source of the same noun, else the latest claim."""
    if not history:
        return None
    heads = {fold(w)[2:] if fold(w).startswith("ال") else fold(w) for w in (_word(t) for t in toks[ph.first : ph.last + 1])}
    heads &= {"مصدر", "مصادر", "صحيفه", "وكاله", "قناه", "موقع", "تقرير", "شبكه", "مسوول", "مسوولون"}
    if heads & {"مصدر", "مصادر"}:
        heads |= {"مصدر", "مصادر"}
    if not heads:
        return list(history[-1])
    for sources in reversed(history):
        for src in sources:
            text = fold(src.text)
            if any(h in text for h in heads) or (heads & {"صحيفه", "وكاله", "قناه", "موقع", "شبكه"} and src.kind == "named_outlet"):
                return list(sources)
    return None


def _phrase_sources(doc, toks, ph, slots, history: list[list[Source]]) -> list[Source]:
    """The sources a phrase names: an anaphor ("هذه المصادر") resolves to earlier sources, else the phrase itself."""
    resolved = resolve_anaphor(toks, ph, history) if _is_anaphor(toks, ph) else None
    if resolved:
        return resolved
    src = _source(doc, toks, ph, slots)
    return [src] if src else []


def _chain_from(doc, toks, j, slots, history: list[list[Source]]) -> tuple[list[Source], int]:
    """Sources from the phrase at ``j``: itself, then ``عن X`` cited, ``لـ X`` reported to."""
    lex = lexicon()
    k = j
    while k < len(toks) and (_word(toks[k]) in lex["report_nouns"] or k > j and _is_nisba(toks[k])):
        k += 1
    if j < k < len(toks) and (toks[k].norm in ("ل", "لـ") or toks[k].prefix.lstrip("وف") == "ل"):
        # بحسب تحليل لصحيفة نيويورك تايمز: the paper is the source, its analysis the medium
        j = k + 1 if toks[k].norm in ("ل", "لـ") else k
    ph = phrase_after(toks, j, slots)
    if ph is None:
        return [], j
    chain = _phrase_sources(doc, toks, ph, slots, history)
    k = ph.last + 1
    while k < len(toks) and toks[k].text in _QUOTES:
        k += 1
    skip = k
    while skip < len(toks) and skip - k < 4 and (_is_punct(toks[skip]) or _stops_np(toks[skip])) and not _is_complementizer(toks[skip]):
        skip += 1  # قالت شبكة أميركية، الخميس، نقلا عن مسؤولين
    if skip < len(toks) and toks[skip].norm in ("عن", "نقلا"):
        k = skip
    for _ in range(2):
        if k >= len(toks):
            break
        tok = toks[k]
        if tok.norm in ("عن",) or (tok.norm == "نقلا" and k + 1 < len(toks) and toks[k + 1].norm == "عن"):
            step = 2 if tok.norm == "نقلا" else 1
            cited = phrase_after(toks, k + step, slots)
            if cited is None:
                break
            src = _source(doc, toks, cited, slots)
            if src:
                chain.append(src)
            k = cited.last + 1
        elif tok.norm in ("ل", "لـ") or (tok.prefix.lstrip("وف") == "ل" and chain):
            # لـ«العين الإخبارية» (separate lam) or لوكالة رويترز (lam on the word)
            reporter = phrase_after(toks, k + 1 if tok.norm in ("ل", "لـ") else k, slots)
            if reporter is None:
                break
            src = _source(doc, toks, reporter, slots)
            if src:
                chain.insert(0, src)
            k = reporter.last + 1
        else:
            break
        while k < len(toks) and (toks[k].text in _QUOTES):
            k += 1
    return chain, k


def _claims_in(doc: Document, sent: Sentence, history: list[list[Source]], recent: bool, quoted: list[tuple[int, int]]) -> list[_Found]:
    """Claims of one sentence. ``history``: earlier claims' sources, which an anaphor
    (المصدر) takes up at any distance and a bare continuation (وأضاف) only when
    ``recent``. Cues inside direct quotes (``quoted``) are the quoted speaker's words."""
    toks = sent.tokens
    slots = slots_of(doc, sent)
    lex = lexicon()
    found: list[_Found] = []
    history = list(history)
    i = 0
    lo = 0
    while i < len(toks):
        if any(a <= toks[i].start < b for a, b in quoted):
            i += 1
            continue
        plen = _is_prep_cue(toks, i) if not (found and i < found[-1].rest) else 0
        if plen:
            chain, k = _chain_from(doc, toks, i + plen, slots, history)
            if chain:
                found.append(_Found(i, i + plen - 1, chain, k))
                history.append(chain)
                i = k
                lo = k
                continue
        if _is_verb_cue(toks, i) and not (found and i <= found[-1].rest + 2 and not _between_complementizer(toks, found[-1].rest, i)):
            chain, k = _chain_from(doc, toks, i + 1, slots, history)
            weak = not (_cue_forms(toks[i]) & lex["verb_cues"])
            if chain and not _cue_forms(toks[i]) & lex["object_cues"] and not _content_follows(toks, k):
                chain = []  # لفت ساركوزي انتباه الجماهير: no report follows
            elif not chain and not weak and _takes_content(toks, i):
                ph = phrase_before(toks, i, lo, slots)
                if ph is not None:
                    chain = _phrase_sources(doc, toks, ph, slots, history)
                    # the subject may still cite or report to someone after the verb
                    more, k2 = _chain_from(doc, toks, i + 1, slots, [])
                    chain += more
                    if chain and found and found[-1].cue_first < i:
                        # وفق الصحيفة، فإن 3 مسؤولين ذكروا: the outlet reports the officials
                        chain = [s for s in found[-1].sources if s not in chain] + chain
                    k = max(k, k2, i + 1)
                elif history and recent and _coordinated(toks, i) and _cue_forms(toks[i]) & lex["continuation_cues"]:
                    chain, k = list(history[-1]), i + 1
            if chain:
                found.append(_Found(i, i, chain, k))
                history.append(chain)
                lo = i + 1
                i = max(i, k - 1)
        i += 1
    return found


def _coordinated(toks: list[Token], i: int) -> bool:
    """Is the verb at ``i`` coordinated (وقال) or clause-initial, so that it may share an earlier subject?"""
    prev = toks[i - 1] if i > 0 else None
    return toks[i].norm[:1] in "وف" or prev is None or _is_punct(prev) or _is_complementizer(prev)


def _content_follows(toks: list[Token], k: int) -> bool:
    """Does what was said (أن/إن, a colon, a quote) start within a few words of token ``k``?"""
    window = toks[k : k + lexicon()["content_window"]]
    return any(_is_complementizer(t) or t.text == ":" or t.text in _QUOTES for t in window)


def _takes_content(toks: list[Token], i: int) -> bool:
    """A cue with no subject after it must introduce what was said: أن/إن, a colon or a
    quote within a few words (قال إن، وأضاف: «…»); no relative pronoun before it
    (اللافتات التي توضح اتجاه), no plain word after it (ذكر المؤشر أن: an unknown subject)."""
    if i > 0 and _word(toks[i - 1]) in cues()["relatives"]:
        return False
    if i + 1 < len(toks):
        nxt = toks[i + 1]
        plain = not (_is_punct(nxt) or nxt.text in _QUOTES or _is_complementizer(nxt) or nxt.prefix.lstrip("وف") or _stops_np(nxt))
        if plain:
            return False
    return _content_follows(toks, i + 1)


def _between_complementizer(toks: list[Token], a: int, b: int) -> bool:
    """Is there an أن/إن between tokens a and b? (نقلت عن مصادر قولها إن: one attribution)"""
    return any(_is_complementizer(t) for t in toks[a:b])


def _indirect_quote(toks: list[Token], rest: int, end: int) -> Optional[tuple[int, int]]:
    for k in range(rest, min(rest + 4, end)):
        if _is_complementizer(toks[k]) or toks[k].text == ":":
            first = k + 1 if toks[k].text == ":" else k
            if first < end:
                return toks[first].start, toks[end - 1].end
    return None


def direct_quotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of quoted passages of three words or more within [start, end)."""
    out = []
    i = start
    while i < end:
        ch = text[i]
        close = _QUOTE_PAIRS.get(ch)
        if close:
            j = text.find(close, i + 1, min(end + 600, len(text)))
            if j > i and len(text[i + 1 : j].split()) >= 3:
                out.append((i + 1, j))
                i = j + 1
                continue
        i += 1
    return out


def extract(doc: Document) -> tuple[list[Claim], list[Quote]]:
    claims: list[Claim] = []
    quotes: list[Quote] = []
    history: list[list[Source]] = []
    last_claim_sent = -10
    for si, sent in enumerate(doc.sentences):
        toks = sent.tokens
        if not toks:
            continue
        sent_quotes = direct_quotes(doc.text, sent.start, sent.end)
        found = _claims_in(doc, sent, history, si - last_claim_sent <= 3, sent_quotes)
        for f in found:
            quote: Optional[Quote] = None
            speaker = next((s.entity for s in reversed(f.sources) if s.entity), None)
            direct = [q for q in sent_quotes if q[0] >= toks[f.cue_first].start]
            if direct:
                quote = Quote("direct", direct[0][0], direct[0][1], speaker)
            else:
                nxt = next((g.cue_first for g in found if g.cue_first > f.cue_last), len(toks))
                span = _indirect_quote(toks, f.rest, nxt)
                if span:
                    quote = Quote("indirect", span[0], span[1], speaker)
            cue = toks[f.cue_first : f.cue_last + 1]
            cue_start = cue[0].stem_start
            if not cue[0].prefix and cue[0].norm[:1] in "وف" and cue[0].norm[1:] in candidates(_word(cue[0])):
                cue_start += 1  # a conjunction the segmenter left on the verb (وقال)
            claim = Claim(
                id=f"c{len(claims) + 1}",
                sentence=Span(sent.start, sent.end),
                sources=f.sources,
                cue=TextSpan(cue_start, cue[-1].end, doc.text[cue_start : cue[-1].end]),
                quote=quote,
            )
            claims.append(claim)
            if quote:
                quotes.append(quote)
            history.append(f.sources)
            last_claim_sent = si
        if not found:
            quotes.extend(Quote("direct", s, e) for s, e in sent_quotes)
    return claims, quotes


def link_events(doc: Document) -> None:
    """event.claim: the claim of the event's sentence (the one whose quote holds the trigger first)."""
    for ev in doc.events:
        best = None
        for c in doc.claims:
            if c.sentence.start <= ev.trigger.start < c.sentence.end:
                if c.quote and c.quote.start <= ev.trigger.start < c.quote.end:
                    best = c
                    break
                best = best or c
        ev.claim = best.id if best else None


# --- message chains ------------------------------------------------------------------------------


def _hop(doc: Document, toks: list[Token], slots: list[Slot], j: int) -> Optional[Hop]:
    """The party named at token ``j``: an entity, else a short noun phrase (شخصية عراقية)."""
    if j >= len(toks):
        return None
    slots = [s for s in slots if not s.modifier]
    slot = next((s for s in slots if s.first <= j <= s.last or j < s.first <= j + 5), None)
    if slot is not None and all(_word(toks[m]).startswith("ال") or _word(toks[m]) in ("لدي", "في") for m in range(j + 1, slot.first)):
        start, end = toks[slot.first].stem_start, toks[slot.last].end
        return Hop(doc.text[start:end], slot.entity)
    if _stops_np(toks[j]) or _word(toks[j]) in lexicon()["message_nouns"]:
        return None
    k = j
    while k + 1 < len(toks) and k - j < 2 and (_is_nisba(toks[k + 1]) or _word(toks[k + 1]).endswith("يه") and not _stops_np(toks[k + 1])):
        k += 1
    start, end = toks[j].stem_start, toks[k].end
    return Hop(doc.text[start:end], None)


def chains_in(doc: Document, sent: Sentence) -> Optional[Chain]:
    lex = lexicon()
    toks = sent.tokens
    words = [_word(t) for t in toks]
    nouns = [i for i, w in enumerate(words) if w in lex["message_nouns"] or set(candidates(w)) & lex["message_nouns"]]
    verbs = [i for i, t in enumerate(toks) if set(candidates(words[i])) & lex["message_verbs"] and not t.prefix.lstrip("وف")]
    informs = [i for i, w in enumerate(words) if w.startswith("ابلغ")]
    if not (nouns and verbs) and not informs:
        return None
    anchors = nouns + verbs + informs  # a recipient (إلى X) must follow one of these closely
    slots = slots_of(doc, sent)
    sender = recipient = None
    middle: list[Hop] = []
    for i, w in enumerate(words):
        forms = set(candidates(w))
        if forms & lex["request_verbs"] and i + 1 < len(toks) and toks[i + 1].norm == "من" and any(0 < a - i <= 10 for a in anchors):
            hop = _hop(doc, toks, slots, i + 2)
            if hop:
                middle.append(hop)
        if toks[i].norm == "من" and i > 0 and words[i - 1] in lex["message_nouns"]:
            sender = _hop(doc, toks, slots, i + 1) or sender
        near = any(0 < i - a <= 6 for a in anchors)
        if near and (toks[i].norm in ("الي", "لـ") or (toks[i].prefix.lstrip("وف") == "ل" and i > 0 and words[i - 1] in lex["message_nouns"])):
            hop = _hop(doc, toks, slots, i + 1 if toks[i].norm in ("الي", "لـ") else i)
            recipient = recipient or hop
        if w in lex["intermediary_markers"] or (i + 1 < len(toks) and f"{w} {words[i + 1]}" in lex["intermediary_markers"]):
            step = 2 if i + 1 < len(toks) and f"{w} {words[i + 1]}" in lex["intermediary_markers"] else 1
            hop = _hop(doc, toks, slots, i + step)
            if hop:
                middle.append(hop)
    for i in verbs:
        # تسليم/إبلاغ X رسالة: the bare party right after the verb receives it
        nxt = next((s for s in slots if i < s.first <= i + 5 and s.prep is None and title_gap(toks, i + 1, s.first)), None)
        if recipient is None and nxt is not None and words[i] in ("تسليم", "ابلاغ", "ايصال", "ابلغ", "سلم", "اوصل"):
            recipient = _hop(doc, toks, slots, nxt.first)
        elif recipient is None and words[i].startswith("ابلغ") and i + 1 < len(toks):
            recipient = _hop(doc, toks, slots, i + 1)
    if sender is None:
        first = verbs[0] if verbs else len(toks)
        bare = [s for s in slots if s.last < first and s.prep is None]
        if bare:
            s = bare[-1]
            sender = Hop(doc.text[toks[s.first].stem_start : toks[s.last].end], s.entity)
        elif first < len(toks) and first + 1 < len(toks):
            subj = next((s for s in slots if s.first in (first + 1, first + 2) and s.prep is None), None)
            if subj is not None and recipient is not None and subj.entity != recipient.entity:
                sender = Hop(doc.text[toks[subj.first].stem_start : toks[subj.last].end], subj.entity)
    carriers = [i for i in verbs if set(candidates(words[i])) & lex["carrier_verbs"]]
    if sender is not None and carriers:
        # حمل/نقل X رسالة من A إلى B: the bearer X sits between sender and recipient
        v = carriers[0]
        bearer = next((s for s in slots if s.first in (v + 1, v + 2) and s.prep is None and not s.modifier), None)
        if bearer is None:
            bearer = next((s for s in reversed(slots) if s.last < v and v - s.last <= 3 and s.prep is None and not s.modifier), None)
        if bearer is not None and not (recipient and recipient.entity == bearer.entity):
            middle.insert(0, Hop(doc.text[toks[bearer.first].stem_start : toks[bearer.last].end], bearer.entity))
    hops = [h for h in [sender, *middle, recipient] if h is not None]
    dedup: list[Hop] = []
    for h in hops:
        if not any((h.entity and h.entity == d.entity) or fold(h.text) == fold(d.text) for d in dedup):
            dedup.append(h)
    if len(dedup) < 2 or sender is None and recipient is None:
        return None
    return Chain(dedup)


def _chain_event(doc: Document, sent: Sentence) -> Optional[str]:
    for ev in doc.events:
        if sent.start <= ev.trigger.start < sent.end and ev.type in ("REQUEST", "CONSULT", "THREATEN", "AGREE", "REJECT"):
            return ev.id
    return None


def create():
    lexicon()

    def sources(doc: Document) -> Document:
        doc.claims, doc.quotes = extract(doc)
        link_events(doc)
        doc.chains = []
        for sent in doc.sentences:
            chain = chains_in(doc, sent)
            if chain is not None:
                chain.event = _chain_event(doc, sent)
                doc.chains.append(chain)
        return doc

    return sources
