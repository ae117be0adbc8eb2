"""Follow-ups and contacts: the two lists of the app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Header, Input, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from app.tui.common import Footer, KithScreen
from app.tui.render import refill
from models import Contact, Item

if TYPE_CHECKING:
    from app.tui.names import NameIndex

ROWS = 100
"""Contacts listed at once: a screen shows about thirty, and a row for each of 10,000 contacts took
seconds to build; a last line says how many more there are, and typing narrows them."""


class FollowupsScreen(KithScreen):
    """Overdue and due first, then upcoming, then undated; space marks done."""

    BINDINGS = [Binding("space", "toggle_done", "Done / not done", id="followups.done"),
                Binding("h", "toggle_hidden", "Show done", id="followups.hidden")]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Item] = []
        self.show_done = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield OptionList(id="followups")
        yield Footer()

    def on_screen_resume(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="followups", exit_on_error=False, description="Reading follow-ups")
    def load(self) -> None:
        items = self.app.notebook.followups(include_all=True)
        self.app.call_from_thread(self.show, items)

    def show(self, items: list[Item]) -> None:
        self.items = [i for i in items if self.show_done or not i.done]
        options = self.query_one("#followups", OptionList)
        today = self.app.today()
        prompts = []
        for item in self.items:
            if item.done:
                when, style = "done", "dim"
            elif item.due is None:
                when, style = "no date", "dim"
            elif item.due < today:
                when, style = f"overdue {item.due}", "bold red"
            elif item.due == today:
                when, style = "due today", "bold yellow"
            else:
                when, style = f"due {item.due}", "green"
            line = Text(f"{'[x]' if item.done else '[ ]'} {when:<19}", style=style)
            line.append(f"{item.contact}  ", style="bold")
            line.append(item.text)
            prompts.append(Option(line, id=str(item.id)))
        refill(options, prompts, "Nothing to follow up.")
        options.focus()

    def action_toggle_done(self) -> None:
        index = self.query_one("#followups", OptionList).highlighted
        if index is None or index >= len(self.items):
            return
        item = self.items[index]
        assert item.id is not None
        self.app.notebook.set_done(item.id, not item.done)
        self.notify(f"{'Reopened' if item.done else 'Done'}: {item.text}")
        self.load()

    def action_toggle_hidden(self) -> None:
        self.show_done = not self.show_done
        self.load()

    @on(OptionList.OptionSelected, "#followups")
    def _open(self) -> None:
        from app.tui.person import PersonScreen

        index = self.query_one("#followups", OptionList).highlighted
        if index is not None and index < len(self.items) and self.items[index].contact:
            self.app.push_screen(PersonScreen(self.items[index].contact or ""))


class ContactsScreen(KithScreen):
    """Everyone, filtered as you type; Enter opens the person."""

    BINDINGS = [Binding("ctrl+f", "focus_filter", "Filter", id="contacts.filter")]

    @dataclass
    class Loaded(Message):
        """The contacts, read in a worker, and their names indexed for filtering."""

        version: int
        contacts: list[Contact]
        names: NameIndex

    def __init__(self) -> None:
        super().__init__()
        self.contacts: list[Contact] = []
        self._by_name: dict[str, Contact] = {}
        self.names: dict[str, str] = {}
        """Each listed option's contact name, by option id."""
        self._names: NameIndex | None = None
        """None until the first read arrives: the screen opens at once and fills in."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="filter contacts", id="filter")
        yield OptionList(id="contacts")
        yield Footer()

    def on_screen_resume(self) -> None:
        self.query_one("#filter").focus()
        known = self.app.known_contacts
        if known is not None:  # as a screen last read them, unchanged since: at once
            self._show(*known)
            return
        if self._names is None:
            self.query_one("#contacts", OptionList).loading = True
        self.load(self.app.contacts_version)  # the last list stays up meanwhile

    @work(thread=True, exclusive=True, group="contacts", exit_on_error=False, description="Reading the contacts")
    def load(self, version: int) -> None:
        """Read the contacts and index their names (version: app.contacts_version when asked)."""
        from app.tui.names import NameIndex

        contacts = self.app.notebook.contacts()
        names = NameIndex(contacts)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(version, contacts, names))

    def on_contacts_screen_loaded(self, message: Loaded) -> None:
        self.app.remember_contacts(message.version, message.contacts, message.names)
        self._show(message.contacts, message.names)

    def _show(self, contacts: list[Contact], names: NameIndex) -> None:
        if names is self._names:
            return
        first = self._names is None
        self.contacts = contacts
        self._by_name = {c.name: c for c in contacts}
        self._names = names
        self.query_one("#contacts", OptionList).loading = False
        self.refilter(keep_place=not first)

    def action_focus_filter(self) -> None:
        self.query_one("#filter").focus()

    @on(Input.Changed, "#filter")
    def _typed(self) -> None:
        self.refilter()

    def refilter(self, keep_place: bool = False) -> None:
        """List the contacts that fit the filter (the first ROWS of them), the best first."""
        names = self._names
        if names is None:
            return
        typed = self.query_one("#filter", Input).value.strip()
        if typed:
            found = names.suggest(typed, limit=ROWS + 1)
            rows = [(self._by_name[name], label) for name, label in found]
            more = "more match — type more of the name" if len(rows) > ROWS else ""
        else:
            rows = [(c, None) for c in self.contacts[:ROWS]]
            extra = len(self.contacts) - len(rows)
            more = f"{extra:,} more — type to filter" if extra > 0 else ""
        self.names = {str(c.id): c.name for c, _ in rows[:ROWS]}  # ids: two people may share a name
        prompts = [Option(self._line(c, label), id=str(c.id)) for c, label in rows[:ROWS]]
        if more:
            prompts.append(Option(Text(more, style="dim italic"), disabled=True))
        options = self.query_one("#contacts", OptionList)
        if not keep_place:
            options.highlighted = None
        empty = f"No contact matches “{typed}”." if typed else "No contacts yet: capture a note (F2)."
        refill(options, prompts, empty)
        if not rows:
            options.highlighted = None

    @staticmethod
    def _line(contact: Contact, label: Text | None) -> Text:
        """The contact's row: the name (the part that matched the filter highlighted), then the facts."""
        line = Text(style="bold")
        line.append_text(label or Text(contact.name))
        line.append(" " * max(0, 28 - len(contact.name)))
        line.append(" · ".join(x for x in (contact.role, contact.company, contact.location) if x) or "",
                    style="cyan")
        line.append(f"  last met {contact.last_met}" if contact.last_met else "", style="dim")
        return line

    @on(Input.Submitted, "#filter")
    def _first(self) -> None:
        options = self.query_one("#contacts", OptionList)
        if options.option_count and options.highlighted is not None:
            self._open_name(self.names.get(options.get_option_at_index(options.highlighted).id or ""))

    @on(OptionList.OptionSelected, "#contacts")
    def _open(self, event: OptionList.OptionSelected) -> None:
        self._open_name(self.names.get(event.option.id or ""))

    def _open_name(self, name: str | None) -> None:
        from app.tui.person import PersonScreen

        if name:
            self.app.push_screen(PersonScreen(name))

    def key_down(self, event: events.Key) -> None:
        options = self.query_one("#contacts", OptionList)
        if self.focused is self.query_one("#filter") and options.highlighted is not None:
            # Stopped: else the app's bindings see the key again, now on the list, and skip the first row.
            event.stop()
            options.focus()
