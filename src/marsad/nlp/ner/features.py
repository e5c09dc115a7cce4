"""Token features for the CRF tagger.

Everything that depends on a word alone (its folded form, clitics, affixes,
clusters, name-list membership, trigger class) is computed once per distinct
surface form and cached, already prefixed for each window position, so that
tagging a sentence is mostly list concatenation. Only the multi-word name-list
matches are computed per sentence.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from marsad.text.normalize import fold
from marsad.text.tokens import PREFIXES_BY_LETTER

_ARTICLE = "ال"
_NISBA = ("يين", "يون", "يان", "يه", "ي")
_MAX_PHRASE = 5
WINDOW = (-2, -1, 1, 2)
_LENGTHS = ["len=" + str(n) for n in range(11)]


@dataclass
class Resources:
    """The tables the features read: corpus clusters, name lists, trigger words."""

    clusters: dict[str, tuple[int, str, str, str]]  # word -> (freq, fine, mid, coarse)
    gaz_tokens: dict[str, frozenset[str]]  # word -> name-list types it is part of
    gaz_phrases: dict[str, frozenset[str]]  # multi-word phrase -> types
    triggers: dict[str, str]  # bare word -> trigger class

    @classmethod
    def load(cls, folder: Path) -> "Resources":
        # Read whole and split at once: loading is part of every tagger's start-up.
        clusters: dict[str, tuple[int, str, str, str]] = {}
        for line in _gzip_lines(folder / "clusters.tsv.gz"):
            w, f, a, b, c = line.split("\t")
            clusters[w] = (int(f), a, b, c)
        tokens: dict[str, set[str]] = {}
        phrases: dict[str, set[str]] = {}
        for line in _gzip_lines(folder / "gazetteers.tsv.gz"):
            typ, _, phrase = line.partition("\t")
            words = phrase.split()
            # A word of a longer name is weaker evidence than a one-word entry.
            tag = typ if len(words) == 1 else typ + "-part"
            for w in words:
                if len(w) >= 2:  # single letters are split-off clitics in the lists
                    tokens.setdefault(w, set()).add(tag)
            if len(words) > 1:
                phrases.setdefault(phrase, set()).add(typ)
        triggers: dict[str, str] = {}
        with (folder / "triggers.tsv").open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip() and not line.startswith("#"):
                    cls_, _, word = line.rstrip("\n").partition("\t")
                    triggers.setdefault(fold(word), cls_)
        return cls(
            clusters,
            {w: frozenset(t) for w, t in tokens.items()},
            {p: frozenset(t) for p, t in phrases.items()},
            triggers,
        )


def _gzip_lines(path: Path) -> list[str]:
    """The lines of a gzipped UTF-8 text file, without their line ends."""
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    return text.removesuffix("\n").split("\n") if text else []


class Featurizer:
    def __init__(self, res: Resources):
        self.res = res
        self._cache: dict[str, tuple[str, list[str], dict[int, list[str]]]] = {}
        # Words that start a multi-word name: elsewhere no phrase lookup is needed.
        self.phrase_heads = frozenset(p.split(" ", 1)[0] for p in res.gaz_phrases)

    def freq(self, word: str) -> int:
        entry = self.res.clusters.get(word)
        return entry[0] if entry else 0

    def is_name(self, norm: str) -> bool:
        """Is the folded word a one-word entry of a name list (فيصل, not ف + يصل)?"""
        return any(t in ("PER", "LOC", "ACT") for t in self.res.gaz_tokens.get(norm, ()))

    def split(self, norm: str) -> tuple[str, str]:
        """(proclitics, stem) of a folded word; stem keeps the article.

        Uses the cluster table's corpus frequencies rather than the shared
        lexicon so that the features, and the model trained on them, depend
        only on this package's own resources.
        """
        if len(norm) < 3 or not ("\u0621" <= norm[0] <= "\u064a"):
            return "", norm
        whole = None
        for prefix in PREFIXES_BY_LETTER.get(norm[0], ()):
            if not norm.startswith(prefix):
                continue
            stem = norm[len(prefix) :]
            if prefix.endswith("لل"):
                stem = _ARTICLE + stem
                if len(stem) >= 4:
                    return prefix, stem
                continue
            if len(stem) >= 4 and stem.startswith(_ARTICLE):
                return prefix, stem
            if len(stem) >= 3:
                if whole is None:
                    whole = self.freq(norm)
                if self.freq(stem) >= 2 * whole + 1:
                    return prefix, stem
        return "", norm

    def _word(self, surface: str) -> tuple[str, list[str], dict[int, list[str]]]:
        hit = self._cache.get(surface)
        if hit is None:
            hit = self.word(surface)
            if len(self._cache) < 500_000:
                self._cache[surface] = hit
        return hit

    def word(self, surface: str, lexical: bool = True, folded: str | None = None) -> tuple[str, list[str], dict[int, list[str]]]:
        """(stem, features at position 0, features by window offset) of one word, uncached.

        ``lexical=False`` leaves out the features that spell the word (its form, stem and
        affixes) and the window features, for a reader that has the word's vector and
        characters (the neural tagger): the others come out the same, in the same order.
        ``folded`` is ``fold(surface) or surface`` where the caller has it already.
        """
        res = self.res
        clusters, gaz_tokens, triggers = res.clusters.get, res.gaz_tokens.get, res.triggers.get
        w = folded or fold(surface) or surface
        prefix, stem = self.split(w)
        bare = stem[2:] if len(stem) >= 4 and stem.startswith(_ARTICLE) else stem
        first = w[0]
        if first.isdigit():
            shape = "num"
        elif "\u0621" <= first <= "\u06ff":
            shape = "ar"
        elif first.isalpha():
            shape = "lat"
        else:
            shape = "punct"
        cl_w, cl_stem = clusters(w), clusters(stem) or clusters(bare)
        cl = cl_w or cl_stem
        gaz = gaz_tokens(stem) or gaz_tokens(bare) or gaz_tokens(w) or frozenset()
        trig = triggers(bare) or triggers(stem) or triggers(w)
        cl_s = clusters(stem) if stem != w else None
        f = (cl_w[0] if cl_w else 0) + (cl_s[0] if cl_s else 0)
        core = ["w=" + w, "b=" + bare] if lexical else []
        core += ["p=" + prefix, "sh=" + shape, "al=True" if stem.startswith(_ARTICLE) else "al=False"]
        if lexical:
            core += ["s1=" + bare[-1:], "s2=" + bare[-2:], "s3=" + bare[-3:], "p2=" + bare[:2], "p3=" + bare[:3]]
        # floor(log2(f + 1)), exactly.
        core += [_LENGTHS[min(len(bare), 10)], "fq=" + str((f + 1).bit_length() - 1)]
        if lexical and stem != w:
            core.append("s=" + stem)
        if cl:
            core += ["c1=" + cl[1], "c2=" + cl[2], "c3=" + cl[3]]
        else:
            core.append("c=none")
        if cl_stem and cl_stem is not cl:
            core += ["sc1=" + cl_stem[1], "sc2=" + cl_stem[2]]
        if gaz:
            core += ["g=" + t for t in sorted(gaz)]
        if trig:
            core.append("t=" + trig)
        # Share of the word's corpus uses that carry the article: names mostly
        # never take it (بغداد) or always do (الخرطوم); common nouns vary.
        with_al, without = clusters(_ARTICLE + bare), clusters(bare)
        with_al, without = with_al[0] if with_al else 0, without[0] if without else 0
        if with_al + without >= 5:
            core.append("alr=" + str(round(4 * with_al / (with_al + without))))
        nisba = self._nisba(bare)
        if nisba:
            core.append("nisba=LOC")
        if not lexical:
            return stem, core, {}
        ctx_keys = ["w=" + w, "b=" + bare, "g=" + ",".join(sorted(gaz)), "t=" + (trig or "")]
        if cl:
            ctx_keys += ["c2=" + cl[2], "c3=" + cl[3]]
        near = ctx_keys + ["p=" + prefix] + (["c1=" + cl[1]] if cl else []) + (["nisba"] if nisba else [])
        by_offset = {o: [f"{o}:{k}" for k in (near if abs(o) == 1 else ctx_keys)] for o in WINDOW}
        return stem, core, by_offset

    def _nisba(self, bare: str) -> bool:
        """Is ``bare`` a relative adjective of a known place (مصري ← مصر, الأمريكية ← أمريكا)?"""
        for suffix in _NISBA:
            if bare.endswith(suffix) and len(bare) - len(suffix) >= 2:
                root = bare[: -len(suffix)]
                for cand in (root, root + "ا", root + "ه"):
                    types = self.res.gaz_tokens.get(cand)
                    if types and ("LOC" in types or "LOC-part" in types):
                        return True
                return False
        return False

    def sentence(self, words: list[str]) -> list[list[str]]:
        n = len(words)
        info = [self._word(w) for w in words]
        feats: list[list[str]] = []
        for i, (_, core, _) in enumerate(info):
            f = list(core)
            f.append("bi-=" + (info[i - 1][0] if i else "^") + "|" + info[i][0])
            f.append("bi+=" + info[i][0] + "|" + (info[i + 1][0] if i + 1 < n else "$"))
            for o in WINDOW:
                j = i + o
                if 0 <= j < n:
                    f += info[j][2][o]
                else:
                    f.append(f"{o}:BOS" if j < 0 else f"{o}:EOS")
            feats.append(f)
        self.phrases([x[0] for x in info], feats)
        return feats

    def phrases(self, stems: list[str], feats: list[list[str]]) -> None:
        """Mark longest multi-word name-list matches (B-/I- by type)."""
        heads = self.phrase_heads
        for j, feature in self.phrase_marks(stems, [i for i, s in enumerate(stems) if s in heads]):
            feats[j].append(feature)

    def phrase_marks(self, stems: list[str], at: list[int]) -> Iterator[tuple[int, str]]:
        """(position, ``gp=`` feature) of the ``phrase_matches`` tried at ``at``: B- at a match's
        first word and I- at the others, for each of its types."""
        for i, length, types in self.phrase_matches(stems, at):
            for t in sorted(types):
                yield i, "gp=B-" + t
                for k in range(i + 1, i + length):
                    yield k, "gp=I-" + t

    def phrase_matches(self, stems: list[str], at: list[int]) -> Iterator[tuple[int, int, frozenset[str]]]:
        """(start, length, types) of the longest multi-word name-list matches in a sentence's
        stems, left to right, tried at the positions ``at`` (ascending; where a ``phrase_heads``
        word stands, elsewhere none can begin)."""
        phrases = self.res.gaz_phrases
        n, free = len(stems), 0
        for i in at:
            if i < free:
                continue
            for length in range(min(_MAX_PHRASE, n - i), 1, -1):
                types = phrases.get(" ".join(stems[i : i + length]))
                if types:
                    yield i, length, types
                    free = i + length
                    break
