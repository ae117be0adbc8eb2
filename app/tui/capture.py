"""Capture: right after a call — who, when, what was said; the draft is never lost."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Header, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from app.core.drafts import Draft
from app.core.phrasing import counted
from app.errors import KithError
from app.tui.common import Footer, HandedOn, KithScreen, TypesThrough, TypeThroughList
from app.tui.dialogs import RecoverDraft

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.tui.names import NameIndex
    from models import Contact, NoteIn

# This screen is the first one drawn: the models (pydantic, ~0.25 s), app.core.dates (dateutil) and the
# name index (rapidfuzz) are imported where they are first needed, after the first paint.

DRAFT_EVERY = 1.0
"""Seconds between draft saves: a crash loses at most this much typing."""
DETAILS = {"company": "company", "role": "role", "location": "location", "how_met": "how you met"}
"""A new contact's optional details: field and placeholder."""
CLEAR_WITHIN = 3.0
"""Seconds in which a second ctrl+n clears an unsaved note."""
LIVE_DELAY = 0.6
"""Seconds of quiet typing before the live panel is refreshed."""


class Field(Input):
    """A one-line field of the form. Textual's Input keeps only the first line of a paste; here a paste of
    several lines (an e-mail, notes copied from elsewhere) is handed to the screen whole, for the note, and so
    is one line the field cannot hold (`holds`: a note pasted on the date field is no day)."""

    def __init__(self, *args, holds: Callable[[str], bool] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.holds = holds

    class Overflow(HandedOn):
        """Text pasted on the field that it cannot hold."""

    def _on_paste(self, event: events.Paste) -> None:
        lines = [line for line in event.text.splitlines() if line.strip()]
        if not lines:
            return  # Input's own handler, after this one, takes it
        event.prevent_default()
        event.stop()
        if len(lines) > 1 or (self.holds is not None and not self.holds(lines[0])):
            self.post_message(self.Overflow(self, event.text))
        elif self.selection.is_empty:  # one line, blank lines around it (Input would keep the first, blank one)
            self.insert_text_at_cursor(lines[0])
        else:
            self.replace(lines[0], *self.selection)


def _is_a_day(text: str) -> bool:
    from app.core.dates import parse_day

    try:
        parse_day(text, dt.date.today())
    except ValueError:
        return False
    return True


class LivePanel(TypesThrough, VerticalScroll):
    """What Kith understands of the note as it is typed. Tab from the note lands here (to scroll a long
    reading): what is typed or pasted on it goes to the note."""


class NoteArea(TextArea):
    """The note editor, whose F6 and F7 (Textual's "select line" and "select all") are left to the app: F6 opens
    the contacts, F7 today (selecting all on F7, the next key typed replaced the whole note)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action not in ("select_line", "select_all") and super().check_action(action, parameters)


class CaptureScreen(KithScreen):
    """Pick or create the contact, type the note, save."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save note", id="capture.save", priority=True),
        Binding("ctrl+n", "ask_new", "New note", id="capture.new"),
        Binding("ctrl+l", "focus_contact", "Contact", id="capture.contact", show=False),
        Binding("ctrl+e", "editor", "$EDITOR", id="capture.editor"),
    ]

    @dataclass
    class NamesLoaded(Message):
        """The contacts' names, read in a worker, are ready for completion."""

        version: int
        contacts: list[Contact]
        names: NameIndex

    def __init__(self) -> None:
        super().__init__()
        self._names: NameIndex | None = None
        """None until the first read of the contacts arrives: the first screen never waits for it."""
        self._dirty = False
        self._last: Draft | None = None
        self._live_timer = None
        self._clear_asked = False
        """ctrl+n was pressed once over an unsaved note: a second press within CLEAR_WITHIN clears it."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="capture"):
            with Vertical(id="capture-left"):
                with Horizontal(id="capture-who"):
                    yield Field(placeholder="Who did you talk to?", id="contact")
                    yield Field(placeholder="today", id="date", holds=_is_a_day)
                # Then the names offered (#contact-suggestions), mounted when there are some: a faster start.
                yield Horizontal(id="new-contact")  # filled when a new name is typed, for the same reason
                yield NoteArea(id="note", soft_wrap=True, show_line_numbers=False)
                yield Label("", id="date-hint")
            with LivePanel(id="live"):
                yield Static("What Kith understands appears here as you type.", id="live-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#new-contact").display = False
        self.query_one("#note", TextArea).border_title = "Notes"
        self.query_one("#live").border_title = "Understood"
        self.set_interval(DRAFT_EVERY, self._save_draft)
        self.query_one("#contact", Input).focus()
        # Read before the first paint (a small file): the recovery dialog comes before any typing.
        draft = self.app.drafts.load()
        if draft is not None:
            self.app.push_screen(RecoverDraft(draft), lambda restore: self._recovered(draft, restore))

    def _recovered(self, draft: Draft, restore: bool | None) -> None:
        if restore:
            self.restore(draft)
        else:
            self.app.drafts.clear()

    # -------------------------------------------------------------- contacts

    def on_screen_resume(self) -> None:
        known = self.app.known_contacts
        if known is not None:  # as another screen read them, unchanged since
            self._use_names(known[1])
        elif not self.app.contacts_at_start:  # at start the app's start worker reads them
            # After the screen is drawn: reading thousands of contacts never delays the first paint.
            self.call_after_refresh(self.refresh_contacts)

    def refresh_contacts(self) -> None:
        """Read the contacts again in the background; completion uses the last read meanwhile."""
        self._read_contacts(self.app.contacts_version)

    @work(thread=True, exclusive=True, group="contacts", exit_on_error=False, description="Reading the contacts")
    def _read_contacts(self, version: int) -> None:
        notebook = self.app.wait_for_store()  # right after start the store may still be opening
        if notebook is None:
            return
        from app.tui.names import NameIndex  # once the store is open: the first screen is up by then

        contacts = notebook.contacts()
        names = NameIndex(contacts)
        if not get_current_worker().is_cancelled:
            self.post_message(self.NamesLoaded(version, contacts, names))

    def on_capture_screen_names_loaded(self, message: NamesLoaded) -> None:
        self.app.remember_contacts(message.version, message.contacts, message.names)
        if message.version == self.app.contacts_version or self._names is None:  # else a newer read comes
            self._use_names(message.names)

    def _use_names(self, names: NameIndex) -> None:
        if names is self._names:
            return
        self._names = names
        contact = self.query_one("#contact", Input)
        # What was typed before the names arrived is completed now, if the user is still on it.
        self._complete(contact.value, suggest=self.focused is contact)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # The app reports the error; completion goes on without names, as for a new store.
        if event.worker.group == "contacts" and event.state == WorkerState.ERROR and self._names is None:
            from app.tui.names import NameIndex

            self._names = NameIndex([])

    def _changed(self) -> None:
        self._dirty = True
        self._last = self.current_draft()

    @on(Input.Changed, "#contact")
    def _contact_typed(self, event: Input.Changed) -> None:
        self._changed()
        self._complete(event.value)
        self._schedule_live()

    def _complete(self, value: str, suggest: bool = True) -> None:
        """Offer the contacts that fit what was typed; a name no one has opens the new contact's details."""
        typed = value.strip()
        names = self._names
        known = names is not None and names.known(typed)
        if suggest:
            shown = ([Option(label, id=name) for name, label in names.suggest(typed)]
                     if names is not None and not known else [])
            suggestions = self._suggestions(create=bool(shown))
            if suggestions is not None:
                suggestions.clear_options()
                suggestions.add_options(shown)
                suggestions.display = bool(shown)
        # Until the names arrive it is unknown whether the name is new: no details row that would flicker.
        self._show_details(bool(typed) and names is not None and not known)

    def _suggestions(self, create: bool = False) -> OptionList | None:
        """The list of names offered under the contact field, mounted the first time there are some."""
        found = self.query("#contact-suggestions").results(OptionList)
        suggestions = next(found, None)
        if suggestions is None and create:
            suggestions = TypeThroughList(id="contact-suggestions")
            self.query_one("#capture-left").mount(suggestions, after="#capture-who")
        return suggestions

    def _offering(self) -> OptionList | None:
        """The list of names offered, if it is on screen."""
        suggestions = self._suggestions()
        return suggestions if suggestions is not None and suggestions.display else None

    def _show_details(self, show: bool) -> None:
        """The optional details of a new contact, mounted the first time they are needed."""
        row = self.query_one("#new-contact", Horizontal)
        if show and not row.children:
            row.mount_all([Field(placeholder=placeholder, id=field) for field, placeholder in DETAILS.items()])
        row.display = show

    def details(self) -> dict[str, str | None]:
        """The details typed for a new contact (none if the row was never shown)."""
        return {field.id or "": field.value.strip() or None
                for field in self.query("#new-contact Input").results(Input)}

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Names are offered while a name is typed: focus anywhere else (Tab to the date) puts them away, so a
        later Tab never lands on a list no one is looking at (whose typing goes to the note)."""
        if event.widget.id not in ("contact", "contact-suggestions"):
            self.query("#contact-suggestions").set(display=False)

    @on(Input.Submitted, "#contact")
    def _contact_done(self) -> None:
        suggestions = self._offering()
        if suggestions is not None and suggestions.option_count:
            suggestions.focus()
            suggestions.highlighted = 0
        else:
            self.query_one("#note").focus()

    @on(OptionList.OptionSelected, "#contact-suggestions")
    def _contact_picked(self, event: OptionList.OptionSelected) -> None:
        contact = self.query_one("#contact", Input)
        contact.value = event.option.id or ""
        event.option_list.display = False
        self._show_details(False)
        self.query_one("#note").focus()

    @on(TypesThrough.TypedOn, "#contact-suggestions")
    @on(TypesThrough.TypedOn, "#live")
    def _typed_off_the_note(self, message: TypesThrough.TypedOn) -> None:
        """Typing or pasting on the names offered (Enter after a new name close to a known one) or on the panel
        of what Kith understood (Tab from the note) is the note: the name stays as typed, and no key is lost."""
        message.stop()
        self._into_note(message.text)

    @on(Field.Overflow)
    def _pasted_on_a_field(self, message: Field.Overflow) -> None:
        """Several lines pasted on a one-line field, or a line the field cannot hold, are the note, whole:
        nothing pasted is lost."""
        message.stop()
        self._into_note(message.text)
        lines = len(message.text.strip().splitlines())
        self.notify(f"{counted(lines, 'line')} pasted: they are in the note (a field holds one line)" if lines > 1
                    else "Pasted in the note: it is not a date")

    def _into_note(self, text: str) -> None:
        """Text that belongs in the note (typed or pasted elsewhere), at the note's cursor; the names offered close."""
        if (suggestions := self._offering()) is not None:
            suggestions.display = False
        note = self.query_one("#note", TextArea)
        note.focus()
        note.insert(text, maintain_selection_offset=False)

    def key_down(self, event: events.Key) -> None:
        suggestions = self._offering()
        if self.focused is self.query_one("#contact") and suggestions is not None:
            # Stopped: else the app's bindings see the key again, now on the list, and skip the first name.
            event.stop()
            suggestions.focus()
            suggestions.highlighted = 0

    # ------------------------------------------------------------------ date

    def note_date(self) -> dt.date:
        from app.core.dates import not_after_tomorrow, parse_day

        value = self.query_one("#date", Input).value.strip()
        today = dt.date.today()
        return not_after_tomorrow(parse_day(value, today), today) if value else today

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

    @on(Input.Changed, "#new-contact Input")
    def _detail_typed(self) -> None:
        self._changed()  # kept in the draft with the note

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
        if not self.app.model_ready:
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
        from app.tui.render import item_line
        from models import Kind

        body = Text()
        for position, item in enumerate(result.items):  # a plain note too, dimmed: nothing typed goes unread
            line = item_line(item)
            if item.kind == Kind.NOTE:
                line.stylize("dim")
            if item.done:  # a to-do ticked in the note ("- [x] …"): saved as done
                line.append("  done", style="green")
            body.append_text(line)
            body.append("\n")
            for match in result.helpers.get(position, []):
                body.append(f"    ↳ {match.solution.contact} solved this ({match.score:.2f}): ", style="green")
                body.append(f"“{match.solution.text}”\n", style="italic")
            for told in result.team.get(position, []):
                body.append(f"    ↳ ask {told.solution.member}: their contact {told.solution.contact} solved this "
                            f"({told.score:.2f}): ", style="cyan")
                body.append(f"“{told.solution.text}”\n", style="italic")
        if not any(item.kind != Kind.NOTE for item in result.items):
            body.append("Nothing specific yet: problems, what worked, personal details and follow-ups show here.",
                        style="dim")
        self.query_one("#live-body", Static).update(body)

    # ----------------------------------------------------------------- draft

    def current_draft(self) -> Draft:
        return Draft(contact=self.query_one("#contact", Input).value,
                     date=self.query_one("#date", Input).value,
                     text=self.query_one("#note", TextArea).text,
                     details={field: value for field, value in self.details().items() if value})

    def _save_draft(self) -> None:
        if not self._dirty or not self.is_mounted:
            return
        self._dirty = not self._flush(self.current_draft())

    def _flush(self, draft: Draft) -> bool:
        """Write the draft (an empty one clears it); False when the store's folder is not there yet."""
        try:
            if draft.empty:
                self.app.drafts.clear()
            else:
                self.app.drafts.save(draft)
        except FileNotFoundError:  # a new store's folder is made as the store opens, a moment after start
            return False
        return True

    def on_unmount(self) -> None:
        if self._dirty and self._last is not None:
            self._flush(self._last)

    def restore(self, draft: Draft) -> None:
        self.query_one("#contact", Input).value = draft.contact
        self.query_one("#date", Input).value = draft.date
        note = self.query_one("#note", TextArea)
        note.text = draft.text
        note.move_cursor(note.document.end)  # typing goes on where it stopped
        if draft.details:  # typed for a new contact: the row comes back with them
            self._show_details(True)
            for field in self.query("#new-contact Input").results(Input):
                field.value = draft.details.get(field.id or "", "")
        self.query("#contact-suggestions").set(display=False)
        note.focus()

    # ------------------------------------------------------------------ save

    def action_focus_contact(self) -> None:
        self.query_one("#contact").focus()

    def action_ask_new(self) -> None:
        """A new note; an unsaved one is cleared only by a second ctrl+n (nothing typed is lost by one key)."""
        if self.query_one("#note", TextArea).text.strip() and not self._clear_asked:
            self._clear_asked = True
            self.set_timer(CLEAR_WITHIN, lambda: setattr(self, "_clear_asked", False))
            self.notify("This note is not saved: ctrl+n again clears it, ctrl+s saves it.", severity="warning")
            return
        self._clear_asked = False
        self.action_new()

    def action_new(self) -> None:
        self._save_draft()
        for field in self.query("#contact, #date, #new-contact Input").results(Input):
            field.value = ""
        self.query_one("#note", TextArea).text = ""
        self.app.drafts.clear()
        self._dirty = False
        self.query_one("#contact").focus()

    def action_editor(self) -> None:
        """Write the note in the user's own editor (the app steps aside meanwhile)."""
        from app.core.editor import edit_text

        area = self.query_one("#note", TextArea)
        try:
            with self.app.suspend():
                text = edit_text(area.text, self.app.drafts.path.parent)
        except KithError as e:
            self.notify(e.message, title="Editor", severity="error")
            return
        area.load_text(text)
        area.focus()

    def action_save(self) -> None:
        from models import NoteIn  # pydantic: loaded by the store's worker by now, or here, once

        draft = self.current_draft()
        if not draft.text.strip():  # said as the form says it, not by the field's name
            self.notify("There is nothing to save yet: the note is empty.", title="Not saved", severity="error")
            return
        try:
            day = self.note_date()
            note = NoteIn(contact=draft.contact, date=day, text=draft.text)
        except ValueError as e:
            from pydantic import ValidationError

            message = str(e)
            if isinstance(e, ValidationError):
                from app.core.capture import describe

                message = describe(e)
            self.notify(message, title="Not saved", severity="error")
            return
        self._save(note, self.details(), draft)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False, description="Saving the note")
    def _save(self, note: NoteIn, details: dict, draft: Draft) -> None:
        try:
            # Right after start the store may still be opening: this waits for it, the note is kept.
            items = self.app.notebook.save_note(note, details)
        except KithError as e:
            self.app.call_from_thread(self.notify, e.message, title=e.title, severity="error")
            return
        self.app.call_from_thread(self._saved, note, items, draft)

    def _saved(self, note: NoteIn, items: int, draft: Draft) -> None:
        current = self.current_draft()
        if current == draft:  # the contact, the note and a new contact's details, as they were saved
            self.action_new()
        # else the user went on typing while it saved: what is on screen now is theirs to keep.
        ready = self.app.model_ready
        understood = f"{counted(items, 'item')} understood" if ready else "understood once the model is ready"
        self.notify(f"Saved the note on {note.contact} ({note.date}); {understood}.", title="Saved")
        waiting = self.app.notebook.index_unreachable
        if waiting:
            self.notify(f"{waiting}: the note is indexed when it is back.", title="Index server", severity="warning")
        self.app.contacts_changed()  # a new contact, or one met again
        self.refresh_contacts()
