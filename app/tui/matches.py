"""Matches: every problem ↔ solution pair Kith stands behind; introduce (with double opt-in) or dismiss."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Header, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from app.tui.common import Footer, KithScreen, RowList
from app.tui.render import match_text, refill
from models import Decision, Match


class MatchesScreen(KithScreen):
    """Who could help whom, with both sentences as evidence."""

    BINDINGS = [
        Binding("i", "decide('introduced')", "Introduced", id="matches.introduced"),
        Binding("x", "decide('not a fit')", "Not a fit", id="matches.dismiss"),
        Binding("d", "introduce", "Introduce…", id="matches.introduce"),
        Binding("p", "open('problem')", "Asker", id="matches.problem"),
        Binding("s", "open('solution')", "Solver", id="matches.solution"),
        Binding("t", "share", "Share with team", id="matches.share"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.matches: list[Match] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield RowList(id="matches")
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
        refill(options, [Option(match_text(m), id=f"{m.problem.item_id}:{m.solution.item_id}") for m in matches],
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

    def action_introduce(self) -> None:
        match = self.selected()
        if match is not None:
            self.app.push_screen(IntroPipeline(match), lambda _: self.load())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "share":  # only on a team's index server
            return self.app.store_open and self.app.notebook.on_team_server  # type: ignore[attr-defined]
        return True

    def action_share(self) -> None:
        match = self.selected()
        if match is not None:
            self._share(match)

    @work(thread=True, exclusive=True, group="share", exit_on_error=False, description="Sharing the story")
    def _share(self, match: Match) -> None:
        waits = self.app.notebook.share(match.solution.item_id)
        told = (f"{match.solution.contact}'s story is shared with your team." if waits is None else
                f"{match.solution.contact}'s story is shared once the index server is back ({waits}).")
        self.app.call_from_thread(self.notify, told, title="Team")

    def action_open(self, side: str) -> None:
        from app.tui.person import PersonScreen

        match = self.selected()
        if match is not None:
            self.app.push_screen(PersonScreen(getattr(match, side).contact))

    @on(OptionList.OptionSelected, "#matches")
    def _selected(self) -> None:
        self.action_open("problem")


class IntroPipeline(ModalScreen[None]):
    """An introduction with double opt-in, one step at a time: the message to send now (editable, one key
    from the clipboard) and a button for each answer that can come next."""

    BINDINGS = [Binding("escape", "dismiss", "Close", id="intro.close"),
                Binding("ctrl+y", "copy", "Copy", id="intro.copy")]

    def __init__(self, match: Match) -> None:
        super().__init__()
        self.match = match

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"Introduce {self.match.problem.contact} to {self.match.solution.contact}", classes="section")
            yield Static(id="intro-where")
            yield TextArea(id="intro", soft_wrap=True)
            yield Horizontal(id="intro-steps", classes="buttons")

    def on_mount(self) -> None:
        self.step(None)

    @work(thread=True, exclusive=True, group="intro", exit_on_error=False, description="Introducing")
    def step(self, step: str | None) -> None:
        intro = self.app.notebook.introduce(self.match, step, self.app.today())
        self.app.call_from_thread(self.show, intro)

    async def show(self, intro) -> None:
        from app.core.intros import draft

        where = "Not started: send this to them, then say so below." if not intro.step else (
            f"{'Closed. ' if intro.done else ''}{intro.history_text()}.")
        self.query_one("#intro-where", Static).update(where)
        area = self.query_one("#intro", TextArea)
        area.load_text("" if intro.done else draft(intro))
        area.display = not intro.done
        steps = self.query_one("#intro-steps", Horizontal)
        await steps.remove_children()
        buttons = [Button(intro.describe(s)[0].upper() + intro.describe(s)[1:], id=f"step-{s}")
                   for s in intro.next_steps]
        if not intro.done:
            buttons.append(Button("Copy message", variant="primary", id="copy"))
        await steps.mount_all(buttons)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "copy":
            self.action_copy()
        elif event.button.id and event.button.id.startswith("step-"):
            self.step(event.button.id.removeprefix("step-"))

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.query_one("#intro", TextArea).text)
        self.notify("Copied the message.")
