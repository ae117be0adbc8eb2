"""The vector index on a Chroma server (`chroma run`), for a team: one record per item.

Kith computes every embedding itself: the collection is created without an
embedding function, so Chroma's default (which downloads a model) never exists.
Telemetry is off in the client's settings, whatever the environment says. On one
machine the index is the database's own vectors (app.store.vectors), not Chroma.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from app.errors import KithError
from models import Item, Kind

if TYPE_CHECKING:
    import numpy as np

COLLECTION = "kith_items"
BATCH = 1000


def client_settings() -> Any:
    """Chroma's client settings: telemetry off whatever the environment says."""
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=True)


class VectorIndex:
    """Items' embeddings in a Chroma server, by item id, with note, contact, kind and date as metadata."""

    def __init__(self, url: str, token: str | None = None):
        self.url = url
        # chromadb costs ~1.3 s to import: only server mode pays it.
        import chromadb

        parts = urlparse(url)
        try:
            self.client = chromadb.HttpClient(
                host=parts.hostname or "localhost", port=parts.port or 8000, ssl=parts.scheme == "https",
                headers={"Authorization": f"Bearer {token}"} if token else None,
                settings=client_settings(),
            )
            self.collection = self._collection()
        except Exception as e:  # Chroma raises many types for a server it cannot use.
            raise KithError(f"the index server at {url} cannot be used: {e}", title="Index") from e

    def _collection(self) -> Any:
        return self.client.get_or_create_collection(
            COLLECTION, embedding_function=None,
            configuration={"hnsw": {"space": "cosine", "ef_construction": 200, "ef_search": 200}},
        )

    def count(self) -> int:
        return int(self.collection.count())

    def ids(self) -> set[int]:
        got = self.collection.get(include=[])
        return {int(i) for i in got["ids"]}

    def add(self, items: Iterable[Item], embeddings: np.ndarray) -> None:
        items = list(items)
        for start in range(0, len(items), BATCH):
            chunk = items[start : start + BATCH]
            self.collection.upsert(
                ids=[str(i.id) for i in chunk],
                embeddings=embeddings[start : start + BATCH].tolist(),
                metadatas=[{"note_id": i.note_id, "contact_id": i.contact_id, "kind": i.kind.value,
                            "date": i.date.isoformat() if i.date else ""} for i in chunk],
            )

    def delete(self, ids: Iterable[int]) -> None:
        ids = [str(i) for i in ids]
        if ids:
            self.collection.delete(ids=ids)

    def query(self, embedding: np.ndarray, limit: int, *, kind: Kind | None = None,
              contact_id: int | None = None) -> list[tuple[int, float]]:
        """Item ids nearest to embedding, with cosine similarity, best first."""
        total = self.count()
        if total == 0:
            return []
        clauses: list[dict] = []
        if contact_id is not None:
            clauses.append({"contact_id": contact_id})
        if kind is not None:
            clauses.append({"kind": kind.value})
        where = None if not clauses else clauses[0] if len(clauses) == 1 else {"$and": clauses}
        try:
            got = self.collection.query(query_embeddings=[embedding.tolist()], n_results=min(limit, total),
                                        where=where, include=["distances"])
        except Exception as e:  # Chroma raises many types for a damaged segment.
            raise KithError(f"the index server at {self.url} cannot be searched: {e}", title="Index") from e
        return [(int(i), 1.0 - float(d)) for i, d in zip(got["ids"][0], got["distances"][0], strict=True)]

    def reset(self) -> None:
        """Drop every record (the collection is recreated empty)."""
        if any(getattr(c, "name", c) == COLLECTION for c in self.client.list_collections()):
            self.client.delete_collection(COLLECTION)
        self.collection = self._collection()
