"""SQLite backend: one file, WAL journal, FTS5 over our own normalised search terms."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from marsad.store.base import Store


_POOL_FACTOR = 8  # best matches ranked per hit asked for, before the filters


class SQLiteStore(Store):
    dialect = "sqlite"

    def __init__(self, path: str):
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, isolation_level=None, timeout=60, check_same_thread=False)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")  # a commit survives a crash of the process or the machine
        conn.execute("PRAGMA foreign_keys = OFF")
        self.path = path
        super().__init__(conn)

    def execute(self, sql: str, params: tuple | list = ()) -> Any:
        return self.conn.execute(sql, tuple(params))

    def executemany(self, sql: str, rows: list[tuple]) -> None:
        if rows:
            self.conn.executemany(sql, rows)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _index_terms(self, doc_id: str, title: list[str], body: list[str]) -> None:
        self.execute("INSERT INTO doc_terms (doc_id, title, body) VALUES (?, ?, ?)", (doc_id, " ".join(title), " ".join(body)))

    def _delete_terms(self, doc_id: str) -> None:
        self.execute("DELETE FROM doc_terms WHERE doc_id = ?", (doc_id,))

    def _match(self, words, any_word, where, params, limit):
        groups = ["(" + " OR ".join(f'"{t}"' for t in w) + ")" for w in words]
        expr = (" OR " if any_word else " AND ").join(groups)
        # Rank in the full-text index alone, then filter the best few in one lookup: ranking joined to
        # documents (بيان: 6,300 matches) took five times as long as ranking alone.
        size = _POOL_FACTOR * limit
        pool = self.execute(
            "SELECT doc_id, -bm25(doc_terms, 0.0, 3.0, 1.0) AS score FROM doc_terms WHERE doc_terms MATCH ?"
            " ORDER BY score DESC LIMIT ?", (expr, size)
        ).fetchall()
        kept = set()
        if pool:
            marks = ", ".join("?" for _ in pool)
            kept = {r[0] for r in self.execute(f"SELECT d.id FROM documents d WHERE d.id IN ({marks}) AND {where}",
                                               [doc_id for doc_id, _ in pool] + params)}
        found = [(doc_id, score) for doc_id, score in pool if doc_id in kept][:limit]
        if len(found) < limit and len(pool) == size:
            # The filters left too few of the best: rank with them applied.
            sql = (
                "SELECT d.id, -bm25(doc_terms, 0.0, 3.0, 1.0) AS score FROM doc_terms JOIN documents d ON d.id = doc_terms.doc_id"
                f" WHERE doc_terms MATCH ? AND {where} ORDER BY score DESC LIMIT ?"
            )
            found = [(r[0], r[1]) for r in self.execute(sql, [expr] + params + [limit])]
        return found

    def _vocabulary_near(self, first, shortest, longest):
        sql = "SELECT term, df FROM vocabulary WHERE term >= ? AND term < ? AND length(term) BETWEEN ? AND ?"
        return [(r[0], r[1]) for r in self.execute(sql, (first, first + "\uffff", shortest, longest))]

    def integrity_check(self) -> str:
        return self.execute("PRAGMA integrity_check").fetchone()[0]
