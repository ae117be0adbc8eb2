"""The answer map: a problem moved toward how the answers to such problems are told."""

from __future__ import annotations

import numpy as np

from app.core import answer_map


def unit(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_a_problem_is_moved_toward_the_kind_of_story_that_answered_such_problems():
    rng = np.random.default_rng(0)
    problems = unit(rng.normal(size=(400, 16)))
    told_otherwise = np.linalg.qr(rng.normal(size=(16, 16)))[0]  # answers told in other words: turned away
    fitted = answer_map.fit(problems, problems @ told_otherwise, strength=1.0)
    new = unit(rng.normal(size=(1, 16)))
    its_answer = new @ told_otherwise
    assert (answer_map.toward_answers(new, fitted) @ its_answer.T).item() > 0.95 > (new @ its_answer.T).item()


def test_a_strong_pull_leaves_vectors_as_they_are():
    rng = np.random.default_rng(1)
    problems = unit(rng.normal(size=(50, 16)))
    fitted = answer_map.fit(problems, unit(rng.normal(size=(50, 16))), strength=1e6)
    assert np.allclose(answer_map.toward_answers(problems, fitted), problems, atol=1e-3)


def test_the_shipped_map_is_fit_for_minilm_s_vectors():
    shipped = answer_map.shipped_map()
    assert shipped.shape == (384, 384) and shipped.dtype == np.float32
    assert not np.allclose(shipped, np.eye(384), atol=0.01)  # written by pair_training, not left as it was
