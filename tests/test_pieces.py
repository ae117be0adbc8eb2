"""Word-pieces in context: a problem's own words found in a story count, rare ones most."""

from __future__ import annotations

import numpy as np
import pytest

from app.core.matching import FEATURES, POOLED, shipped_scorer
from app.core.pieces import late_interaction, pieces_of
from app.store.embedder import Embedder

PROBLEM = "Every second glaze batch comes out of the kiln cracked."
ON_IT = "The kiln cracked a third of our glaze batches until we slowed the cooling; now almost none crack."
ELSEWHERE = "We hired a second receptionist and the phones finally calmed down."


@pytest.fixture(scope="module")
def told() -> list:
    return pieces_of([PROBLEM, ON_IT, ELSEWHERE, PROBLEM], Embedder())


def test_a_story_of_the_problems_own_words_is_closer_piece_by_piece(told):
    found = late_interaction([told[0]], [told[1], told[2]], np.array([0, 0]), np.array([0, 1]))
    assert (found[0] > found[1]).all()  # in both directions
    same = late_interaction([told[0]], [told[3]], np.array([0]), np.array([0]))
    assert np.allclose(same, 1.0, atol=1e-3)


def test_an_item_without_word_pieces_is_estimated_from_the_rest(told):
    """A story stored before pieces were kept (or a colleague's) still competes: its two features are estimated."""
    found = late_interaction([told[0]], [told[1], None], np.array([0, 0]), np.array([0, 1]))
    assert np.isnan(found[1]).all() and not np.isnan(found[0]).any()
    scorer = shipped_scorer()
    assert len(scorer.impute) == len(FEATURES) - POOLED
    pooled = np.array([0.6, 0.7, 0.2, 1.0, 1.0], np.float32)
    probability = scorer.probability(np.concatenate([pooled, [np.nan, np.nan]])[:, None])
    assert 0 < probability[0] < 1
