"""People into the store: a contact file's people, invitations and messages, matched to the contacts
already there (by LinkedIn profile, then email, then name and company), in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from app.core.funnel import BY_HAND, raise_stages, set_by_hand
from app.core.offers import proposes_a_call
from app.core.same_person import same_person
from app.store.db import Database
from models import Contact, ContactFile, Person, Stage
from models.contact import ME, normalise_name

Progress = Callable[[int, int], None]


class DryRun(Exception):
    """Raised inside the import's transaction to roll it back once the report is made."""


@dataclass
class ImportReport:
    """What an import did (or would do): counts of contacts, and the rows or cards left out."""

    kind: str
    added: int = 0
    updated: int = 0
    skipped: int = 0
    problems: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"kind": self.kind, "added": self.added, "updated": self.updated, "skipped": self.skipped,
                "problems": self.problems}


class People:
    """The store's contacts, indexed the ways an import finds a person: profile, email, name."""

    def __init__(self, db: Database):
        self.db = db
        self.by_url: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        self.by_key: dict[str, list[tuple[int, str | None, str | None]]] = {}
        for contact_id, key, url, emails, company in db.contact_keys():
            self._remember(contact_id, key, url, emails, company)

    def _remember(self, contact_id: int, key: str, url: str | None, emails: list[str], company: str | None) -> None:
        if url:
            self.by_url[url] = contact_id
        for email in emails:
            self.by_email.setdefault(email, contact_id)
        self.by_key.setdefault(normalise_name(key.split(" <")[0]), []).append((contact_id, url, company))

    def find(self, person: Person) -> int | None:
        """The contact this person is, if the store has them."""
        if person.linkedin_url and person.linkedin_url in self.by_url:
            return self.by_url[person.linkedin_url]
        for email in person.emails:
            if email in self.by_email:
                return self.by_email[email]
        for contact_id, url, company in self.by_key.get(normalise_name(person.name), []):
            if person.linkedin_url and url and url != person.linkedin_url:
                continue  # two people of one name: their profiles tell them apart
            if not same_person(person.name, person.company, person.name, company):
                continue  # the same name at another company: another person until the user merges them
            return contact_id
        return None

    def add(self, person: Person, source: str) -> int:
        """A new contact for this person (keyed by name, or by name and profile when the name is taken)."""
        key = normalise_name(person.name)
        if self.db.key_taken(key):
            detail = person.linkedin_url or person.emails[0] if (person.linkedin_url or person.emails) else None
            key = f"{key} <{detail or person.company or person.where}>"
            number = 2
            while self.db.key_taken(key):
                key, number = f"{normalise_name(person.name)} <{number}>", number + 1
        contact = Contact(name=person.name, company=person.company, role=person.role, location=person.location,
                          tags=person.tags, linkedin_url=person.linkedin_url, emails=person.emails,
                          phones=person.phones, birthday=person.birthday, connected_on=person.connected_on,
                          source=source)
        contact_id = self.db.insert_contact(contact, key)
        self._remember(contact_id, key, person.linkedin_url, person.emails, person.company)
        return contact_id

    def fill(self, contact_id: int, person: Person) -> bool:
        """Give the contact what the person adds to it (never overwriting a value); True if anything changed."""
        known = self.db.contact_by_id(contact_id)
        changes: dict = {}
        for name in ("company", "role", "location", "linkedin_url", "birthday", "connected_on"):
            value = getattr(person, name)
            if value and not getattr(known, name):
                changes[name] = value
        for name in ("emails", "phones", "tags"):
            extra = [v for v in getattr(person, name) if v not in getattr(known, name)]
            if extra:
                changes[name] = [*getattr(known, name), *extra]
        self.db.set_contact_fields(contact_id, **changes)
        if changes:
            self._remember(contact_id, known.key, changes.get("linkedin_url"), changes.get("emails", []), None)
        return bool(changes)


def _source(kind: str) -> str:
    return kind.split("-")[0]


