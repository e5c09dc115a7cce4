"""Crash-safe incremental ingest and re-analysis.

Documents already stored are skipped before analysis (by ``RawDocument.stable_id``);
the rest are analysed and committed in batches, each batch one transaction, so
a run killed at any point loses only its uncommitted batch, and rerunning the
same command finishes the work.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Optional

from marsad.io import RawDocument
from marsad.pipeline import PIPELINE_VERSION, analyze_stream
from marsad.store.base import Store, raw_to_json


@dataclass
class IngestReport:
    added: int = 0
    skipped: int = 0
    failed: int = 0


def _analysed(
    raws: Iterable[RawDocument], jobs: int, published: Optional[str], config: Optional[dict[str, Any]], window: int
) -> Iterator[tuple[dict[str, Any], str]]:
    """(contract, raw JSON) pairs in input order, holding at most ``window`` raw documents in flight."""
    pending: dict[str, str] = {}
    room = threading.Semaphore(window)

    def feed() -> Iterator[RawDocument]:
        for raw in raws:
            room.acquire()
            pending[raw.stable_id()] = raw_to_json(raw, published)
            yield raw

    for obj in analyze_stream(feed(), jobs=jobs, published=published, config=config):
        room.release()
        yield obj, pending.pop(obj["id"])


def _store_batches(
    store: Store, pairs: Iterator[tuple[dict[str, Any], str]], batch_size: int, write: Callable, progress: Callable
) -> tuple[int, int]:
    done = failed = 0
    batch: list[tuple[dict[str, Any], str]] = []
    for contract, raw in pairs:
        failed += "error" in contract
        batch.append((contract, raw))
        if len(batch) >= batch_size:
            done += write(batch)
            progress(len(batch))
            batch = []
    if batch:
        done += write(batch)
        progress(len(batch))
    return done, failed


def ingest(
    store: Store,
    raws: Iterable[RawDocument],
    jobs: int = 1,
    published: Optional[str] = None,
    batch_size: int = 100,
    config: Optional[dict[str, Any]] = None,
    progress: Callable[[int], Any] = lambda n: None,
) -> IngestReport:
    report = IngestReport()
    known = store.known_ids()

    def fresh() -> Iterator[RawDocument]:
        for raw in raws:
            sid = raw.stable_id()
            if sid in known:
                report.skipped += 1
                continue
            known.add(sid)
            yield raw

    pairs = _analysed(fresh(), jobs, published, config, max(64, 4 * batch_size))
    report.added, report.failed = _store_batches(
        store, pairs, batch_size, lambda b: store.add_documents(b, PIPELINE_VERSION), progress
    )
    return report


def reindex(
    store: Store,
    jobs: int = 1,
    batch_size: int = 100,
    config: Optional[dict[str, Any]] = None,
    progress: Callable[[int], Any] = lambda n: None,
) -> int:
    """Re-analyse every document stored by another pipeline version; returns how many."""
    ids = store.stale_ids(PIPELINE_VERSION)
    raws = (store.raw(doc_id) for doc_id in ids)
    pairs = _analysed(raws, jobs, None, config, max(64, 4 * batch_size))

    def write(batch: list[tuple[dict[str, Any], str]]) -> int:
        store.replace_documents(batch, PIPELINE_VERSION)
        return len(batch)

    return _store_batches(store, pairs, batch_size, write, progress)[0]
