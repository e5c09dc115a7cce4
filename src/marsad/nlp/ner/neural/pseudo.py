"""Self-training data: unlabelled news articles tagged by a trained network.

ANERcorp is from 2007 and has 125k tokens; the ANT corpus is 2018 news with
the names and contexts the gold data lacks. A teacher network tags a sample
of its articles, labels are made consistent within each article (a name
found once is a name where it recurs), and a student learns from gold and
these silver sentences together.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from marsad.nlp.ner.consistency import propagate
from marsad.text.sentences import split_spans

# ANERcorp's tokens: words with their clitics, numbers, and each punctuation mark alone.
_TOKEN_RE = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")
_DOC_RE = re.compile(r"<DOC>(.*?)</DOC>", re.S)
_BLOCK_RE = re.compile(r"<(TITLE|TEXT)>(.*?)</\1>", re.S)
MIN_TOKENS, MAX_TOKENS = 3, 80


def articles(root: Path) -> list[str]:
    """Title and body text of every TREC <DOC> under ``root``, in file order."""
    out = []
    for path in sorted(root.rglob("*.txt")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        for doc in _DOC_RE.findall(raw):
            text = "\n".join(body.strip() for _, body in _BLOCK_RE.findall(doc))
            if text.strip():
                out.append(text)
    return out


def sentences(text: str) -> list[list[str]]:
    """An article's sentences as ANERcorp-style tokens; very short and very long ones are left out."""
    out = []
    for s, e in split_spans(text):
        tokens = _TOKEN_RE.findall(text[s:e])
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
