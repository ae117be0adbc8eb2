"""Matches: every problem ↔ solution pair Kith stands behind; introduce, dismiss, draft an intro."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Header, Label, OptionList, TextArea
from textual.widgets.option_list import Option

from app.core.notebook import introduction
from app.tui.common import Footer, KithScreen
from app.tui.render import match_text, refill
from models import Decision, Match


class MatchesScreen(KithScreen):
    """Who could help whom, with both sentences as evidence."""

    BINDINGS = [
        Binding("i", "decide('introduced')", "Introduced", id="matches.introduced"),
        Binding("x", "decide('not a fit')", "Not a fit", id="matches.dismiss"),
        Binding("d", "draft", "Draft intro", id="matches.draft"),
        Binding("p", "open('problem')", "Open problem person", id="matches.problem"),
        Binding("s", "open('solution')", "Open solver", id="matches.solution"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.matches: list[Match] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield OptionList(id="matches")
        yield Footer()

    def on_screen_resume(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="matches", exit_on_error=False, description="Finding matches")
    def load(self) -> None:
        matches = self.app.notebook.matches()
        self.app.call_from_thread(self.show, matches)

    def show(self, matches: list[Match]) -> None:
        self.matches = matches
        options = self.query_one("#matches", OptionList)
        refill(options, [Option(match_text(m), id=str(n)) for n, m in enumerate(matches)],
               "No matches yet: they appear when one contact's problem is another's solution.")
        options.focus()

    def selected(self) -> Match | None:
        index = self.query_one("#matches", OptionList).highlighted
        return self.matches[index] if index is not None and index < len(self.matches) else None

    def action_decide(self, decision: str) -> None:
        match = self.selected()
        if match is None:
            return
        chosen = Decision(decision)
        self.app.notebook.decide(match, None if match.decision == chosen else chosen)
        note = "dismissed: it will not come back" if chosen == Decision.NOT_A_FIT else "marked introduced"
        self.notify(f"{match.problem.contact} ↔ {match.solution.contact} {note}.")
        self.load()

    def action_draft(self) -> None:
        match = self.selected()
        if match is not None:
            self.app.push_screen(IntroDraft(introduction(match)))

    def action_open(self, side: str) -> None:
        from app.tui.person import PersonScreen

        match = self.selected()
        if match is not None:
            self.app.push_screen(PersonScreen(getattr(match, side).contact))

    @on(OptionList.OptionSelected, "#matches")
    def _selected(self) -> None:
        self.action_open("problem")


class IntroDraft(ModalScreen[None]):
    """An editable introduction message, one key from the clipboard."""

    BINDINGS = [Binding("escape", "dismiss", "Close", id="intro.close"),
                Binding("ctrl+y", "copy", "Copy", id="intro.copy")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Introduction — edit it, then copy (ctrl+y)", classes="section")
            yield TextArea(self.text, id="intro", soft_wrap=True)
            yield Button("Copy to clipboard", variant="primary", id="copy")

    @on(Button.Pressed, "#copy")
    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.query_one("#intro", TextArea).text)
        self.notify("Copied the introduction.")
