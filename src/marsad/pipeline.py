"""The analysis pipeline: an ordered list of named components, Document in, Document out.

Components come from ``resources/pipeline.json`` (or a file the user gives), each
a factory ``module:function`` returning a callable ``Document -> Document``.
A component that raises marks that document with an error; the run goes on.
Multi-document runs stream batches of raw documents to worker processes, each
of which builds the pipeline (and loads its models) once.
"""

from __future__ import annotations

import importlib
import itertools
import json
import multiprocessing as mp
import signal
import threading
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

from marsad import __version__
from marsad.io import RawDocument
from marsad.model import Document, DocumentError

Component = Callable[[Document], Document]

PIPELINE_VERSION = f"{__version__}+1"
# Documents analysed together: enough sentences for full NER batches, little latency.
DOCS_PER_BATCH = 32


@dataclass
class NamedComponent:
    name: str
    func: Component

    def __call__(self, doc: Document) -> Document:
        return self.func(doc)

    def prepare(self, docs: list[Document]) -> None:
        """Run the component's optional ``prepare`` hook: work it can share across documents (batched model calls)."""
        hook = getattr(self.func, "prepare", None)
        if hook is not None:
            hook(docs)


def load_config(path: Optional[str] = None) -> dict[str, Any]:
    if path:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    return json.loads(resources.files("marsad.resources").joinpath("pipeline.json").read_text(encoding="utf-8"))


def set_options(config: dict[str, Any], component: str, **options: Any) -> dict[str, Any]:
    """``config`` with ``options`` added to those of the component named ``component``."""
    entries = [e for e in config["components"] if e["name"] == component]
    if not entries:
        raise ValueError(f"the pipeline has no component {component!r}")
    for entry in entries:
        entry["options"] = {**entry.get("options", {}), **options}
    return config


def _factory(spec: str) -> Callable[..., Component]:
    module_name, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module_name), attr)


class DocumentTimeout(BaseException):
    """A document took longer than the configured time limit (BaseException: components must not swallow it)."""


def _raise_timeout(signum, frame):
    raise DocumentTimeout()


@contextmanager
def _deadline(seconds: Optional[float]) -> Iterator[None]:
    """Raise DocumentTimeout in the block after ``seconds`` (None: no limit; SIGALRM's handler must be set)."""
    if seconds is None:
        yield
        return
    if seconds <= 0:
        raise DocumentTimeout()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


class Pipeline:
    def __init__(self, components: list[NamedComponent], seconds_per_document: Optional[float] = None):
        self.components = components
        self.seconds_per_document = seconds_per_document
        # Seconds per component name (its prepare hook included), summed when a dict is set (benchmarks).
        self.timings: Optional[dict[str, float]] = None

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
        return self.run_many([doc])[0]

    def run_many(self, docs: list[Document]) -> list[Document]:
        """Each document as ``self(doc)`` would analyse it, taken one component at a time across the batch.

        Before a component sees each document, its ``prepare`` hook sees all those still
        going (the NER tags all their sentences in a few model calls). The hook only
        saves work: if it fails or runs out of time, each document runs the component
        alone and fails alone. The time limit holds per document, over all its components.
        """
        limit = self.seconds_per_document
        # SIGALRM interrupts only the main thread; elsewhere (a web server's worker thread) run unlimited.
        timed = bool(limit) and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGALRM, _raise_timeout) if timed else None
        spent = [0.0] * len(docs)
        try:
            for comp in self.components:
                live = [i for i, doc in enumerate(docs) if doc.error is None]
                if not live:
                    break
                t0 = time.perf_counter()
                try:
                    with _deadline(limit if timed else None):
                        comp.prepare([docs[i] for i in live])
                except (Exception, DocumentTimeout):
                    pass
                for i in live:
                    t1 = time.perf_counter()
                    docs[i] = self._step(comp, docs[i], limit - spent[i] if timed else None)
                    spent[i] += time.perf_counter() - t1
                if self.timings is not None:
                    self.timings[comp.name] = self.timings.get(comp.name, 0.0) + time.perf_counter() - t0
        finally:
            if timed:
                signal.signal(signal.SIGALRM, previous)
        return docs

    def _step(self, comp: NamedComponent, doc: Document, seconds: Optional[float]) -> Document:
        try:
            with _deadline(seconds):
                return comp(doc)
        except DocumentTimeout:
            doc.error = DocumentError("timeout", f"analysis took longer than {self.seconds_per_document:g} s; document skipped")
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


def _work(raws: list[RawDocument]) -> list[dict[str, Any]]:
    assert _worker_pipeline is not None
    docs = _worker_pipeline.run_many([document_from_raw(raw, _worker_published) for raw in raws])
    return [doc.to_contract() for doc in docs]


def _batches(raws: Iterable[RawDocument], size: int) -> Iterator[list[RawDocument]]:
    it = iter(raws)
    while batch := list(itertools.islice(it, size)):
        yield batch


def analyze_stream(
    raws: Iterable[RawDocument],
    jobs: int = 1,
    published: Optional[str] = None,
    config: Optional[dict[str, Any]] = None,
) -> Iterator[dict[str, Any]]:
    """Contract objects for a stream of raw documents, in input order.

    Documents go through the pipeline in batches of DOCS_PER_BATCH (one task of
    the worker pool each), so that batched components see many at a time.
    """
    config = config or load_config()
    batches = _batches(raws, DOCS_PER_BATCH)
    if jobs <= 1:
        _init_worker(config, published)
        for batch in batches:
            yield from _work(batch)
        return
    ctx = mp.get_context("fork")
    # A fresh worker every ~2,000 documents bounds what its caches hold.
    recycle = max(1, 2000 // DOCS_PER_BATCH)
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(config, published), maxtasksperchild=recycle) as pool:
        for objs in pool.imap(_work, batches):
            yield from objs
