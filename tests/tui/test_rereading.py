"""Opened on a store an older Kith read, the app reads its notes again in the background and says so."""

from __future__ import annotations

import sqlite3

from app.core.notebook import Notebook
from app.core.understand import reading_version
from tests.tui.pilot import SIZE, settle


def readings(home) -> dict[str | None, int]:
    with sqlite3.connect(home / "kith.db") as conn:
        return dict(conn.execute("SELECT reading, count(*) FROM notes GROUP BY reading").fetchall())


async def test_the_app_reads_again_the_notes_an_older_kith_read(make_on_demo):
    with sqlite3.connect(make_on_demo.home / "kith.db") as conn:
        conn.execute("UPDATE notes SET reading = NULL")
    app = make_on_demo()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert [n.message for n in app._notifications] == [
            "Read 53 notes again with this version of Kith: ticked follow-ups, matches marked and introductions kept."]
        assert app.sub_title == "ready"
    assert readings(make_on_demo.home) == {reading_version(): 53}


async def test_a_store_this_kith_read_is_not_read_again(make_on_demo):
    app = make_on_demo()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert not app._notifications
        assert app.sub_title == "ready"


async def test_on_a_teams_server_the_app_leaves_it_to_reindex_and_says_so(make_on_demo, monkeypatch):
    """Reading again replaces items the server's copy holds: `kith reindex`, which rebuilds that copy, does it."""
    with sqlite3.connect(make_on_demo.home / "kith.db") as conn:
        conn.execute("UPDATE notes SET reading = NULL")
    monkeypatch.setattr(Notebook, "on_team_server", property(lambda self: True))
    app = make_on_demo()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert [n.message for n in app._notifications] == [
            "53 notes read by an older version of Kith: `kith reindex` reads them again."]
    assert readings(make_on_demo.home) == {None: 53}
