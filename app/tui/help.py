"""The help screen: every key of the app (imported when first opened: Markdown costs ~50 ms)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# Kith — keys

Escape (or F1, q) closes this help.

| key | where | does |
|---|---|---|
| **F2** | anywhere | Capture a note (the first screen) |
| **F3** | anywhere | Search |
| **F4** | anywhere | Matches: who could help whom |
| **F5** | anywhere | Follow-ups: your to-dos, birthdays this week, who is due a touch |
| **F6** | anywhere | Contacts |
| **F7** | anywhere | Today: follow-ups due, coffees to offer, birthdays, losing touch, the funnel |
| **F1** | anywhere | This help |
| **ctrl+p** | anywhere | Command palette: every screen and action by name |
| **ctrl+q** | anywhere | Quit (the draft is kept) |
| **ctrl+s** | capture | Save the note |
| **ctrl+n** | capture | New note (over an unsaved note, press it twice: once only warns) |
| **ctrl+e** | capture | Write the note in $EDITOR |
| **↓ / enter** | capture, contact field | Pick a suggested contact; a new name creates it (typing on keeps it) |
| **enter** | search, contacts, matches | Open the person |
| **any letter** | search results | Goes on with the query (ctrl+f: back to it) |
| **i** / **x** | matches | Mark introduced / not a fit (a dismissed pair never comes back) |
| **d** | matches | Introduce them, double opt-in: the message for each step, a button for each answer |
| **p** / **s** | matches | Open the asker (the person with the problem) / the solver |
| **t** | matches | Share the solver's story with your team (a team's server: its text, the solver, your name) |
| **space** | follow-ups, person | Mark a follow-up done (or not) |
| **t** | follow-ups | In touch today (restarts the cadence: a keep-in-touch reminder goes) |
| **h** | follow-ups | Show or hide done follow-ups |
| **e** | person | Edit the contact's details |
| **o** / **t** | today | Coffee offered / in touch today (restarts the cadence) |
| **space** | today | Mark a due follow-up done |
| **escape** | person, dialogs | Back |

The date field takes `2026-10-03`, `yesterday`, `last Friday`, `Oct 3`. The note is saved to
disk every second while you type; if Kith stops, it offers the draft back at the next start.
"""


class HelpScreen(ModalScreen[None]):
    """Every key of the app."""

    BINDINGS = [Binding("escape,f1,question_mark,q", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(HELP)
