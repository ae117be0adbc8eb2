"""Snapshots of every screen (fake embedder, fixed date, no cursor blink, no animation)."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input, Static, TextArea

from app.config import DATA_DIR, Settings
from app.core.notebook import Notebook
from app.tui.app import make_app
from tests.support.fake_embedder import FakeEmbedder

SIZE = (120, 36)
TODAY = dt.date(2026, 10, 25)


@pytest.fixture
def demo_app(tmp_path):
    def build():
        notebook = Notebook(Settings(home=tmp_path / "home"), FakeEmbedder())
        notebook.import_file(DATA_DIR / "demo" / "notes.jsonl")
        app = make_app(notebook, load_model=False, today=lambda: TODAY)
        app.animation_level = "none"
        return app

    return build


async def steady(pilot):
    """Past the first paint (the footer's keys come just after it: a screen pushed at once can be ready
    before it, and headless runs may reach it only by the app's fallback timer), then all workers done."""
    while not pilot.app.painted:
        await pilot.pause(0.05)
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def until_understood(pilot, limit: float = 15.0):
    """Past the live panel's debounce and its worker: the panel no longer shows its placeholder (a fixed
    pause was not always enough on a loaded machine: the snapshot caught the placeholder)."""
    panel = pilot.app.screen.query_one("#live-body", Static)
    waited = 0.0
    while "appears here as you type" in str(panel.render()) and waited < limit:
        await pilot.pause(0.1)
        waited += 0.1


def test_capture_screen(snap_compare, demo_app):
    async def run_before(pilot):
        await pilot.pause()
        screen = pilot.app.screen
        screen.query_one("#contact", Input).value = "Marco Bellini"
        note = screen.query_one("#note", TextArea)
        note.cursor_blink = False  # before it has focus: no blink timer is ever running when the snapshot is taken
        note.text = "Still losing a fifth of Saturday bookings to no-shows."
        note.focus()
        await until_understood(pilot)
        note.move_cursor(note.document.end)  # where it stands after typing (the line is drawn again with it)
        await steady(pilot)
        assert screen.focused is note  # the writer's cursor is in the note

    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("key", ["f4", "f5", "f6", "f1"])
def test_list_screens(snap_compare, demo_app, key):
    async def run_before(pilot):
        await pilot.press(key)
        await steady(pilot)

    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=run_before)


def test_search_screen(snap_compare, demo_app):
    async def run_before(pilot):
        await pilot.press("f3")
        await pilot.click("#query")
        await pilot.press(*"deposit no-shows", "enter")
        await steady(pilot)
        pilot.app.screen.query_one("#results").scroll_home(animate=False)
        await pilot.pause()

    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=run_before)


def test_person_screen(snap_compare, demo_app):
    async def run_before(pilot):
        await pilot.press("f6")
        await pilot.press(*"fiona", "enter")
        await steady(pilot)

    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=run_before)


def test_today_screen(snap_compare, tmp_path):
    notebook = Notebook(Settings(home=tmp_path / "home"), FakeEmbedder())
    notebook.import_file(DATA_DIR / "demo_linkedin")
    notebook.import_file(DATA_DIR / "demo" / "notes.jsonl")
    app = make_app(notebook, load_model=False, today=lambda: TODAY)
    app.animation_level = "none"

    async def run_before(pilot):
        await pilot.press("f7")
        await steady(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
