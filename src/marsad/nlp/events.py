"""PLOVER events: trigger words, their mode, and who did what to whom, where and when.

Triggers come from ``resources/event_triggers.tsv`` and are matched on lemma-ish
forms of each token's stem (``candidates``: article, pronoun and inflection
suffixes, imperfect and future prefixes stripped). Roles come from the clause
around the trigger, not from the nearest name:

* each name in the sentence is marked with what governs it: a preposition
  (looked for back over its title phrase: من السفير الأميركي لدى العراق X),
  a title it qualifies (وزير خارجية إيران X), a place noun (العاصمة بغداد),
  a relative clause, coordination, or a verbal noun whose genitive it is;
* verb triggers: a bare name right after the verb (titles, به/لها between)
  is its subject (VSO); else the closest bare name before it in the clause
  (SVO), the antecedent of a relative pronoun, or the sentence's subject for
  coordinated and subordinate clauses (كان X ...، حين طلب); after أنه the
  pronoun is the subject; the first name after it, bare or behind a target
  preposition (على، ضد، إلى، مع، من ...), is the target;
* verbal nouns: a bare name right after the noun is its genitive, an actor or
  a target as the lexicon says (زيارة X: actor, اغتيال X: target); a
  relative clause (الهجوم الذي شنته X), a possessive (اتفاق حكومته) or the
  clause's subject supplies the actor; passives (تم اغتيال X) get none;
* the location is a place name behind في/ب/قرب... (or لـ/إلى for a visit).

Mode: auxiliary modes (negated, hypothetical, conditional, planned, future,
uncertain) from cues before the trigger, else the lexicon's PLOVER mode.
Cue lists live in ``resources/event_cues.json``. Entities are read from
``doc.entities``; without them events still come out, with no roles. A
definite verbal noun with no role at all (العقوبات، بالاتفاق) is a reference
to a known event and yields none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Optional

from marsad.model import Document, Event, EventDate, Sentence, Span, TextSpan, Token
from marsad.text.normalize import fold, strip_diacritics

_PRONOUN_SUFFIXES = ("هما", "كما", "هم", "هن", "ها", "كم", "نا", "ني", "ه", "ك")
_INFLECTION_SUFFIXES = ("ات", "ون", "ين", "وا", "تا", "تم", "ان", "ت", "ا", "ه")
_IMPERFECT = "يتنا"
_PUNCT_BREAKS = set("،,;؛:«»\"“”()[]-–—.!?؟٬٫")
_CLITIC_PREPS = ("لل", "ب", "ل", "ك")


@dataclass(frozen=True, slots=True)
class Trigger:
    lemma: str
    type: str
    mode: str
    kind: str  # verb | noun
    genitive: str  # role of a bare name right after a verbal noun: actor | target
    context: tuple[str, ...]  # one of these must follow within a few words
    origin: str


@lru_cache(maxsize=100_000)
def candidates(word: str) -> tuple[str, ...]:
    """Lemma-ish forms of a folded stem, most literal first.

    ``يحذرهم`` gives … حذر; ``اغتالت`` gives اغتال; ``الاجتماع`` gives اجتماع;
    ``سيستقبله`` gives … استقبل (imperfect of derived forms restores the alef).
    Cached: events and sources ask for the same words many times.
    """
    out: list[str] = []

    def add(w: str) -> None:
        if len(w) >= 2 and w not in out:
            out.append(w)

    bases = [word]
    if word[:1] in "وف" and len(word) > 3:
        bases.append(word[1:])  # a conjunction the segmenter kept
    for base in bases:
        forms = [base]
        if base.startswith("ال") and len(base) > 4:
            forms.append(base[2:])
        unsuffixed = list(forms)
        for f in unsuffixed:
            for suf in _PRONOUN_SUFFIXES:
                if f.endswith(suf) and len(f) - len(suf) >= 3:
                    forms.append(f[: -len(suf)])
                    break
        for f in list(forms):
            # before a pronoun only the person endings stay (طالبتهم، طلبوه); not ا or ه (شيراك is no شير)
            endings = _INFLECTION_SUFFIXES if f in unsuffixed else ("ت", "تم", "و")
            for suf in endings:
                if f.endswith(suf) and len(f) - len(suf) >= 3:
                    forms.append(f[: -len(suf)])
        for f in forms:
            add(f)
        for f in forms:
            g = f[1:] if f[:1] == "س" and len(f) >= 5 and f[1] in _IMPERFECT else f
            if g[:1] in _IMPERFECT and len(g) >= 4:
                add(g[1:])
                add("ا" + g[1:])
    return tuple(out)


def _resource(name: str):
    return resources.files("marsad.resources").joinpath(name)


@lru_cache(maxsize=2)
def trigger_lexicon(include_derived: bool = False) -> dict[str, dict[str, Trigger]]:
    """lemma → kind → Trigger. CAMEO-derived rows only when asked (they are noisy)."""
    lex: dict[str, dict[str, Trigger]] = {}
    lines = _resource("event_triggers.tsv").read_text(encoding="utf-8").splitlines()[1:]
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        lemma, etype, mode, kind, genitive, context, origin = (line.split("\t") + [""] * 7)[:7]
        if origin != "hand" and not include_derived:
            continue
        trig = Trigger(lemma, etype, mode, kind or "verb", genitive or "actor", tuple(c for c in context.split("|") if c), origin)
        lex.setdefault(lemma, {}).setdefault(trig.kind, trig)
    return lex


@lru_cache(maxsize=1)
def cues() -> dict:
    data = json.loads(_resource("event_cues.json").read_text(encoding="utf-8"))
    # word lists are folded here, so the file may spell them as written; *_surface lists stay as written
    return {
        k: ({w if k.endswith("_surface") else fold(w) for w in v} if isinstance(v, list) else v) for k, v in data.items()
    }


@lru_cache(maxsize=1)
def plover_types() -> dict:
    return json.loads(_resource("plover.json").read_text(encoding="utf-8"))["types"]


# --- sentence structure ---------------------------------------------------------------------------


@dataclass(slots=True)
class Slot:
    """An entity mention placed on the tokens of its sentence."""

    first: int  # token index
    last: int  # token index, inclusive
    entity: str
    type: str
    prep: Optional[str] = None  # governing preposition (clitic or word), None when bare
    modifier: bool = False  # a place or body qualifying the title of the name after it
    place: bool = False  # named as a place (العاصمة بغداد، مدينة البوكمال): no actor
    conjunct: bool = False  # second of two coordinated names (سليماني وأبو مهدي المهندس)
    relative: bool = False  # inside a relative clause (الاتفاق الذي أبرمته طهران)
    genitive: bool = False  # governed by a verbal noun (بعد اغتيال الجنرال سليماني)


def _word(tok: Token) -> str:
    return tok.stem or tok.norm


def _mark_modifiers(slots: list[Slot], toks: list[Token]) -> None:
    """وزير خارجية إيران محمد جواد ظريف، السفير لدى العراق دوجلاس سيليمان: a place
    after a title word and right before a person's name qualifies his title and
    takes no role of its own."""
    titles = cues()["title_words"]
    for n, a in enumerate(slots):
        if a.type not in ("LOC", "ORG") or a.first == 0 or _word(toks[a.first - 1]) not in titles:
            continue
        for b in slots[n + 1 :]:
            if b.first - a.last > 7:
                break
            if b.type == "PER":
                inside = {k for s in slots[n:] if s.last < b.first for k in range(s.first, s.last + 1)}
                if title_gap(toks, a.last + 1, b.first, inside):
                    a.modifier = True
                break


def _clitic_prep(tok: Token) -> Optional[str]:
    prefix = tok.prefix.lstrip("وف")
    for p in _CLITIC_PREPS:
        if prefix.startswith(p):
            return "ل" if p == "لل" else p
    return None


def _governing_prep(toks: list[Token], first: int, blocked: set[int], modifiers: set[int]) -> Optional[str]:
    """The preposition governing a name at token ``first``: a clitic on it, or the
    nearest preposition back over the article-words and titles of its noun phrase
    (من السفير الأميركي لدى العراق دوجلاس → من; على رأس وكالة → على). The walk
    stops at another name (``blocked`` tokens) and at any other word."""
    c = cues()
    preps = c["prepositions"]
    found = _clitic_prep(toks[first])
    if found:
        return found
    j = first - 1
    crossed = False  # passed a name that qualifies the title (قائد فيلق القدس في الحرس الثوري الجنرال X)
    while j >= 0 and first - j <= 10 and j not in blocked:
        tok = toks[j]
        word = _word(tok)
        if j in modifiers:
            crossed = True
        elif tok.text in _PUNCT_BREAKS:
            return None
        elif word in preps:
            # السفير لدى العراق، قائد فيلق القدس في الحرس الثوري: inside the title phrase
            inner = word == "لدي" or word == "في" and (crossed or j > 0 and _word(toks[j - 1]) in c["title_words"])
            if not inner:
                return word
        elif word.startswith("ال") or word in _NP_WORDS or word in c["title_words"]:
            if _clitic_prep(tok) and not crossed:
                return _clitic_prep(tok)
        elif j > 0 and _word(toks[j - 1]) in preps and match_trigger(tok) is None:
            return _word(toks[j - 1])  # على رأس وكالة: one bare noun after the preposition
        else:
            return None
        j -= 1
    return None


# Nouns that head a place or title phrase without the article (مدينة البوكمال، قاعدة التاجي).
_NP_WORDS = {fold(w) for w in {"مدينه", "قاعده", "بلده", "محافظه", "منطقه", "قضاء", "ولايه", "جزيره", "قريه", "مخيم", "حي", "ميناء", "مطار", "سفير", "رئيس", "وزير", "قائد", "زعيم", "جنرال", "العميد", "الشيخ", "نائب", "امين", "راس"}}
_PLACE_NOUNS = {fold(w) for w in {"العاصمه", "مدينه", "المدينه", "محافظه", "منطقه", "قاعده", "بلده", "قريه", "مخيم", "ميناء", "مطار", "عاصمه", "قضاء", "حي", "جزيره", "اقليم", "ولايه"}}


def slots_of(doc: Document, sent: Sentence) -> list[Slot]:
    """Entity mentions inside ``sent`` with token positions and their syntactic marks."""
    toks = sent.tokens
    out: list[Slot] = []
    for ent in doc.entities:
        for m in ent.mentions:
            if m.start < sent.start or m.end > sent.end:
                continue
            idx = [i for i, t in enumerate(toks) if t.start < m.end and t.end > m.start]
            if idx:
                out.append(Slot(idx[0], idx[-1], ent.id, ent.type))
    out.sort(key=lambda s: (s.first, -s.last))
    kept: list[Slot] = []
    for s in out:  # keep the longest of overlapping mentions
        if not (kept and s.first <= kept[-1].last):
            kept.append(s)
    _mark_modifiers(kept, toks)
    blocked = {k for s in kept if not s.modifier for k in range(s.first, s.last + 1)}
    modifiers = {k for s in kept if s.modifier for k in range(s.first, s.last + 1)}
    relatives = cues()["relatives"]
    breaks = breaks_of(sent)
    for n, s in enumerate(kept):
        s.prep = _governing_prep(toks, s.first, blocked - set(range(s.first, s.last + 1)), modifiers)
        s.place = s.type == "LOC" and s.first > 0 and _word(toks[s.first - 1]) in _PLACE_NOUNS
        prev = kept[n - 1] if n else None
        s.conjunct = bool(prev and prev.last == s.first - 1 and toks[s.first].prefix.startswith("و"))
        j = s.first - 1
        while j >= 0 and not breaks[j]:
            j -= 1
        s.relative = j >= 0 and _word(toks[j]) in relatives
        h = s.first - 1
        while h >= 0 and title_gap(toks, h, h + 1):
            h -= 1
        hit = match_trigger(toks[h]) if h >= 0 else None
        s.genitive = bool(hit and hit[0].kind == "noun")
    return kept


def entity_at(doc: Document, start: int, end: int) -> Optional[str]:
    """Id of the entity whose mention overlaps the character span [start, end), else None."""
    best: Optional[tuple[int, str]] = None
    for ent in doc.entities:
        for m in ent.mentions:
            overlap = min(end, m.end) - max(start, m.start)
            if overlap > 0 and (best is None or overlap > best[0]):
                best = (overlap, ent.id)
    return best[1] if best else None


def breaks_of(sent: Sentence) -> list[bool]:
    """Per token: does it open a new clause (punctuation, relative pronoun, subordinator)?"""
    words = cues()["clause_breaks"]
    return [t.text in _PUNCT_BREAKS or t.norm in words or (t.norm[:1] in "وف" and t.norm[1:] in words) for t in sent.tokens]


def clause_bounds(breaks: list[bool], i: int) -> tuple[int, int]:
    start = i
    while start > 0 and not breaks[start]:
        start -= 1
    if breaks[start] and start < i:
        start += 1
    end = i + 1
    while end < len(breaks) and not breaks[end]:
        end += 1
    return start, end


# --- triggers ------------------------------------------------------------------------------------


def _token_kind(tok: Token) -> str:
    if tok.stem.startswith("ال") or _clitic_prep(tok) or tok.norm.endswith("ا") and not tok.norm.endswith("وا"):
        return "noun"
    return "verb"


def match_trigger(tok: Token, include_derived: bool = False) -> Optional[tuple[Trigger, str]]:
    """(trigger, matched lemma) for a token, or None."""
    if not tok.stem or not ("\u0621" <= tok.stem[0] <= "\u064a"):
        return None
    lex = trigger_lexicon(include_derived)
    surface = strip_diacritics(tok.text)
    marbuta = surface.endswith("ة")
    nominal = marbuta or surface.endswith("ات")
    for cand in candidates(tok.stem):
        if marbuta and not cand.endswith("ه"):
            continue  # ة belongs to the word: وزارة is not زار
        entries = lex.get(cand)
        if entries:
            kind = "noun" if nominal else _token_kind(tok)
            if cand == tok.stem and not tok.prefix and entries.get("noun", None) is not None and entries["noun"].genitive == "target":
                # قتل X written bare is the killing of X or X was killed, a victim either way; the
                # perpetrator's verb is inflected or followed by its subject's marker (قتلت، قتل مسلحون).
                kind = "noun"
            trig = entries.get(kind) or next(iter(entries.values()))
            if nominal and trig.kind == "verb" and cand != tok.stem:
                continue  # صادرات is not صادر: verbs take neither ة nor ات
            return trig, cand
    return None


def _context_ok(trig: Trigger, toks: list[Token], i: int) -> bool:
    """One of the trigger's context words follows it: within five words, or right after
    it for a particle (حقق في: investigated, not حققها: achieved)."""
    if not trig.context:
        return True
    window = 2 if all(len(c) <= 3 for c in trig.context) else 5
    for t in toks[i + 1 : i + 1 + window]:
        if any(c in trig.context for c in candidates(t.stem or t.norm)):
            return True
    return False


def _in_mention(slots: list[Slot], i: int) -> bool:
    return any(s.first <= i <= s.last for s in slots)


# --- mode ----------------------------------------------------------------------------------------


def _surface(tok: Token) -> str:
    return strip_diacritics(tok.text)


def mode_of(toks: list[Token], breaks: list[bool], i: int, trig: Trigger, matched: str) -> Optional[str]:
    c = cues()
    cs, _ = clause_bounds(breaks, i)
    before = toks[max(cs, i - 4) : i]
    sent_before = toks[:i]
    tok = toks[i]
    norms = [t.norm for t in before]
    stems = [t.stem or t.norm for t in before]
    if any(n in c["negation"] or n in c["negation_verbs"] for n in norms + stems):
        return "negated"
    surf = [_surface(t) for t in sent_before]
    joined = " " + " ".join(surf) + " "
    if any(f" {w} " in joined for w in c["hypothetical_surface"]):
        return "hypothetical"
    if trig.kind == "noun" and norms and norms[-1] in c["hypothetical_determiners"]:
        return "hypothetical"  # أي هجوم: any attack, none that happened
    if any(f" {w} " in joined or f" و{w} " in joined or f" ف{w} " in joined for w in c["conditional_surface"]):
        return "conditional"
    if any(set(candidates(t.stem or t.norm)) & c["planned_lemmas"] for t in before):
        return "planned"
    fut = c["future_prefix"]
    is_future_verb = tok.stem[:1] == fut and len(tok.stem) > 3 and tok.stem[1:2] in _IMPERFECT and not matched.startswith(fut)
    future_light = any(s[:1] == fut and s[1:] in c["light_verbs"] for s in stems[-3:])
    _, ce = clause_bounds(breaks, i)
    if is_future_verb or future_light or any(n in c["future_words"] for n in norms) or any(
        t.norm in c["future_words"] for t in toks[i + 1 : ce]
    ):
        return "future"
    if (norms and norms[-1] == c["uncertain_particle"] and tok.stem[:1] in _IMPERFECT) or any(
        n in c["uncertain_words"] for n in norms
    ) or (i + 1 < len(toks) and toks[i + 1].norm in c["uncertain_after"]):  # الهجوم المزعوم
        return "uncertain"
    return trig.mode or None


# --- roles ---------------------------------------------------------------------------------------


def sentence_subject(toks: list[Token], slots: list[Slot], i: int, across: bool = False) -> Optional[Slot]:
    """The subject a clause shares with the sentence it sits in (كان X ...، حين طلب;
    وأكد X أنه وجه رسالة ... يحذرهم): the nearest bare name before ``i`` that is no
    place, conjunct or relative-clause name, not behind a bare أن (a new subject
    follows it; أنه/أنها refer back) unless ``across`` (a possessive pronoun)."""
    comp = {"ان", "بان", "وان"}
    for s in reversed([s for s in slots if s.last < i and i - s.last <= 30]):
        if s.prep is None and s.type in ("PER", "ORG", "LOC") and not (s.place or s.conjunct or s.relative or s.modifier or s.genitive):
            if not across and any(toks[k].norm in comp for k in range(s.last + 1, i)):
                return None
            return s
    return None


# ب/ل with a pronoun carry the verb's object (رحبت به إسرائيل), so the name after them is
# the subject; an adjunct (اغتالت فيها سليماني) leaves the name as the object.
_PRONOUN_PP = {"به", "بها", "بهم", "بهما", "له", "لها", "لهم", "لهما"}


def _is_pronoun_pp(tok: Token) -> bool:
    """A preposition with a pronoun object that may stand between a verb and its subject."""
    return tok.norm in _PRONOUN_PP


def title_gap(toks: list[Token], a: int, b: int, names: set[int] = frozenset()) -> bool:
    """Are tokens a..b-1 only article-words, titles and qualifying names (a name's own title phrase)?"""
    titles = cues()["title_words"]
    return all(
        k in names or _word(t).startswith("ال") and not _clitic_prep(t) or _word(t) in titles or _word(t) in _NP_WORDS
        for k, t in enumerate(toks[a:b], start=a)
    )


def _unnamed_subject(toks: list[Token], a: int, b: int) -> bool:
    """Whether tokens a..b-1 hold a subject of their own: a definite noun that is no title, then
    its adjective (استهدفت الفصائل الفلسطينية إسرائيل: the factions struck, Israel was struck)."""
    titles = cues()["title_words"]
    words = [_word(t) for t in toks[a:b]]
    return len(words) >= 2 and words[0].startswith("ال") and words[0] not in titles and words[0] not in _NP_WORDS \
        and words[1].startswith("ال") and (words[1].endswith("ي") or words[1].endswith("يه"))


_QUOTE_OPENERS = set("«“\"")


def _speaks_before(toks: list[Token], s: Slot, i: int) -> bool:
    """Whether the name at ``s`` introduces words that hold the trigger at ``i``: a colon or an
    opening quote stands between them (قال X: "... الهجوم"), so X said it, X did not do it."""
    return any(t.text == ":" or t.text in _QUOTE_OPENERS for t in toks[s.last + 1 : i])


def _agent(toks: list[Token], after: list[Slot], i: int, c: dict) -> Optional[Slot]:
    """The name behind an agent phrase (من قبل، من جانب، على يد) shortly after the trigger."""
    for s in after:
        if s.first > i + 8:
            break
        if s.first >= 2 and f"{_word(toks[s.first - 2])} {_word(toks[s.first - 1])}" in c["agent_phrases"]:
            return s
    return None


def _between(toks: list[Token], after: list[Slot], i: int) -> Optional[tuple[Slot, Slot]]:
    """Two coordinated names after بين right after the trigger: (first, second)."""
    for n, s in enumerate(after[:-1]):
        if s.first > i + 4:
            break
        if s.prep == "بين" and after[n + 1].conjunct:
            return s, after[n + 1]
    return None


def roles(toks: list[Token], breaks: list[bool], slots: list[Slot], i: int, trig: Trigger, is_noun: bool):
    """(actor, target, location) entity ids for the trigger at token ``i``."""
    c = cues()
    cs, ce = clause_bounds(breaks, i)
    targets_ok = c["target_prepositions"]
    all_slots = slots
    slots = [s for s in slots if not s.modifier]
    prev_word = _word(toks[i - 1]) if i > 0 else ""
    passive = prev_word in c["passive_markers"]
    after = [s for s in slots if s.first > i and s.first < ce]
    before = [s for s in slots if s.last < i and s.first >= cs]
    lead = {w for t in toks[max(0, i - 3) : i] for w in candidates(_word(t))}
    participation = bool(lead & c["participation"])
    governed = is_noun and (_clitic_prep(toks[i]) or prev_word in c["prepositions"])
    if governed:  # بالغارات after ندد is what was condemned: its actor is not the condemner
        passive = passive or not (lead & (c["planned_lemmas"] | c["aspectual"]) or participation)
    actor = target = None
    used: set[int] = set()

    if is_noun:
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        titled = {k for s in all_slots if s.modifier for k in range(s.first, s.last + 1)}
        if after and after[0].prep is None and title_gap(toks, i + 1, after[0].first, titled):
            # اغتيال X: target; زيارة X: actor; في اجتماع X (taking part): X hosts
            if trig.genitive == "target" or participation:
                target = after[0]
            else:
                actor = after[0]
            used.add(id(after[0]))
        elif nxt is not None and _word(nxt) in c["relatives"]:
            # الهجوم الذي شنته إسرائيل: the relative clause names the actor
            rel = next((s for s in slots if i + 2 < s.first <= i + 6 and s.prep is None), None)
            if rel is not None:
                actor = rel
                used.add(id(rel))
        elif nxt is not None and strip_diacritics(nxt.text).endswith(("ه", "ها", "هم", "هما")) and not passive:
            # اتفاق حكومته: the possessor is the sentence's subject
            actor = sentence_subject(toks, slots, i, across=True)
        if actor is None and not passive:
            bare = [s for s in before if s.prep is None and not s.place and not _speaks_before(toks, s, i)]
            if bare:
                actor = bare[-1]
            else:
                # كانت للعميد قاآني لقاءات: X had meetings
                owner = next((s for s in before if s.last == i - 1 and s.prep == "ل"), None)
                if owner is not None and any(_word(t) in c["copula"] for t in toks[max(0, owner.first - 2) : owner.first + 1]):
                    actor = owner
    else:
        if prev_word in c["pronoun_complementizers"]:
            # أنه طالب الأمريكيين: the pronoun is the subject, the name after is the object
            actor = None if passive else sentence_subject(toks, slots, i)
        else:
            subj = next((s for s in after if s.first <= i + 5 and s.prep is None), None)
            pronoun_pp = {k for k in range(i + 1, i + 3) if k < len(toks) and _is_pronoun_pp(toks[k])}
            # Before a person, a definite noun and nisba describe him (الفنانة المصرية فيفي عبده).
            if subj is not None and title_gap(toks, i + 1, subj.first, pronoun_pp) and (
                subj.type == "PER" or not _unnamed_subject(toks, i + 1, subj.first)
            ):
                actor = subj
                used.add(id(subj))
            elif not passive:
                bare = [s for s in before if s.prep is None and s.type != "MISC" and not s.place and not _speaks_before(toks, s, i)]
                if bare:
                    actor = bare[-1]
                elif cs > 0 and _word(toks[cs - 1]) in c["relatives"]:
                    antecedent = [s for s in slots if s.last < cs - 1 and s.last >= cs - 4]
                    if antecedent:
                        actor = antecedent[-1]
    agent = _agent(toks, after, i, c)
    if agent is not None:  # تم اغتياله على يد X, الهجوم من قبل X: the agent phrase names the actor
        actor = agent
        used.add(id(agent))
    pair = _between(toks, after, i) if fold(trig.type) in c["mutual_types"] else None
    if pair is not None:  # اتفاق بين ترامب وكيم: both sides, the first as actor
        actor, target = pair
        used.update((id(actor), id(target)))
    if actor is None and not passive:
        actor = sentence_subject(toks, slots, i)
        if actor is not None and _speaks_before(toks, actor, i):
            actor = None
    if target is None:
        for s in after:
            if id(s) in used or s is actor:
                continue
            if s.first > i + 8:
                break
            if s.prep is None or s.prep in targets_ok:
                if s.type == "LOC" and (s.prep == "في" or s.place or trig.mode == "visit" and s.prep in ("ل", "الي")):
                    continue
                target = s
                break
    location = None
    loc_preps = c["location_prepositions"] | ({"ل", "الي"} if trig.mode == "visit" else set())  # زيارة ... لبغداد
    for pool in (after, before, slots):
        locs = [s for s in pool if s.type == "LOC" and (s.prep in loc_preps or s.place) and s is not actor and s is not target]
        if locs:
            location = locs[0] if pool is not before else locs[-1]
            break
    return (
        actor.entity if actor else None,
        target.entity if target and (not actor or target.entity != actor.entity) else None,
        location.entity if location else None,
    )


# --- dates ---------------------------------------------------------------------------------------


def _date_for(doc: Document, start: int, end: int, sent: Sentence) -> EventDate:
    try:
        from marsad.nlp.dates import date_of_span  # provided by the dates component when present
    except ImportError:
        date_of_span = None
    if date_of_span is not None:
        found = date_of_span(doc, start, end)
        if found is not None:
            return EventDate(text=getattr(found, "text", None), value=getattr(found, "value", None))
    for d in doc.dates:
        if sent.start <= d.start and d.end <= sent.end:
            return EventDate(text=d.text, value=d.value)
    return EventDate()


# --- component -----------------------------------------------------------------------------------


def extract(doc: Document, include_derived: bool = False) -> list[Event]:
    events: list[Event] = []
    for sent in doc.sentences:
        toks = sent.tokens
        if not toks:
            continue
        slots = slots_of(doc, sent)
        breaks = breaks_of(sent)
        seen: set[tuple[str, int]] = set()
        for i, tok in enumerate(toks):
            hit = match_trigger(tok, include_derived)
            if hit is None:
                continue
            trig, matched = hit
            if _in_mention(slots, i) or not _context_ok(trig, toks, i):
                continue
            if trig.kind == "noun" and i > 0 and _word(toks[i - 1]) in cues()["non_event_heads"]:
                continue  # معسكرات اعتقال، مذكرة اعتقال، خطر هجوم: a place, a paper or a risk, not an event
            following = " ".join(t.norm for t in toks[i + 1 : i + 4]) + " "
            if trig.type == "REJECT" and any(following.startswith(idiom + " ") for idiom in cues()["anonymity_idioms"]):
                continue  # رفض الكشف عن هويته: a source asking not to be named rejects nothing
            cs, ce = clause_bounds(breaks, i)
            if (trig.type, cs) in seen:  # one event per type and clause: رفع ... التأهب
                continue
            is_noun = trig.kind == "noun" or _token_kind(tok) == "noun" and not tok.stem[:1] in _IMPERFECT
            actor, target, location = roles(toks, breaks, slots, i, trig, is_noun)
            governed = _clitic_prep(tok) or i > 0 and _word(toks[i - 1]) in cues()["prepositions"]
            if is_noun and tok.stem.startswith("ال") and actor is None and target is None and (governed or location is None):
                continue  # a bare reference to a known event (انسحب من الاتفاق، العقوبات السابقة), not a new one
            seen.add((trig.type, cs))
            clause_start, clause_end = toks[cs].start, toks[ce - 1].end
            events.append(
                Event(
                    id=f"v{len(events) + 1}",
                    type=trig.type,
                    trigger=TextSpan(tok.stem_start, tok.end, doc.text[tok.stem_start : tok.end]),
                    sentence=Span(sent.start, sent.end),
                    mode=mode_of(toks, breaks, i, trig, matched),
                    actor=actor,
                    target=target,
                    location=location,
                    date=_date_for(doc, clause_start, clause_end, sent),
                )
            )
    return events


def create(include_derived: bool = False):
    plover_types()  # fail early on a broken ontology file

    def events(doc: Document) -> Document:
        doc.events = extract(doc, include_derived)
        return doc

    return events
