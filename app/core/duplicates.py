"""Likely duplicate contacts, and joining one contact into another."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from app.core.funnel import raise_stages
from app.core.same_person import cut_off as same_person_cut_off
from app.core.same_person import fold, same_person_probability, sieve
from app.errors import KithError
from app.store.db import Database
from models import Contact, Kind


@dataclass
class Pair:
    a: str
    b: str
    why: str

    def as_json(self) -> dict:
        return {"a": self.a, "b": self.b, "why": self.why}


def likely_duplicates(db: Database) -> list[Pair]:
    """Pairs of contacts that are probably one person: the same email or profile, or names and companies the
    fitted scorer calls one person, unless two different profiles tell them apart (names are compared within
    each word's initial, above the fitted sieve)."""
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
    for contact in contacts:  # under each word's first letter: reordered names meet too
        for initial in {word[:1] for word in fold(contact.name).split()}:
            blocks.setdefault(initial, []).append(contact)
    for block in blocks.values():
        names = [fold(c.name) for c in block]
        close = process.cdist(names, names, scorer=fuzz.token_set_ratio, score_cutoff=sieve())
        for i, j in zip(*close.nonzero(), strict=True):
            a, b = block[i], block[j]
            if i >= j or _key(a, b) in found or _told_apart(a, b):
                continue
            p = same_person_probability(a.name, a.company, b.name, b.company)
            if p >= same_person_cut_off():
                companies = f", {a.company} / {b.company}" if a.company and b.company and a.company != b.company else ""
                alike = "same name" if names[i] == names[j] else "similar names"
                found[_key(a, b)] = f"{alike}{companies} ({p:.0%} alike)"
    by_id = {c.id: c for c in contacts}
    return [Pair(by_id[a].name, by_id[b].name, why) for (a, b), why in sorted(found.items())]


def _told_apart(a: Contact, b: Contact) -> bool:
    """Two different LinkedIn profiles are two people, however alike their names."""
    return bool(a.linkedin_url and b.linkedin_url and a.linkedin_url != b.linkedin_url)


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
        # Their pairs with each other are gone: the two's problems and stories are scored again as new ones, so
        # a problem whose best solver was the other shows its next, and each story's nearness holds.
        from app.core.matching import refresh_pairs

        refresh_pairs(db, [int(i.id or 0) for i in db.items(contact_id=kept.id, kinds=[Kind.PROBLEM, Kind.SOLUTION])])
    return {"kept": kept.name, "merged": gone.name, "notes_moved": moved}
