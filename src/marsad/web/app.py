"""The web application: server-rendered pages and a JSON API over the knowledge base.

``create_app(backend)`` works on any object with the small interface of
``marsad.web.backend.Backend``. Pages are Jinja2 templates with autoescaping;
article text is untrusted and reaches the page only escaped (``render.py``).
Every response carries a strict Content-Security-Policy: scripts come from
/static only, never inline.
"""

from __future__ import annotations

import hmac
import html
import json
import math
import os
import tempfile
import time
from contextlib import asynccontextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote, unquote

import anyio.to_thread
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException

from marsad.model import SOURCE_KINDS
from marsad.store import corpus
from marsad.web.api_corpus import router as corpus_router
from marsad.web.backend import Backend
from marsad.web.render import document_layers, entity_url, highlight

HERE = Path(__file__).parent
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
DEFAULT_MAX_UPLOAD = 5 * 1024 * 1024
# Requests per second per client address, and the burst allowed above it: a person browsing (a page and its
# API calls) stays far below; a script hammering the search gets 429.
DEFAULT_RATE = 20.0
DEFAULT_BURST = 60
DEFAULT_THREADS = 8
PAGE = 100  # rows of a list page before its "more" link
# Edges the actor graph draws by default, heaviest first: the layout of all 641 edges of 1,000 ANT articles takes
# Chromium 8 s and draws a hairball; 150 take about a second and show the main actors.
GRAPH_EDGES = 150
MAX_QUERY = 500  # characters; each query word costs an index lookup and possibly a fuzzy expansion


