"""The demo network as of today: its LinkedIn export and call notes, brought forward by whole weeks.

The demo was written in the autumn of 2026. Opened as it stands a few months later, every invitation
would be old, every follow-up overdue, every contact out of touch and the funnel's recent weeks empty.
So `kith demo` moves its dates forward by whole weeks until its latest day falls in the week before
today: a Tuesday stays a Tuesday, so "next Thursday" in a note is due on the same day of the week as
it was written for. Days written out in a note's text ("by Nov 30") are the writer's and stay as
they are. Its follow-ups due before its last week are ticked off, as its user would have done them:
the follow-up list shows a week's overdue, not a season's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.config import DATA_DIR
from app.core.capture import read_notes_file, save_notes
from app.core.contact_files import read_contact_file
from app.core.people import import_people
from app.errors import KithError
from app.store.store import Store
from models import Kind, NoteIn
from models.people import ContactFile

EXPORT = DATA_DIR / "demo_linkedin"
NOTES = DATA_DIR / "demo" / "notes.jsonl"


@dataclass(frozen=True)
class Demo:
    """The demo's LinkedIn export (people, invitations, messages) and the notes of its calls."""

    export: ContactFile
    notes: list[NoteIn]

    def latest(self) -> dt.date:
        """Its latest day: of a note, a connection, an invitation or a message."""
        days = [n.date for n in self.notes] + [p.connected_on for p in self.export.people if p.connected_on]
        days += [i.sent_at.date() for i in self.export.invitations] + [m.sent_at.date() for m in self.export.messages]
        return max(days)

    def moved(self, days: int) -> Demo:
        """Every date moved by this many days."""
        step = dt.timedelta(days=days)
        export = self.export.model_copy(update={
            "people": [p.model_copy(update={"connected_on": p.connected_on + step}) if p.connected_on else p
                       for p in self.export.people],
            "invitations": [i.model_copy(update={"sent_at": i.sent_at + step}) for i in self.export.invitations],
            "messages": [m.model_copy(update={"sent_at": m.sent_at + step}) for m in self.export.messages]})
        return Demo(export, [n.model_copy(update={"date": n.date + step}) for n in self.notes])

    def as_of(self, today: dt.date) -> Demo:
        """Moved by whole weeks so that its latest day is in the seven days before today."""
        return self.moved(7 * ((today - dt.timedelta(days=1) - self.latest()).days // 7))


def read_demo() -> Demo:
    """The demo as shipped in data/."""
    export = read_contact_file(EXPORT)
    if export is None:
        raise KithError(f"{EXPORT}: not a LinkedIn export (the demo network is damaged in this installation)")
    return Demo(export, read_notes_file(NOTES))


def import_demo(store: Store, today: dt.date) -> tuple[int, int]:
    """Import the demo as of today (its follow-ups due before its last week done); the people and the notes
    added."""
    demo = read_demo().as_of(today)
    people = import_people(store.db, demo.export).added
    notes = save_notes(store, demo.notes).notes_added
    done_before = demo.latest() - dt.timedelta(days=7)
    with store.db.transaction():
        for item in store.db.items(kinds=[Kind.FOLLOWUP]):
            if item.due is not None and item.due < done_before and item.id is not None:
                store.db.set_done(item.id, True)
    return people, notes
