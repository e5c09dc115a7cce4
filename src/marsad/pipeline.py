"""The analysis pipeline: an ordered list of named components, Document in, Document out.

Components come from ``resources/pipeline.json`` (or a file the user gives), each
a factory ``module:function`` returning a callable ``Document -> Document``.
A component that raises marks that document with an error; the run goes on.
Multi-document runs stream raw documents to worker processes, each of which
builds the pipeline (and loads its models) once.
"""

from __future__ import annotations

import importlib
import json
import multiprocessing as mp
import signal
import threading
import traceback
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

from marsad import __version__
from marsad.io import RawDocument
from marsad.model import Document, DocumentError

Component = Callable[[Document], Document]

PIPELINE_VERSION = f"{__version__}+1"


@dataclass
class NamedComponent:
    name: str
    func: Component

    def __call__(self, doc: Document) -> Document:
        return self.func(doc)


def load_config(path: Optional[str] = None) -> dict[str, Any]:
    if path:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    return json.loads(resources.files("marsad.resources").joinpath("pipeline.json").read_text(encoding="utf-8"))


def _factory(spec: str) -> Callable[..., Component]:
    module_name, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module_name), attr)


class DocumentTimeout(BaseException):
    """A document took longer than the configured time limit (BaseException: components must not swallow it)."""


def _raise_timeout(signum, frame):
    raise DocumentTimeout()


class Pipeline:
    def __init__(self, components: list[NamedComponent], seconds_per_document: Optional[float] = None):
        self.components = components
        self.seconds_per_document = seconds_per_document

    @classmethod
    def from_config(cls, config: Optional[dict[str, Any]] = None, exclude: Iterable[str] = ()) -> "Pipeline":
        config = config or load_config()
        skip = set(exclude)
        comps = []
        for entry in config["components"]:
            if entry["name"] in skip:
                continue
            comps.append(NamedComponent(entry["name"], _factory(entry["factory"])(**entry.get("options", {}))))
        return cls(comps, config.get("limits", {}).get("seconds_per_document"))

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.components]

    def __call__(self, doc: Document) -> Document:
        limit = self.seconds_per_document
        # SIGALRM interrupts only the main thread; elsewhere (a web server's worker thread) run unlimited.
        timed = bool(limit) and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        if not timed:
            return self._run(doc)
        previous = signal.signal(signal.SIGALRM, _raise_timeout)
        try:
            signal.setitimer(signal.ITIMER_REAL, limit)
            return self._run(doc)
        except DocumentTimeout:
            doc.error = DocumentError("timeout", f"analysis took longer than {limit:g} s; document skipped")
            return doc
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    def _run(self, doc: Document) -> Document:
        for comp in self.components:
            if doc.error is not None:
                break
            try:
                doc = comp(doc)
            except Exception as exc:  # one document's failure must not stop the run
                doc.error = DocumentError(
                    code=f"{comp.name}_failed",
                    message=f"{type(exc).__name__}: {exc}".strip()[:500],
                )
                doc.meta["traceback"] = traceback.format_exc(limit=5)
        return doc

    def analyze_raw(self, raw: RawDocument, published: Optional[str] = None) -> Document:
        return self(document_from_raw(raw, published))


def document_from_raw(raw: RawDocument, published: Optional[str] = None) -> Document:
    doc = Document(
        id=raw.stable_id(),
        path=raw.path,
        title=raw.title,
        published=raw.published or published,
        outlet=raw.outlet,
        author=raw.author,
        url=raw.url,
        raw_text=raw.text or "",
    )
    doc.meta["html"] = raw.html
    doc.meta["published_default"] = published
    doc.meta.update(raw.meta)
    if raw.error:
        doc.error = DocumentError(*raw.error)
    return doc


# --- parallel runs -----------------------------------------------------------------------------

_worker_pipeline: Optional[Pipeline] = None
_worker_published: Optional[str] = None


def _init_worker(config: dict[str, Any], published: Optional[str]) -> None:
    global _worker_pipeline, _worker_published
    _worker_pipeline = Pipeline.from_config(config)
    _worker_published = published


def _work(raw: RawDocument) -> dict[str, Any]:
    assert _worker_pipeline is not None
    return _worker_pipeline.analyze_raw(raw, _worker_published).to_contract()


def analyze_stream(
    raws: Iterable[RawDocument],
    jobs: int = 1,
    published: Optional[str] = None,
    config: Optional[dict[str, Any]] = None,
) -> Iterator[dict[str, Any]]:
    """Contract objects for a stream of raw documents, in input order."""
    config = config or load_config()
    if jobs <= 1:
        _init_worker(config, published)
        for raw in raws:
            yield _work(raw)
        return
    ctx = mp.get_context("fork")
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(config, published), maxtasksperchild=2000) as pool:
        yield from pool.imap(_work, raws, chunksize=8)
