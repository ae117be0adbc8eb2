"""What Kith understands of a note while it is being typed, and who already solved its problems."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import numpy as np

from app.core.matching import Side, held_pieces, match_side, score_sides, stored_sides
from app.core.team import colleagues
from app.core.understand import Understood, understand
from app.store.embedder import paired_rows
from app.store.store import Store
from models import Item, Kind, Match, TeamMatch, TeamSide


@dataclass
class Preview:
    """The items of a draft, and for each problem (by position) the people who solved it: in my network,
    and in my colleagues' (their shared stories, on a team's server)."""

    items: list[Item]
    helpers: dict[int, list[Match]] = field(default_factory=dict)
    team: dict[int, list[TeamMatch]] = field(default_factory=dict)


def preview(store: Store, text: str, date: dt.date, contact: str | None = None, limit: int = 3) -> Preview:
    """Understand a draft without storing it; match its problems against the stored solutions.

    The stored solutions are read once per change of the store and kept (the app asks on every pause
    in typing), so only the draft is encoded and scored here.
    """
    if not text.strip():
        return Preview([])
    result = understand(text, date, store.embedder, contact)
    team = team_solvers(store, result, contact, limit) if store.on_server else {}
    return Preview(result.items, solvers(store, result, contact, limit), team)


def draft_problems(store: Store, result: Understood, contact: str | None) -> Side | None:
    """The problems of an understood draft as a matching side (ids -1-position), or None when it has none."""
    existing = store.db.find_contact(contact) if contact else None
    me = existing.id if existing else -1
    rows = [row for row, item in enumerate(result.items) if item.kind == Kind.PROBLEM]
    if not rows:
        return None
    owners, sentences = [], []
    for row in rows:
        told = result.parts[row] if result.parts[row] is not None else result.embeddings[[row]]
        owners.extend([-(row + 1)] * len(told))
        sentences.append(told)
    return Side(np.array([-(row + 1) for row in rows], dtype=np.int64), np.full(len(rows), me, dtype=np.int64),
                [result.items[row].text for row in rows], result.embeddings[rows],
                np.array([result.items[row].confidence for row in rows], dtype=np.float32),
                (owners, np.vstack(sentences)),
                unsaved=[i.text for i in result.items if i.kind in (Kind.PROBLEM, Kind.SOLUTION)],
                pieces=held_pieces({-(row + 1): result.pieces[row] for row in rows}),
                paired=paired_rows([result.paired[row] for row in rows]))


def solvers(store: Store, result: Understood, contact: str | None = None, limit: int = 3) -> dict[int, list[Match]]:
    """For each problem of an understood draft (by position), the stored solutions that answer it."""
    helpers: dict[int, list[Match]] = {}
    _, solutions = stored_sides(store.db)
    problems = draft_problems(store, result, contact)
    if problems is None or not len(solutions.ids):
        return helpers
    chosen = score_sides(problems, solutions, {})
    stories = {i.id: i for i in store.db.items(ids=sorted({s for _, s, _ in chosen}))}
    for p, s, score in chosen:
        position = -p - 1
        if len(helpers.setdefault(position, [])) < limit:
            draft = result.items[position].model_copy(update={"id": p, "note_id": 0, "contact": contact or
                                                              "this contact"})
            helpers[position].append(Match(score=score, problem=match_side(draft), solution=match_side(stories[s])))
    return helpers


def team_solvers(store: Store, result: Understood, contact: str | None = None,
                 limit: int = 3) -> dict[int, list[TeamMatch]]:
    """For each problem of an understood draft (by position), the colleagues' shared stories that answer it."""
    found = colleagues(store)
    problems = draft_problems(store, result, contact)
    if found is None or problems is None:
        return {}
    side, stories = found
    helpers: dict[int, list[TeamMatch]] = {}
    # Of the draft, only its problems will join the team's corpus (my problems and their stories).
    for p, s, score in score_sides(replace(problems, unsaved=problems.texts), side, {}):
        position = -p - 1
        if len(helpers.setdefault(position, [])) < limit:
            draft = result.items[position].model_copy(update={"id": p, "note_id": 0, "contact": contact or
                                                              "this contact"})
            story = stories[-s - 1]
            helpers[position].append(TeamMatch(score=score, problem=match_side(draft), solution=TeamSide(
                member=story.member, contact=story.solver, text=story.text)))
    return helpers
