"""Named-entity recognition (PER, ORG, LOC, MISC): a CRF over word, clitic,
cluster and name-list features, trained on ANERcorp by ``marsad train ner``."""

from __future__ import annotations

import re
from functools import lru_cache

from marsad.model import Document, Mention, Token
from marsad.nlp.ner.conll import spans
from marsad.nlp.ner.tagger import NerTagger
from marsad.nlp.ner.tagger import default_tagger as crf_tagger
from marsad.text.normalize import fold
from marsad.text.tokens import skip_letters, strip_proclitics

__all__ = ["TAGGERS", "NerTagger", "create", "default_tagger", "mentions"]

_LOWERCASE_LATIN = re.compile(r"[a-z][a-z0-9 .\-_=]*")


TAGGERS = ("accurate", "fast", "crf")


@lru_cache(maxsize=None)
def default_tagger(kind: str = "accurate"):
    """The shipped tagger of a kind (``TAGGERS``).

    accurate: the merged BiLSTM-CRF networks (``marsad train ner --neural``) when shipped, else
    the CRF; fast: their student distilled for speed (``marsad.nlp.ner.neural.distill``);
    crf: the CRF (``marsad train ner``).
    """
    if kind == "crf":
        return crf_tagger()
    if kind == "fast":
        from marsad.nlp.ner.neural.fast import default_fast_tagger

        return default_fast_tagger()
    if kind != "accurate":
        raise ValueError(f"unknown NER tagger {kind!r}: choose one of {', '.join(TAGGERS)}")
    from marsad.nlp.ner.neural import default_neural_tagger, has_model

    return default_neural_tagger() if has_model() else crf_tagger()


def mentions(text: str, tokens: list[Token], tags: list[str], tagger: NerTagger) -> list[Mention]:
    """Mentions for tagged tokens, with the first token's proclitics left outside.

    A word the name lists know whole keeps its first letters: فيصل is a name,
    not ف + يصل, whatever the general-purpose segmenter says. Nor is ك ("like")
    split off a name: of the names in ANERcorp train that the segmenter splits
    so, all but two begin with the letter (كوفي, كابل, كاليفورنيا).
    """
    out = []
    for i, j, typ in spans(tags):
        first, last = tokens[i], tokens[j - 1]
        prefix = first.prefix[:-1] if first.prefix.endswith("ك") else first.prefix
        strip = bool(prefix) and not tagger.featurizer.is_name(first.norm)
        start = first.start
        if strip:
            start = first.stem_start if prefix == first.prefix else skip_letters(text, first.start, first.end, len(prefix))
        quoted = text[start : last.end]
        if strip and first.prefix.endswith("لل"):
            # The elided alef of the article comes back in the quoted text.
            quoted = strip_proclitics(first.text)[1] + text[first.end : last.end]
        if not fold(quoted).strip() or _LOWERCASE_LATIN.fullmatch(quoted):
            # A stray diacritic is no name, nor are lower-case Latin words in Arabic text:
            # code, markup or common words (BBC, CNN stay).
            continue
        out.append(Mention(start, last.end, quoted, typ, source="ner"))
    return out


def create(tagger: str = "accurate"):
    """The NER component; ``tagger``: which shipped tagger (``TAGGERS``) the pipeline uses."""
    tagger = default_tagger(tagger)
    tag_many = getattr(tagger, "tag_many", None)
    # A tagger whose character model reads the neighbouring sentences tags each sentence within its
    # document: its tags are kept by (document, words) rather than by words alone.
    in_context = bool(getattr(getattr(tagger, "encoder", None), "char_context", 0))
    ready: dict = {}
    positions: dict[int, int] = {}  # id of a prepared document -> its place in the batch

    def prepare(docs: list[Document]) -> None:
        # The neural tagger runs fastest on many sentences at once; the CRF has no batch mode.
        ready.clear()
        positions.clear()
        if tag_many is None:
            return
        if in_context:
            positions.update((id(d), k) for k, d in enumerate(docs))
            rows = [(k, tuple(t.text for t in s.tokens)) for k, d in enumerate(docs) for s in d.sentences if s.tokens]
            ready.update(zip(rows, tag_many([list(words) for _, words in rows], documents=[k for k, _ in rows])))
        else:
            sents = list(dict.fromkeys(tuple(t.text for t in s.tokens) for d in docs for s in d.sentences if s.tokens))
            ready.update(zip(sents, tag_many([list(s) for s in sents])))

    def ner(doc: Document) -> Document:
        if in_context and id(doc) not in positions:
            prepare([doc])
        for sent in doc.sentences:
            if sent.tokens:
                words = tuple(t.text for t in sent.tokens)
                tags = ready.get((positions[id(doc)], words) if in_context else words) or tagger.tag(list(words))
                doc.mentions.extend(mentions(doc.text, sent.tokens, tags, tagger))
        return doc

    ner.prepare = prepare
    return ner
