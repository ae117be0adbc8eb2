"""The index on a Chroma server behind the token-checking proxy: the real `chroma run`, the real Caddy,
the real `kith` command, on loopback ports."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT, Kith, imported_demo, on_server, own_index_server

QUERIES = ["who fixed restaurant no-shows", "who struggles with hiring", "who has a dog", "who got paid on time",
           "who solved onboarding problems", "who is training for a marathon", "who lowered energy bills",
           "kids starting school", "who knows about pricing", "who is stuck with late invoices"]
OTHER_CHROMADB = "1.1.1"
"""A real chromadb release whose server Kith must refuse (its API differs from the pinned one's)."""


@pytest.fixture(scope="module")
def embedded(tmp_path_factory) -> Kith:
    """The demo network in an embedded home (its index is the database's own vectors)."""
    return imported_demo(tmp_path_factory, "embedded")


def database(home: Path) -> tuple[str, list[int]]:
    """The home's database name on the server, and the ids of its items (read from SQLite itself)."""
    with sqlite3.connect(home / "kith.db") as db:
        home_id = db.execute("SELECT value FROM meta WHERE key = 'home_id'").fetchone()[0]
        return f"kith-{home_id}", [r[0] for r in db.execute("SELECT id FROM items ORDER BY id")]


def on_the_server(server, home: Path) -> list[int]:
    """The item ids the server holds for this home, read past the proxy."""
    name, _ = database(home)
    got = server.direct(name).get_collection("kith_items", embedding_function=None).get(include=[])
    return sorted(int(i) for i in got["ids"])


def one_line(result) -> str:
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    return lines[0]


def records(kith: Kith) -> str:
    return kith.ok("doctor", "--json").json()["checks"][1]["detail"]


def test_a_notebook_moved_onto_the_server_answers_as_it_did_and_reindex_rebuilds_it(embedded, index_server, tmp_path):
    from app.config import Settings
    from app.core.search import search
    from app.store.embedder import Embedder
    from app.store.store import Store

    shutil.copytree(embedded.home, tmp_path / "home")
    kith = on_server(tmp_path / "home", tmp_path / "net.log", index_server, ANONYMIZED_TELEMETRY="True")
    query = "who fixed restaurant no-shows"  # the first search sends every item
    assert kith.ok("search", query, "--json").json() == embedded.ok("search", query, "--json").json()
    assert kith.ok("matches", "--json").json() == embedded.ok("matches", "--json").json()

    embedder = Embedder()
    here = Store(Settings(home=embedded.home), embedder)
    there = Store(Settings(home=kith.home, index_url=index_server.url, index_token=index_server.token), embedder)
    try:
        for query in QUERIES:  # the server's nearest neighbours are the exact scan's, to the fourth decimal
            exact, served = search(here, query, limit=20), search(there, query, limit=20)
            assert [(h.contact, h.text) for h in served] == [(h.contact, h.text) for h in exact], query
            assert [h.score for h in served] == pytest.approx([h.score for h in exact], abs=2e-4)
    finally:
        here.close()
        there.close()
    doctor = kith.ok("doctor", "--json").json()
    _, ids = database(kith.home)
    assert doctor["ok"] and doctor["checks"][2]["detail"].startswith(f"{len(ids)} items on the server")
    assert on_the_server(index_server, kith.home) == ids
    assert kith.network_attempts() == []  # nothing but the proxy: no telemetry (though asked), not the server itself

    index_server.direct(database(kith.home)[0]).delete_collection("kith_items")  # the server loses it all
    broken = kith("doctor")
    assert broken.code == 1 and f"has none of this home's {len(ids)} items" in broken.out
    assert kith.ok("reindex", "--json").json() == {"indexed": len(ids), "read_again": 0, "kept_as_read": 0}
    assert kith.ok("doctor").code == 0 and on_the_server(index_server, kith.home) == ids


def test_no_token_or_a_wrong_one_is_one_line_and_writes_nothing(index_server, tmp_path):
    kith = on_server(tmp_path / "home", tmp_path / "net.log", index_server)
    kith.ok("add", "--contact", "Ana Lima", "Her team keeps missing deadlines.")
    before = records(kith)

    bare = on_server(tmp_path / "home", tmp_path / "net.log", index_server, KITH_INDEX_TOKEN="")
    result = bare("add", "--contact", "Ben Ode", "What fixed their deadlines was a weekly planning hour.")
    assert result.code == 1 and "no token: set KITH_INDEX_TOKEN_FILE" in one_line(result)
    fresh = on_server(tmp_path / "fresh", tmp_path / "net.log", index_server, KITH_INDEX_TOKEN="")
    assert fresh("contacts").code == 1 and not fresh.home.exists()

    wrong = on_server(tmp_path / "home", tmp_path / "net.log", index_server, KITH_INDEX_TOKEN="not-the-team-token")
    for args in (("add", "--contact", "Ben Ode", "What fixed their deadlines was a weekly planning hour."),
                 ("search", "deadlines")):
        result = wrong(*args)
        assert result.code == 1 and "refused the token (401 Unauthorized)" in one_line(result)
    assert records(kith) == before

    token = tmp_path / "token"
    token.write_text(index_server.token + "\n")
    token.chmod(0o644)
    from_file = on_server(tmp_path / "home", tmp_path / "net.log", index_server, KITH_INDEX_TOKEN="",
                          KITH_INDEX_TOKEN_FILE=str(token))
    result = from_file("search", "deadlines")
    assert result.code == 1 and "can be read by others" in one_line(result)
    token.chmod(0o600)
    assert from_file.ok("search", "deadlines", "--json").json()[0]["contact"] == "Ana Lima"


def test_the_server_stopped_mid_session_loses_nothing_and_gets_it_all_when_back(tmp_path):
    server = own_index_server(tmp_path / "server")
    try:
        kith = on_server(tmp_path / "home", tmp_path / "net.log", server)
        kith.ok("add", "--contact", "Ana Lima", "Her team keeps missing deadlines.")

        server.stop_chroma()  # behind a proxy that still answers
        added = kith("add", "--contact", "Ben Ode", "What fixed their deadlines was a weekly planning hour.")
        assert added.code == 0 and "down behind its proxy (502 Bad Gateway): indexed when it is back (1 item waits" \
            in one_line(added)
        server.stop_proxy()  # nothing answers at all
        added = kith("add", "--contact", "Cy Ng", "Cy's son Theo starts school in September.")
        assert added.code == 0 and "cannot be reached (connection refused): indexed when it is back (2 items wait" \
            in one_line(added)
        assert "planning hour" in kith.ok("recap", "Ben Ode").out  # saved, and read without the server
        search = kith("search", "deadlines")
        assert search.code == 1 and "cannot be reached" in one_line(search)
        doctor = kith("doctor")
        assert doctor.code == 1 and "2 notes (2 items) wait to be indexed" in doctor.out

        server.start_chroma()  # the same data: restarted
        server.start_proxy()
        hits = kith.ok("search", "who fixed missed deadlines", "--json").json()
        assert hits[0]["contact"] == "Ben Ode"
        assert "none waits" in kith.ok("doctor").out
        _, ids = database(kith.home)
        assert on_the_server(server, kith.home) == ids and len(ids) == 3

        server.stop_chroma()  # a server that lost everything (a new, empty data folder)
        server.start_chroma(tmp_path / "server" / "empty")
        assert kith("doctor").code == 1
        assert kith.ok("search", "who is starting school", "--json").json()[0]["contact"] == "Cy Ng"
        assert on_the_server(server, kith.home) == ids
    finally:
        server.stop()
    assert kith.network_attempts() == []


def test_several_processes_adding_to_one_home_save_and_index_every_note_once(index_server, tmp_path):
    kith = on_server(tmp_path / "home", tmp_path / "net.log", index_server)
    notes = [(f"Person {n}", f"Person {n}'s team keeps missing deadlines number {n}.") for n in range(4)]
    procs = [kith.start("add", "--contact", name, text, KITH_LOCK_TIMEOUT="30") for name, text in notes]
    for proc in procs:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
    doctor = kith.ok("doctor", "--json").json()
    assert doctor["ok"] and "4 contacts, 4 notes, 4 items" in doctor["checks"][1]["detail"]
    assert on_the_server(index_server, kith.home) == database(kith.home)[1]


@pytest.fixture(scope="module")
def other_chromadb() -> list[str]:
    """`chroma` of another chromadb release, fetched once from PyPI into the temporary folder."""
    target = Path(tempfile.gettempdir()) / f"kith-test-chromadb-{OTHER_CHROMADB}"
    if not (target / "chromadb").exists():
        fetched = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                                  str(target), f"chromadb=={OTHER_CHROMADB}"], capture_output=True, text=True)
        if fetched.returncode:
            shutil.rmtree(target, ignore_errors=True)
            pytest.skip(f"chromadb {OTHER_CHROMADB} could not be fetched from PyPI: {fetched.stderr[-300:]}")
    return [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(target)!r}); sys.argv[0] = 'chroma'; "
            "from chromadb.cli.cli import app; app()"]


