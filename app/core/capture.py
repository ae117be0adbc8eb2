"""Capture: add one note, or import many, all-or-nothing and idempotent."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from app.core.details import introduction_details
from app.core.funnel import CONVERSATIONS
from app.core.matching import refresh_pairs
from app.core.overlap import closest_passage
from app.core.people import People
from app.core.pieces import pieces_of
from app.core.understand import Understood, reading_version, understand_many
from app.errors import KithError
from app.store.embedder import pair_encoder_digest
from app.store.store import Store
from models import Contact, Decision, Item, Kind, NoteIn, Person

BATCH_NOTES = 64
Progress = Callable[[int, int], None]


class ExportSide(BaseModel):
    contact: str
    text: str
    date: dt.date | None = None
    """The day of its note (an export before Kith wrote it has none)."""


class ExportDecision(BaseModel):
    decision: Decision
    problem: ExportSide
    solution: ExportSide


class Export(BaseModel):
    """The shape `kith export --format json` writes."""

    kith_export: int
    contacts: list[Contact] = Field(default_factory=list)
    notes: list[dict] = Field(default_factory=list)
    followups: list[dict] = Field(default_factory=list)
    decisions: list[ExportDecision] = Field(default_factory=list)
    events: list[dict] = Field(default_factory=list)
    tag_cadence: dict[str, int] = Field(default_factory=dict)


@dataclass
class Saved:
    """What a capture or an import did."""

    notes_added: int = 0
    notes_skipped: int = 0
    items: int = 0
    note_ids: list[int] | None = None
    waiting: int = 0
    """Items the index server does not have yet (server mode, the server unreachable: sent when it is back)."""


def describe(error: ValidationError) -> str:
    """A pydantic error as one short line: the field and what is wrong with it."""
    parts = []
    for err in error.errors():
        where = ".".join(str(p) for p in err["loc"]) or "note"
        message = str(err["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if err["type"] != "missing" else f"{where}: missing")
    return "; ".join(parts)


def _read_text(path: Path) -> str:
    if not path.exists():
        raise KithError(f"{path}: no such file")
    if path.is_dir():
        raise KithError(f"{path}: is a directory, not a notes file")
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise KithError(f"{path}: not UTF-8 text (byte {e.start})") from None
    except OSError as e:
        raise KithError(f"{path}: cannot be read ({e.strerror})") from None


def read_import(path: Path) -> list[NoteIn] | Export:
    """A notes file (JSON lines) or a `kith export` file (one JSON object), validated whole."""
    raw = _read_text(path)
    if raw.lstrip().startswith("{") and '"kith_export"' in raw[:200_000]:
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            data = None
        if isinstance(data, dict) and "kith_export" in data:
            try:
                return Export.model_validate(data)
            except ValidationError as e:
                raise KithError(f"{path}: not a valid Kith export ({describe(e)})") from None
    return _parse_lines(path, raw)


def read_notes_file(path: Path) -> list[NoteIn]:
    """Parse a JSON-lines notes file; the first bad line stops everything, named by number."""
    return _parse_lines(path, _read_text(path))


def _parse_lines(path: Path, raw: str) -> list[NoteIn]:
    notes: list[NoteIn] = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as e:
            if number == 1 and not line.lstrip().startswith("{"):  # not a notes file at all
                raise KithError(f"{path}: not a file Kith imports (JSON-lines notes, a Kith export, a LinkedIn "
                                "export or its CSVs, vCards, a Google Contacts CSV)") from None
            raise KithError(f"{path}:{number}: not valid JSON ({e.msg})") from None
        if not isinstance(data, dict):
            raise KithError(f"{path}:{number}: expected a JSON object with contact, date and text")
        try:
            notes.append(NoteIn.model_validate(data))
        except ValidationError as e:
            raise KithError(f"{path}:{number}: {describe(e)}") from None
    if not notes:
        raise KithError(f"{path}: no notes in the file")
    return notes


def save_notes(store: Store, notes: Iterable[NoteIn], *, understand: bool = True,
               progress: Progress | None = None, sync_index: bool = True) -> Saved:
    """Understand and store notes in one transaction; notes already stored are skipped.

    With understand=False (the TUI, before the model is ready) the notes are stored at
    once and understood later by understand_pending().
    """
    saved = Saved(note_ids=[])
    if understand and sync_index:
        store.sync_index()  # a refused token or a server of another version stops here, before any write
    fresh: list[NoteIn] = []
    seen: set[str] = set()
    for note in notes:
        if note.digest in seen or store.db.has_note(note.digest):
            saved.notes_skipped += 1
            continue
        seen.add(note.digest)
        fresh.append(note)
    if not fresh:
        return saved
    understood: list[Understood | None] = [None] * len(fresh)
    if understand:  # the slow part runs before the write: two writers can understand at once
        for start in range(0, len(fresh), BATCH_NOTES):
            batch = fresh[start : start + BATCH_NOTES]
            understood[start : start + len(batch)] = understand_many(
                [(n.text, n.date) for n in batch], store.embedder, contacts=[n.contact for n in batch])
            if progress:
                progress(min(start + BATCH_NOTES, len(fresh)), len(fresh))
    new_items: list[int] = []
    with store.db.transaction():
        met: list[int] = []
        for note, result in zip(fresh, understood, strict=True):
            if store.db.has_note(note.digest):  # written by another process meanwhile
                saved.notes_skipped += 1
                continue
            contact_id = store.db.ensure_contact(note.contact)
            conversation = CONVERSATIONS(note.text)
            if conversation:  # a message, a missed call or news of them is no meeting
                met.append(contact_id)
            _fill_from_introduction(store, contact_id, note)
            note_id = store.db.insert_note(contact_id, note.date, note.text, note.tags, note.digest,
                                           understood=result is not None, conversation=conversation,
                                           reading=reading_version())
            saved.note_ids.append(note_id)
            saved.notes_added += 1
            if result is not None:
                new_items += insert_items(store, note_id, contact_id, result)
        store.db.mark_met(met)
        saved.items = len(new_items)
        if new_items:
            refresh_pairs(store.db, new_items)
    if understand and sync_index:
        saved.waiting = store.sync_index()  # what was just committed, sent to the index server
    return saved


def _fill_from_introduction(store: Store, contact_id: int, note: NoteIn) -> None:
    """A note that opens "Jo Bell, head of ops at Northwind" fills the contact's empty role and company."""
    details = introduction_details(note.contact, note.text)
    if details:
        known = store.db.contact_by_id(contact_id)
        store.db.set_contact_fields(contact_id, **{k: v for k, v in details.items() if not getattr(known, k)})


