"""Command-palette entries, titled "noun: verb"."""

from __future__ import annotations

from functools import partial

from textual.command import Hit, Hits, Provider

ENTRIES = [
    ("Note: capture", "capture", "Write a note after a call"),
    ("People: search", "search", "Who solved it, who struggles with it"),
    ("Matches: review", "matches", "Problems another contact has solved"),
    ("Follow-ups: review", "followups", "Your promises, birthdays this week, who is due a touch"),
    ("Contacts: browse", "contacts", "Everyone, filtered as you type"),
    ("Today: the routine", "today", "Coffees to offer, follow-ups, birthdays, losing touch, the funnel"),
    ("Help: keys", "help", "Every key of the app"),
]


class KithCommands(Provider):
    """Every screen of Kith by name."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, target, help_text in ENTRIES:
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self.app.go, target), help=help_text)

    async def discover(self) -> Hits:
        for title, target, help_text in ENTRIES:
            yield Hit(1.0, title, partial(self.app.go, target), help=help_text)
