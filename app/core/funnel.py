"""The networking funnel: invited → connected → coffee offered → met, per week, and who waits at each step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.config import DATA_DIR
from app.core.words import WordModel
from app.store.db import Database
from models import Stage

CONVERSATIONS = WordModel(DATA_DIR / "conversation_words.json")
"""Whether a note records a conversation with the person (a call, a coffee, a meeting), not a message, a missed
call or news of them: only such a note means met (`python -m app.core.conversation_training`)."""
OFFER_WAIT = dt.timedelta(days=7)
"""An offered coffee with no answer after this long is waiting on the user (a nudge, or let it go)."""
BY_HAND = "set by hand"


def set_by_hand(db: Database) -> dict[int, dt.date]:
    """The day each contact's stage was last set by hand: what happened before it no longer counts."""
    return {contact_id: day for contact_id, day, _, detail in db.events([s.value for s in Stage])
            if detail == BY_HAND}  # oldest first: the last one stays


def raise_stages(db: Database, contact_ids: list[int]) -> None:
    """Bring each contact's stage up to the furthest step its events and notes of a conversation show, never down;
    a stage set by hand stays unless something dated on or after it shows more (re-importing an old export changes
    nothing)."""
    if not contact_ids:
        return
    events = db.events([s.value for s in Stage])
    by_hand = set_by_hand(db)
    reached: dict[int, int] = {}
    for contact_id, day, kind, detail in events:
        if detail != BY_HAND and day >= by_hand.get(contact_id, dt.date.min):
            reached[contact_id] = max(reached.get(contact_id, -1), Stage(kind).rank)
    for contact_id, day in db.conversations(latest=True).items():
        if day >= by_hand.get(contact_id, dt.date.min):
            reached[contact_id] = Stage.MET.rank
    wanted = set(contact_ids)
    for contact in db.contacts_by_ids(contact_ids):
        if contact.id not in wanted or contact.is_me or contact.id not in reached:
            continue
        current = contact.stage.rank if contact.stage else -1
        if reached[contact.id] > current:
            db.set_contact_fields(contact.id, stage=list(Stage)[reached[contact.id]].value)


def set_stage(db: Database, name: str, stage: Stage, today: dt.date) -> None:
    """Set a contact's stage by hand (it is recorded as an event of today, so the funnel counts it)."""
    contact = db.contact(name)
    assert contact.id is not None
    with db.transaction():
        db.set_contact_fields(contact.id, stage=stage.value)
        db.add_event(contact.id, today, stage.value, BY_HAND)


@dataclass
class Waiting:
    contact: str
    stage: Stage
    since: dt.date

    def as_json(self) -> dict:
        return {"contact": self.contact, "stage": self.stage.value, "since": self.since.isoformat()}


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _state(db: Database) -> tuple[dict, dict[tuple[int, str], dt.date]]:
    """The contacts (not the user) by id, and the first day each reached each stage (an invitation counts when
    the user sent it: one received is not the user's routine)."""
    contacts = {c.id: c for c in db.contacts() if not c.is_me}
    first: dict[tuple[int, str], dt.date] = {}
    for contact_id, day, kind, detail in db.events([s.value for s in Stage]):
        if not (kind == Stage.INVITED.value and detail == "received"):
            first.setdefault((contact_id, kind), day)
    for contact_id, day in db.conversations().items():
        key = (contact_id, Stage.MET.value)
        first[key] = min(first.get(key, day), day)
    return contacts, first


WEEKS = 16
"""Weeks of the funnel shown unless asked (about four months of the routine)."""


def funnel(db: Database, today: dt.date, weeks: int = WEEKS) -> dict:
    """The contract's funnel: people at or past each stage, each of the last weeks, who is waiting, and how many
    of the invitations the user sent were accepted."""
    contacts, first = _state(db)
    start = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks - 1)
    rows = {iso_week(start + dt.timedelta(weeks=n)): {s.value: 0 for s in Stage} for n in range(weeks)}
    for (contact_id, kind), day in first.items():
        if contact_id in contacts and start <= day <= today:
            rows[iso_week(day)][kind] += 1
    stages = {s.value: sum(1 for c in contacts.values() if c.stage and c.stage.rank >= s.rank) for s in Stage}
    sent = {c for c, kind in first if kind == Stage.INVITED.value and c in contacts}
    accepted = sum(1 for c in sent if contacts[c].stage and contacts[c].stage.rank >= Stage.CONNECTED.rank)
    return {"stages": stages, "weeks": [{"week": week, **counts} for week, counts in rows.items()],
            "waiting": [w.as_json() for w in _waiting(db, today, contacts, first)],
            "invitations": {"sent": len(sent), "accepted": accepted}}


def waiting(db: Database, today: dt.date) -> list[Waiting]:
    """Who waits on the user: connected but not yet offered a coffee (oldest first), then offered a coffee
    more than a week ago with no answer since."""
    return _waiting(db, today, *_state(db))


def _waiting(db: Database, today: dt.date, contacts: dict, first: dict[tuple[int, str], dt.date]) -> list[Waiting]:
    answered: dict[int, dt.date] = {}
    for contact_id, day, _, detail in db.events(["message"]):
        if detail == "received":
            answered[contact_id] = max(answered.get(contact_id, day), day)
    found: list[Waiting] = []
    for contact_id, contact in contacts.items():
        if contact.stage == Stage.CONNECTED:
            since = first.get((contact_id, Stage.CONNECTED.value)) or contact.connected_on or today
            if since <= today:
                found.append(Waiting(contact.name, Stage.CONNECTED, since))
        elif contact.stage == Stage.OFFERED:
            since = first.get((contact_id, Stage.OFFERED.value)) or today
            if today - since >= OFFER_WAIT and answered.get(contact_id, dt.date.min) <= since:
                found.append(Waiting(contact.name, Stage.OFFERED, since))
    return sorted(found, key=lambda w: (w.stage.rank, w.since, w.contact))


def rates(stages: dict[str, int]) -> dict[str, float | None]:
    """The share of each step's people who went on to the next ("connected/invited": acceptance)."""
    order = [s.value for s in Stage]
    return {f"{b}/{a}": (stages[b] / stages[a] if stages[a] else None) for a, b in zip(order, order[1:], strict=False)}
