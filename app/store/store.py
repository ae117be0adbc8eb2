"""A Kith home opened: the database, the lock, and (on demand) the index and the embedder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.config import Settings
from app.errors import KithError
from app.store.db import Database
from app.store.embedder import Embedder
from app.store.files import private_dir, private_umask
from app.store.index import VectorIndex, wipe
from app.store.lock import StoreLock

Progress = Callable[[int, int], None]


class Store:
    """The home: SQLite is the record, Chroma an index rebuilt from it when needed."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        private_umask()
        self.settings = settings
        self.home = private_dir(Path(settings.home).expanduser())
        self.lock = StoreLock(self.home, settings.lock_timeout)
        self.db = Database(self.home / "kith.db")
        self.embedder = embedder or Embedder(settings.model)
        self._index: VectorIndex | None = None

    @property
    def index_path(self) -> Path:
        return self.home / "index"

    def close(self) -> None:
        self.db.close()
        self.lock.release()

    def index(self) -> VectorIndex:
        """The vector index, opened under the store lock, repaired if it disagrees with SQLite."""
        if self._index is None:
            self.lock.acquire()
            try:
                self._index = VectorIndex(self.index_path, self.settings.chroma_url, self.settings.chroma_token)
            except KithError:
                if self.settings.chroma_url:
                    raise
                self._index = self.rebuild_index()
            else:
                self.sync_index()
        return self._index

    def sync_index(self) -> tuple[int, int]:
        """Add what SQLite has and the index lacks, drop what the index has alone."""
        index = self._index
        assert index is not None
        ids, matrix = self.db.embeddings()
        want = set(ids)
        have = index.ids()
        missing = [i for i in ids if i not in have]
        orphans = have - want
        if orphans:
            index.delete(orphans)
        if missing:
            position = {item_id: row for row, item_id in enumerate(ids)}
            index.add(self._items_in_order(missing), matrix[[position[i] for i in missing]])
        return len(missing), len(orphans)

    def _items_in_order(self, ids: list[int]) -> list:
        by_id = {item.id: item for item in self.db.items(ids=ids)}
        return [by_id[i] for i in ids]

    def rebuild_index(self, progress: Progress | None = None) -> VectorIndex:
        """Throw the index away and rebuild it from SQLite (no model needed: embeddings are stored)."""
        self.lock.acquire()
        if self._index is not None:
            self._index.reset()
        else:
            if not self.settings.chroma_url:
                wipe(self.index_path)
            self._index = VectorIndex(self.index_path, self.settings.chroma_url, self.settings.chroma_token)
            self._index.reset()
        ids, matrix = self.db.embeddings()
        step = 500
        for start in range(0, len(ids), step):
            chunk = ids[start : start + step]
            self._index.add(self._items_in_order(chunk), matrix[start : start + step])
            if progress:
                progress(min(start + step, len(ids)), len(ids))
        if progress and not ids:
            progress(0, 0)
        return self._index
