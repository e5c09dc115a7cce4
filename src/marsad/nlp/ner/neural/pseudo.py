"""Self-training data: unlabelled news articles tagged by a trained network.

ANERcorp is from 2007 and has 125k tokens; the ANT corpus is 2018 news with
the names and contexts the gold data lacks. A teacher network tags a sample
of its articles, labels are made consistent within each article (a name
found once is a name where it recurs), and a student learns from gold and
these silver sentences together.
"""

from __future__ import annotations

import random
from pathlib import Path

from marsad.io.trec import read_lines
from marsad.nlp.ner.clusters import TOKEN_RE
from marsad.nlp.ner.consistency import propagate
from marsad.text.sentences import split_spans

MIN_TOKENS, MAX_TOKENS = 3, 80


def articles(root: Path) -> list[str]:
    """Title and body text of every readable TREC <DOC> under ``root``, in file order."""
    out = []
    for path in sorted(root.rglob("*.txt")):
        with path.open(encoding="utf-8", errors="replace") as fh:
            for doc in read_lines(fh, str(path)):
                if doc.error is None and doc.text and doc.text.strip():
                    out.append("\n".join(part for part in (doc.title, doc.text) if part))
    return out


def sentences(text: str) -> list[list[str]]:
    """An article's sentences as ANERcorp-style tokens; very short and very long ones are left out."""
    out = []
    for s, e in split_spans(text):
        tokens = TOKEN_RE.findall(text[s:e])
        if MIN_TOKENS <= len(tokens) <= MAX_TOKENS:
            out.append(tokens)
    return out


def sample(root: Path, n_docs: int, seed: int = 0) -> list[list[list[str]]]:
    """``n_docs`` articles drawn with ``seed``, each as its sentences."""
    docs = articles(root)
    random.Random(seed).shuffle(docs)
    return [s for s in (sentences(d) for d in docs[:n_docs]) if s]


def label(tagger, docs: list[list[list[str]]]) -> list[tuple[list[str], list[str]]]:
    """(tokens, tags) of every sentence, tagged by ``tagger`` and made consistent per article."""
    out = []
    for sents in docs:
        tags = propagate(sents, tagger.tag_many(sents), window=len(sents))
        out += list(zip(sents, tags))
    return out
