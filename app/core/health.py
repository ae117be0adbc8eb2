"""Store health: SQLite integrity, and whether the index agrees with the database."""

from __future__ import annotations

from typing import Any

from app.core.phrasing import counted
from app.core.rereading import stale
from app.errors import IndexUnreachable, KithError
from app.store.embedder import DIMENSIONS
from app.store.index import Connection, ServerIndex, database_name
from app.store.store import Store


def check(store: Store) -> dict[str, Any]:
    """Each check with ok and a detail; never repairs anything."""
    checks: list[dict[str, Any]] = []

    def add(name: str, ok: bool, detail: str, fix: str = "`kith reindex` rebuilds the index from the database") -> None:
        checks.append({"name": name, "ok": ok, "detail": detail} | ({} if ok else {"fix": fix}))

    integrity = store.db.integrity()
    add("database", integrity == "ok", "integrity ok" if integrity == "ok" else integrity)
    counts = store.db.counts()
    add("records", True, ", ".join(f"{v} {k}" for k, v in counts.items()))
    ids, matrix = store.db.embeddings()
    if not store.on_server:
        whole = matrix.size == 0 or matrix.shape[1] == DIMENSIONS
        add("index", whole, f"{len(ids)} vectors in the database, searched exactly" if whole
            else f"vectors of {matrix.shape[1]} numbers where {DIMENSIONS} are expected; run `kith reindex`")
    else:
        add("index", *_server_check(store, ids, matrix))  # type: ignore[arg-type]
    from app.core.matching import pairs_version

    version = store.db.meta("pairs_version")
    pairs, shown = store.db.conn.execute("SELECT count(*), coalesce(sum(shown), 0) FROM pairs").fetchone()
    current = version == pairs_version() or not counts["items"]
    add("matches", current, f"{pairs} candidate pairs scored, {shown} shown" if current
        else "scored by an older Kith; `kith matches` or `kith reindex` scores them again")
    without = store.db.count_without_pieces()
    add("word-pieces", without == 0, "every item's word-pieces kept" if not without
        else f"{counted(without, 'item')} understood before Kith kept their word-pieces (matched less well)",
        "`kith reindex` keeps them")
    pending = len(store.db.notes(understood=False))
    add("understood", pending == 0, "every note understood" if not pending else f"{pending} notes waiting")
    again, kept = stale(store)
    add("reading", not again, ("every note read by this version of Kith" if not again and not kept else
                               f"{counted(again + kept, 'note')} read by an older version of Kith"
                               + (f", {kept} with a story shared with the team (kept as read)" if kept else "")),
        "`kith reindex` reads them again, keeping ticked follow-ups, matches marked and introductions")
    return {"ok": all(c["ok"] for c in checks), "checks": checks}


def _server_check(store: Store, ids: list[int], matrix) -> tuple:
    """(ok, detail[, fix]): whether the index server has every item SQLite says it has, and how many notes
    wait for it."""
    notes, items = store.db.waiting_for_index()
    waiting = (f"{counted(notes, 'note')} ({counted(items, 'item')}) {'waits' if notes == 1 else 'wait'} to be indexed"
               if items else "none waits to be indexed")
    try:
        assert store.settings.index_url and store.token
        connection = Connection(store.settings.index_url, store.token)
        try:
            server = ServerIndex(connection, database_name(store.home_id()))
            have = server.ids()
            if ids:
                server.query(matrix[0], 1)  # the vectors themselves must answer, not only the ids
        finally:
            connection.close()
    except IndexUnreachable as e:
        return False, f"{e.message}; {waiting}", ("start the index server (or its proxy): the next search or note "
                                                 "sends what waits")
    except KithError as e:
        return False, f"{e.message}; {waiting}", "see the line above"
    if store.db.meta("index_collection") != server.identity and ids:  # new to this server, or it lost them all
        return False, (f"the server at {store.settings.index_url} has none of this home's {len(ids)} items: the next "
                       "search or note sends them all, or `kith reindex`")
    sent = set(ids) - set(store.db.unindexed(len(ids) + 1))
    missing, orphans = sent - have, have - set(ids)
    ok = not missing and not orphans
    return ok, f"{counted(len(have), 'item')} on the server at {store.settings.index_url}; {waiting}" + (
        "" if ok else f"; {len(missing)} missing there, {len(orphans)} there no longer in the database")