class RawJSONResponse(JSONResponse):
    """JSON of plain lists, dicts and scalars, encoded by the standard library without FastAPI's checks."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class RateLimiter:
    """Token buckets per client address: ``rate`` tokens a second, at most ``burst`` saved up."""

    def __init__(self, rate: float, burst: int, max_clients: int = 10_000):
        self.rate, self.burst, self.max_clients = rate, burst, max_clients
        self.buckets: dict[str, tuple[float, float]] = {}  # address -> (tokens, time of last update)

    def allow(self, client: str, now: Optional[float] = None) -> bool:
        now = time.monotonic() if now is None else now
        tokens, last = self.buckets.pop(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        if len(self.buckets) >= self.max_clients:  # forget the longest idle client (dicts keep insertion order)
            del self.buckets[next(iter(self.buckets))]
        allowed = tokens >= 1.0
        self.buckets[client] = (tokens - 1.0 if allowed else tokens, now)
        return allowed

    def retry_after(self, client: str) -> int:
        tokens, _ = self.buckets.get(client, (0.0, 0.0))
        return max(1, math.ceil((1.0 - tokens) / self.rate))


@lru_cache(maxsize=1)
def ui_strings() -> dict[str, dict[str, str]]:
    return json.loads((HERE / "strings.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def event_types() -> list[str]:
    plover = json.loads(resources.files("marsad.resources").joinpath("plover.json").read_text(encoding="utf-8"))
    return list(plover["types"])


def _found(value: Any, what: str) -> Any:
    """``value``, or a 404 naming what was not found."""
    if value is None:
        raise HTTPException(404, f"no such {what}")
    return value


def snippet_markup(snippet: Optional[str]) -> Markup:
    """A search snippet (the store's HTML), re-escaped, keeping only its <mark> highlights as markup."""
    escaped = str(escape(html.unescape(snippet or "")))
    return Markup(escaped.replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>"))


class Guard:
    """ASGI middleware: security headers on every response; rate limit (static files excepted: a page needs
    several); declared body size. Plain ASGI, because Starlette's BaseHTTPMiddleware costs a task per request."""

    def __init__(self, app: Any, limiter: Optional[RateLimiter], max_body: int):
        self.app, self.limiter, self.max_body = app, limiter, max_body

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        client = scope["client"][0] if scope.get("client") else ""
        declared = Headers(scope=scope).get("content-length")
        if self.limiter and not scope["path"].startswith("/static/") and not self.limiter.allow(client):
            response = JSONResponse({"detail": "too many requests"}, status_code=429,
                                    headers={"Retry-After": str(self.limiter.retry_after(client))})
        elif declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            response = JSONResponse({"detail": f"request body larger than {self.max_body} bytes"}, status_code=413)
        else:
            await self.app(scope, receive, send_secured)
            return
        await response(scope, receive, send_secured)


def create_app(backend: Backend, token: Optional[str] = None, max_upload: int = DEFAULT_MAX_UPLOAD,
               rate_limit: float = DEFAULT_RATE, burst: int = DEFAULT_BURST, threads: int = DEFAULT_THREADS) -> FastAPI:
    """``rate_limit`` requests a second per client address (0: no limit) after a burst of ``burst``;
    ``threads`` requests handled at once."""
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Routes are synchronous and run in worker threads; anyio's default of 40 leaves them fighting over the
        # GIL: measured with 50 concurrent searches, 8 threads serve three times the requests of 40.
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        # Build the corpus records (stories, events and claims across outlets) before the first request, which
        # would otherwise wait seconds for them after an ingest (8 s at 1,000 articles), and load what the pages
        # share (parsed events, the knowledge base).
        await anyio.to_thread.run_sync(lambda: backend.queries().warm())
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="Marsad API",
        description="Search and read analysed Arabic news: documents, entities, PLOVER events, claims.",
        docs_url=None,  # the default pages load Swagger UI from a CDN; /docs is served from /static instead
        redoc_url=None,
    )
    app.state.backend = backend
    app.include_router(corpus_router)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.autoescape = True
    templates.env.globals.update(entity_url=entity_url, quote=lambda s: quote(s or "", safe=""), unquote=unquote)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    app.add_middleware(Guard, limiter=RateLimiter(rate_limit, burst) if rate_limit > 0 else None, max_body=max_upload)

    def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        lang = request.cookies.get("lang") if request.cookies.get("lang") in ("ar", "en") else "ar"
        strings = ui_strings()
        labels = {**strings["ar"], **strings[lang]}
        return templates.TemplateResponse(
            request, name, {"t": labels, "lang": lang, "path": request.url.path, **context}, status_code=status_code
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return page(request, "error.html", status_code=exc.status_code, status=exc.status_code, detail=exc.detail)

    def queries():
        return backend.queries()

    def corpus_store_call(function, *args: Any, **kwargs: Any):
        """A ``marsad.store.corpus`` read on this thread's store (it rebuilds the records when documents changed)."""
        store = getattr(backend, "store", None)
        if store is None:
            raise HTTPException(501, "this backend has no corpus-level records")
        return function(store(), *args, **kwargs)

    def search_hits(q: str, filters: dict[str, str], limit: int) -> list[dict[str, Any]]:
        """The store's hits; the entity filter here is a corpus entity key, applied on the hits."""
        if not q.strip():
            return []
        if len(q) > MAX_QUERY:
            raise HTTPException(400, f"query longer than {MAX_QUERY} characters")
        entity = filters.get("entity")
        hits = backend.search(q, limit=limit, **{k: v for k, v in filters.items() if k != "entity"})
        if entity:
            keep = set(queries().filtered_ids({"entity": entity}, [h["id"] for h in hits]))
            hits = [h for h in hits if h["id"] in keep]
        return hits

    # -- pages -------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = "", outlet: str = "", date_from: str = "", date_to: str = "",
                    entity: str = "", event_type: str = "", source_kind: str = ""):
        filters = dict(outlet=outlet, date_from=date_from, date_to=date_to, entity=entity,
                       event_type=event_type, source_kind=source_kind)
        qs = queries()
        if q.strip():
            results = [dict(h, snippet_html=snippet_markup(h.get("snippet"))) for h in search_hits(q, filters, 50)]
        else:
            results = [dict(s, snippet_html=escape((s.get("opening") or "")[:240]))
                       for s in qs.summaries(qs.filtered_ids(filters, limit=50))]
        return page(request, "search.html", q=q, filters=filters, results=results, facets=qs.facets(),
                    event_types=event_types(), source_kinds=SOURCE_KINDS)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, doc_id: str):
        doc = _found(backend.document(doc_id), "document")
        keys = queries().entity_keys(doc_id)
        text = doc.get("text") or ""
        names = {e["id"]: e for e in doc.get("entities") or []}
        return page(request, "document.html", doc=doc, body=highlight(text, document_layers(doc, keys)),
                    keys=keys, names=names, text=text, across=corpus_store_call(corpus.of_document, doc_id))

    @app.get("/entities/{key:path}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(request: Request, key: str):
        entity = _found(queries().entity(key), "entity")
        return page(request, "entity.html", entity=entity)

    @app.get("/claims/{doc_id}/{claim_id}", response_class=HTMLResponse, include_in_schema=False)
    def claim_page(request: Request, doc_id: str, claim_id: str):
        claim = _found(queries().claim(doc_id, claim_id), "claim")
        across = corpus_store_call(corpus.of_document, doc_id)["claims"].get(claim_id)
        return page(request, "claim.html", claim=claim, across=across)

    @app.get("/corpus-claims/{claim_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def corpus_claim_page(request: Request, claim_id: str):
        found = _found(corpus_store_call(corpus.claim, claim_id), "claim")
        return page(request, "corpus_claim.html", claim=found)

    @app.get("/corpus-events/{event_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def corpus_event_page(request: Request, event_id: str):
        found = _found(corpus_store_call(corpus.event, event_id), "event")
        return page(request, "corpus_event.html", event=found)

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request, min_outlets: int = Query(2, ge=1), limit: int = Query(PAGE, ge=1, le=2000)):
        found = corpus_store_call(corpus.stories, min_outlets=min_outlets, limit=limit + 1)
        return page(request, "stories.html", stories=found[:limit], more=len(found) > limit, limit=limit,
                    min_outlets=min_outlets)

    @app.get("/stories/{story_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str):
        found = _found(corpus_store_call(corpus.story, story_id), "story")
        return page(request, "story.html", story=found)

    @app.get("/sources", response_class=HTMLResponse, include_in_schema=False)
    def sources_page(request: Request, source_kind: str = "", flag: str = "", limit: int = Query(PAGE, ge=1, le=2000)):
        qs = queries()
        flag = flag if flag in ("single_sourced", "contested") else ""
        across = corpus_store_call(corpus.claims, flag=flag or None, min_outlets=1 if flag else 2, limit=limit + 1)
        return page(request, "sources.html", overview=qs.source_overview(), claims=qs.claims_list(source_kind, limit),
                    across=across[:limit], more=len(across) > limit, limit=limit, flag=flag,
                    source_kinds=SOURCE_KINDS, source_kind=source_kind)

    @app.get("/graph", response_class=HTMLResponse, include_in_schema=False)
    def graph_page(request: Request):
        return page(request, "graph.html", event_types=event_types(), counts=corpus_store_call(corpus.event_counts),
                    limit=GRAPH_EDGES)

    @app.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
    def timeline_page(request: Request):
        return page(request, "timeline.html", event_types=event_types(), facets=queries().facets())

    @app.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def map_page(request: Request):
        return page(request, "map.html", event_types=event_types())

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs_page(request: Request):
        return page(request, "docs.html")

    @app.get("/lang/{code}", include_in_schema=False)
    def set_language(code: str, next: str = "/"):
        if code not in ("ar", "en"):
            raise HTTPException(404, "unknown language")
        target = next if next.startswith("/") and not next.startswith("//") and "\\" not in next else "/"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie("lang", code, max_age=365 * 86400, samesite="lax", httponly=True)
        return response

    # -- JSON API --------------------------------------------------------------------------

    @app.get("/api/search", tags=["search"], summary="Full-text search; the hits of `marsad search`")
    def api_search(q: str = Query(..., description="query, Arabic or English"), limit: int = Query(20, ge=1, le=500),
                   outlet: str = "", date_from: str = "", date_to: str = "", entity: str = "",
                   event_type: str = "", source_kind: str = "") -> list[dict[str, Any]]:
        filters = dict(outlet=outlet, date_from=date_from, date_to=date_to, entity=entity,
                       event_type=event_type, source_kind=source_kind)
        # Hits are plain JSON already: skipping FastAPI's validation and encoding of the return value halves the
        # time a search request takes (the annotation still documents the shape in /openapi.json).
        return RawJSONResponse(search_hits(q, filters, limit))

    @app.get("/api/documents/{doc_id}", tags=["documents"], summary="A document's analysis, as `marsad analyze` prints it")
    def api_document(doc_id: str) -> dict[str, Any]:
        doc = _found(backend.document(doc_id), "document")
        return doc

    @app.get("/api/facets", tags=["search"], summary="Values of the search filters with document counts")
    def api_facets() -> dict[str, Any]:
        return queries().facets()

    @app.get("/api/entities/{key:path}", tags=["entities"], summary="An entity: names, mentions, co-occurring entities, events")
    def api_entity(key: str) -> dict[str, Any]:
        entity = _found(queries().entity(key), "entity")
        return entity

    @app.get("/api/graph", tags=["events"], summary="Actor graph: edges by PLOVER type weighted by distinct events")
    def api_graph(event_type: str = "", min_weight: int = Query(1, ge=1), entity: str = "",
                  limit: int = Query(GRAPH_EDGES, ge=0, le=100_000, description="heaviest edges kept; 0: all")) -> dict[str, Any]:
        return RawJSONResponse(queries().graph(event_type=event_type, min_weight=min_weight, entity=entity, limit=limit))

    @app.get("/api/timeline", tags=["events"], summary="Dated events, each real-world event once with its report count")
    def api_timeline(entity: str = "", event_type: str = "", outlet: str = "") -> list[dict[str, Any]]:
        return RawJSONResponse(queries().timeline(entity=entity, event_type=event_type, outlet=outlet))

    @app.get("/api/map", tags=["events"], summary="Places of events with coordinates; counts of distinct events")
    def api_map(event_type: str = "") -> list[dict[str, Any]]:
        return queries().map_points(event_type=event_type)

    @app.get("/api/claims/{doc_id}/{claim_id}", tags=["claims"], summary="A claim, its chain of sources, similar claims")
    def api_claim(doc_id: str, claim_id: str) -> dict[str, Any]:
        claim = _found(queries().claim(doc_id, claim_id), "claim")
        return claim

    @app.get("/api/sources", tags=["claims"], summary="Per outlet, claims by kind of original source")
    def api_sources() -> list[dict[str, Any]]:
        return queries().source_overview()

    @app.post("/api/ingest", tags=["write"], summary="Analyse and store an upload (JSONL, one document a line, or plain text)",
              description="Requires `Authorization: Bearer TOKEN`. Refused when the server has no token configured.")
    async def api_ingest(request: Request) -> dict[str, Any]:
        if not token:
            raise HTTPException(403, "writes are disabled: start the server with --token or MARSAD_TOKEN")
        given = request.headers.get("authorization", "")
        if not given.startswith("Bearer ") or not hmac.compare_digest(given[7:].encode(), token.encode()):
            raise HTTPException(401, "missing or wrong token")
        body = bytearray()  # a chunked upload declares no length: count what arrives
        async for chunk in request.stream():
            body += chunk
            if len(body) > max_upload:
                raise HTTPException(413, f"upload larger than {max_upload} bytes")
        if not body.strip():
            raise HTTPException(400, "empty upload")
        kind = request.headers.get("content-type", "").split(";")[0].strip()
        suffix = ".jsonl" if kind in ("application/x-ndjson", "application/jsonl", "application/json") else ".txt"
        with tempfile.TemporaryDirectory(prefix="marsad-upload-") as folder:
            path = os.path.join(folder, "upload" + suffix)
            with open(path, "wb") as fh:
                fh.write(body)
            return backend.ingest([path])

    return app
