"""The shipped CRF tagger: load once, tag token lists."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import pycrfsuite

from marsad.nlp.ner.features import Featurizer, Resources

MODEL_NAME = "model.crfsuite"


def resource_dir() -> Path:
    return Path(str(resources.files("marsad.resources").joinpath("ner")))


class NerTagger:
    def __init__(self, folder: Path | None = None):
        folder = folder or resource_dir()
        model = folder / MODEL_NAME
        if not model.exists():
            raise FileNotFoundError(f"NER model missing: {model}; run `marsad train ner`")
        self.featurizer = Featurizer(Resources.load(folder))
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model))

    def tag(self, words: list[str]) -> list[str]:
        """IOB2 tags (PER, ORG, LOC, MISC) for one sentence's tokens."""
        if not words:
            return []
        return self._tagger.tag(self.featurizer.sentence(words))


@lru_cache(maxsize=1)
def default_tagger() -> NerTagger:
    return NerTagger()
