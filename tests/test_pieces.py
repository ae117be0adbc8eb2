"""Word-pieces in context: a problem's own words found in a story count, rare ones most."""

from __future__ import annotations

import numpy as np
import pytest

from app.core.matching import FEATURES, POOLED, shipped_scorer
from app.core.pieces import Projection, late_interaction, pieces_of, shipped_projection
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


def test_a_rare_word_piece_found_counts_more_than_a_common_one():
    """Two problem pieces, one found in the story and one not: the pair is closer when the found one is rare."""
    unit = np.eye(4, dtype=np.float32)
    problem, story = (np.array([7, 9], np.int32), unit[:2]), (np.array([7], np.int32), unit[:1])
    shipped = shipped_projection()
    weighing = {}
    for rare in (7, 9):
        idf = np.ones(10, np.float32)
        idf[rare] = 5.0
        weighing[rare] = Projection(shipped.mean, shipped.basis, idf)
    found_rare = late_interaction([problem], [story], np.array([0]), np.array([0]), weighing[7])[0, 0]
    found_common = late_interaction([problem], [story], np.array([0]), np.array([0]), weighing[9])[0, 0]
    assert found_rare == pytest.approx(5 / 6) and found_common == pytest.approx(1 / 6)


def test_an_item_without_word_pieces_is_estimated_from_the_rest(told):
    """A story stored before pieces were kept (or a colleague's) still competes: its features beyond the pooled ones
    (the word-pieces', the pair encoder's) are estimated from those, as the scorer was fit to, for one pair as for
    many."""
    found = late_interaction([told[0]], [told[1], None], np.array([0, 0]), np.array([0, 1]))
    assert np.isnan(found[1]).all() and not np.isnan(found[0]).any()
    scorer = shipped_scorer()
    assert len(scorer.impute) == len(FEATURES) - POOLED
    pooled = np.array([0.6, 0.7, 0.2, 1.0, 1.0, 0.5], np.float32)
    estimated = [float(np.dot(e[:-1], pooled) + e[-1]) for e in scorer.impute]
    missing = np.concatenate([pooled, [np.nan] * (len(FEATURES) - POOLED)]).astype(np.float32)
    alone = scorer.probability(missing)
    assert alone == pytest.approx(scorer.probability(np.concatenate([pooled, estimated])), abs=1e-6)
    assert scorer.probability(np.stack([missing, missing], axis=1)) == pytest.approx([alone, alone], abs=1e-6)
    assert np.isnan(missing[POOLED:]).all()  # the caller's features are left as they were


def test_search_reads_a_sentence_with_the_querys_word_pieces_higher_and_one_without_pieces_as_before(tmp_path):
    """search.Weights.pieces: a share of a hit's meaning read from its word-pieces against the query's."""
    from types import SimpleNamespace

    from app.core.search import _with_pieces

    embedder = Embedder()
    kanban, elsewhere = pieces_of(["We moved the studio to a kanban board.", "Our dog loves the beach."], embedder)

    class Stored:
        def pieces(self, ids):
            return {1: kanban, 2: elsewhere}

    query = embedder.tokens(["who uses a kanban board"])[0]
    scores = _with_pieces(SimpleNamespace(db=Stored()), query, {1: 0.5, 2: 0.5, 3: 0.5}, 0.3)
    assert scores[1] > 0.5 > scores[2] and scores[3] == 0.5  # item 3 has no word-pieces