def restore_export(store: Store, export: Export, progress: Progress | None = None) -> Saved:
    """Bring back everything a `kith export` holds, in one transaction; importing it twice adds nothing."""
    notes = []
    for number, note in enumerate(export.notes, start=1):
        try:
            notes.append(NoteIn.model_validate(note))
        except ValidationError as e:
            raise KithError(f"note {number} of the export: {describe(e)}") from None
    store.sync_index()
    with store.db.transaction():
        people = People(store.db)
        for number, contact in enumerate(export.contacts, start=1):
            person = Person(where=f"contact {number}", **contact.model_dump(include=set(Person.model_fields)))
            found = people.find(person)
            if found is None:
                found = people.add(person, contact.source or "export")
            store.db.set_contact_fields(found, **{k: v for k, v in contact.model_dump(mode="json").items()
                                                  if k in ("how_met", "stage", "cadence_days") and v is not None})
            people.fill(found, person)
        saved = save_notes(store, notes, progress=progress, sync_index=False)
        for followup in export.followups:
            item = followup.get("done") and _read_as(store, followup["contact"], Kind.FOLLOWUP, followup["text"],
                                                      followup.get("date"))
            if item:
                store.db.set_done(int(item.id or 0), True)
        for event in export.events:
            contact = store.db.find_contact(event["contact"])
            if contact is not None and contact.id is not None:
                store.db.add_event(contact.id, dt.date.fromisoformat(event["day"]), event["kind"], event.get("detail"),
                                   origin=f"export:{contact.key}:{event['day']}:{event['kind']}:{event.get('detail')}")
        for tag, days in export.tag_cadence.items():
            store.db.set_tag_cadence(tag, days)
        for decision in export.decisions:
            problem = _read_as(store, decision.problem.contact, Kind.PROBLEM, decision.problem.text,
                               decision.problem.date)
            solution = _read_as(store, decision.solution.contact, Kind.SOLUTION, decision.solution.text,
                                decision.solution.date)
            if problem and solution:
                store.db.decide(int(problem.id or 0), int(solution.id or 0), decision.decision)
    saved.waiting = store.sync_index()
    return saved


