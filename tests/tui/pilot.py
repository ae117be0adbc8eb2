"""What Pilot tests do again and again: settle the app, type a note, read the live panel, open the matches screen."""

from __future__ import annotations

from textual.widgets import Static, TextArea

from app.tui.matches import MatchesScreen

SIZE = (140, 45)


async def settle(app, pilot):
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def press(pilot, *keys: str):
    """Keys pressed, then the app given a moment to act on them."""
    await pilot.press(*keys)
    await pilot.pause()


def note_text(app) -> str:
    """What the capture screen's note editor holds."""
    return app.screen.query_one("#note", TextArea).text


async def type_name(pilot, contact: str):
    """The contact's name typed into its field, key by key."""
    await pilot.click("#contact")
    await pilot.press(*contact)
    await pilot.pause()


async def type_note(pilot, contact: str, text: str):
    await type_name(pilot, contact)
    app = pilot.app
    app.screen.query("#contact-suggestions").set(display=False)
    app.screen.query_one("#note", TextArea).focus()
    app.screen.query_one("#note", TextArea).insert(text)
    await pilot.pause()


async def live_panel(app, pilot, contact: str, text: str) -> str:
    """Type a note and read the live panel once it has settled (past its debounce)."""
    await settle(app, pilot)
    await type_note(pilot, contact, text)
    await pilot.pause(1.0)
    await settle(app, pilot)
    return str(app.screen.query_one("#live-body", Static).render())


async def open_matches(app, pilot) -> MatchesScreen:
    """The app settled, then F4: the matches screen, its matches read."""
    await settle(app, pilot)
    await pilot.press("f4")
    await settle(app, pilot)
    assert isinstance(app.screen, MatchesScreen)
    return app.screen


async def save_note(app, pilot, contact: str, text: str):
    """A note typed and saved with Ctrl+S, as a person would, and the app settled after it."""
    await type_note(pilot, contact, text)
    await pilot.press("ctrl+s")
    await settle(app, pilot)


async def saved_then_followups(app, pilot, contact: str, text: str):
    """The app settled, a note typed and saved, then F5: the follow-ups screen, read."""
    await settle(app, pilot)
    await save_note(app, pilot, contact, text)
    await pilot.press("f5")
    await settle(app, pilot)
