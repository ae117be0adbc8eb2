"""A Kith home opened: the database, the vector index and (on demand) the embedder."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.config import Settings
from app.store.db import Database
from app.store.embedder import Embedder
from app.store.files import private_dir, private_umask
from app.store.vectors import FlatIndex

if TYPE_CHECKING:
    import numpy as np

Progress = Callable[[int, int], None]


class Store:
    """The home: SQLite is the record; the vector index is read from it, or mirrored to a Chroma server."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        private_umask()
        self.settings = settings
        self.home = private_dir(Path(settings.home).expanduser())
        self.db = Database(self.home / "kith.db", busy_timeout=settings.lock_timeout)
        self.embedder = embedder or Embedder(settings.model)
        self._index: FlatIndex | None = None
        self._server = None
        if not settings.chroma_url and self.legacy_index_path.exists():
            # Kith before 0.2 kept an embedded Chroma copy of the vectors: derived, now unused.
            shutil.rmtree(self.legacy_index_path, ignore_errors=True)

    @property
    def legacy_index_path(self) -> Path:
        return self.home / "index"

    def close(self) -> None:
        self.db.close()

    def index(self):
        """The vector index: exact search over SQLite's vectors, or the team's Chroma server kept level."""
        if not self.settings.chroma_url:
            if self._index is None:
                self._index = FlatIndex(self.db)
            return self._index
        if self._server is None:
            from app.store.index import VectorIndex

            self._server = VectorIndex(self.settings.chroma_url, self.settings.chroma_token)
            self.sync_index()
        return self._server

    def similarities(self, ids: list[int], vector: np.ndarray) -> list[tuple[int, float]]:
        """Cosine similarity of vector with these items' vectors (those that have one)."""
        if not self.settings.chroma_url:
            return self.index().similarities(ids, vector)
        found, matrix = self.db.embeddings(ids=ids)
        return list(zip(found, (matrix @ vector).tolist(), strict=True))

    def sync_index(self) -> tuple[int, int]:
        """Send the server what SQLite has and it lacks, drop what it has alone (server mode only)."""
        server = self._server
        if server is None:
            return 0, 0
        ids, matrix = self.db.embeddings()
        want = set(ids)
        have = server.ids()
        missing = [i for i in ids if i not in have]
        orphans = have - want
        if orphans:
            server.delete(orphans)
        if missing:
            position = {item_id: row for row, item_id in enumerate(ids)}
            server.add(self._items_in_order(missing), matrix[[position[i] for i in missing]])
        return len(missing), len(orphans)

    def _items_in_order(self, ids: list[int]) -> list:
        by_id = {item.id: item for item in self.db.items(ids=ids)}
        return [by_id[i] for i in ids]

    def rebuild_index(self, progress: Progress | None = None):
        """Rebuild the index from SQLite (no model needed: the vectors are stored)."""
        if not self.settings.chroma_url:
            self._index = FlatIndex(self.db)
            total = self._index.count()
            if progress:
                progress(total, total)
            return self._index
        from app.store.index import VectorIndex

        if self._server is None:
            self._server = VectorIndex(self.settings.chroma_url, self.settings.chroma_token)
        self._server.reset()
        ids, matrix = self.db.embeddings()
        step = 500
        for start in range(0, len(ids), step):
            chunk = ids[start : start + step]
            self._server.add(self._items_in_order(chunk), matrix[start : start + step])
            if progress:
                progress(min(start + step, len(ids)), len(ids))
        if progress and not ids:
            progress(0, 0)
        return self._server
