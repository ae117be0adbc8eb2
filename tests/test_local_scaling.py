"""Local scaling: a story that lies near every problem does not crowd out the story that answers one."""

from __future__ import annotations

import numpy as np

from app.core.matching import column_best, locally_scaled, story_nearness


def _scaled(sims: np.ndarray, k: int = 3, weight: float = 0.5) -> np.ndarray:
    return locally_scaled(sims, story_nearness(column_best(sims, k), k)[None, :], weight)


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
