"""A Kith home opened: the database, the vector index and (on demand) the embedder."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.config import Settings
from app.errors import IndexUnreachable
from app.store.db import KEPT, SHARED, TO_SHARE, TO_WITHDRAW, Database
from app.store.embedder import Embedder
from app.store.files import private_dir, private_umask
from app.store.vectors import FlatIndex

if TYPE_CHECKING:
    import numpy as np

    from app.store.index import Connection, ServerIndex
    from app.store.team import TeamStories

Progress = Callable[[int, int], None]
SEND_BATCH = 500
"""Items sent to the index server per request (and marked sent in SQLite after it)."""


class Store:
    """The home: SQLite is the record; the vector index is read from it, or kept on a Chroma server."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None, *, dry_run: bool = False):
        """dry_run: nothing is written, not even a new home: the database is an in-memory copy of the home's."""
        self.settings = settings
        self.token: str | None = None
        if settings.index_url:  # a missing token or a malformed address is refused before anything is written
            from app.store.index import index_token, server_address

            server_address(settings.index_url)
            self.token = index_token(settings)
        private_umask()
        self.home = Path(settings.home).expanduser()
        if dry_run:
            self.db = Database(self.home / "kith.db", busy_timeout=settings.lock_timeout, in_memory=True)
        else:
            private_dir(self.home)
            self.db = Database(self.home / "kith.db", busy_timeout=settings.lock_timeout)
        self.embedder = embedder or Embedder(settings.model)
        self._index: FlatIndex | None = None
        self._connection: Connection | None = None
        self._server: ServerIndex | None = None
        self._team: TeamStories | None = None
        self.unreachable: IndexUnreachable | None = None
        """Why the index server could not be reached the last time it was asked (server mode)."""
        if not settings.index_url and not dry_run and self.legacy_index_path.exists():
            # Kith before 0.2 kept an embedded Chroma copy of the vectors: derived, now unused.
            shutil.rmtree(self.legacy_index_path, ignore_errors=True)

    @property
    def legacy_index_path(self) -> Path:
        return self.home / "index"

    @property
    def on_server(self) -> bool:
        """The index is on a Chroma server (KITH_INDEX_URL)."""
        return bool(self.settings.index_url)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self.db.close()

    def home_id(self) -> str:
        """This home's id on index servers (its database there), made the first time one is used."""
        found = self.db.meta("home_id")
        if found is None:
            with self.db.transaction():
                found = self.db.meta("home_id") or uuid.uuid4().hex
                self.db.set_meta("home_id", found)
        return found

    def connection(self) -> Connection:
        """The index server, checked; raises KithError (IndexUnreachable when it may come back)."""
        if self._connection is None:
            from app.store.index import Connection

            assert self.settings.index_url and self.token
            self._connection = Connection(self.settings.index_url, self.token)
        return self._connection

    def server(self) -> ServerIndex:
        """This home's index on the server."""
        if self._server is None:
            from app.store.index import ServerIndex, database_name

            server = ServerIndex(self.connection(), database_name(self.home_id()))
            with self.db.transaction():
                if self.db.meta("index_collection") != server.identity:  # a new server, or one that lost it all
                    self.db.forget_indexed()
                    self.db.set_meta("index_collection", server.identity)
            self._server = server
        return self._server

    def index(self) -> FlatIndex | ServerIndex:
        """The vector index: exact search over SQLite's vectors, or the server with every waiting item sent."""
        if not self.on_server:
            if self._index is None:
                self._index = FlatIndex(self.db)
            return self._index
        self._send_waiting(self.server())
        self._send_shares()
        return self.server()

    def team(self) -> TeamStories:
        """The team's shared stories on the server."""
        if self._team is None:
            from app.store.team import TeamStories

            team = TeamStories(self.connection())
            with self.db.transaction():
                if self.db.meta("team_collection") != team.identity:  # new, or the server lost them
                    self.db.share_again()
                    self.db.set_meta("team_collection", team.identity)
            self._team = team
        return self._team

    def sync_index(self) -> int:
        """Send the index server the items it lacks; returns how many still wait (0 without a server).

        A server that cannot be reached is no error here (the notes are saved; unreachable says why they
        wait); a refused token or a server of another version is.
        """
        if not self.on_server:
            return 0
        try:
            self._send_waiting(self.server())
            self._send_shares()
            self.unreachable = None
        except IndexUnreachable as e:
            self.unreachable = e
        return self.db.waiting_for_index()[1]

    def _send_waiting(self, server: ServerIndex, progress: Progress | None = None) -> None:
        total = self.db.waiting_for_index()[1]
        done = last = 0
        while ids := self.db.unindexed(SEND_BATCH, after=last):
            last = ids[-1]
            items = self.db.items(ids=ids)
            found, matrix = self.db.embeddings(ids=ids)
            row = {item_id: n for n, item_id in enumerate(found)}
            sent = [i for i in items if i.id in row]
            if sent:
                server.add(sent, matrix[[row[i.id] for i in sent]])
            self.db.mark_indexed(items)
            done += len(ids)
            if progress:
                progress(min(done, total), total)

    def _send_shares(self) -> None:
        """Share the stories marked to be shared, withdraw those marked to be withdrawn."""
        if not self.db.sharing():
            return
        team = self.team()
        states = self.db.sharing()
        home_id = self.home_id()
        withdrawn = [i for i, state in states.items() if state == TO_WITHDRAW]
        shared = [i for i, state in states.items() if state == TO_SHARE]
        team.remove(home_id, withdrawn)
        if shared:
            member = self.db.meta("member_name") or "a colleague"
            items = self.db.items(ids=shared)
            found, matrix = self.db.embeddings(ids=[i.id for i in items])
            row = {item_id: n for n, item_id in enumerate(found)}
            items = [i for i in items if i.id in row]
            paired = self.db.paired_vectors([int(i.id or 0) for i in items])
            team.put(home_id, [(i.id, i.text, i.contact or "", member) for i in items],
                     matrix[[row[i.id] for i in items]], [paired.get(int(i.id or 0)) for i in items])
        self.db.set_share_states([(i, TO_WITHDRAW, KEPT) for i in withdrawn] +
                                 [(i, TO_SHARE, SHARED) for i in shared])

    def similarities(self, ids: list[int], vector: np.ndarray) -> list[tuple[int, float]]:
        """Cosine similarity of vector with these items' vectors (those that have one)."""
        if not self.on_server:
            return self.index().similarities(ids, vector)  # type: ignore[union-attr]
        found, matrix = self.db.embeddings(ids=ids)
        return list(zip(found, (matrix @ vector).tolist(), strict=True)) if found else []

    def rebuild_index(self, progress: Progress | None = None) -> FlatIndex | ServerIndex:
        """Rebuild the index from SQLite (no model needed: the vectors are stored)."""
        if not self.on_server:
            self._index = FlatIndex(self.db)
            total = self._index.count()
            if progress:
                progress(total, total)
            return self._index
        server = self.server()
        server.reset()
        with self.db.transaction():
            self.db.forget_indexed()
            self.db.set_meta("index_collection", server.identity)
        self._send_waiting(server, progress)
        return server
