"""Notes read again by a newer Kith (`kith reindex`): their items replaced by what this version reads in them,
and what the user did with the old items kept — a ticked follow-up stays ticked, a match marked "not a fit"
stays so, an introduction keeps the sentences it was made on."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.core.capture import BATCH_NOTES, Progress, insert_items
from app.core.overlap import closest_passage
from app.core.understand import Understood, reading_version, understand_many
from app.store.store import Store
from models import Item


@dataclass
class ReadAgain:
    """What `read_again` did."""

    notes: int = 0
    """Notes read again."""
    kept: int = 0
    """Notes another reading read that keep their items: a story of theirs is shared with the team."""


def stale(store: Store) -> tuple[int, int]:
    """How many notes were read by another version of Kith: (those `read_again` reads, those it keeps)."""
    return store.db.count_read_otherwise(reading_version())


def read_again(store: Store, progress: Progress | None = None) -> ReadAgain:
    """Read again every note another version of Kith read (see `read_batches`)."""
    done, total = 0, stale(store)[0]
    for read in read_batches(store):
        done += read
        if progress:
            progress(min(done, total), total)
    return ReadAgain(done, stale(store)[1])


def read_batches(store: Store) -> Iterator[int]:
    """Read again the notes another version of Kith read, a batch at a time (yields how many each). The caller
    scores every match pair again (`refresh_pairs`); until then the stored pairs are marked as scored by another
    version, so a run cut short has `kith matches` score them.

    Each batch is read by the model before the write lock is taken; a note another process read again
    meanwhile is left as it is. A note with a story shared with the team keeps its items (the team's copy is
    known by the item), one shared meanwhile too.
    """
    reading = reading_version()
    while notes := store.db.read_otherwise(reading, BATCH_NOTES):
        results = understand_many([(n.text, n.date) for n in notes], store.embedder,
                                  contacts=[n.contact for n in notes])
        with store.db.transaction():
            store.db.set_meta("pairs_version", "items read again")
            for note, result in zip(notes, results, strict=True):
                contact_id = store.db.set_reading(note.id, reading)  # its contact now (a merge may have moved it)
                if contact_id is not None:
                    _replace_items(store, note.id, contact_id, result)
        yield len(notes)


def _replace_items(store: Store, note_id: int, contact_id: int, result: Understood) -> None:
    old = store.db.note_items([note_id])
    before = predecessors(result.items, old)
    for item, was in zip(result.items, before, strict=True):
        item.done = was.done if was is not None else item.done  # as the user left it; a new item as its note says
    ids = insert_items(store, note_id, contact_id, result)
    store.db.hand_over({int(o.id or 0): [i for i, was in zip(ids, before, strict=True) if was is o] for o in old})
    store.db.delete_items([int(o.id or 0) for o in old])


def predecessors(new: list[Item], old: list[Item]) -> list[Item | None]:
    """For each new item of a note, the old one it takes the place of (None: none): the old item of its kind and very
    text, each taken once; else, among the old items of its kind no such pair took, the one that reads most the same
    passage (overlap.SAME_PASSAGE). Several new items may take the place of one old one (a story read as two), one
    new item of one old item only."""
    left = list(old)
    found: list[Item | None] = []
    for item in new:
        same = next((o for o in left if o.kind == item.kind and o.text == item.text), None)
        if same is not None:
            left.remove(same)
        found.append(same)
    for n, item in enumerate(new):
        if found[n] is None:
            found[n] = closest_passage(item.text, (o for o in left if o.kind == item.kind))
    return found
