"""The person: the pre-meeting recap, follow-ups to tick, details to edit."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from app.core.intros import Intro
from app.core.phrasing import counted
from app.errors import KithError
from app.tui.common import Footer, KithScreen, RowList
from app.tui.render import item_line, refill
from models import Contact, Recap

FIELDS = ("company", "role", "location", "how_met")


class PersonScreen(KithScreen):
    """Everything about one person, to read right before a call."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="person.back"),
        Binding("e", "edit", "Edit details", id="person.edit"),
        Binding("space", "toggle_done", "Follow-up done", id="person.done"),
    ]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.person = name
        self.recap: Recap | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="person"):
            yield Static(id="person-head")
            yield Static(id="person-body")
            yield Label("Follow-ups (space: done / not done)", classes="section")
            yield RowList(id="person-followups")
            yield Static(id="person-help")
            yield Label("Timeline", classes="section")
            yield Static(id="person-timeline")
        yield Footer()

    def on_screen_resume(self) -> None:
        self.load()  # when shown, and again when the app saw another process write

    @work(thread=True, exclusive=True, group="person", exit_on_error=False, description="Reading the recap")
    def load(self) -> None:
        try:
            recap = self.app.notebook.recap(self.person)
        except KithError as e:
            self.app.call_from_thread(self.notify, e.message, title=e.title, severity="error")
            return
        self.app.call_from_thread(self.show, recap)

    def show(self, recap: Recap) -> None:
        self.recap = recap
        c = recap.contact
        self.sub_title = c.name
        head = Text(c.name, style="bold")
        facts = " · ".join(x for x in (c.role, c.company, c.location) if x)
        if facts:
            head.append(f"  {facts}", style="cyan")
        if c.tags:
            head.append("".join(f"  #{tag}" for tag in c.tags), style="yellow")
        head.append(f"\nLast met {recap.last_met or 'never'} · {counted(len(recap.timeline), 'note')}", style="dim")
        if c.how_met:
            head.append(f" · how we met: {c.how_met}", style="dim")
        if c.stage:
            head.append(f" · funnel: {c.stage.value}", style="dim")
        if c.birthday:
            head.append(f" · birthday {c.birthday.removeprefix('--')}", style="dim")
        self.query_one("#person-head", Static).update(head)
        body = Text()
        for title, items in (("Personal", recap.personal), ("Open problems", recap.problems),
                             ("What worked for them", recap.solutions)):
            body.append(f"\n{title}\n", style="bold underline")
            if not items:
                body.append("  nothing yet\n", style="dim")
            for item in items:
                body.append("  • ")
                body.append(item.text)
                body.append(f"  {item.date}\n", style="dim")
        self.query_one("#person-body", Static).update(body)
        refill(self.query_one("#person-followups", OptionList),
               [Option(Text("[x] " if item.done else "[ ] ").append_text(item_line(item)), id=str(item.id))
                for item in recap.followups], empty="nothing to follow up yet")
        helpers = Text()
        for title, matches, side in (("Who could help them", recap.could_help_them, "solution"),
                                     ("Whom they could help", recap.they_could_help, "problem")):
            helpers.append(f"\n{title}\n", style="bold underline")
            if not matches:
                helpers.append("  nobody yet\n", style="dim")
            for m in matches:
                other = getattr(m, side)
                helpers.append(f"  {other.contact}", style="bold green" if side == "solution" else "bold red")
                helpers.append(f" ({m.score:.2f}): “{other.text}”\n")
        if recap.intros:
            helpers.append("\nIntroductions\n", style="bold underline")
            for intro in recap.intros:
                steps = Intro(**intro).history_text()
                helpers.append(f"  {intro['problem_contact']} → {intro['solver']}: ", style="bold")
                helpers.append(f"{steps}\n")
        self.query_one("#person-help", Static).update(helpers)
        timeline = Text()
        for day, text, _ in recap.timeline:
            timeline.append(f"{day}\n", style="bold")
            timeline.append(f"{text}\n\n")
        self.query_one("#person-timeline", Static).update(timeline)

    def action_toggle_done(self) -> None:
        followups = self.query_one("#person-followups", OptionList)
        if self.recap is None or followups.highlighted is None or not self.recap.followups:
            return
        item = self.recap.followups[followups.highlighted]
        assert item.id is not None
        self.app.notebook.set_done(item.id, not item.done)
        self.load()

    def action_edit(self) -> None:
        if self.recap is not None:
            self.app.push_screen(EditContact(self.recap.contact), self._edited)

    def _edited(self, contact: Contact | None) -> None:
        if contact is None:
            return
        try:
            self.app.notebook.update_contact(contact)
        except KithError as e:
            self.notify(e.message, title=e.title, severity="error")
            return
        self.person = contact.name
        self.app.contacts_changed()
        self.notify(f"Saved {contact.name}'s details.")
        self.load()


class EditContact(ModalScreen[Contact | None]):
    """Edit a contact's name and details."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="edit.cancel")]

    def __init__(self, contact: Contact) -> None:
        super().__init__()
        self.contact = contact

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"Edit {self.contact.name}", classes="section")
            yield Label("name", classes="field-label")
            yield Input(self.contact.name, placeholder="name", id="name")
            for field in FIELDS:  # each labelled: once filled in, a field no longer shows its placeholder
                yield Label(field.replace("_", " "), classes="field-label")
                yield Input(getattr(self.contact, field) or "", placeholder=field.replace("_", " "), id=field)
            yield Label("tags", classes="field-label")
            yield Input(", ".join(self.contact.tags), placeholder="tags, comma separated", id="tags")
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def save(self) -> None:
        values = {f: self.query_one(f"#{f}", Input).value.strip() or None for f in FIELDS}
        tags = [t.strip() for t in self.query_one("#tags", Input).value.split(",") if t.strip()]
        try:
            edited = self.contact.model_copy(update={**values, "tags": tags})
            edited = Contact.model_validate({**edited.model_dump(), "name": self.query_one("#name", Input).value})
        except ValueError as e:
            self.notify(str(e), title="Not saved", severity="error")
            return
        self.dismiss(edited)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
