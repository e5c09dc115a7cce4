"""Mine a lexicon of names from a news corpus, for the names a 2007 training set never saw.

Two kinds of evidence, both counted over the ANT corpus (../shared/corpus/ant):

- **Heads.** A word that follows an organisation head (تنظيم داعش, حركة طالبان,
  قوات الحشد الشعبي) or a place head (قاعدة التنف) in a large share of all its
  occurrences is a name of that kind, even when it stands alone. Common nouns
  follow heads too (تنظيم الانتخابات) but only in a small share of their uses.
- **Tagger consistency.** A form the shipped NER tagger marks with one type in
  most of its occurrences (ترامب) is a name where the tagger hesitates.

The output is a derived table (form, type, evidence), not a copy of the corpus.
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable, Iterable

from marsad.io import read_paths
from marsad.nlp.kb import without_article, word_list
from marsad.text.tokens import tokenize

_SENTENCE_END = re.compile(r"[.!?؟\n]+")
_ARABIC = re.compile(r"[\u0621-\u064a]{3,}")


def heads() -> dict[str, str]:
    """Single-word heads (folded) and the entity type of the name they introduce."""
    out = {w: "LOC" for w in word_list("place_heads.txt") if " " not in w}
    out.update({w: "ORG" for w in word_list("org_descriptors.txt") if " " not in w})
    return out


def _stems(text: str) -> list[list[str]]:
    """Clitic-free folded words of each sentence-like stretch of ``text`` (punctuation dropped)."""
    out = []
    for part in _SENTENCE_END.split(text):
        words = [t.stem for t in tokenize(part) if _ARABIC.fullmatch(t.stem)]
        if words:
            out.append(words)
    return out


def _follower(words: list[str], i: int, demonyms: frozenset[str], stop: frozenset[str]) -> tuple[str, ...]:
    """The name candidate starting at ``i``: a definite noun with its definite adjective
    (الحشد الشعبي), or up to three words without the article (وول ستريت جورنال), the
    last of which may be definite (عين الأسد). Shorter prefixes are counted too."""
    def plain(w: str) -> bool:
        return not w.startswith("ال") and w not in stop and w not in demonyms

    first = words[i]
    if first.startswith("ال"):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if nxt.startswith("ال") and nxt not in demonyms and len(nxt) > 4:
            return first, nxt
        return (first,)
    j = i + 1
    while j < len(words) and j - i < 3 and plain(words[j]):
        j += 1
    # A construct may close on one definite word: عين الأسد, أهل الحق.
    if j < len(words) and j - i < 3 and words[j].startswith("ال") and words[j] not in demonyms and words[j] not in stop:
        j += 1
    return tuple(words[i:j])


def _other_definiteness(word: str) -> str:
    return word[2:] if word.startswith("ال") else "ال" + word


def _occurrences(texts: Iterable[str], forms: set[tuple[str, ...]]) -> Counter[tuple[str, ...]]:
    """How often each form occurs as a word sequence, wherever it stands."""
    counts: Counter[tuple[str, ...]] = Counter()
    longest = max((len(f) for f in forms), default=0)
    for text in texts:
        for words in _stems(text):
            for i in range(len(words)):
                for n in range(1, min(longest, len(words) - i) + 1):
                    if tuple(words[i : i + n]) in forms:
                        counts[tuple(words[i : i + n])] += 1
    return counts


def mine_heads(texts: Callable[[], Iterable[str]], demonyms: frozenset[str], stopwords: frozenset[str],
               min_count: int = 10, min_share: float = 0.3, min_share_definite: float = 0.6,
               min_heads: int = 2) -> list[tuple[str, str, int, float]]:
    """(form, type, count after a head, share of all occurrences) for names evidenced by heads.

    ``texts`` is called twice: once to find what follows heads, once to count those forms anywhere.
    """
    head_types = heads()
    after: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    head_words: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for text in texts():
        for words in _stems(text):
            for i in range(len(words) - 1):
                typ = head_types.get(words[i])
                if typ:
                    chain = _follower(words, i + 1, demonyms, stopwords)
                    for n in range(1, len(chain) + 1):
                        after[chain[:n]][typ] += 1
                        head_words[chain[:n]].add(words[i])
    seen = {form: sum(by_type.values()) for form, by_type in after.items()}
    superseded = {form[:n] for form, c in seen.items() for n in range(1, len(form)) if c >= 0.7 * seen[form[:n]]}
    candidates = {}
    for form, by_type in after.items():
        # A longer chain is kept only where it is the name itself (وول ستريت جورنال), not
        # one continuation among many (داعش يتبنى).
        if len(form) > 1 and sum(by_type.values()) < 0.7 * sum(after[form[:1]].values()):
            continue
        if form in superseded:
            continue
        typ, n = by_type.most_common(1)[0]
        if n < min_count or n < 0.8 * sum(by_type.values()):
            continue
        if any(w in stopwords or w in demonyms or w in head_types for w in form):
            continue
        # One head only marks a fixed compound (منطقة الجزاء, مجلس النواب), not a name that stands alone.
        if len(head_words[form]) < min_heads:
            continue
        if len(form) == 1 and not form[0].startswith("ال") and form[0].endswith("يه"):
            continue  # an indefinite nisba adjective (جماعة إرهابية)
        candidates[form] = (typ, n)
    alternates = {form: (_other_definiteness(form[0]),) for form in candidates if len(form) == 1}
    totals = _occurrences(texts(), set(candidates) | set(alternates.values()))
    out = []
    for form, (typ, n) in candidates.items():
        # A proper noun keeps or lacks the article for good (داعش, الحوثي); a common noun
        # alternates (أنباء / الأنباء, حظر / الحظر).
        # (A bare form of three letters is mostly another word: تنف, the verb, beside التنف.)
        if form in alternates and len(without_article(form[0])) > 3 and totals[alternates[form]] > 0.15 * totals[form]:
            continue
        share = n / max(totals[form], 1)
        # A definite word alone is the common noun of a construct far more often than a name
        # (مجلس الأمن); with its adjective it is more often a name (قوات الحشد الشعبي).
        definite_alone = len(form) == 1 and form[0].startswith("ال")
        if share < (min_share_definite if definite_alone else min_share):
            continue
        out.append((" ".join(form), typ, n, round(min(share, 1.0), 3)))
    return sorted(out, key=lambda r: (-r[2], r[0]))


def mine_tagged(texts: Iterable[str], tagger, stopwords: frozenset[str], demonyms: frozenset[str],
                min_count: int = 12, min_share: float = 0.6) -> list[tuple[str, str, int, float]]:
    """(form, type, times tagged, share of occurrences tagged) for forms the tagger names consistently."""
    from marsad.nlp.ner.conll import spans

    tagged: dict[str, Counter[str]] = defaultdict(Counter)
    sentences: list[list[str]] = []
    for text in texts:
        for part in _SENTENCE_END.split(text):
            toks = list(tokenize(part))[:200]
            if not toks:
                continue
            tags = tagger.tag([t.text for t in toks])
            sentences.append([t.stem for t in toks])
            for i, j, typ in spans(tags):
                form = " ".join([toks[i].stem] + [t.norm for t in toks[i + 1 : j]])
                tagged[form][typ] += 1
    wanted = {tuple(f.split()) for f, c in tagged.items() if sum(c.values()) >= min_count}
    occurrences: Counter[tuple[str, ...]] = Counter()
    longest = max((len(f) for f in wanted), default=0)
    for words in sentences:
        for i in range(len(words)):
            for n in range(1, min(longest, len(words) - i) + 1):
                gram = tuple(words[i : i + n])
                if gram in wanted:
                    occurrences[gram] += 1
    out = []
    for gram in wanted:
        form = " ".join(gram)
        typ, n = tagged[form].most_common(1)[0]
        share = n / max(occurrences[gram], 1)
        if n < 0.9 * sum(tagged[form].values()) or share < min_share:
            continue
        if len(form) < 3 or any(w in stopwords or not w.isalpha() for w in gram) or form in demonyms or not _ARABIC.search(form):
            continue
        out.append((form, typ, n, round(min(share, 1.0), 3)))
    return sorted(out, key=lambda r: (-r[2], r[0]))


def documents(corpus: Path, limit: int | None = None) -> Iterable[str]:
    for n, raw in enumerate(read_paths([str(corpus)])):
        if limit is not None and n >= limit:
            return
        if raw.text:
            yield raw.text


def build(corpus: Path, tag_limit: int = 3000) -> list[tuple[str, str, int, float, str]]:
    """The mined lexicon: head evidence over the whole corpus, tagger evidence over ``tag_limit`` documents."""
    from marsad.nlp.entities import function_words
    from marsad.nlp.kb import load
    from marsad.nlp.ner import default_tagger

    kb = load()
    demonyms = frozenset(kb.demonyms)
    stop = function_words()
    rows: dict[str, tuple[str, str, int, float, str]] = {}

    def keep(form: str, typ: str) -> bool:
        """Not a name the knowledge base gives another type (جدة is a city, whatever heads it)."""
        return all(rec["type"] == typ for rec in kb.lookup(form))

    for form, typ, n, share in mine_heads(lambda: documents(corpus), demonyms, stop):
        if keep(form, typ):
            rows[form] = (form, typ, n, share, "head")
    print(f"names: {len(rows)} forms from heads", file=sys.stderr)
    for form, typ, n, share in mine_tagged(documents(corpus, tag_limit), default_tagger(), stop, demonyms):
        if keep(form, typ):
            rows.setdefault(form, (form, typ, n, share, "tagger"))
    return sorted(rows.values(), key=lambda r: (r[4], -r[2], r[0]))


def write(rows, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# form\ttype\tcount\tshare\tevidence (built by `marsad build names`)"]
    lines += [f"{f}\t{t}\t{n}\t{s}\t{how}" for f, t, n, s, how in rows]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
