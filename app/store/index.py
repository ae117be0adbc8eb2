"""The index on a Chroma server (`chroma run` behind a token-checking proxy): one record per item.

Each Kith home has its own database on the server (named by the home's id); SQLite stays the
record, so the server holds nothing that cannot be sent again. Kith computes every embedding
itself: collections are made without an embedding function, so Chroma's default (which downloads
a model) never exists. Telemetry is off in the client's settings, whatever the environment says.

Chroma's `/api/v2/version` says "1.0.0" whatever the server is, so the server is recognised by
its API description (`/openapi.json`), which changes between chromadb releases: a server of
another release is refused before anything is sent.
"""

from __future__ import annotations

import hashlib
import json
import socket
import stat
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlparse

from app.errors import IndexUnreachable, KithError
from models import Item, Kind

if TYPE_CHECKING:
    import numpy as np

    from app.config import Settings

CHROMADB = "1.5.9"
"""The chromadb of the `team` extra: the client Kith speaks with, and the server it expects."""
SERVER_API = "87ed3eb9f85ee00a25e43f4bf59d6b995a94038cc443b031b0340013912efcfb"
"""sha256 of the API description (`/openapi.json`, keys sorted) served by CHROMADB's `chroma run`."""
COLLECTION = "kith_items"
BATCH = 1000
TIMEOUT = 30.0
"""Seconds any request to the server may take (chromadb's own client would wait for ever)."""
CONNECT_TIMEOUT = 5.0
T = TypeVar("T")


def client_settings(host: str, port: int, ssl: bool, token: str) -> Any:
    """Chroma's client settings for the server behind the proxy: telemetry off whatever the environment says."""
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False, chroma_api_impl="chromadb.api.fastapi.FastAPI",
                    chroma_server_host=host, chroma_server_http_port=port, chroma_server_ssl_enabled=ssl,
                    chroma_server_headers={"Authorization": f"Bearer {token}"})


def index_token(settings: Settings) -> str:
    """The proxy's token, from KITH_INDEX_TOKEN or the file KITH_INDEX_TOKEN_FILE names."""
    if settings.index_token and settings.index_token_file:
        raise KithError("set KITH_INDEX_TOKEN or KITH_INDEX_TOKEN_FILE, not both", title="Index")
    if settings.index_token:
        return settings.index_token.strip()
    if not settings.index_token_file:
        raise KithError(f"KITH_INDEX_URL is set ({settings.index_url}) but no token: set KITH_INDEX_TOKEN_FILE "
                        "(a file holding the token) or KITH_INDEX_TOKEN", title="Index")
    path = Path(settings.index_token_file).expanduser()
    try:
        mode = path.stat().st_mode
        token = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) else "not text"
        raise KithError(f"KITH_INDEX_TOKEN_FILE {path}: cannot be read ({reason})", title="Index") from None
    if stat.S_IMODE(mode) & 0o077:
        raise KithError(f"KITH_INDEX_TOKEN_FILE {path} can be read by others (mode {oct(stat.S_IMODE(mode))}): "
                        f"`chmod 600 {path}`", title="Index")
    if not token:
        raise KithError(f"KITH_INDEX_TOKEN_FILE {path} is empty", title="Index")
    return token


def server_address(url: str) -> tuple[str, int, bool]:
    """(host, port, https) of KITH_INDEX_URL."""
    parts = urlparse(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in ("http", "https") or not parts.hostname or port == -1 or parts.path not in ("", "/"):
        raise KithError(f"KITH_INDEX_URL {url!r} is not an address like https://index.example.com or "
                        "http://127.0.0.1:8443", title="Index")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80), parts.scheme == "https"


def probe(url: str, token: str) -> None:
    """Ask the server, through its proxy, to describe its API: that tells whether it can be reached, takes
    the token and is CHROMADB's `chroma run`, each with its own one-line error."""
    request = urllib.request.Request(url.rstrip("/") + "/openapi.json", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=CONNECT_TIMEOUT) as response:
            body = response.read()
    except urllib.error.HTTPError as e:
        if e.code in (401, 403):
            raise KithError(f"the index server at {url} refused the token ({e.code} {e.reason}): check "
                            "KITH_INDEX_TOKEN or the file KITH_INDEX_TOKEN_FILE names", title="Index") from None
        if e.code in (502, 503, 504):
            raise IndexUnreachable(f"the index server at {url} is down behind its proxy ({e.code} {e.reason})") \
                from None
        raise KithError(f"{url} is not a Chroma {CHROMADB} server ({e.code} {e.reason} for its API description)",
                        title="Index") from None
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise IndexUnreachable(f"the index server at {url} cannot be reached ({_reason(reason)})") from None
    try:
        api = hashlib.sha256(json.dumps(json.loads(body), sort_keys=True).encode()).hexdigest()
    except ValueError:
        api = ""
    if api != SERVER_API:
        raise KithError(f"the index server at {url} is not chromadb {CHROMADB}'s `chroma run` (its API differs): "
                        f"run the server of chromadb=={CHROMADB}, as Kith's client is", title="Index")


def _reason(reason: object) -> str:
    if isinstance(reason, socket.timeout | TimeoutError):
        return f"no answer within {CONNECT_TIMEOUT:.0f} s"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return str(reason)


