"""Connect: a problem of one contact that another contact has already solved.

The question is asymmetric — does this solution answer that problem? — so only
problem items are compared with solution items, never whole notes, and two
people with the same unsolved problem (two problems) are never a match.
"""

from __future__ import annotations

import numpy as np

from app.core.overlap import overlap
from app.store.db import Database
from models import Decision, Item, Kind, Match, MatchSide

WORDS_WEIGHT = 0.4
"""How much the rare words a problem and a story share add to their similarity of meaning."""
SURE = 0.55
"""Similarity at which a problem–solution pair is shown on its own."""
FLOOR = 0.42
"""Below SURE, a pair is shown only above this floor, and only when the solver is the problem's best
solver and the problem's owner one of the two people the solution answers best (one story can help
two), or when the solver is a close runner-up whose story answers this problem best of all."""
COLUMN_RANK = 2
RUNNER_UP_MARGIN = 0.06
"""How far under the problem's best solver a second solver may score and still be shown (one
problem can have two solvers)."""


def _side(item: Item) -> MatchSide:
    assert item.id is not None and item.note_id is not None and item.date is not None
    return MatchSide(contact=item.contact or "", text=item.text, note_id=item.note_id, item_id=item.id,
                     date=item.date)


def find_matches(db: Database, *, contact_id: int | None = None, cut_off: float = FLOOR) -> list[Match]:
    """Problem–solution pairs across contacts that Kith stands behind, best first.

    One pair per problem and solving contact (their best sentence). Pairs the user
    marked "not a fit" are left out: a dismissed pair does not come back.
    """
    p_ids, p_vecs = db.embeddings([Kind.PROBLEM])
    s_ids, s_vecs = db.embeddings([Kind.SOLUTION])
    if not p_ids or not s_ids:
        return []
    problems = {i.id: i for i in db.items(kinds=[Kind.PROBLEM])}
    solutions = {i.id: i for i in db.items(kinds=[Kind.SOLUTION])}
    return score_pairs(
        [problems[i] for i in p_ids], p_vecs, [solutions[i] for i in s_ids], s_vecs,
        s_parts=db.parts([Kind.SOLUTION]), p_parts=db.parts([Kind.PROBLEM]),
        decisions=db.decisions(), contact_id=contact_id, cut_off=cut_off,
    )


Parts = tuple[list[int], np.ndarray]
"""Each sentence embedding of some items, with its item's id (one row a sentence)."""


def similarity(problems: list[Item], p_vecs: np.ndarray, solutions: list[Item], s_vecs: np.ndarray,
               s_parts: Parts | None = None, p_parts: Parts | None = None) -> np.ndarray:
    """How well each solution answers each problem, by meaning and by shared rare words.

    A success story tells the problem as it was, what was done and the result: the problem
    is compared with the whole story and with its closest sentence — and, for a problem told
    over several sentences, each of them too — and the two are averaged, so a story whose
    first sentence is this very problem ranks high.
    """
    meaning = p_vecs @ s_vecs.T
    if s_parts is not None and len(s_parts[0]):
        owners, parts = s_parts
        stories, closest = _max_by_group(p_vecs @ parts.T, np.asarray(owners))
        columns = np.searchsorted(stories, [int(s.id or 0) for s in solutions])
        closest = closest[:, columns]
        if p_parts is not None and len(p_parts[0]):
            p_owners, p_rows = p_parts
            by_sentence = _max_by_group(p_rows @ parts.T, np.asarray(owners))[1][:, columns]
            told, by_problem = _max_by_group(by_sentence.T, np.asarray(p_owners))
            closest = np.maximum(closest, by_problem.T[np.searchsorted(told, [int(p.id or 0) for p in problems])])
        meaning = (meaning + closest) / 2
    return meaning + WORDS_WEIGHT * overlap([p.text for p in problems], [s.text for s in solutions])


def _max_by_group(values: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The groups (sorted) and, in each row, the largest value of each group's columns."""
    order = np.argsort(groups, kind="stable")
    keys, starts = np.unique(groups[order], return_index=True)
    return keys, np.maximum.reduceat(values[:, order], starts, axis=1)


def _contact_rank(sims: np.ndarray, owners: np.ndarray) -> np.ndarray:
    """For each row, the rank of each column's contact among all contacts, by their best column."""
    contacts, best = _max_by_group(sims, owners)
    rank = (-best).argsort(axis=1).argsort(axis=1)
    return rank[:, np.searchsorted(contacts, owners)]


def score_pairs(problems: list[Item], p_vecs: np.ndarray, solutions: list[Item], s_vecs: np.ndarray, *,
                s_parts: Parts | None = None, p_parts: Parts | None = None,
                decisions: dict[tuple[int, int], Decision] | None = None, contact_id: int | None = None,
                cut_off: float = FLOOR) -> list[Match]:
    """Score every problem against every solution of another contact."""
    decisions = decisions or {}
    sims = similarity(problems, p_vecs, solutions, s_vecs, s_parts, p_parts)
    p_contacts = np.array([p.contact_id for p in problems])
    s_contacts = np.array([s.contact_id for s in solutions])
    sims[p_contacts[:, None] == s_contacts[None, :]] = -1.0
    row_rank = _contact_rank(sims, s_contacts)
    col_rank = _contact_rank(sims.T, p_contacts).T
    runner_up = (row_rank < 2) & (col_rank < 1) & (sims >= sims.max(axis=1, keepdims=True) - RUNNER_UP_MARGIN)
    shown = (sims >= max(cut_off, SURE)) | ((sims >= cut_off) & (
        ((row_rank < 1) & (col_rank < COLUMN_RANK)) | runner_up))
    best: dict[tuple[int, int], Match] = {}
    for row, col in zip(*np.nonzero(shown), strict=True):
        problem, solution = problems[row], solutions[col]
        if contact_id is not None and contact_id not in (problem.contact_id, solution.contact_id):
            continue
        assert problem.id is not None and solution.id is not None
        decision = decisions.get((problem.id, solution.id))
        if decision == Decision.NOT_A_FIT:
            continue
        key = (problem.id, int(solution.contact_id or 0))
        score = round(float(sims[row, col]), 4)
        if key not in best or score > best[key].score:
            best[key] = Match(score=score, problem=_side(problem), solution=_side(solution), decision=decision)
    return sorted(best.values(), key=lambda m: (-m.score, m.problem.item_id, m.solution.item_id))
