"""The matches screen on a team's index server: t shares the solver's story (the real server and proxy)."""

from __future__ import annotations

import datetime as dt
from unittest.mock import ANY

from app.config import Settings
from app.core.notebook import Notebook
from app.tui.app import make_app
from models import Kind, NoteIn
from tests.tui.pilot import SIZE, live_panel, open_matches, settle

STORY = ("No-shows used to kill their weekend restaurant covers. Fix: a small card deposit for every Friday and "
         "Saturday booking, refunded on arrival, plus a reminder text the morning of. No-shows went from ~18% to 2%.")


async def test_t_shares_the_solvers_story_and_says_who_you_are_first(tmp_path, real_embedder, index_server):
    settings = Settings(home=tmp_path / "home", index_url=index_server.url, index_token=index_server.token)
    notebook = Notebook(settings, real_embedder)
    notebook.save_note(NoteIn(contact="Marco Bellini", date=dt.date(2026, 10, 20),
                              text="Saturday no-shows are around 20%, tables sit empty while people queue outside."))
    notebook.save_note(NoteIn(contact="Sana Qureshi", date=dt.date(2026, 10, 2), text=STORY))
    app = make_app(notebook)
    async with app.run_test(size=SIZE) as pilot:
        assert (await open_matches(app, pilot)).matches[0].solution.text == STORY
        await pilot.press("t")
        await settle(app, pilot)
        assert any("kith share ID --as 'Your Name'" in n.message for n in app._notifications)
        with notebook.store.db.transaction():
            notebook.store.db.set_meta("member_name", "Maria Lopez")
        await pilot.press("t")
        await settle(app, pilot)
        assert any(n.message == "Sana Qureshi's story is shared with your team." for n in app._notifications)
        home_id = notebook.store.home_id()
    stories = index_server.direct("kith-team").get_collection("shared_stories", embedding_function=None)
    got = stories.get(include=["documents", "metadatas"])
    assert [(d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
            if i.startswith(home_id)] == [(STORY, {"solver": "Sana Qureshi", "member": "Maria Lopez", "paired": ANY,
                                                  "paired_with": ANY})]


async def test_t_is_not_offered_without_a_team_server(make):
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        assert (await open_matches(app, pilot)).check_action("share", ()) is False


async def test_a_colleagues_shared_story_shows_in_the_live_panel(tmp_path, real_embedder, index_server):
    from app.core.team import share

    def member(name: str) -> Notebook:
        return Notebook(Settings(home=tmp_path / name, index_url=index_server.url, index_token=index_server.token),
                        real_embedder)

    maria = member("maria")
    maria.save_note(NoteIn(contact="Sana Qureshi", date=dt.date(2026, 10, 2), text=STORY))
    story = maria.store.db.items(kinds=[Kind.SOLUTION])[0]
    share(maria.store, story.id, member="Maria Lopez")
    maria.close()
    app = make_app(member("ana"))
    async with app.run_test(size=SIZE) as pilot:
        live = await live_panel(app, pilot, "Lwazi Nkosi",
                                "Our Saturday dinner bookings are a disaster, a fifth of guests never show up.")
        assert "ask Maria Lopez: their contact Sana Qureshi solved this" in live
