"""What Kith understands of a note while it is being typed, and who already solved its problems."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from app.core.matching import score_pairs
from app.core.understand import understand
from app.store.store import Store
from models import Item, Kind, Match


@dataclass
class Preview:
    """The items of a draft, and for each problem (by position) the people who solved it."""

    items: list[Item]
    helpers: dict[int, list[Match]] = field(default_factory=dict)


def preview(store: Store, text: str, date: dt.date, contact: str | None = None, limit: int = 3) -> Preview:
    """Understand a draft without storing it; match its problems against the stored solutions."""
    if not text.strip():
        return Preview([])
    result = understand(text, date, store.embedder)
    existing = store.db.find_contact(contact) if contact else None
    me = existing.id if existing else -1
    problems, rows, owners, sentences = [], [], [], []
    for row, item in enumerate(result.items):
        if item.kind == Kind.PROBLEM:
            problems.append(item.model_copy(update={"id": -(row + 1), "note_id": 0, "contact_id": me,
                                                    "contact": contact or "this contact"}))
            rows.append(row)
            told = result.parts[row] if result.parts[row] is not None else result.embeddings[[row]]
            owners.extend([-(row + 1)] * len(told))
            sentences.append(told)
    helpers: dict[int, list[Match]] = {}
    s_ids, s_vecs = store.db.embeddings([Kind.SOLUTION])
    if problems and s_ids:
        solutions = {i.id: i for i in store.db.items(kinds=[Kind.SOLUTION])}
        matches = score_pairs(problems, result.embeddings[rows], [solutions[i] for i in s_ids], s_vecs,
                              s_parts=store.db.parts([Kind.SOLUTION]), p_parts=(owners, np.vstack(sentences)))
        for m in matches:
            position = -m.problem.item_id - 1
            helpers.setdefault(position, [])
            if len(helpers[position]) < limit:
                helpers[position].append(m)
    return Preview(result.items, helpers)
