"""Small modal screens: recover a draft, show an error."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from app.core.drafts import Draft


class RecoverDraft(ModalScreen[bool]):
    """Offer back the note that was being typed when Kith last stopped."""

    # Escape is the safe way out: the draft comes back (ctrl+n twice clears it). Discarding takes ctrl+d or its
    # button, never a letter: someone who starts typing before noticing the dialog must not throw the draft away.
    BINDINGS = [Binding("enter,escape", "restore", "Restore", id="draft.restore"),
                Binding("ctrl+d", "discard", "Discard", id="draft.discard")]

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
