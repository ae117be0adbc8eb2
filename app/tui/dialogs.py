"""Small modal screens: recover a draft, show an error, the help."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Markdown, Static

from app.core.drafts import Draft


class RecoverDraft(ModalScreen[bool]):
    """Offer back the note that was being typed when Kith last stopped."""

    BINDINGS = [Binding("escape", "discard", "Discard", id="draft.discard"),
                Binding("enter", "restore", "Restore", id="draft.restore")]

    def __init__(self, draft: Draft) -> None:
        super().__init__()
        self.draft = draft

    def compose(self) -> ComposeResult:
        preview = self.draft.text.strip()
        preview = preview if len(preview) < 300 else preview[:300] + "…"
        with Vertical(id="dialog"):
            yield Label("Recover your unsaved note?", classes="section")
            who = self.draft.contact or "no contact yet"
            when = f"{self.draft.saved_at:%d %b %H:%M:%S}" if self.draft.saved_at else "earlier"
            yield Static(f"On {who}, last typed {when}:\n\n{preview}", id="draft-preview")
            with Horizontal(classes="buttons"):
                yield Button("Restore", variant="primary", id="restore")
                yield Button("Discard", variant="error", id="discard")

    @on(Button.Pressed, "#restore")
    def action_restore(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#discard")
    def action_discard(self) -> None:
        self.dismiss(False)


class ErrorScreen(ModalScreen[None]):
    """A failure the user must read before going on (for example, a store held elsewhere)."""

    BINDINGS = [Binding("escape,enter,q", "dismiss", "Close", id="error.close")]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, classes="section error")
            yield Static(self.message)
            yield Button("Close", variant="primary", id="close")

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.dismiss(None)


HELP = """\
# Kith — keys

| key | where | does |
|---|---|---|
| **F2** | anywhere | Capture a note (the first screen) |
| **F3** | anywhere | Search |
| **F4** | anywhere | Matches: who could help whom |
| **F5** | anywhere | Follow-ups |
| **F6** | anywhere | Contacts |
| **F1** | anywhere | This help |
| **ctrl+p** | anywhere | Command palette: every screen and action by name |
| **ctrl+q** | anywhere | Quit (the draft is kept) |
| **ctrl+s** | capture | Save the note |
| **ctrl+n** | capture | New note (clears the editor) |
| **↓ / enter** | capture, contact field | Pick a suggested contact; a new name creates the contact |
| **enter** | search, contacts, matches | Open the person |
| **i** / **x** | matches | Mark introduced / not a fit (a dismissed pair never comes back) |
| **d** | matches | Draft an introduction to copy |
| **p** / **s** | matches | Open the person with the problem / the solver |
| **space** | follow-ups, person | Mark a follow-up done (or not) |
| **h** | follow-ups | Show or hide done follow-ups |
| **e** | person | Edit the contact's details |
| **escape** | person, dialogs | Back |

The date field takes `2026-10-03`, `yesterday`, `last Friday`, `Oct 3`. The note is saved to
disk every second while you type; if Kith stops, it offers the draft back at the next start.
"""


class HelpScreen(ModalScreen[None]):
    """Every key of the app."""

    BINDINGS = [Binding("escape,f1,question_mark,q", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(HELP)