def test_a_server_of_another_chromadb_is_refused_before_anything_is_written(other_chromadb, tmp_path):
    server = own_index_server(tmp_path / "server", chroma_command=other_chromadb)
    try:
        kith = on_server(tmp_path / "home", tmp_path / "net.log", server)
        result = kith("add", "--contact", "Ana Lima", "Her team keeps missing deadlines.")
        assert result.code == 1 and "is not chromadb 1.5.9's `chroma run` (its API differs)" in one_line(result)
        assert "0 contacts, 0 notes" in Kith(kith.home, kith.net_log).ok("doctor", "--json").json()["checks"][1][
            "detail"]
    finally:
        server.stop()


def test_the_client_is_the_chromadb_the_team_extra_pins():
    from app.store.index import CHROMADB

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert f"chromadb=={CHROMADB}" in extras["team"] and f"chromadb=={CHROMADB}" in extras["test"]


def test_an_app_open_all_day_keeps_saving_while_the_server_is_gone(tmp_path):
    """One long-lived process (the app's notebook): connected once, the server goes, notes are saved and
    wait, the server returns, the next save sends everything."""
    from app.config import Settings
    from app.core.notebook import Notebook
    from app.store.embedder import Embedder
    from models import NoteIn

    server = own_index_server(tmp_path / "server")
    try:
        notebook = Notebook(Settings(home=tmp_path / "home", index_url=server.url, index_token=server.token),
                            Embedder())
        notebook.load_model()
        note = NoteIn(contact="Ana Lima", date="2026-10-02", text="Her team keeps missing deadlines.")
        assert notebook.save_note(note) == 1 and notebook.index_unreachable is None
        server.stop_chroma()
        notebook.save_note(NoteIn(contact="Ben Ode", date="2026-10-03", text="Ben runs marathons."))
        assert "down behind its proxy (502)" in notebook.index_unreachable
        assert notebook.store.db.waiting_for_index() == (1, 1)
        server.start_chroma()
        notebook.save_note(NoteIn(contact="Cy Ng", date="2026-10-04", text="Cy's son starts school."))
        assert notebook.index_unreachable is None and notebook.store.db.waiting_for_index() == (0, 0)
        assert [h.contact for h in notebook.search("who runs marathons", limit=1)] == ["Ben Ode"]
        notebook.close()
    finally:
        server.stop()