def import_people(db: Database, data: ContactFile, *, dry_run: bool = False,
                  progress: Progress | None = None) -> ImportReport:
    """Add and update the file's people and record its invitations and messages, all or nothing.

    Re-importing the same file changes nothing (each event remembers the row it came from). With
    dry_run, the report says what would change and nothing is written.
    """
    report = ImportReport(kind=data.kind, problems=[p.model_dump() for p in data.problems])
    status: dict[int, str] = {}

    def mark(contact_id: int, what: str) -> None:
        order = ("skipped", "updated", "added")
        if order.index(what) > order.index(status.get(contact_id, "skipped")):
            status[contact_id] = what
        else:
            status.setdefault(contact_id, what)

    try:
        with db.transaction():
            people = People(db)
            owner = _owner(db, data)
            total, done = len(data.people) + len(data.invitations) + len(data.messages), 0
            source = _source(data.kind)
            for person in data.people:
                if _is_owner(person.name, person.linkedin_url, owner):
                    continue
                found = people.find(person)
                if found is None:
                    found = people.add(person, source)
                    mark(found, "added")
                else:
                    mark(found, "updated" if people.fill(found, person) else "skipped")
                if person.connected_on and db.add_event(found, person.connected_on, Stage.CONNECTED.value,
                                                        origin=f"connected:{person.linkedin_url or person.name}"):
                    mark(found, "updated")
                done += 1
                if progress and done % 500 == 0:
                    progress(done, total)
            for invitation in data.invitations:
                if _is_owner(invitation.name, invitation.linkedin_url, owner):
                    continue
                person = Person(where=invitation.where, name=invitation.name, linkedin_url=invitation.linkedin_url)
                found = _find_or_add(people, person, source, mark)
                origin = f"invite:{'out' if invitation.outgoing else 'in'}:{invitation.linkedin_url or invitation.name}"
                if db.add_event(found, invitation.sent_at.date(), Stage.INVITED.value,
                                "sent" if invitation.outgoing else "received", origin=origin):
                    mark(found, "updated")
            done += len(data.invitations)
            _record_messages(db, people, data, owner, source, mark)
            done += len(data.messages)
            raise_stages(db, list(status))
            if progress:
                progress(total, total)
            if owner[0] or owner[1]:
                db.set_meta("owner_name", owner[0] or "")
                db.set_meta("owner_url", owner[1] or "")
            for what in status.values():
                setattr(report, what, getattr(report, what) + 1)
            if dry_run:
                raise DryRun
    except DryRun:
        pass
    return report


def _find_or_add(people: People, person: Person, source: str, mark: Callable[[int, str], None]) -> int:
    found = people.find(person)
    if found is None:
        found = people.add(person, source)
        mark(found, "added")
    else:
        mark(found, "skipped")
    return found


def _owner(db: Database, data: ContactFile) -> tuple[str | None, str | None]:
    """The user's name and profile: from the file, else from an earlier import, else the one person in
    every conversation of a messages file."""
    name, url = data.owner, data.owner_url
    if not name and not url:
        name, url = db.meta("owner_name") or None, db.meta("owner_url") or None
    if not name and not url and data.messages:
        seen: dict[str, set[str]] = {}
        for message in data.messages:
            for who in (message.sender, *message.recipients):
                seen.setdefault(normalise_name(who), set()).add(message.conversation_id or message.where)
        name = max(seen, key=lambda who: len(seen[who]))
    return name, url


def _is_owner(name: str, url: str | None, owner: tuple[str | None, str | None]) -> bool:
    if normalise_name(name) == ME:
        return True
    if url and owner[1]:
        return url == owner[1]
    return bool(owner[0]) and normalise_name(name) == normalise_name(owner[0] or "")


def _record_messages(db: Database, people: People, data: ContactFile, owner: tuple[str | None, str | None],
                     source: str, mark: Callable[[int, str], None]) -> None:
    """Each message is a touch with the other people of its conversation; the user's first message
    after connecting that proposes a call is the coffee offered."""
    connected = {contact_id: day for contact_id, day, _, _ in db.events([Stage.CONNECTED.value])}
    reset = set_by_hand(db)
    offered = {contact_id for contact_id, day, _, detail in db.events([Stage.OFFERED.value])
               if detail != BY_HAND and day >= reset.get(contact_id, dt.date.min)}
    for message in sorted(data.messages, key=lambda m: m.sent_at):
        outgoing = _is_owner(message.sender, message.sender_url, owner)
        if outgoing:
            others = [Person(where=message.where, name=name, linkedin_url=url)
                      for name, url in zip(message.recipients, _padded(message.recipient_urls,
                                                                       len(message.recipients)), strict=True)]
        else:
            others = [Person(where=message.where, name=message.sender, linkedin_url=message.sender_url)]
        day = message.sent_at.date()
        for person in others:
            if _is_owner(person.name, person.linkedin_url, owner):
                continue
            contact_id = _find_or_add(people, person, source, mark)
            origin = f"message:{message.conversation_id}:{message.sent_at.isoformat()}:{normalise_name(person.name)}"
            if db.add_event(contact_id, day, "message", "sent" if outgoing else "received", origin=origin):
                mark(contact_id, "updated")
            if (outgoing and contact_id not in offered and day >= connected.get(contact_id, dt.date.min)
                    and day >= reset.get(contact_id, dt.date.min)
                    and proposes_a_call(message.content)):
                db.add_event(contact_id, day, Stage.OFFERED.value, origin=f"offered:{origin}")
                offered.add(contact_id)


def _padded(values: list[str], length: int) -> list[str | None]:
    return [*values[:length], *([None] * (length - len(values)))]
