"""The match cut-off on vectors whose similarities are set by hand: no model needed."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from app.core.matching import FLOOR, RUNNER_UP_MARGIN, SURE, score_pairs
from app.core.overlap import overlap, terms
from models import Decision, Item, Kind

DAY = dt.date(2026, 10, 1)


def item(item_id: int, contact_id: int, kind: Kind, text: str | None = None) -> Item:
    return Item(id=item_id, note_id=item_id, contact_id=contact_id, contact=f"contact {contact_id}", kind=kind,
                text=text or f"{kind} {item_id}", date=DAY)


def at(similarity: float, axis: int = 1) -> np.ndarray:
    """A unit vector whose similarity with (1, 0, 0) is the one given."""
    vector = np.zeros(3)
    vector[0], vector[axis] = similarity, math.sqrt(1 - similarity**2)
    return vector


def pairs(problems: list[tuple[int, int, float]], decisions=None) -> set[tuple[int, int]]:
    """Shown (problem, solution) ids for problems at the given similarity to one solution of contact 9."""
    solution = item(100, 9, Kind.SOLUTION)
    found = score_pairs([item(i, c, Kind.PROBLEM) for i, c, _ in problems], np.stack([at(s) for *_, s in problems]),
                        [solution], np.array([[1.0, 0.0, 0.0]]), decisions=decisions)
    return {(m.problem.item_id, m.solution.item_id) for m in found}


def test_a_story_helps_the_two_people_it_answers_best_however_many_sentences_they_wrote():
    assert FLOOR + 0.08 < SURE
    shown = pairs([(1, 1, FLOOR + 0.08), (2, 1, FLOOR + 0.06), (3, 2, FLOOR + 0.03), (4, 3, FLOOR + 0.01)])
    # Contact 2 is the second person this story answers, even behind two sentences of contact 1.
    assert shown == {(1, 100), (2, 100), (3, 100)}


def test_below_the_floor_nothing_and_above_sure_everything():
    assert pairs([(1, 1, FLOOR - 0.05)]) == set()
    assert pairs([(1, 1, 0.9), (2, 2, 0.8), (3, 3, SURE + 0.01)]) == {(1, 100), (2, 100), (3, 100)}


def unit(*values: float) -> np.ndarray:
    vector = np.asarray(values, dtype=float)
    return vector / np.linalg.norm(vector)


def solvers_shown(runner_up: float, *, its_better_problem: bool = False) -> set[str]:
    """Contacts shown as solving contact 1's problem: the best solver (8) at FLOOR + 0.1 and a runner-up (9)."""
    best = FLOOR + 0.1
    stories = [item(100, 8, Kind.SOLUTION), item(101, 9, Kind.SOLUTION)]
    s_vecs = np.stack([unit(best, math.sqrt(1 - best**2), 0, 0), unit(runner_up, 0, math.sqrt(1 - runner_up**2), 0)])
    problems, p_vecs = [item(1, 1, Kind.PROBLEM)], [unit(1, 0, 0, 0)]
    if its_better_problem:  # contact 2 has the very problem the runner-up's story tells
        problems.append(item(2, 2, Kind.PROBLEM))
        p_vecs.append(s_vecs[1])
    found = score_pairs(problems, np.stack(p_vecs), stories, s_vecs)
    return {m.solution.contact for m in found if m.problem.item_id == 1}


def test_a_close_runner_up_is_shown_when_its_story_answers_this_problem_best():
    assert FLOOR + 0.1 < SURE
    assert solvers_shown(FLOOR + 0.1 - RUNNER_UP_MARGIN / 2) == {"contact 8", "contact 9"}
    assert solvers_shown(FLOOR + 0.1 - RUNNER_UP_MARGIN * 1.5) == {"contact 8"}
    assert solvers_shown(FLOOR + 0.1 - RUNNER_UP_MARGIN / 2, its_better_problem=True) == {"contact 8"}


def test_own_solutions_and_dismissed_pairs_are_never_shown():
    assert pairs([(1, 9, 0.95)]) == set()
    assert pairs([(1, 1, 0.95)], decisions={(1, 100): Decision.NOT_A_FIT}) == set()


def test_shared_rare_words_lift_a_pair_that_meaning_alone_leaves_under_the_floor():
    story = item(100, 9, Kind.SOLUTION, "The kiln used to crack a third of the glaze batches; a slower cooling "
                                        "schedule ended that")
    problems = [item(1, 1, Kind.PROBLEM, "every second glaze batch comes out of the kiln cracked"),
                item(2, 2, Kind.PROBLEM, "the pottery shop's website is down most weekends")]
    found = score_pairs(problems, np.stack([at(FLOOR - 0.05), at(FLOOR - 0.05, axis=2)]), [story],
                        np.array([[1.0, 0.0, 0.0]]))
    assert [m.problem.item_id for m in found] == [1]


def test_word_overlap_ignores_small_words_and_word_endings():
    assert terms("The reps are closing deals") == {"rep", "clos", "deal"}
    assert terms("subbies replies companies") == terms("subbie reply company")
    same, unrelated = overlap(["new reps take months to close a deal"],
                              ["our new rep closed her first deal", "the roof leaks when it rains"])[0]
    assert same > 0.3 and unrelated == 0.0


def test_a_problem_told_over_several_sentences_is_matched_by_its_closest_sentence():
    story = item(100, 9, Kind.SOLUTION)
    problem = item(1, 1, Kind.PROBLEM)
    whole, sentences = unit(0.3, 0.95, 0, 0), np.stack([unit(0.1, 0, 1, 0), unit(0.95, 0, 0, 0.3)])
    args = ([problem], np.stack([whole]), [story], np.array([[1.0, 0, 0, 0]]))
    assert score_pairs(*args, s_parts=([100], np.array([[1.0, 0, 0, 0]]))) == []
    found = score_pairs(*args, s_parts=([100], np.array([[1.0, 0, 0, 0]])), p_parts=([1, 1], sentences))
    assert [(m.problem.item_id, m.solution.item_id) for m in found] == [(1, 100)]
