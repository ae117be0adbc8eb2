"""Today: the daily routine on one screen — who to offer a coffee, follow-ups due, birthdays, who is
losing touch, and the funnel of the last weeks as a chart."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from app.tui.common import Footer, KithScreen, RowList
from app.tui.render import refill

STAGE_STYLE = {"invited": "blue", "connected": "cyan", "offered": "yellow", "met": "green"}


@dataclass
class Row:
    """An actionable line of Today: what it is about, and whom."""

    kind: str
    """"offer", "nudge", "followup", "birthday", "touch"."""
    contact: str
    item_id: int | None = None


def funnel_chart(weeks: list[dict], width: int) -> Text:
    """One line per week, a column per stage (a bar and its count), scaled to the busiest week so the columns
    line up and a line fits in width cells."""
    top = max((w[s] for w in weeks for s in STAGE_STYLE), default=0) or 1
    bar = max(1, (width - 4 - 4 * len(STAGE_STYLE)) // len(STAGE_STYLE))  # week label, then a count per stage
    chart = Text("Funnel, week by week\n", style="bold")
    for n, (stage, style) in enumerate(STAGE_STYLE.items()):
        chart.append("■ ", style=style).append(stage).append("\n" if n % 2 else "   ")
    for week in weeks:
        chart.append(f"{week['week'][-3:]} ", style="dim")
        for stage, style in STAGE_STYLE.items():
            count = week[stage]
            cells = round(bar * count / top) if count else 0
            chart.append("█" * cells + " " * (bar - cells), style=style)
            chart.append(f"{count:>3} " if count else "  · ", style=style)
        chart.append("\n")
    return chart


class TodayScreen(KithScreen):
    """The day's networking: enter opens the person; o: coffee offered; t: in touch; space: follow-up done."""

    BINDINGS = [
        Binding("o", "offered", "Coffee offered", id="today.offered"),
        Binding("t", "touched", "In touch", id="today.touched"),
        Binding("space", "done", "Follow-up done", id="today.done"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row | None] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="today"):
            yield RowList(id="today-list")
            yield Static(id="today-chart")
        yield Footer()

    def on_screen_resume(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="today", exit_on_error=False, description="Reading today")
    def load(self) -> None:
        notebook = self.app.wait_for_store()
        if notebook is not None:
            data = notebook.today(self.app.today())
            self.app.call_from_thread(self.show, data)

    def show(self, data) -> None:
        self.sub_title = f"Today, {self.app.today():%A %d %B}"
        prompts: list[Option] = []
        self.rows = []

        def section(title: str, empty: str, lines: list[tuple[Text, Row]]) -> None:
            prompts.append(Option(Text(title, style="bold underline"), disabled=True))
            self.rows.append(None)
            if not lines:
                prompts.append(Option(Text(f"  {empty}", style="dim"), disabled=True))
                self.rows.append(None)
            for text, row in lines:
                prompts.append(Option(Text("  ").append_text(text), id=f"{row.kind}:{row.contact}:{row.item_id}"))
                self.rows.append(row)

        today = self.app.today()
        section("Follow-ups due", "nothing due", [
            (Text.assemble((f"{'due today' if i.due == today else f'overdue {i.due}' if i.due else 'no date'}  ",
                            "bold red" if i.due and i.due < today else "yellow"), (i.contact or "", "bold"),
                           f"  {i.text}"), Row("followup", i.contact or "", i.id))
            for i in data.followups if not i.done])
        offers = [w for w in data.waiting if w.stage.value == "connected"]
        nudges = [w for w in data.waiting if w.stage.value == "offered"]
        section("Offer a coffee (accepted, not yet asked)", "nobody waiting",
                [(Text.assemble((w.contact, "bold"), (f"  connected {w.since}", "dim")), Row("offer", w.contact))
                 for w in offers])
        section("No answer after a week", "nobody", [
            (Text.assemble((w.contact, "bold"), (f"  offered {w.since}", "dim")), Row("nudge", w.contact))
            for w in nudges])
        section("Birthdays this week", "none", [
            (Text.assemble((r.contact, "bold magenta"), f"  {r.text}"), Row("birthday", r.contact))
            for r in data.birthdays])
        section("Losing touch", "nobody (set a cadence: kith cadence NAME 90d)", [
            (Text.assemble((r.contact, "bold"), (f"  {r.text}", "dim")), Row("touch", r.contact))
            for r in data.losing_touch])
        options = self.query_one("#today-list", OptionList)
        refill(options, prompts, "")
        if self._row() is None:  # on a heading: the first thing to act on instead
            options.highlighted = next((n for n, row in enumerate(self.rows) if row is not None), None)
        chart = self.query_one("#today-chart", Static)
        chart.update(funnel_chart(data.weeks, chart.content_size.width or 40))
        options.focus()

    def _row(self) -> Row | None:
        index = self.query_one("#today-list", OptionList).highlighted
        return self.rows[index] if index is not None and index < len(self.rows) else None

    def action_offered(self) -> None:
        row = self._row()
        if row is None:
            return
        if row.kind != "offer":
            self.notify(f"{row.contact} is not waiting for a coffee offer (t logs a nudge or any other touch).")
            return
        self.app.notebook.offered(row.contact, self.app.today())
        self.notify(f"Coffee offered to {row.contact}: they move on in the funnel (kith stage undoes it).")
        self.load()

    def action_touched(self) -> None:
        row = self._row()
        if row is not None:
            self.app.notebook.touched(row.contact, self.app.today())
            self.notify(f"Logged a touch with {row.contact} today (a cadence, if any, starts again).")
            self.load()

    def action_done(self) -> None:
        row = self._row()
        if row is not None and row.item_id is not None:
            self.app.notebook.set_done(row.item_id, True)
            self.notify(f"Done: follow-up with {row.contact}")
            self.load()

    @on(OptionList.OptionSelected, "#today-list")
    def _open(self) -> None:
        from app.tui.person import PersonScreen

        row = self._row()
        if row is not None:
            self.app.push_screen(PersonScreen(row.contact))
