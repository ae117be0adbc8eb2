"""Local scaling: a story that lies near every problem does not crowd out the story that answers one."""

from __future__ import annotations

import numpy as np

from app.core.matching import column_best, locally_scaled, story_nearness


def _scaled(sims: np.ndarray, k: int = 3, weight: float = 0.5, skip: int = 0) -> np.ndarray:
    return locally_scaled(sims, story_nearness(column_best(sims, skip + k), k, skip)[None, :], weight)


def test_a_story_near_every_problem_gives_way_to_the_story_that_answers_one():
    # Rows: three problems; columns: a memo near all of them, and a story that answers the first only.
    sims = np.array([[0.93, 0.91], [0.92, 0.05], [0.90, 0.04]])
    assert sims[0].argmax() == 0  # as scored alone, the memo wins the first problem
    scaled = _scaled(sims)
    assert scaled[0].argmax() == 1
    assert (scaled[1:, 0] > scaled[1:, 1]).all()  # the memo still leads where nothing else fits


def test_a_story_near_no_problem_is_never_raised_and_the_order_of_a_story_s_pairs_holds():
    sims = np.array([[0.60, 0.10], [0.20, 0.02], [0.05, 0.01]])
    scaled = _scaled(sims)
    assert np.allclose(scaled[:, 1], sims[:, 1])  # its best pairs' mean logit is below zero: left as it is
    assert (scaled <= sims + 1e-9).all()
    assert (np.argsort(-scaled, axis=0) == np.argsort(-sims, axis=0)).all()


def test_a_story_that_answers_two_people_s_one_trouble_is_not_taken_for_a_story_near_every_problem():
    # Rows: five problems, the first two one trouble; columns: the story that answers it, and a memo near all five.
    sims = np.array([[0.99, 0.80], [0.78, 0.79], [0.30, 0.81], [0.20, 0.78], [0.10, 0.80]])
    counted = _scaled(sims, k=3, weight=1.0)  # its nearness counts the two problems it answers
    assert counted[1, 0] < 0.55 < sims[1, 0]  # the second person's answer falls under a cut-off of 0.55
    passed_over = _scaled(sims, k=3, weight=1.0, skip=2)
    assert np.allclose(passed_over[:, 0], sims[:, 0])  # past its two answers it lies near nothing: left as it is
    assert (passed_over[:, 1] < 0.55).all()  # the memo near every problem is lowered still
