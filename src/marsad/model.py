"""Typed data model of an analysed document and its contract serialisation.

Every offset is a Python ``str`` index into ``Document.text`` (end exclusive).
``Document.to_contract()`` produces exactly the object that ``marsad analyze
--format jsonl`` prints (see ../shared/CONTRACT.md); extra fields are allowed,
contract fields are never renamed or dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional


@dataclass(slots=True)
class Span:
    start: int
    end: int

    def to_contract(self) -> dict[str, int]:
        return {"start": self.start, "end": self.end}


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    norm: str  # normalised form used for matching
    prefix: str = ""  # proclitics split off (normalised), e.g. "وال"
    stem: str = ""  # normalised token without clitics
    suffix: str = ""  # enclitic pronoun, normalised
    stem_start: int = 0  # offset of the stem in the document text
    stem_end: int = 0


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    tokens: list[Token] = field(default_factory=list)


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    type: str  # PER | ORG | LOC | MISC
    entity: Optional[str] = None  # id of the entity this mention belongs to
    source: str = "ner"  # which component found it

    def to_contract(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True)
class Entity:
    id: str
    type: str
    name: str
    mentions: list[Mention] = field(default_factory=list)
    name_en: Optional[str] = None
    kb_id: Optional[str] = None
    aliases: list[str] = field(default_factory=list)

    def to_contract(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "name_en": self.name_en,
            "kb_id": self.kb_id,
            "mentions": [m.to_contract() for m in self.mentions],
        }
        if self.aliases:
            out["aliases"] = self.aliases
        return out


@dataclass(slots=True)
class TextSpan:
    start: int
    end: int
    text: str

    def to_contract(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True)
class TimeExpression:
    start: int
    end: int
    text: str
    value: Optional[str]  # YYYY, YYYY-MM or YYYY-MM-DD
    relative: bool = False
    calendar: str = "gregorian"
    month: Optional[int] = None  # when only day and month are known (no year to anchor a value)
    day: Optional[int] = None

    def to_contract(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "value": self.value,
            "relative": self.relative,
        }
        if self.calendar != "gregorian":
            out["calendar"] = self.calendar
        if self.value is None and self.month is not None:
            out["month"], out["day"] = self.month, self.day
        return out


@dataclass(slots=True)
class EventDate:
    text: Optional[str] = None
    value: Optional[str] = None

    def to_contract(self) -> dict[str, Any]:
        return {"text": self.text, "value": self.value}


@dataclass(slots=True)
class Event:
    id: str
    type: str  # one of PLOVER's 16 event types
    trigger: TextSpan
    sentence: Span
    mode: Optional[str] = None
    actor: Optional[str] = None
    target: Optional[str] = None
    location: Optional[str] = None
    date: EventDate = field(default_factory=EventDate)
    claim: Optional[str] = None
    context: list[str] = field(default_factory=list)

    def to_contract(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "mode": self.mode,
            "actor": self.actor,
            "target": self.target,
            "location": self.location,
            "trigger": self.trigger.to_contract(),
            "sentence": self.sentence.to_contract(),
            "date": self.date.to_contract(),
            "claim": self.claim,
        }
        if self.context:
            out["context"] = self.context
        return out


SOURCE_KINDS = (
    "named_outlet",
    "named_person",
    "named_org",
    "official_unnamed",
    "anonymous",
    "anonymous_affiliated",
)


@dataclass(slots=True)
class Source:
    text: str
    kind: str  # one of SOURCE_KINDS
    entity: Optional[str] = None
    start: Optional[int] = None
    end: Optional[int] = None

    def to_contract(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "entity": self.entity, "kind": self.kind}
        if self.start is not None:
            out["start"], out["end"] = self.start, self.end
        return out


@dataclass(slots=True)
class Quote:
    kind: str  # direct | indirect
    start: int
    end: int
    speaker: Optional[str] = None  # entity id

    def to_contract(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "start": self.start, "end": self.end}
        if self.speaker is not None:
            out["speaker"] = self.speaker
        return out


@dataclass(slots=True)
class Claim:
    id: str
    sentence: Span
    sources: list[Source] = field(default_factory=list)
    cue: Optional[TextSpan] = None
    quote: Optional[Quote] = None

    def to_contract(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "sentence": self.sentence.to_contract(),
            "sources": [s.to_contract() for s in self.sources],
            "cue": self.cue.to_contract() if self.cue else None,
            "quote": self.quote.to_contract() if self.quote else None,
        }


@dataclass(slots=True)
class Hop:
    text: str
    entity: Optional[str] = None

    def to_contract(self) -> dict[str, Any]:
        return {"text": self.text, "entity": self.entity}


@dataclass(slots=True)
class Chain:
    hops: list[Hop]
    event: Optional[str] = None

    def to_contract(self) -> dict[str, Any]:
        return {"hops": [h.to_contract() for h in self.hops], "event": self.event}


@dataclass(slots=True)
class FramingMarker:
    start: int
    end: int
    text: str
    term: str
    side: str

    def to_contract(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "term": self.term, "side": self.side}


@dataclass(slots=True)
class DocumentError:
    code: str
    message: str

    def to_contract(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass
class Document:
    """A news document as it flows through the pipeline."""

    id: str
    path: str
    text: str = ""
    title: Optional[str] = None
    published: Optional[str] = None
    outlet: Optional[str] = None
    author: Optional[str] = None
    genre: Optional[str] = None
    url: Optional[str] = None
    language: Optional[str] = None
    removed: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    dates: list[TimeExpression] = field(default_factory=list)
    chains: list[Chain] = field(default_factory=list)
    framing: list[FramingMarker] = field(default_factory=list)
    error: Optional[DocumentError] = None
    # Raw input as read, before cleaning; not serialised.
    raw_text: str = field(default="", repr=False)
    meta: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def tokens(self) -> list[Token]:
        return [t for s in self.sentences for t in s.tokens]

    def entity(self, entity_id: Optional[str]) -> Optional[Entity]:
        if entity_id is None:
            return None
        for e in self.entities:
            if e.id == entity_id:
                return e
        return None

    def to_contract(self) -> dict[str, Any]:
        if self.error is not None and not self.text:
            return {"id": self.id, "path": self.path, "error": self.error.to_contract()}
        out: dict[str, Any] = {
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "published": self.published,
            "outlet": self.outlet,
            "genre": self.genre,
            "text": self.text,
            "removed": list(self.removed),
            "entities": [e.to_contract() for e in self.entities],
            "events": [e.to_contract() for e in self.events],
            "claims": [c.to_contract() for c in self.claims],
            "dates": [d.to_contract() for d in self.dates],
            "chains": [c.to_contract() for c in self.chains],
            # Additions beyond the contract's required fields.
            "author": self.author,
            "url": self.url,
            "language": self.language,
            "quotes": [q.to_contract() for q in self.quotes],
            "framing": [f.to_contract() for f in self.framing],
        }
        if self.error is not None:
            out["error"] = self.error.to_contract()
        return out
