"""The knowledge base: SQLite (default) or PostgreSQL behind one interface (``Store``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from marsad.store.base import Store

__all__ = ["Store", "open_store", "default_db"]


def default_db() -> str:
    """$MARSAD_DB, else marsad.db in the user's data folder ($XDG_DATA_HOME or ~/.local/share)/marsad."""
    if os.environ.get("MARSAD_DB"):
        return os.environ["MARSAD_DB"]
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "marsad" / "marsad.db")


def open_store(db: Optional[str] = None) -> Store:
    """A PostgreSQL store for a postgresql:// DSN, else a SQLite store at that path."""
    db = db or default_db()
    if db.startswith(("postgresql://", "postgres://")):
        from marsad.store.postgres import PostgresStore

        return PostgresStore(db)
    from marsad.store.sqlite import SQLiteStore

    return SQLiteStore(db)
