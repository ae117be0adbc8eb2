"""Opened on a store an older Kith read, the app reads its notes again in the background and says so."""

from __future__ import annotations

import sqlite3

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
