"""Search: who solved it, who struggles with it — people, with the sentences that prove it."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Header, Input, OptionList, Select
from textual.widgets.option_list import Option

from app.errors import KithError
from app.tui.common import Footer, KithScreen, TypesThrough, TypeThroughList
from app.tui.render import kind_badge
from models import Kind, SearchHit


class SearchScreen(KithScreen):
    """A query box, a kind filter, results grouped by person; Enter opens the person."""

    BINDINGS = [Binding("ctrl+f", "focus_query", "Query", id="search.query")]

    def __init__(self) -> None:
        super().__init__()
        self.shown_for: str | None = None
        """The query the results on screen answer."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="search-bar"):
            yield Input(placeholder="who solved onboarding problems?", id="query")
            yield Select([(k.value, k.value) for k in Kind], prompt="any kind", id="kind")
        yield TypeThroughList(id="results")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#query").focus()

    def action_focus_query(self) -> None:
        """The query, all of it selected: what is typed next is a new query, an arrow key edits the old one."""
        query = self.query_one("#query", Input)
        self.set_focus(query)
        query.select_all()

    def arrived(self) -> None:
        """Going to search (F3, from anywhere) is to search again: the query takes the typing. (Back from a person
        opened here, the results keep the focus.)"""
        if self.is_mounted:  # the first time, on_mount focuses the empty query
            self.action_focus_query()

    @on(TypesThrough.TypedOn, "#results")
    def _typed_on_results(self, message: TypesThrough.TypedOn) -> None:
        """Typing or pasting on the results goes on with the query (it was lost on the list), on one line; an Enter
        typed in the same burst searches."""
        message.stop()
        query = self.query_one("#query", Input)
        query.focus()
        query.value += " ".join(message.text.splitlines())
        query.cursor_position = len(query.value)
        if message.text == "\n":
            self.run_search()

    @on(Input.Submitted, "#query")
    @on(Select.Changed, "#kind")
    def run_search(self, event: Input.Submitted | Select.Changed | None = None) -> None:
        query = self.query_one("#query", Input).value.strip()
        if not query:
            if isinstance(event, Input.Submitted):  # Enter on nothing says why nothing happens
                self.notify("Type who or what to look for, then Enter.", title="The search is empty")
            return
        if not self.app.model_ready:
            self.notify("The model is still loading; search runs as soon as it is ready.", title="One moment")
        value = self.query_one("#kind", Select).value
        kind = Kind(value) if isinstance(value, str) else None
        self.query_one("#results", OptionList).loading = True
        self._search(query, kind)

    @on(Input.Changed, "#query")
    def _stale(self, event: Input.Changed) -> None:
        """Results of an earlier query under a changed one say whose they are until Enter searches again."""
        shown = self.shown_for
        self.query_one("#results", OptionList).border_title = (
            None if shown is None or event.value.strip() == shown else f"Results for “{shown}” (Enter searches again)")

    @work(thread=True, exclusive=True, group="search", exit_on_error=False, description="Searching")
    def _search(self, query: str, kind: Kind | None) -> None:
        try:
            self.app.notebook.load_model()
            hits = self.app.notebook.search(query, kind)
        except KithError as e:
            self.app.call_from_thread(self.notify, e.message, title=e.title, severity="error")
            hits = []
        self.app.call_from_thread(self.show, hits, query, kind is None)

    def show(self, hits: list[SearchHit], query: str, every_kind: bool = True) -> None:
        """The hits, people in bold; above them a line when nothing is close (judged for a search of every kind)."""
        results = self.query_one("#results", OptionList)
        results.loading = False
        self.shown_for = query
        results.border_title = None
        results.clear_options()
        from app.core.search import nothing_close  # once a search has run: the screen opens without it

        far = bool(hits) and every_kind and nothing_close(hits)
        if far:
            results.add_option(Option(Text(f"Nothing in your notes is close to “{query}”. The nearest:", style="dim"),
                                      disabled=True))
        current = None
        for n, hit in enumerate(hits):
            if hit.contact != current:
                current = hit.contact
                results.add_option(Option(Text(hit.contact, style="bold"), id=f"person:{n}:{hit.contact}"))
            line = Text("   ").append_text(kind_badge(hit.kind)).append(f" {hit.date}  {hit.score:.2f}  ", style="dim")
            line.append(hit.text)
            results.add_option(Option(line, id=f"hit:{n}:{hit.contact}"))
        if not hits:
            results.add_option(Option(Text("Nothing found.", style="dim"), disabled=True))
        results.focus()
        if hits:
            results.highlighted = int(far)  # the first person, under the line if there is one

    @on(OptionList.OptionSelected, "#results")
    def open_person(self, event: OptionList.OptionSelected) -> None:
        from app.tui.person import PersonScreen

        option_id = event.option.id or ""
        if ":" in option_id:
            self.app.push_screen(PersonScreen(option_id.split(":", 2)[2]))