def _read_as(store: Store, contact: str, kind: Kind, text: str, day: str | dt.date | None) -> Item | None:
    """The item an exported item of a contact is now read as: the one of its very text; else, for an export of an
    older Kith (which read the note otherwise), of the contact's items of its kind in notes of its day, the one
    that reads most the same passage (overlap.SAME_PASSAGE)."""
    exact = store.db.find_item(contact, kind, text)
    if exact is not None or day is None:
        return exact
    found = store.db.find_contact(contact)
    if found is None:
        return None
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return closest_passage(text, (i for i in store.db.items(contact_id=found.id, kinds=[kind]) if i.date == day))


def insert_items(store: Store, note_id: int, contact_id: int, result: Understood) -> list[int]:
    """Store what was read in a note; returns the new items' ids."""
    return [store.db.insert_item(note_id, contact_id, item, result.embeddings[row], result.parts[row],
                                 result.kinds[row], result.pieces[row], result.paired[row])
            for row, item in enumerate(result.items)]


def understand_pending(store: Store) -> int:
    """Understand and index the notes saved before the model was ready; returns how many."""
    pending = [n for n in store.db.notes(understood=False)]
    if not pending:
        return 0
    results = understand_many([(n.text, n.date) for n in pending], store.embedder,
                              contacts=[n.contact for n in pending])
    with store.db.transaction():
        new_items: list[int] = []
        for note, result in zip(pending, results, strict=True):
            if store.db.mark_understood(note.id, reading_version()):  # not already understood by another process
                new_items += insert_items(store, note.id, note.contact_id, result)
        refresh_pairs(store.db, new_items)
    store.sync_index()
    return len(pending)


def fill_pieces(store: Store, batch: int = 256) -> int:
    """Keep the word-pieces of the items understood before Kith kept them (`kith reindex`); returns how many.
    Each batch is read by the model before the write lock is taken: other processes never wait for it."""
    done = 0
    while chunk := store.db.without_pieces(batch):
        found = pieces_of([t for _, t in chunk], store.embedder)
        with store.db.transaction():
            store.db.set_pieces(zip([i for i, _ in chunk], found, strict=True))
        done += len(chunk)
    return done


def fill_paired(store: Store, batch: int = 256) -> int:
    """Keep the pair encoder's vectors of the problems and stories read before it (a note kept as read: its story
    is shared), sending a shared one to the team again; returns how many. None with a model the encoder does not
    fit. Each batch is read by the model before the write lock is taken.

    Once after the pair encoder changes, the vectors a kept note's items hold are dropped first and read again:
    the earlier encoder read them (the notes read again got the new one's)."""
    encoder = pair_encoder_digest()
    if store.db.meta("paired_with") != encoder:
        with store.db.transaction():
            store.db.forget_paired(reading_version())
            store.db.set_meta("paired_with", encoder)
    done = 0
    while chunk := store.db.without_paired(batch):
        found = store.embedder.pair_vectors([t for _, t in chunk])
        if found is None:
            break
        with store.db.transaction():
            store.db.set_paired(zip([i for i, _ in chunk], found, strict=True))
        done += len(chunk)
    if done:
        store.sync_index()
    return done


def add_note(store: Store, note: NoteIn, *, understand: bool = True) -> Saved:
    """Add one note (skipped if the very same note is already stored)."""
    return save_notes(store, [note], understand=understand)
