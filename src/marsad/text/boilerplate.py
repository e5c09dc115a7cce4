"""Boilerplate removal from already-scraped article text.

Each line is classified from the UI-phrase lexicon (resources/boilerplate.json),
its shape (words, punctuation, share of Arabic letters, trailing ellipsis) and
its position: the *top zone* lies before the first body paragraph, the *bottom
zone* after the last one. A body paragraph is a long Arabic line that reads as
prose, so a sentence that merely contains a UI word is never dropped.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from marsad.text.normalize import arabic_ratio, fold

_SEPARATOR = re.compile(r"^[\s\-_=*~—–•·.#+|]+$")
_BASE64 = re.compile(r"(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{16,}={0,2}(?![A-Za-z0-9+/=])")
_CRUMB_SPLIT = re.compile(r"\s+(?:/|»|›|>|\||\\|«)\s+")
_NON_KEY = re.compile(r"[^\w©\s]|_")
_SPACES = re.compile(r"\s+")
_PUNCT = set(".,،؛;:!?؟«»\"“”„()[]-–—'")
_END_PUNCT = (".", "!", "؟", "?", ":", "»", '"', "”", ")", "؛")
_ELLIPSIS = ("…", "...", "[…]", "…]")
TEASER_MAX_WORDS = 40  # a longer line ending in an ellipsis is prose
_DIGIT = re.compile(r"[0-9٠-٩]")

BODY_MIN_WORDS = 12  # a prose paragraph ending in sentence punctuation
BODY_LONG_WORDS = 25  # a paragraph this long is prose even without final stop
SHORT_PREFIX_WORDS = 20  # a prefix phrase only marks lines up to this length
TEASER_MAX_LINES = 12  # teaser lines taken after one related-articles header
LABEL_MAX_WORDS = 3  # masthead and section labels above the headline
TAGLINE_MAX_WORDS = 5  # site taglines trailing the article


def phrase_key(text: str) -> str:
    """Matching key of a line or phrase: folded, punctuation turned to spaces."""
    return _SPACES.sub(" ", _NON_KEY.sub(" ", fold(text))).strip()


def has_phrase(key: str, phrases: tuple[str, ...]) -> bool:
    """Whether the keyed text ``key`` holds one of the keyed ``phrases`` as whole words."""
    padded = f" {key} "
    return any(f" {p} " in padded for p in phrases)


@dataclass(frozen=True)
class _Lexicon:
    exact: frozenset[str]
    related: frozenset[str]
    prefix: tuple[str, ...]
    comment: frozenset[str]
    about: tuple[str, ...]
    disclaimer: tuple[str, ...]
    home: frozenset[str]
    latin: frozenset[str]


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    data = json.loads(resources.files("marsad.resources").joinpath("boilerplate.json").read_text("utf-8"))
    keys = {name: [phrase_key(p) for p in phrases] for name, phrases in data.items() if name != "description"}
    return _Lexicon(
        exact=frozenset(keys["exact"]),
        related=frozenset(keys["related"]),
        prefix=tuple(sorted(set(keys["prefix"]), key=len, reverse=True)),
        comment=frozenset(keys["comment"]),
        about=tuple(sorted(set(keys["about"]), key=len, reverse=True)),
        disclaimer=tuple(keys["disclaimer"]),
        home=frozenset(keys["home"]),
        latin=frozenset(keys["latin"]),
    )


@dataclass
class _Line:
    text: str  # stripped line, a substring of the body
    key: str
    words: int
    arabic: float
    has_latin: bool
    has_punct: bool
    end_punct: bool
    ellipsis: bool
    removed: bool = False

    @property
    def prose(self) -> bool:
        """Reads as a body paragraph."""
        if self.removed or self.ellipsis or self.arabic < 0.5 or self.words < BODY_MIN_WORDS:
            return False
        return self.end_punct or self.words >= BODY_LONG_WORDS

    @property
    def latin_only(self) -> bool:
        return self.has_latin and self.arabic == 0.0


def _line(raw: str) -> _Line:
    text = raw.strip()
    return _Line(
        text=text,
        key=phrase_key(text),
        words=len(text.split()),
        arabic=arabic_ratio(text),
        has_latin=bool(re.search(r"[A-Za-z]", text)),
        has_punct=any(ch in _PUNCT for ch in text),
        end_punct=text.rstrip("… ").endswith(_END_PUNCT),
        ellipsis=text.endswith(_ELLIPSIS) and len(text.split()) <= TEASER_MAX_WORDS,
    )


def _tracking_tokens(line: str) -> list[re.Match[str]]:
    """Base64 blobs (tracking ids) that decode to printable ASCII."""
    found = []
    for m in _BASE64.finditer(line):
        token = m.group(0)
        if len(token) % 4 or not (re.search(r"[a-z]", token) and re.search(r"[A-Z0-9]", token)):
            continue
        try:
            decoded = base64.b64decode(token, validate=True)
        except (binascii.Error, ValueError):
            continue
        if decoded and all(32 <= b < 127 for b in decoded):
            found.append(m)
    return found


def _is_breadcrumb(line: _Line, lex: _Lexicon) -> bool:
    parts = _CRUMB_SPLIT.split(line.text)
    if len(parts) < 2:
        return False
    if phrase_key(parts[0]) in lex.home:
        return True
    return len(parts) >= 3 and all(0 < len(p.split()) <= 4 for p in parts[:-1]) and not line.end_punct


def _starts_with(key: str, phrases: tuple[str, ...]) -> str | None:
    for p in phrases:
        if key == p or key.startswith(p + " "):
            return p
    return None


def _is_site_footer(lines: list[_Line], i: int) -> bool:
    """Line ``i`` heads the last paragraph, which names the site again (its "about" blurb)."""
    after = [ln for ln in lines[i + 1 :] if ln.text]
    if not after or any(ln.prose for ln in after[1:]):
        return False
    return bool(set(lines[i].key.split()[1:]) & set(after[0].key.split()))


def _mark_lexical(lines: list[_Line], lex: _Lexicon) -> int | None:
    """Mark lines that the lexicon alone condemns; return the index of a comment-form header."""
    comment_at = None
    teasers = 0
    for i, ln in enumerate(lines):
        if not ln.text or ln.removed:
            continue
        key = ln.key
        if _SEPARATOR.match(ln.text) or _is_breadcrumb(ln, lex):
            ln.removed = True
        elif key in lex.related:
            ln.removed = True
            teasers = TEASER_MAX_LINES
            continue
        elif key in lex.comment and comment_at is None:
            ln.removed = True
            comment_at = i
        elif key in lex.exact or (ln.latin_only and key in lex.latin):
            ln.removed = True
        elif ln.words <= SHORT_PREFIX_WORDS and not ln.prose and _starts_with(key, lex.prefix):
            ln.removed = True
        elif ln.words <= 8 and not ln.end_punct and _starts_with(key, lex.about) and _is_site_footer(lines, i):
            # "عن شبكة ..." footer: the header and the site description under it.
            ln.removed = True
            next(x for x in lines[i + 1 :] if x.text).removed = True
        elif teasers and not ln.prose:
            ln.removed = True
            teasers -= 1
            continue
        # A teaser list runs up to the next body paragraph or other boilerplate.
        teasers = 0
    return comment_at


def _mark_trailing_disclaimers(lines: list[_Line], lex: _Lexicon) -> None:
    """Comment-policy, opinion and copyright notices at the very end, however long."""
    for ln in reversed(lines):
        if not ln.text or ln.removed:
            continue
        if not has_phrase(ln.key, lex.disclaimer):
            return
        ln.removed = True


def _mark_positional(lines: list[_Line], title: str | None, comment_at: int | None) -> None:
    kept = [i for i, ln in enumerate(lines) if ln.text and not ln.removed]
    body = [i for i in kept if lines[i].prose]
    if comment_at is not None and (not body or comment_at > body[-1]):
        for ln in lines[comment_at:]:
            ln.removed = ln.removed or bool(ln.text)
        kept = [i for i in kept if i < comment_at]
    if not body:
        return
    first, last = body[0], body[-1]
    top = [i for i in kept if i < first]
    for n, i in enumerate(top):
        ln = lines[i]
        later_headline = any(lines[j].words > LABEL_MAX_WORDS and not lines[j].latin_only for j in top[n + 1 :])
        if ln.latin_only or (
            later_headline and ln.words <= LABEL_MAX_WORDS and not ln.has_punct and not _DIGIT.search(ln.text)
        ):
            ln.removed = True
    # Under the article, teasers ending in "…" follow other boilerplate.
    after_boilerplate = False
    for ln in lines[last + 1 :]:
        if ln.text and not ln.removed and (ln.latin_only or (ln.ellipsis and after_boilerplate)):
            ln.removed = True
        after_boilerplate = after_boilerplate or ln.removed
    for i in reversed([i for i in kept if i > last and not lines[i].removed]):
        ln = lines[i]
        if ln.words > TAGLINE_MAX_WORDS or ln.has_punct or _DIGIT.search(ln.text):
            break
        ln.removed = True
    # Repeated headlines: a non-prose line equal to the title, or to an earlier line above the body.
    title_key = phrase_key(title) if title else None
    seen: set[str] = set()
    for i in kept:
        ln = lines[i]
        if ln.removed or ln.prose or not ln.key:
            continue
        if ln.key == title_key or (i < first and ln.key in seen):
            ln.removed = True
        seen.add(ln.key)


def remove(body: str, title: str | None = None) -> tuple[str, list[str]]:
    """(kept text, removed pieces verbatim) for a scraped article body.

    Removed lines are left empty, so paragraph breaks survive; a tracking token
    inside a line is cut out of it alone.
    """
    lex = lexicon()
    raw_lines = body.split("\n")
    lines = [_line(raw) for raw in raw_lines]
    removed: dict[int, list[str]] = {}
    arabic_doc = arabic_ratio(body) >= 0.5
    for i, ln in enumerate(lines):
        tokens = _tracking_tokens(ln.text)
        if tokens:
            removed[i] = [m.group(0) for m in tokens]
            for m in reversed(tokens):
                ln.text = ln.text[: m.start()] + ln.text[m.end() :]
            lines[i] = _line(_SPACES.sub(" ", ln.text))
    comment_at = _mark_lexical(lines, lex)
    _mark_trailing_disclaimers(lines, lex)
    if arabic_doc:
        _mark_positional(lines, title, comment_at)
    out, pieces = [], []
    for i, (raw, ln) in enumerate(zip(raw_lines, lines)):
        if ln.removed:
            pieces.append(raw.strip())  # whole line, tracking tokens included
            out.append("")
        else:
            pieces.extend(removed.get(i, []))
            out.append(ln.text if i in removed else raw)
    return "\n".join(out), [p for p in pieces if p]
