"""Capture: right after a call — who, when, what was said; the draft is never lost."""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.fuzzy import Matcher
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from app.core.dates import parse_day
from app.core.drafts import Draft
from app.errors import KithError
from app.tui.dialogs import RecoverDraft
from app.tui.render import item_line
from models import Kind, NoteIn

DRAFT_EVERY = 1.0
"""Seconds between draft saves: a crash loses at most this much typing."""
DETAILS = {"company": "company", "role": "role", "location": "location", "how_met": "how you met"}
"""A new contact's optional details: field and placeholder."""
LIVE_DELAY = 0.6
"""Seconds of quiet typing before the live panel is refreshed."""


class CaptureScreen(Screen):
    """Pick or create the contact, type the note, save."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save note", id="capture.save", priority=True),
        Binding("ctrl+n", "new", "New note", id="capture.new"),
        Binding("ctrl+l", "focus_contact", "Contact", id="capture.contact", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._contacts: list[str] = []
        self._dirty = False
        self._last: Draft | None = None
        self._live_timer = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="capture"):
            with Vertical(id="capture-left"):
                with Horizontal(id="capture-who"):
                    yield Input(placeholder="Who did you talk to?", id="contact")
                    yield Input(placeholder="today", id="date")
                yield OptionList(id="contact-suggestions")
                yield Horizontal(id="new-contact")  # filled when a new name is typed: a faster start
                yield TextArea(id="note", soft_wrap=True, show_line_numbers=False)
                yield Label("", id="date-hint")
            with VerticalScroll(id="live"):
                yield Static("What Kith understands appears here as you type.", id="live-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#contact-suggestions").display = False
        self.query_one("#new-contact").display = False
        self.query_one("#note", TextArea).border_title = "Notes"
        self.query_one("#live").border_title = "Understood"
        self.refresh_contacts()
        self.set_interval(DRAFT_EVERY, self._save_draft)
        self.query_one("#contact", Input).focus()
        draft = self.app.notebook.drafts.load()
        if draft is not None:
            self.app.push_screen(RecoverDraft(draft), lambda restore: self._recovered(draft, restore))

    def _recovered(self, draft: Draft, restore: bool | None) -> None:
        if restore:
            self.restore(draft)
        else:
            self.app.notebook.drafts.clear()

    # -------------------------------------------------------------- contacts

    def refresh_contacts(self) -> None:
        self._contacts = [c.name for c in self.app.notebook.contacts()]

    def on_screen_resume(self) -> None:
        self.refresh_contacts()

    def _changed(self) -> None:
        self._dirty = True
        self._last = self.current_draft()

    @on(Input.Changed, "#contact")
    def _contact_typed(self, event: Input.Changed) -> None:
        self._changed()
        typed = event.value.strip()
        suggestions = self.query_one("#contact-suggestions", OptionList)
        suggestions.clear_options()
        exact = any(name.casefold() == " ".join(typed.casefold().split()) for name in self._contacts)
        if typed and not exact:
            matcher = Matcher(typed)
            ranked = sorted(((matcher.match(n), n) for n in self._contacts), reverse=True)
            shown = [Option(matcher.highlight(n), id=n) for score, n in ranked[:6] if score > 0]
            suggestions.add_options(shown)
            suggestions.display = bool(shown)
        else:
            suggestions.display = False
        self._show_details(bool(typed) and not exact)
        self._schedule_live()

    def _show_details(self, show: bool) -> None:
        """The optional details of a new contact, mounted the first time they are needed."""
        row = self.query_one("#new-contact", Horizontal)
        if show and not row.children:
            row.mount_all([Input(placeholder=placeholder, id=field) for field, placeholder in DETAILS.items()])
        row.display = show

    def details(self) -> dict[str, str | None]:
        """The details typed for a new contact (none if the row was never shown)."""
        return {field.id or "": field.value.strip() or None
                for field in self.query("#new-contact Input").results(Input)}

    @on(Input.Submitted, "#contact")
    def _contact_done(self) -> None:
        suggestions = self.query_one("#contact-suggestions", OptionList)
        if suggestions.display and suggestions.option_count:
            suggestions.focus()
            suggestions.highlighted = 0
        else:
            self.query_one("#note").focus()

    @on(OptionList.OptionSelected, "#contact-suggestions")
    def _contact_picked(self, event: OptionList.OptionSelected) -> None:
        contact = self.query_one("#contact", Input)
        contact.value = event.option.id or ""
        self.query_one("#contact-suggestions").display = False
        self._show_details(False)
        self.query_one("#note").focus()

    def key_down(self) -> None:
        suggestions = self.query_one("#contact-suggestions", OptionList)
        if self.focused is self.query_one("#contact") and suggestions.display:
            suggestions.focus()
            suggestions.highlighted = 0

    # ------------------------------------------------------------------ date

    def note_date(self) -> dt.date:
        value = self.query_one("#date", Input).value.strip()
        return parse_day(value, dt.date.today()) if value else dt.date.today()

    @on(Input.Changed, "#date")
    def _date_typed(self) -> None:
        self._changed()
        hint = self.query_one("#date-hint", Label)
        try:
            day = self.note_date()
        except ValueError as e:
            hint.update(Text(str(e), style="red"))
        else:
            hint.update(Text(f"Met on {day:%A %d %B %Y}", style="dim"))

    # ---------------------------------------------------------------- typing

    @on(TextArea.Changed, "#note")
    def _note_typed(self) -> None:
        self._changed()
        self._schedule_live()

    def _schedule_live(self) -> None:
        if self._live_timer is not None:
            self._live_timer.stop()
        self._live_timer = self.set_timer(LIVE_DELAY, self._refresh_live)

    def _refresh_live(self) -> None:
        text = self.query_one("#note", TextArea).text
        if not text.strip():
            self.query_one("#live-body", Static).update("What Kith understands appears here as you type.")
            return
        if not self.app.notebook.model_ready:
            self.query_one("#live-body", Static).update(
                Text("Loading the model… your note is safe and can be saved now.", style="italic"))
            return
        try:
            day = self.note_date()
        except ValueError:
            day = dt.date.today()
        self._understand(text, day, self.query_one("#contact", Input).value.strip() or None)

    @work(thread=True, exclusive=True, group="live", exit_on_error=False, description="Understanding the note")
    def _understand(self, text: str, day: dt.date, contact: str | None) -> None:
        result = self.app.notebook.preview(text, day, contact)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_live, result)

    def _show_live(self, result) -> None:
        body = Text()
        for position, item in enumerate(result.items):
            if item.kind == Kind.NOTE:
                continue
            body.append_text(item_line(item))
            body.append("\n")
            for match in result.helpers.get(position, []):
                body.append(f"    ↳ {match.solution.contact} solved this ({match.score:.2f}): ", style="green")
                body.append(f"“{match.solution.text}”\n", style="italic")
        if not body.plain:
            body = Text("Nothing specific yet: problems, what worked, personal details and follow-ups show here.",
                        style="dim")
        self.query_one("#live-body", Static).update(body)

    # ----------------------------------------------------------------- draft

    def current_draft(self) -> Draft:
        return Draft(contact=self.query_one("#contact", Input).value,
                     date=self.query_one("#date", Input).value,
                     text=self.query_one("#note", TextArea).text)

    def _save_draft(self) -> None:
        if not self._dirty or not self.is_mounted:
            return
        self._dirty = False
        self._flush(self.current_draft())

    def _flush(self, draft: Draft) -> None:
        if draft.empty:
            self.app.notebook.drafts.clear()
        else:
            self.app.notebook.drafts.save(draft)

    def on_unmount(self) -> None:
        if self._dirty and self._last is not None:
            self._flush(self._last)

    def restore(self, draft: Draft) -> None:
        self.query_one("#contact", Input).value = draft.contact
        self.query_one("#date", Input).value = draft.date
        self.query_one("#note", TextArea).text = draft.text
        self.query_one("#contact-suggestions").display = False
        self.query_one("#note").focus()

    # ------------------------------------------------------------------ save

    def action_focus_contact(self) -> None:
        self.query_one("#contact").focus()

    def action_new(self) -> None:
        self._save_draft()
        for field in self.query("#contact, #date, #new-contact Input").results(Input):
            field.value = ""
        self.query_one("#note", TextArea).text = ""
        self.app.notebook.drafts.clear()
        self._dirty = False
        self.query_one("#contact").focus()

    def action_save(self) -> None:
        contact = self.query_one("#contact", Input).value
        text = self.query_one("#note", TextArea).text
        try:
            day = self.note_date()
            note = NoteIn(contact=contact, date=day, text=text)
        except ValueError as e:
            message = str(e)
            if isinstance(e, ValidationError):
                from app.core.capture import describe

                message = describe(e)
            self.notify(message, title="Not saved", severity="error")
            return
        self._save(note, self.details())

    @work(thread=True, exclusive=True, group="save", exit_on_error=False, description="Saving the note")
    def _save(self, note: NoteIn, details: dict) -> None:
        try:
            items = self.app.notebook.save_note(note, details)
        except KithError as e:
            self.app.call_from_thread(self.notify, e.message, title=e.title, severity="error")
            return
        self.app.call_from_thread(self._saved, note, items)

    def _saved(self, note: NoteIn, items: int) -> None:
        self.action_new()
        self.app.notebook.drafts.clear()
        ready = self.app.notebook.model_ready
        understood = f"{items} items understood" if ready else "understood once the model is ready"
        self.notify(f"Saved the note on {note.contact} ({note.date}); {understood}.", title="Saved")
        self.refresh_contacts()