def _failure(url: str, e: Exception) -> KithError:
    """A failed request as Kith's one line: the server gone (it may come back) or something else."""
    import httpx

    seen: BaseException | None = e
    while seen is not None:
        if isinstance(seen, httpx.TransportError):
            return IndexUnreachable(f"the index server at {url} cannot be reached ({seen or type(seen).__name__})")
        if isinstance(seen, httpx.HTTPStatusError) and seen.response.status_code in (502, 503, 504):
            return IndexUnreachable(f"the index server at {url} is down behind its proxy "
                                    f"({seen.response.status_code})")
        seen = seen.__cause__ or seen.__context__
    text = " ".join(str(e).split()) or type(e).__name__
    return KithError(f"the index server at {url} failed: {text[:300]}", title="Index")


class Connection:
    """The server behind its proxy, checked once: reachable, taking the token, CHROMADB's `chroma run`."""

    def __init__(self, url: str, token: str):
        self.url = url
        self.token = token
        self.address = server_address(url)
        probe(url, token)
        try:
            import chromadb  # ~1.3 s to import (and ~0.6 s more to build a client): only server mode pays it
        except ImportError:
            raise KithError("the index server needs the Chroma client: pip install 'kith[team]'", title="Index") \
                from None
        if chromadb.__version__ != CHROMADB:
            raise KithError(f"Kith speaks to the index server with chromadb {CHROMADB}; this Python has "
                            f"{chromadb.__version__}: pip install 'kith[team]'", title="Index")
        self._clients: list[Any] = []

    def call(self, work: Callable[[], T]) -> T:
        """Run a request; any failure becomes one line (IndexUnreachable when the server may come back)."""
        try:
            return work()
        except KithError:
            raise
        except Exception as e:  # chromadb raises httpx's errors, its own, ValueError and bare Exception
            raise _failure(self.url, e) from None

    def client(self, database: str) -> Any:
        """A client of one database on the server (made when new)."""
        import chromadb

        def connect() -> Any:
            admin = _bounded(chromadb.AdminClient(client_settings(*self.address, self.token)))
            try:
                admin.get_database(database)
            except chromadb.errors.NotFoundError:
                try:
                    admin.create_database(database)
                except chromadb.errors.ChromaError:  # made by another process meanwhile
                    admin.get_database(database)
            return _bounded(chromadb.Client(client_settings(*self.address, self.token), database=database))

        client = self.call(connect)
        self._clients.append(client)
        return client

    def collection(self, client: Any, name: str) -> Any:
        """A collection of cosine space without an embedding function (Kith sends every vector)."""
        return self.call(lambda: client.get_or_create_collection(
            name, embedding_function=None,
            configuration={"hnsw": {"space": "cosine", "ef_construction": 200, "ef_search": 200}}))

    def close(self) -> None:
        for client in self._clients:
            client.close()


class ServerIndex:
    """One home's item vectors on a Chroma server, by item id, with note, contact, kind and date as metadata."""

    def __init__(self, connection: Connection, database: str):
        self.connection = connection
        self._call = connection.call
        self.client = connection.client(database)
        self.collection = connection.collection(self.client, COLLECTION)

    @property
    def identity(self) -> str:
        """The collection's id: a new one means the server lost (or never had) this home's records."""
        return str(self.collection.id)

    def count(self) -> int:
        return int(self._call(self.collection.count))

    def ids(self) -> set[int]:
        got = self._call(lambda: self.collection.get(include=[]))
        return {int(i) for i in got["ids"]}

    def add(self, items: Iterable[Item], embeddings: np.ndarray) -> None:
        items = list(items)
        for start in range(0, len(items), BATCH):
            chunk = items[start : start + BATCH]
            self._call(lambda chunk=chunk, start=start: self.collection.upsert(
                ids=[str(i.id) for i in chunk],
                embeddings=embeddings[start : start + BATCH].tolist(),
                metadatas=[{"note_id": i.note_id, "contact_id": i.contact_id, "kind": i.kind.value,
                            "date": i.date.isoformat() if i.date else ""} for i in chunk],
            ))

    def query(self, embedding: np.ndarray, limit: int, *, kind: Kind | None = None,
              contact_id: int | None = None, beside_word_search: bool = False) -> list[tuple[int, float]]:
        """Item ids nearest to embedding, with cosine similarity, best first (the scan is the server's:
        beside_word_search changes nothing here)."""
        clauses: list[dict] = []
        if contact_id is not None:
            clauses.append({"contact_id": contact_id})
        if kind is not None:
            clauses.append({"kind": kind.value})
        where = None if not clauses else clauses[0] if len(clauses) == 1 else {"$and": clauses}
        got = self._call(lambda: self.collection.query(query_embeddings=[embedding.tolist()], n_results=limit,
                                                       where=where, include=["distances"]))
        return [(int(i), 1.0 - float(d)) for i, d in zip(got["ids"][0], got["distances"][0], strict=True)]

    def reset(self) -> None:
        """Drop every record (the collection is made again, empty, under a new id)."""

        def drop() -> None:
            if any(c.name == COLLECTION for c in self.client.list_collections()):
                self.client.delete_collection(COLLECTION)

        self._call(drop)
        self.collection = self.connection.collection(self.client, COLLECTION)


def _bounded(client: Any) -> Any:
    """chromadb's HTTP session waits for ever (httpx timeout=None): give it a limit."""
    import httpx

    client._server._session.timeout = httpx.Timeout(TIMEOUT, connect=CONNECT_TIMEOUT)
    return client


def database_name(home_id: str) -> str:
    """The server database that holds one home's records."""
    return f"kith-{home_id}"
