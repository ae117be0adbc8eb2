"""Likely duplicate contacts, and joining one contact into another."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from app.core.funnel import raise_stages
from app.errors import KithError
from app.store.db import Database
from models import Contact

SAME_NAME = 85
"""rapidfuzz token-sort ratio at or above which two names are likely one person ("Jon Smith" / "John Smith")."""


@dataclass
class Pair:
    a: str
    b: str
    why: str

    def as_json(self) -> dict:
        return {"a": self.a, "b": self.b, "why": self.why}


def likely_duplicates(db: Database) -> list[Pair]:
    """Pairs of contacts that are probably one person: the same email or profile, or close names that no
    two different profiles tell apart (compared within the same surname initial, so 10,000 contacts take
    well under a second)."""
    contacts = [c for c in db.contacts() if not c.is_me]
    found: dict[tuple[int, int], str] = {}
    for field in ("emails", "linkedin_url"):
        seen: dict[str, Contact] = {}
        for contact in contacts:
            values = getattr(contact, field)
            for value in values if isinstance(values, list) else [values] if values else []:
                if value in seen and seen[value].id != contact.id:
                    found.setdefault(_key(seen[value], contact), f"same {field.rstrip('s').replace('_', ' ')}: {value}")
                seen.setdefault(value, contact)
    blocks: dict[str, list[Contact]] = {}
    for contact in contacts:
        blocks.setdefault(contact.name.split()[-1][:1].casefold(), []).append(contact)
    for block in blocks.values():
        names = [c.name.casefold() for c in block]
        scores = process.cdist(names, names, scorer=fuzz.token_sort_ratio, score_cutoff=SAME_NAME)
        for i, j in zip(*scores.nonzero(), strict=True):
            a, b = block[i], block[j]
            if i >= j or (a.linkedin_url and b.linkedin_url and a.linkedin_url != b.linkedin_url):
                continue
            why = "same name" if a.key == b.key or names[i] == names[j] else f"similar names ({scores[i, j]:.0f}%)"
            if a.company and b.company:
                why += f", {a.company} / {b.company}" if a.company != b.company else f", both at {a.company}"
            found.setdefault(_key(a, b), why)
    by_id = {c.id: c for c in contacts}
    return [Pair(by_id[a].name, by_id[b].name, why) for (a, b), why in sorted(found.items())]


def _key(a: Contact, b: Contact) -> tuple[int, int]:
    return (min(a.id or 0, b.id or 0), max(a.id or 0, b.id or 0))


def merge(db: Database, keep: str, other: str) -> dict:
    """Join other into keep: notes, follow-ups, decisions, events and introductions move; keep's fields win,
    other's fill what keep lacks; emails, phones and tags are joined. Returns the contract's summary."""
    kept, gone = db.contact(keep), db.contact(other)
    if kept.id == gone.id:
        raise KithError(f"{keep!r} and {other!r} are the same contact")
    assert kept.id is not None and gone.id is not None
    with db.transaction():
        moved = db.move_contact(gone.id, kept.id)
        fields = {name: getattr(gone, name) for name in ("company", "role", "location", "how_met", "linkedin_url",
                                                       "birthday", "connected_on", "source", "cadence_days")
                  if getattr(gone, name) and not getattr(kept, name)}
        for name in ("emails", "phones", "tags"):
            joined = [*getattr(kept, name), *(v for v in getattr(gone, name) if v not in getattr(kept, name))]
            if joined != getattr(kept, name):
                fields[name] = joined
        db.delete_contact(gone.id)
        db.set_contact_fields(kept.id, **fields)
        raise_stages(db, [kept.id])
    return {"kept": kept.name, "merged": gone.name, "notes_moved": moved}
