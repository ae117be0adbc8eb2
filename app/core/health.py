"""Store health: SQLite integrity, and whether the index agrees with the database."""

from __future__ import annotations

from typing import Any

from app.errors import KithError
from app.store.embedder import DIMENSIONS
from app.store.index import VectorIndex
from app.store.store import Store


def check(store: Store) -> dict[str, Any]:
    """Each check with ok and a detail; never repairs anything."""
    checks: list[dict[str, Any]] = []

    def add(name: str, ok: bool, detail: str) -> None:
        checks.append({"name": name, "ok": ok, "detail": detail})

    integrity = store.db.integrity()
    add("database", integrity == "ok", "integrity ok" if integrity == "ok" else integrity)
    counts = store.db.counts()
    add("records", True, ", ".join(f"{v} {k}" for k, v in counts.items()))
    ids, matrix = store.db.embeddings()
    if not store.settings.chroma_url:
        whole = matrix.size == 0 or matrix.shape[1] == DIMENSIONS
        add("index", whole, f"{len(ids)} vectors in the database, searched exactly" if whole
            else f"vectors of {matrix.shape[1]} numbers where {DIMENSIONS} are expected; run `kith reindex`")
    else:
        try:
            index = VectorIndex(store.settings.chroma_url, store.settings.chroma_token)
            have = index.ids()
            if ids:
                index.query(matrix[0], 1)  # the vectors themselves must answer, not only the ids
        except KithError as e:
            add("index", False, f"unreadable: {e.message}")
        else:
            missing = set(ids) - have
            orphans = have - set(ids)
            ok = not missing and not orphans
            add("index", ok, f"{len(have)} records on the server" + ("" if ok else
                f"; {len(missing)} missing, {len(orphans)} orphan"))
    from app.core.matching import pairs_version

    version = store.db.meta("pairs_version")
    pairs, shown = store.db.conn.execute("SELECT count(*), coalesce(sum(shown), 0) FROM pairs").fetchone()
    current = version == pairs_version() or not counts["items"]
    add("matches", current, f"{pairs} candidate pairs scored, {shown} shown" if current
        else "scored by an older Kith; `kith matches` or `kith reindex` scores them again")
    pending = len(store.db.notes(understood=False))
    add("understood", pending == 0, "every note understood" if not pending else f"{pending} notes waiting")
    return {"ok": all(c["ok"] for c in checks), "checks": checks}
