"""What the web application needs from the knowledge base, and its implementation over ``marsad.store``."""

from __future__ import annotations

import threading
from typing import Any, Optional, Protocol

from marsad.store import corpus
from marsad.web.queries import Queries


class Backend(Protocol):
    def search(self, query: str, limit: int = 20, **filters: str) -> list[dict[str, Any]]:
        """The hits of ``marsad search``, best first."""

    def document(self, doc_id: str) -> Optional[dict[str, Any]]:
        """A document's contract object, as ``marsad analyze`` prints it, or None."""

    def queries(self) -> Queries:
        """Read queries on the same database."""

    def ingest(self, paths: list[str]) -> dict[str, Any]:
        """Analyse and store files; counts of what was added, skipped and failed."""


class StoreBackend:
    """A ``marsad.store`` knowledge base, one store (connection) per server thread."""

    def __init__(self, db: Optional[str]):
        from marsad.store import open_store

        self.db = db
        self._open = open_store
        self._local = threading.local()
        self.store()  # fail now, not on the first request, when the database cannot be opened

    def store(self):
        if getattr(self._local, "store", None) is None:
            self._local.store = self._open(self.db)
        return self._local.store

    def search(self, query: str, limit: int = 20, **filters: str) -> list[dict[str, Any]]:
        return self.store().search(query, limit=limit, **{k: v for k, v in filters.items() if v})

    def document(self, doc_id: str) -> Optional[dict[str, Any]]:
        return self.store().document(doc_id)

    def queries(self) -> Queries:
        store = self.store()
        return Queries(store.execute, refresh=lambda: corpus.refresh(store), cache_key=str(self.db))

    def ingest(self, paths: list[str]) -> dict[str, Any]:
        from marsad.io import read_paths
        from marsad.store.ingest import ingest

        report = ingest(self.store(), read_paths(paths), jobs=1)
        corpus.refresh(self.store())  # the uploader waits for the corpus records, not the next reader
        return {"added": report.added, "skipped": report.skipped, "failed": report.failed}


def open_backend(db: Optional[str]) -> Backend:
    return StoreBackend(db)
