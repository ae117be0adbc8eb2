"""The embedded vector index: exact cosine over the item vectors SQLite already holds.

A scan of every vector is one matrix product — about 10 ms for 100,000 items on two
cores, 15 ms on one — and it is exact, needs no second store to keep level with the database, and
costs nothing to open (chromadb alone takes ~1.3 s to import, more than a whole
`kith recap`). A long-lived process (the app) keeps the matrix in memory and reads
only the rows added since; it re-reads everything when rows were removed.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from app.store.db import KIND_CODES, WORD_SEARCH_SPLIT, Database
from models import Kind

if TYPE_CHECKING:
    import numpy as np


class FlatIndex:
    """Item vectors by id with their kind and contact, searched exactly."""

    def __init__(self, db: Database):
        self.db = db
        self._lock = threading.Lock()
        self._version: tuple[int, int] | None = None
        self._extent = (0, 0)  # how many items were read, and the largest id
        self._ids: np.ndarray | None = None
        self._kinds: np.ndarray | None = None
        self._contacts: np.ndarray | None = None
        self._matrix: np.ndarray | None = None

    def _fresh(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The vectors as the database has them now: new rows appended, all re-read after a deletion."""
        import numpy as np

        with self._lock:
            version = self.db.version()
            if self._ids is not None and version == self._version:
                return self._ids, self._kinds, self._contacts, self._matrix  # type: ignore[return-value]
            count, top = self._extent
            added, new_top = self.db.item_extent(after=top)
            total, _ = self.db.item_extent()
            if self._ids is not None and total == count + added:  # nothing removed: read what is new
                ids, kinds, contacts, matrix = self.db.vectors(after=top)
                self._ids = np.concatenate([self._ids, ids])
                self._kinds = np.concatenate([self._kinds, kinds])
                self._contacts = np.concatenate([self._contacts, contacts])
                self._matrix = np.vstack([self._matrix, matrix])
            else:
                self._ids, self._kinds, self._contacts, self._matrix = self.db.vectors()
            self._extent = (total, max(top, new_top))
            self._version = version
            return self._ids, self._kinds, self._contacts, self._matrix

    def count(self) -> int:
        return len(self._fresh()[0])

    def similarities(self, ids: list[int], embedding: np.ndarray) -> list[tuple[int, float]]:
        """Cosine similarity of embedding with these items (those with a vector)."""
        import numpy as np

        known, _, _, matrix = self._fresh()
        wanted = np.asarray(ids, dtype=np.int64)
        rows = np.clip(np.searchsorted(known, wanted), 0, max(len(known) - 1, 0))
        found = (known[rows] == wanted) if len(known) else np.zeros(len(wanted), dtype=bool)
        rows, wanted = rows[found], wanted[found]
        return list(zip(wanted.tolist(), (matrix[rows] @ embedding.astype(np.float32)).tolist(), strict=True))

    def query(self, embedding: np.ndarray, limit: int, *, kind: Kind | None = None,
              contact_id: int | None = None, beside_word_search: bool = False) -> list[tuple[int, float]]:
        """Item ids nearest to embedding, with cosine similarity, best first.

        beside_word_search: the caller ranks words on other threads meanwhile. Where those run as two
        (a large store, Database.keyword_search), the scan is numpy's own one-thread loop, as fast as one
        BLAS thread: BLAS's second thread only fights them for the cores (search p95 at 100,000 items,
        every common word ranked: 57-59 → 45-53 ms), and limiting BLAS's threads instead would limit them
        for the whole process, mid-product in other threads.
        """
        import numpy as np

        ids, kinds, contacts, matrix = self._fresh()
        if not len(ids):
            return []
        vector = embedding.astype(np.float32)
        beside = beside_word_search and len(ids) >= WORD_SEARCH_SPLIT
        scores = np.einsum("ij,j->i", matrix, vector) if beside else matrix @ vector
        if kind is None and contact_id is None:
            rows = np.arange(len(ids))
        else:
            keep = np.ones(len(ids), dtype=bool)
            if kind is not None:
                keep &= kinds == KIND_CODES[kind]
            if contact_id is not None:
                keep &= contacts == contact_id
            rows = np.flatnonzero(keep)
        if len(rows) > limit:
            rows = rows[np.argpartition(-scores[rows], limit - 1)[:limit]]
        rows = rows[np.argsort(-scores[rows], kind="stable")]
        return [(int(ids[r]), float(scores[r])) for r in rows]


