"""Follow-ups (with birthdays and keeping in touch) and contacts: the two lists of the app."""

from __future__ import annotations

import datetime as dt
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

from app.tui.common import Footer, KithScreen, RowList
from app.tui.render import refill
from models import Contact, Item

if TYPE_CHECKING:
    from app.core.keeping import Reminder
    from app.tui.names import NameIndex

ROWS = 100
"""Contacts listed at once: a screen shows about thirty, and a row for each of 10,000 contacts took
seconds to build; a last line says how many more there are, and typing narrows them."""


REMINDER_MARK = {"birthday": ("*", "magenta"), "keep-in-touch": ("~", "cyan")}
"""How a reminder's row starts (a to-do's starts with its checkbox), and its colour."""


class FollowupsScreen(KithScreen):
    """The user's to-dos from notes, birthdays this week and who is due a touch, overdue and due first, then
    upcoming, then undated; space marks a to-do done, t logs a touch."""

    BINDINGS = [Binding("space", "toggle_done", "Done / not done", id="followups.done"),
                Binding("t", "touched", "In touch", id="followups.touched"),
                Binding("h", "show_done(True)", "Show done", id="followups.show_done"),
                Binding("h", "show_done(False)", "Hide done", id="followups.hide_done")]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Item | Reminder] = []
        self.show_done = False
        self.done_here: set[int] = set()
        """To-dos marked done on this visit: they stay in their place, [x], until the screen is left (a second
        space reopens the same one instead of marking the next)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield RowList(id="followups")
        yield Footer()

    def on_screen_resume(self) -> None:
        self.sub_title = "[ ] your follow-ups   * birthdays this week   ~ keep in touch"
        self.done_here.clear()
        self.load()

    @work(thread=True, exclusive=True, group="followups", exit_on_error=False, description="Reading follow-ups")
    def load(self) -> None:
        notebook = self.app.notebook
        items = notebook.followups(include_all=True)
        reminders = notebook.reminders(self.app.today())
        self.app.call_from_thread(self.show, items, reminders)

    def show(self, items: list[Item], reminders: list[Reminder]) -> None:
        shown: list[Item | Reminder] = [i for i in items if self.show_done or not i.done or i.id in self.done_here]
        self.items = sorted([*shown, *reminders], key=lambda r: (
            isinstance(r, Item) and r.done and r.id not in self.done_here, r.due is None, r.due or dt.date.max))
        options = self.query_one("#followups", OptionList)
        prompts = [Option(self._line(row), id=str(row.id) if isinstance(row, Item) else f"{row.kind}:{row.contact}")
                   for row in self.items]
        refill(options, prompts, "Nothing to follow up.")
        options.focus()

    def _line(self, row: Item | Reminder) -> Text:
        today = self.app.today()
        if not isinstance(row, Item):
            mark, colour = REMINDER_MARK[row.kind]
            if row.kind == "birthday":
                days = (row.due - today).days
                when = "birthday today" if days == 0 else f"birthday in {days} day{'s' * (days > 1)}"
            else:
                when = "due today" if row.due >= today else f"overdue {row.due}"
            line = Text(f" {mark}  {when:<20}", style=f"bold {colour}")
        else:
            if row.done:
                when, style = "done", "dim"
            elif row.due is None:
                when, style = "no date", "dim"
            elif row.due < today:
                when, style = f"overdue {row.due}", "bold red"
            elif row.due == today:
                when, style = "due today", "bold yellow"
            else:
                when, style = f"due {row.due}", "green"
            line = Text(f"{'[x]' if row.done else '[ ]'} {when:<20}", style=style)
        line.append(f"{row.contact}  ", style="bold")
        line.append(row.text)
        return line

    def _row(self) -> Item | Reminder | None:
        index = self.query_one("#followups", OptionList).highlighted
        return self.items[index] if index is not None and index < len(self.items) else None

    def action_toggle_done(self) -> None:
        row = self._row()
        if row is not None and not isinstance(row, Item):
            self.notify(f"{'A birthday' if row.kind == 'birthday' else 'Keeping in touch'} is a reminder, not a "
                        f"to-do: t logs that you were in touch with {row.contact}.")
            return
        if row is None:
            return
        assert row.id is not None
        self.app.notebook.set_done(row.id, not row.done)
        if row.done:
            self.done_here.discard(row.id)
        else:
            self.done_here.add(row.id)
        self.notify(f"{'Reopened' if row.done else 'Done'}: {row.text}")
        self.load()

    def action_touched(self) -> None:
        row = self._row()
        if row is None or not row.contact:
            return
        self.app.notebook.touched(row.contact, self.app.today())
        self.notify(f"Logged a touch with {row.contact} today (a cadence, if any, starts again).")
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """h shows the done follow-ups, or hides them when they are shown: the footer says which."""
        if action == "show_done":
            return parameters[0] != self.show_done
        return True

    def action_show_done(self, show: bool) -> None:
        self.show_done = show
        self.refresh_bindings()
        self.load()

    @on(OptionList.OptionSelected, "#followups")
    def _open(self) -> None:
        from app.tui.person import PersonScreen

        row = self._row()
        if row is not None and row.contact:
            self.app.push_screen(PersonScreen(row.contact))


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
        self._facts: list[str] | None = None
        """Each contact's facts, folded for filtering: read when first filtered after the contacts are."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="filter contacts", id="filter")
        yield RowList(id="contacts")
        yield Footer()

    def on_screen_resume(self) -> None:
        typed = self.query_one("#filter", Input)
        typed.focus()
        typed.select_all()  # the last filter stays in view; typing replaces it
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
        self._facts = None
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
            rows += self._by_facts(typed, {c.name for c, _ in rows}, ROWS + 1 - len(rows))
            more = "more match — type more to narrow it" if len(rows) > ROWS else ""
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

    def _by_facts(self, typed: str, listed: set[str], limit: int) -> list[tuple[Contact, None]]:
        """Up to limit contacts not listed by name one of whose facts (role, company, place, how met, tags) has
        a word that starts as typed ("nursing" finds a Director of Nursing), in the list's order."""
        from app.tui.names import fold

        words = " ".join(fold(typed)[0].split())
        if limit <= 0 or len(words) < 2:  # one letter starts a word of nearly everyone's facts
            return []
        query = " " + words
        if self._facts is None:
            self._facts = [" " + fold(" ".join(_facts(c)))[0] for c in self.contacts]
        texts = zip(self.contacts, self._facts, strict=True)
        return [(c, None) for c, text in texts if query in text and c.name not in listed][:limit]

    @staticmethod
    def _line(contact: Contact, label: Text | None) -> Text:
        """The contact's row: the name (the part that matched the filter highlighted), then the facts."""
        line = Text(style="bold")
        line.append_text(label or Text(contact.name))
        line.append(" " * max(0, 28 - len(contact.name)))
        line.append(" · ".join(x for x in (contact.role, contact.company, contact.location) if x) or "",
                    style="cyan")
        line.append("".join(f" #{tag}" for tag in contact.tags), style="yellow")
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


def _facts(contact: Contact) -> list[str]:
    """What the contacts filter looks in besides the name: role, company, place, how met and tags."""
    return [x for x in (contact.role, contact.company, contact.location, contact.how_met, *contact.tags) if x]
