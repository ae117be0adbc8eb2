"""Start-up: the first screen comes before the store, and nothing typed in the meantime is lost;
the contacts screen opens at once on a large network."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList
from textual.worker import WorkerCancelled, WorkerFailed

from app.config import Settings
from app.core.drafts import Drafts
from app.core.notebook import Notebook
from app.store.embedder import Embedder
from app.tui.app import make_app
from app.tui.capture import CaptureScreen
from app.tui.launch import OpenNotebook
from app.tui.lists import ROWS, ContactsScreen
from app.tui.person import PersonScreen
from models import NoteIn
from tests.conftest import ROOT
from tests.tui.pilot import note_text, press

SIZE = (120, 40)


class SlowOpen:
    """Opens the notebook only when the test says so: a store that takes its time (a slow disk, a big file)."""

    def __init__(self, home: Path):
        self.home = home
        self.gate = threading.Event()
        self.asked_from: list[threading.Thread] = []

    def __call__(self) -> Notebook:
        self.asked_from.append(threading.current_thread())
        assert self.gate.wait(timeout=20), "the store was never let open"
        return Notebook(Settings(home=self.home))


@pytest.fixture
def slow(tmp_path):
    """A store that opens only when the test lets it (a new user's: not even the folder exists yet),
    and the app on it; the store is let open at the end whatever happened."""
    opener = SlowOpen(tmp_path / "home")
    yield opener, make_app(opener, home=opener.home, load_model=False)
    opener.gate.set()


async def settle(app, pilot) -> None:
    """Every worker done and its messages handled. A read that a newer one replaced (exclusive workers)
    ends cancelled: wait again for the newer one."""
    for _ in range(10):
        try:
            await app.workers.wait_for_complete()
            break
        except WorkerCancelled:
            continue
    await pilot.pause()


def options(app) -> list[str]:
    shown = app.screen.query_one(OptionList)
    return [str(shown.get_option_at_index(i).prompt) for i in range(shown.option_count)]


# ------------------------------------------------------------- before the store is open


async def test_a_note_saved_before_the_store_is_open_is_saved_once_it_opens(slow):
    opener, app = slow
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CaptureScreen) and not app.store_open
        await pilot.press(*"Lena Ortiz", "enter", *"Her warehouse ships the wrong parts.")
        await pilot.pause(1.2)  # a draft tick passes: no folder yet, so nothing written, nothing lost
        assert note_text(app) == "Her warehouse ships the wrong parts."
        await press(pilot, "ctrl+s")
        assert opener.asked_from and all(t is not threading.main_thread() for t in opener.asked_from)
        assert not app.store_open  # the save waits for the store; the screen still answers
        assert note_text(app) == "Her warehouse ships the wrong parts."

        opener.gate.set()
        await settle(app, pilot)
        assert app.store_open
        assert [c.name for c in app.notebook.contacts()] == ["Lena Ortiz"]
        assert any("Saved the note on Lena Ortiz" in n.message for n in app._notifications)
        assert note_text(app) == ""  # saved, so the editor is free again
        assert Drafts(opener.home).load() is None


async def test_typing_before_the_store_opens_reaches_the_draft_once_it_does(slow):
    opener, app = slow
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, *"Lena Ortiz", "enter", *"half a thought about churn")
        opener.gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause(1.2)  # the next draft tick
        draft = Drafts(opener.home).load()
        assert draft is not None and (draft.contact, draft.text) == ("Lena Ortiz", "half a thought about churn")


async def test_what_was_typed_while_saving_is_not_cleared(slow):
    opener, app = slow
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, *"Lena Ortiz", "enter", *"First thought.", "ctrl+s")
        await pilot.press(*" And a second one.")  # typed while the save waits for the store
        opener.gate.set()
        await settle(app, pilot)
        assert note_text(app) == "First thought. And a second one."
        assert app.screen.query_one("#contact", Input).value == "Lena Ortiz"


async def test_a_store_that_cannot_be_opened_is_a_message(tmp_path):
    from app.tui.dialogs import ErrorScreen

    home = tmp_path / "home"

    def broken() -> Notebook:
        raise ValueError("KITH_LOCK_TIMEOUT: not a number")

    app = make_app(broken, home=home, load_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)
        assert "not a number" in app.screen.message
        assert not app.store_open


async def test_quitting_before_the_first_paint_is_no_crash(tmp_path):
    """The first paint also comes on a timer, in case no refresh reports it: fired as the app closes (a user
    quitting at once, a busy machine), it finds no screen and does nothing."""
    app = make_app(lambda: Notebook(Settings(home=tmp_path / "home")), home=tmp_path / "home", load_model=False)
    async with app.run_test(size=SIZE):
        pass
    app.painted = False  # as if the timer fired now, the screens gone
    app._first_paint()
    assert not app.painted


class Ordered(Notebook):
    """Keeps the order of its start-up reads; its contacts() waits until the test lets it answer."""

    def __init__(self, settings: Settings, embedder: Embedder):
        super().__init__(settings, embedder)
        self.gate = threading.Event()
        self.calls: list[str] = []

    def contacts(self):
        self.calls.append("contacts")
        assert self.gate.wait(timeout=20), "contacts() was never released"
        return super().contacts()

    def open_index(self) -> int:
        self.calls.append("vectors")
        return super().open_index()


async def test_the_model_loads_beside_the_contacts_and_the_vectors_come_after_them(tmp_path, real_embedder):
    """The vectors' read and the contacts' both hold the GIL: completion first, search's vectors after."""
    notebook = Ordered(Settings(home=tmp_path / "home"), real_embedder)
    notebook.save_note(NoteIn(contact="Lena Ortiz", date=dt.date(2026, 10, 1), text="Call with Lena."))
    app = make_app(notebook)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press(*"len")
            while not app.model_ready:  # "ready" does not wait for the contacts
                await pilot.pause(0.05)
            await pilot.pause()
            assert app.sub_title == "ready" and notebook.calls == ["contacts"]
            notebook.gate.set()
            await settle(app, pilot)
            assert notebook.calls == ["contacts", "vectors"]
            assert options(app) == ["Lena Ortiz"]  # what was typed meanwhile is completed
    finally:
        notebook.gate.set()


class FailsOnce(Notebook):
    """Its first read of the contacts fails (a disk that hiccups), the next ones do not."""

    def __init__(self, settings: Settings):
        super().__init__(settings)
        self.reads = 0

    def contacts(self):
        self.reads += 1
        if self.reads == 1:
            raise sqlite3.OperationalError("disk I/O error")
        return super().contacts()


async def test_contacts_the_start_could_not_read_are_read_again_for_completion(tmp_path):
    notebook = FailsOnce(Settings(home=tmp_path / "home"))
    notebook.save_note(NoteIn(contact="Lena Ortiz", date=dt.date(2026, 10, 1), text="Call with Lena."))
    app = make_app(notebook, load_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"len")
        await settle(app, pilot)
        assert notebook.reads == 2 and options(app) == ["Lena Ortiz"]


def test_opening_the_store_for_the_app_loads_the_model_beside_it(tmp_path):
    Embedder().load()  # prepared once, as after the first run
    notebook = OpenNotebook(tmp_path / "home")()
    try:
        loading = [t for t in threading.enumerate() if t.name == "kith-model"]
        assert loading or notebook.model_ready  # loading in its thread, or done already
        for thread in loading:
            thread.join(timeout=60)
        assert notebook.model_ready
    finally:
        notebook.close()


def test_the_start_up_path_imports_neither_the_model_nor_the_store(tmp_path):
    """What `kith` imports before App.run(), and before its first screen is drawn (run headless here)."""
    script = """
import json, sys
from textual.app import App
import app.cli
from app.tui.app import KithApp

HEAVY = ["torch", "transformers", "sentence_transformers", "chromadb", "onnxruntime", "tokenizers", "numpy",
         "pydantic", "models", "rapidfuzz", "dateutil", "sqlite3", "app.store.store", "app.core.notebook"]
seen = {}

def loaded():
    return sorted(name for name in HEAVY if name in sys.modules)

def run(self, *args, **kwargs):
    seen["run"] = loaded()
    return App.run(self, headless=True, size=(120, 40))

def first_paint(self):
    seen["first_paint"] = loaded()
    seen["screen"] = type(self.screen).__name__
    self.exit(0)

KithApp.run = run
KithApp._first_paint = first_paint
code = app.cli.main([])
print(json.dumps({"code": code, **seen}))
"""
    env = dict(os.environ, KITH_HOME=str(tmp_path / "home"))
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen == {"code": 0, "run": [], "first_paint": [], "screen": "CaptureScreen"}


def test_the_light_copies_stay_level_with_what_they_stand_for():
    from app import cli, config
    from models import Kind

    assert cli.KINDS == tuple(k.value for k in Kind)
    assert set(config.FIELDS) == set(config.Settings.model_fields)


# ------------------------------------------------------------------ contacts screen


def many(tmp_path, count: int) -> Notebook:
    """A store of count contacts (written straight to the database: faster than a note each)."""
    notebook = Notebook(Settings(home=tmp_path / "home"))
    db = notebook.store.db
    with db.transaction():
        for n in range(count):
            db.ensure_contact(f"Person {n:05d}", company=f"Company {n % 97}")
        db.ensure_contact("Zoë Zebedee", company="Zoo")
    return notebook


class GatedContacts(Notebook):
    def __init__(self, settings: Settings):
        super().__init__(settings)
        self.gate = threading.Event()

    def contacts(self):
        assert self.gate.wait(timeout=20), "contacts() was never released"
        return super().contacts()


async def test_the_contacts_screen_opens_at_once_and_lists_the_first_rows(tmp_path):
    many(tmp_path, 5_000).close()
    notebook = GatedContacts(Settings(home=tmp_path / "home"))
    app = make_app(notebook, load_model=False)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f6")  # straight away: nobody has read the contacts yet
            await pilot.pause()
            assert isinstance(app.screen, ContactsScreen)  # up while the contacts are still being read
            assert app.screen.query_one(OptionList).loading
            assert app.focused is app.screen.query_one("#filter")
            notebook.gate.set()
            await app.workers.wait_for_complete()
            await pilot.pause()
            shown = options(app)
            assert len(shown) == ROWS + 1 and shown[0].startswith("Person 00000")
            assert shown[-1] == f"{5_001 - ROWS:,} more — type to filter"
            await press(pilot, *"zebe")
            assert [line.split("  ")[0] for line in options(app)] == ["Zoë Zebedee"]
            await press(pilot, "ctrl+a", "ctrl+k", *"person 0499")
            assert [line.split()[1] for line in options(app)][:10] == [f"0499{n}" for n in range(10)]
    finally:
        notebook.gate.set()


async def test_the_contacts_screen_shows_the_contacts_already_read_while_it_reads_them_again(tmp_path):
    many(tmp_path, 1_000).close()
    notebook = GatedContacts(Settings(home=tmp_path / "home"))
    app = make_app(notebook, load_model=False)
    try:
        async with app.run_test(size=SIZE) as pilot:
            notebook.gate.set()
            await app.workers.wait_for_complete()  # the capture screen has read them, for completion
            await pilot.pause()
            notebook.gate.clear()
            await press(pilot, "f6")
            assert not app.screen.query_one(OptionList).loading
            assert options(app)[0].startswith("Person 00000")
            notebook.gate.set()
            await app.workers.wait_for_complete()
    finally:
        notebook.gate.set()


async def test_down_from_the_filter_picks_the_first_contact(tmp_path):
    app = make_app(many(tmp_path, 300), load_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await press(pilot, *"person 001")
        first = app.screen.names[app.screen.query_one(OptionList).get_option_at_index(0).id]
        await press(pilot, "down")
        contacts = app.screen.query_one(OptionList)
        assert app.focused is contacts and contacts.highlighted == 0
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen) and app.screen.person == first == "Person 00100"


async def test_the_screen_keys_work_from_the_note_editor_and_keep_the_note(tmp_path):
    app = make_app(many(tmp_path, 3), load_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Person 00001", "enter", *"half a thought")
        assert app.focused is app.screen.query_one("#note")
        await pilot.press("f6")  # the editor's own F6 selects a line: the app's key comes first
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        await press(pilot, "f2")
        assert isinstance(app.screen, CaptureScreen)
        assert note_text(app) == "half a thought"


class BrokenSave(Notebook):
    def save_note(self, note, details=None):
        raise OSError("disk full")


async def test_a_note_that_cannot_be_saved_says_why_and_stays_on_screen(tmp_path):
    app = make_app(BrokenSave(Settings(home=tmp_path / "home")), load_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Lena Ortiz", "enter", *"Her warehouse ships the wrong parts.", "ctrl+s")
        try:
            await app.workers.wait_for_complete()
        except WorkerFailed:  # the save, as it should here
            pass
        await pilot.pause()
        assert any("disk full" in n.message for n in app._notifications)  # a screen's worker, told by the app
        assert note_text(app) == "Her warehouse ships the wrong parts."
