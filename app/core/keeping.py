"""Keeping in touch: a cadence per contact or per tag, who is losing touch, and birthdays as reminders."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil.rrule import YEARLY, rrule

from app.core.dates import due_date
from app.core.same_person import closest
from app.core.sentences import split
from app.errors import KithError
from app.store.db import Database
from models import Contact, Kind

_EVERY = re.compile(r"^\s*(?:every\s+)?(\d+)\s*(d|days?|w|weeks?|m|months?)\s*$", re.IGNORECASE)
DAYS_PER = {"d": 1, "w": 7, "m": 30}
BIRTHDAY_AHEAD = 7
"""Birthdays within this many days are reminders ("birthdays this week")."""
_BIRTHDAY = re.compile(r"\bbirthday\b", re.IGNORECASE)


def parse_every(text: str) -> int | None:
    """Days of a cadence: "30d", "6w", "3m" (a month is 30 days), "every 90 days"; None for "off"."""
    if text.strip().casefold() in {"off", "none", "never"}:
        return None
    found = _EVERY.match(text)
    if not found or int(found[1]) == 0:
        raise KithError(f"not a cadence: {text!r} (say 30d, 6w, 3m or off)")
    return int(found[1]) * DAYS_PER[found[2][0].casefold()]


def set_cadence(db: Database, *, name: str | None = None, tag: str | None = None, days: int | None) -> int:
    """Set (or clear, days None) a contact's or a tag's cadence; returns how many contacts it covers. A tag no
    contact has is refused (a mistyped tag would remind no one), unless its cadence is being cleared."""
    with db.transaction():
        if tag is not None:
            tags = {t for c in db.contacts(brief=True) for t in c.tags}
            if tag not in tags and not (days is None and tag in db.tag_cadences()):
                close = closest(tag, sorted(tags))
                hint = (f"did you mean {close!r}?" if close else "see their tags in `kith contacts`" if tags
                        else "no contact has a tag yet")
                raise KithError(f"no contact is tagged {tag!r} ({hint}); tag them first (e on a person in the app)")
            db.set_tag_cadence(tag, days)
            return sum(1 for c in db.contacts(brief=True) if tag in c.tags)
        contact = db.contact(name or "")
        assert contact.id is not None
        db.set_contact_fields(contact.id, cadence_days=days)
        return 1


def cadence_of(contact: Contact, by_tag: dict[str, int]) -> int | None:
    """The contact's own cadence, else the shortest of its tags'."""
    if contact.cadence_days:
        return contact.cadence_days
    days = [by_tag[t] for t in contact.tags if t in by_tag]
    return min(days) if days else None


@dataclass
class Reminder:
    """A dated reminder that is not a note's follow-up: a birthday, or getting back in touch."""

    kind: str
    """"birthday" or "keep-in-touch"."""
    contact: str
    text: str
    due: dt.date
    since: dt.date
    """The last touch (keep-in-touch) or the day the birthday is known from."""

    def as_json(self) -> dict:
        return {"contact": self.contact, "text": self.text, "due": self.due.isoformat(), "done": False,
                "note_id": None, "date": self.since.isoformat(), "kind": self.kind}


def losing_touch(db: Database, today: dt.date, *, include_all: bool = False) -> list[Reminder]:
    """Contacts with a cadence whose last touch (a note, a message, a logged touch) is older than it, most
    overdue first; with include_all, every contact with a cadence, by when they are due."""
    by_tag = db.tag_cadences()
    touches = db.last_touches()
    found = []
    for contact in db.contacts():
        days = cadence_of(contact, by_tag)
        if not days or contact.is_me:
            continue
        last = touches.get(contact.id or 0) or contact.connected_on
        due = (last + dt.timedelta(days=days)) if last else today
        if include_all or due <= today:
            when = f"last in touch {last}" if last else "never in touch"
            found.append(Reminder("keep-in-touch", contact.name, f"Get back in touch ({when}; every {days} days)",
                                  due, last or today))
    return sorted(found, key=lambda r: (r.due, r.contact))


def next_birthday(birthday: str, today: dt.date) -> dt.date:
    """The next day (today included) this birthday ("YYYY-MM-DD" or "--MM-DD") falls on; Feb 29 in leap years."""
    month, day = int(birthday[-5:-3]), int(birthday[-2:])
    return rrule(YEARLY, bymonth=month, bymonthday=day, dtstart=dt.datetime.combine(today, dt.time()))[0].date()


def birthdays(db: Database, today: dt.date, *, ahead: int = BIRTHDAY_AHEAD) -> list[Reminder]:
    """Birthdays in the next ahead days: from the contacts' fields, and from notes ("her birthday is May 3")."""
    known: dict[str, tuple[str, dt.date | None]] = {}
    for contact in db.contacts():
        if contact.birthday and not contact.is_me:
            known[contact.name] = (contact.birthday, None)
    for item in db.items(kinds=[Kind.PERSONAL, Kind.NOTE]):
        if item.contact and item.contact not in known and _BIRTHDAY.search(item.text):
            # the sentence that says it, not a day its neighbours name (personal sentences join into one item)
            told = next((s.text for s in split(item.text) if _BIRTHDAY.search(s.text)), item.text)
            day = due_date(told, item.date or today, to_do=False)
            if day is not None:
                known[item.contact] = (f"--{day:%m-%d}", item.date)
    found = []
    for name, (birthday, since) in known.items():
        day = next_birthday(birthday, today)
        if (day - today).days <= ahead:
            age = f" (turns {day.year - int(birthday[:4])})" if not birthday.startswith("--") else ""
            found.append(Reminder("birthday", name, f"Birthday on {day:%a %d %b}{age}", day, since or today))
    return sorted(found, key=lambda r: (r.due, r.contact))


def touch(db: Database, name: str, day: dt.date, detail: str | None = None) -> None:
    """Log that the user was in touch with someone (a call, a message elsewhere): their cadence restarts."""
    contact = db.contact(name)
    assert contact.id is not None
    with db.transaction():
        db.add_event(contact.id, day, "touch", detail)
