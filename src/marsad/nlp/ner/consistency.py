"""Label consistency across a document: a name the tagger marks once is a name where it recurs.

A tagger decides sentence by sentence and misses a name in a context it has
not learnt, though it found the same name a few sentences before. Here every
word sequence tagged as an entity in a window of sentences is tagged the same
way (its majority type) wherever it recurs untagged in that window, longest
first; where it is tagged with a type that fewer of its mentions have, it takes
the majority type too. A recurrence may carry a proclitic that the tagged mention lacked (و, ب,
ل, لل, ك, ف: وسورية after سورية); as in ANERcorp, the clitic stays inside the span. The window
stands for a document when a CoNLL file has no document marks; its size was chosen on AQMAR (out
of domain), never on ANERcorp test.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from marsad.nlp.ner.conll import spans
from marsad.text.normalize import fold
from marsad.text.tokens import segment

WINDOW = 256  # sentences


def _key(words: list[str]) -> tuple[str, ...]:
    return tuple(fold(w) or w for w in words)


def _without_proclitic(folded: str) -> str | None:
    """The word without its proclitics (وسورية → سورية, للعنابي → العنابي), if it had any and
    three letters or more remain: so that a name recurs with a conjunction or preposition."""
    prefix, stem = segment(folded)
    return stem if prefix and len(stem) >= 3 else None


def _propagate_window(sentences: list[list[str]], tags: list[list[str]]) -> list[list[str]]:
    votes: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for words, sent_tags in zip(sentences, tags):
        for i, j, typ in spans(sent_tags):
            votes[_key(words[i:j])][typ] += 1
    known = {
        k: c.most_common(1)[0][0]
        for k, c in votes.items()
        if sum(len(w) for w in k) >= 3 and not all(w.isdigit() for w in k)
    }
    longest = max((len(k) for k in known), default=0)
    out = []
    for words, sent_tags in zip(sentences, tags):
        new = list(sent_tags)
        for i, j, typ in spans(sent_tags):
            votes_here = votes[_key(words[i:j])]
            best, n = votes_here.most_common(1)[0]
            if n > votes_here[typ]:  # a strict majority: a tie keeps what the tagger said here
                new[i:j] = [f"B-{best}"] + [f"I-{best}"] * (j - i - 1)
        keys = _key(words)
        bare = [_without_proclitic(k) for k in keys]
        i = 0
        while i < len(words):
            for n in range(min(longest, len(words) - i), 0, -1):
                typ = known.get(keys[i : i + n]) or (bare[i] and known.get((bare[i], *keys[i + 1 : i + n])))
                if typ and all(t == "O" for t in new[i : i + n]) and (i + n == len(words) or not new[i + n].startswith("I-")):
                    new[i : i + n] = [f"B-{typ}"] + [f"I-{typ}"] * (n - 1)
                    i += n - 1
                    break
            i += 1
        out.append(new)
    return out


def propagate(sentences: list[list[str]], tags: list[list[str]], window: int = WINDOW) -> list[list[str]]:
    """``tags`` made consistent within each run of ``window`` sentences."""
    out: list[list[str]] = []
    for s in range(0, len(sentences), window):
        out += _propagate_window(sentences[s : s + window], tags[s : s + window])
    return out
