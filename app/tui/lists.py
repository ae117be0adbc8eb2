"""Follow-ups and contacts: the two lists of the app."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.fuzzy import Matcher
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList
from textual.widgets.option_list import Option

from app.tui.render import refill
from models import Contact, Item


class FollowupsScreen(Screen):
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


class ContactsScreen(Screen):
    """Everyone, filtered as you type; Enter opens the person."""

    BINDINGS = [Binding("ctrl+f", "focus_filter", "Filter", id="contacts.filter")]

    def __init__(self) -> None:
        super().__init__()
        self.contacts: list[Contact] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="filter contacts", id="filter")
        yield OptionList(id="contacts")
        yield Footer()

    def on_screen_resume(self) -> None:
        self.contacts = self.app.notebook.contacts()
        self.refilter()
        self.query_one("#filter").focus()

    def action_focus_filter(self) -> None:
        self.query_one("#filter").focus()

    @on(Input.Changed, "#filter")
    def refilter(self) -> None:
        typed = self.query_one("#filter", Input).value.strip()
        options = self.query_one("#contacts", OptionList)
        options.clear_options()
        shown = self.contacts
        if typed:
            matcher = Matcher(typed)
            scored = sorted(((matcher.match(c.name), c) for c in self.contacts), key=lambda p: -p[0])
            shown = [c for score, c in scored if score > 0]
        for c in shown:
            line = Text(f"{c.name:<28}", style="bold")
            line.append(" · ".join(x for x in (c.role, c.company, c.location) if x) or "", style="cyan")
            line.append(f"  last met {c.last_met}" if c.last_met else "", style="dim")
            options.add_option(Option(line, id=c.name))
        if shown:
            options.highlighted = 0

    @on(Input.Submitted, "#filter")
    def _first(self) -> None:
        options = self.query_one("#contacts", OptionList)
        if options.option_count:
            self._open_name(options.get_option_at_index(options.highlighted or 0).id)

    @on(OptionList.OptionSelected, "#contacts")
    def _open(self, event: OptionList.OptionSelected) -> None:
        self._open_name(event.option.id)

    def _open_name(self, name: str | None) -> None:
        from app.tui.person import PersonScreen

        if name:
            self.app.push_screen(PersonScreen(name))

    def key_down(self) -> None:
        if self.focused is self.query_one("#filter"):
            self.query_one("#contacts").focus()
