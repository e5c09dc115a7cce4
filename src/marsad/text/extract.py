"""HTML → body text and metadata (title, author, date, site name) through trafilatura."""

from __future__ import annotations

import re

from marsad.model import Document

# Pathologically deep markup makes lxml give up; refuse it up front with a clear error.
_MAX_DEPTH = 2000
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
_VOID = {"br", "img", "meta", "link", "input", "hr", "area", "base", "col", "embed", "source", "track", "wbr", "param"}


def _too_deep(page: str) -> bool:
    depth = 0
    for m in _TAG.finditer(page):
        if m.group(1):
            depth = max(0, depth - 1)
        elif not m.group(3) and m.group(2).lower() not in _VOID:
            depth += 1
            if depth > _MAX_DEPTH:
                return True
    return False


class HtmlExtractor:
    def __call__(self, doc: Document) -> Document:
        page = doc.meta.pop("html", None)
        if not page:
            return doc
        if _too_deep(page):
            raise ValueError(f"HTML nested deeper than {_MAX_DEPTH} elements")
        import trafilatura

        result = trafilatura.bare_extraction(
            page, url=doc.url, include_comments=False, include_tables=False, favor_precision=True, with_metadata=True
        )
        if result is None:
            raise ValueError("no article text found in the HTML page")
        data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
        doc.raw_text = data.get("text") or ""
        doc.title = doc.title or data.get("title") or None
        doc.author = doc.author or data.get("author") or None
        doc.outlet = doc.outlet or data.get("sitename") or None
        date = data.get("date")
        if not doc.published or doc.published == doc.meta.get("published_default"):
            if date:
                doc.published = str(date)[:10]
        doc.url = doc.url or data.get("url") or None
        doc.meta["html_meta"] = {k: data.get(k) for k in ("description", "categories", "tags", "hostname") if data.get(k)}
        return doc


def create() -> HtmlExtractor:
    return HtmlExtractor()
