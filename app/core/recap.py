"""The pre-meeting recap of a person, and the follow-ups across everyone."""

from __future__ import annotations

import datetime as dt

from app.core.intros import intros
from app.core.matching import find_matches
from app.store.db import Database
from models import Item, Kind, Recap


def recap(db: Database, name: str) -> Recap:
    """Everything to read before meeting name: personal details, problems, promises, who could help."""
    contact = db.contact(name)
    assert contact.id is not None
    items = db.items(contact_id=contact.id)
    by_kind: dict[Kind, list[Item]] = {kind: [] for kind in Kind}
    for item in items:
        by_kind[item.kind].append(item)
    matches = find_matches(db, contact_id=contact.id)
    timeline = [(n.date, n.text, n.id) for n in reversed(db.notes(contact_id=contact.id))]
    return Recap(
        contact=contact,
        last_met=contact.last_met,
        personal=by_kind[Kind.PERSONAL],
        problems=by_kind[Kind.PROBLEM],
        solutions=by_kind[Kind.SOLUTION],
        followups=by_kind[Kind.FOLLOWUP],
        notes=by_kind[Kind.NOTE],
        could_help_them=_best_per(m for m in matches if m.problem.contact == contact.name),
        they_could_help=_best_per(m for m in matches if m.solution.contact == contact.name),
        timeline=timeline,
        intros=[i.as_json() for i in intros(db, contact.id)],
    )


def _best_per(matches) -> list:
    """One match per pair of people (the best), best first: a recap names each helper once."""
    best = {}
    for m in matches:
        key = (m.problem.contact, m.solution.contact)
        if key not in best or m.score > best[key].score:
            best[key] = m
    return sorted(best.values(), key=lambda m: -m.score)


def followups(db: Database, *, include_all: bool = False, today: dt.date | None = None) -> list[Item]:
    """Open follow-ups that are due or overdue (undated ones too); with include_all, every one.

    Overdue and due first (by due date), then upcoming, then undated.
    """
    today = today or dt.date.today()
    items = db.items(kinds=[Kind.FOLLOWUP])
    if not include_all:
        items = [i for i in items if not i.done and (i.due is None or i.due <= today)]
    return sorted(items, key=lambda i: (i.done, i.due is None, i.due or dt.date.max, i.date or dt.date.min))
