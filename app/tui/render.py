"""Rich text for items, hits and matches, shared by the screens."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from models import Item, Kind, Match

KIND_STYLE = {
    Kind.PROBLEM: "bold red",
    Kind.SOLUTION: "bold green",
    Kind.PERSONAL: "bold magenta",
    Kind.FOLLOWUP: "bold yellow",
    Kind.NOTE: "dim",
}
KIND_LABEL = {
    Kind.PROBLEM: "problem",
    Kind.SOLUTION: "worked",
    Kind.PERSONAL: "personal",
    Kind.FOLLOWUP: "follow-up",
    Kind.NOTE: "note",
}


def kind_badge(kind: Kind) -> Text:
    return Text(f"{KIND_LABEL[kind]:<9}", style=KIND_STYLE[kind])


def item_line(item: Item, *, with_date: bool = False) -> Text:
    line = Text.assemble(kind_badge(item.kind), " ", item.text)
    if item.kind == Kind.FOLLOWUP:
        line.append(f"  due {item.due}" if item.due else "  no date", style="yellow")
    if with_date and item.date:
        line.append(f"  {item.date}", style="dim")
    return line


def match_text(match: Match) -> Group:
    """Who could help whom, then each side's sentence beside its label: a long one wraps under itself."""
    head = Text()
    head.append(f"{match.score:.2f}  ", style="bold")
    head.append(match.problem.contact, style="bold red")
    head.append("  ←  ")
    head.append(match.solution.contact, style="bold green")
    if match.decision:
        head.append(f"   [{match.decision.value}]", style="italic cyan")
    sides = Table.grid(padding=(0, 2))
    sides.add_column(no_wrap=True)
    sides.add_column(ratio=1)
    for kind, item in ((Kind.PROBLEM, match.problem), (Kind.SOLUTION, match.solution)):  # the panel's own words
        sides.add_row(Text(f"  {KIND_LABEL[kind]:<8}  {item.date}", style=KIND_STYLE[kind].removeprefix("bold ")),
                      item.text)
    return Group(head, sides)


def refill(options: OptionList, prompts: list[Option], empty: str | None = None) -> None:
    """Replace a list's options after a refresh, keeping the highlight on the same row (by its option id)
    when it is still there, else at the same place (the row after one that went)."""
    highlighted = options.highlighted
    was = options.get_option_at_index(highlighted).id if highlighted is not None else None
    options.clear_options()
    if not prompts:
        if empty:
            options.add_option(Option(empty, disabled=True))
        return
    seen: dict[str, int] = {}
    for n, prompt in enumerate(prompts):  # two rows of one key (two people of one name): each its own id
        if prompt.id is not None:
            seen[prompt.id] = seen.get(prompt.id, 0) + 1
            if seen[prompt.id] > 1:
                prompts[n] = Option(prompt.prompt, id=f"{prompt.id}#{seen[prompt.id]}", disabled=prompt.disabled)
    options.add_options(prompts)
    ids = [p.id for p in prompts]
    options.highlighted = ids.index(was) if was is not None and was in ids else min(highlighted or 0, len(prompts) - 1)
