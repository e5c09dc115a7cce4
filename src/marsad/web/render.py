"""Server-side highlighting of a document's text from the offsets of its analysis.

Every piece of text goes through ``markupsafe.escape``; only the tags built here
are markup. Annotations may overlap or cross: the text is cut at every boundary
and the open tags are closed and reopened as needed, so the output always nests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Layer:
    start: int
    end: int
    tag: str  # "span" or "a"
    classes: str
    attrs: tuple[tuple[str, str], ...] = field(default=())
    rank: int = 0  # lower ranks open outside higher ones when both cover the same text

    def open(self) -> str:
        attrs = "".join(f' {k}="{escape(v)}"' for k, v in self.attrs)
        return f'<{self.tag} class="{escape(self.classes)}"{attrs}>'

    def close(self) -> str:
        return f"</{self.tag}>"


def entity_url(key: str) -> str:
    return "/entities/" + quote(key, safe="")


def document_layers(doc: dict, entity_keys: dict[str, str]) -> list[Layer]:
    """The annotation layers of a contract document; ``entity_keys`` maps its local entity ids to corpus keys."""
    text_len = len(doc.get("text") or "")
    layers: list[Layer] = []

    def add(start, end, tag, classes, attrs=(), rank=0):
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= text_len:
            layers.append(Layer(start, end, tag, classes, tuple(attrs), rank))

    for claim in doc.get("claims") or []:
        sentence = claim.get("sentence") or {}
        kinds = " ".join(s.get("kind", "") for s in claim.get("sources") or [])
        add(sentence.get("start"), sentence.get("end"), "span", "claim",
            [("id", f"claim-{claim.get('id')}"), ("title", kinds)], rank=0)
        quote_ = claim.get("quote") or {}
        add(quote_.get("start"), quote_.get("end"), "span", f"quote quote-{quote_.get('kind')}", rank=1)
        cue = claim.get("cue") or {}
        add(cue.get("start"), cue.get("end"), "span", "cue", rank=2)
    for entity in doc.get("entities") or []:
        key = entity_keys.get(entity.get("id"))
        attrs = [("title", " · ".join(x for x in (entity.get("type"), entity.get("name_en")) if x))]
        tag = "span"
        if key:
            tag = "a"
            attrs.append(("href", entity_url(key)))
        for m in entity.get("mentions") or []:
            add(m.get("start"), m.get("end"), tag, f"ent ent-{entity.get('type')}", attrs, rank=3)
    for event in doc.get("events") or []:
        trigger = event.get("trigger") or {}
        title = " · ".join(x for x in (event.get("type"), event.get("mode")) if x)
        add(trigger.get("start"), trigger.get("end"), "span", "ev",
            [("title", title), ("data-type", event.get("type") or "")], rank=4)
    for date in doc.get("dates") or []:
        add(date.get("start"), date.get("end"), "span", "date", [("title", date.get("value") or "")], rank=5)
    for marker in doc.get("framing") or []:
        add(marker.get("start"), marker.get("end"), "span", f"frame frame-{marker.get('side')}",
            [("title", marker.get("term") or "")], rank=6)
    return layers


def highlight(text: str, layers: list[Layer]) -> Markup:
    """``text`` escaped, with every layer's tag around its span."""
    bounds = sorted({0, len(text), *(b for layer in layers for b in (layer.start, layer.end))})
    order = sorted(layers, key=lambda x: (x.start, -x.end, x.rank))
    out: list[str] = []
    stack: list[Layer] = []
    for lo, hi in zip(bounds, bounds[1:]):
        active = [x for x in order if x.start <= lo and hi <= x.end]
        keep = 0
        while keep < len(stack) and keep < len(active) and stack[keep] is active[keep]:
            keep += 1
        out.extend(x.close() for x in reversed(stack[keep:]))
        out.extend(x.open() for x in active[keep:])
        stack = active
        out.append(str(escape(text[lo:hi])))
    out.extend(x.close() for x in reversed(stack))
    return Markup("".join(out))
