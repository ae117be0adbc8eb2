"""The answer map inside pair_training: a set's own labels never reach its own "answer" feature."""

from __future__ import annotations

import dataclasses

import numpy as np

from app.core import answer_map
from app.core import pair_training as pt
from app.core.matching import FEATURES, Side


def labelled(name: str, rng: np.random.Generator, truth: list[tuple[int, int]]) -> pt.LabelledSet:
    """Four problems against four stories of other contacts, these (problem, story) pairs true."""
    unit = lambda v: v / np.linalg.norm(v, axis=1, keepdims=True)  # noqa: E731
    ids = np.arange(1, 5)
    problems = Side(ids, ids, [""] * 4, unit(rng.normal(size=(4, 8))).astype(np.float32), np.ones(4, np.float32))
    stories = Side(ids, ids + 10, [""] * 4, unit(rng.normal(size=(4, 8))).astype(np.float32), np.ones(4, np.float32))
    p, s = (a.ravel() for a in np.meshgrid(ids, ids, indexing="ij"))
    y = np.array([(a, b) in truth for a, b in zip(p.tolist(), s.tolist(), strict=True)])
    return pt.LabelledSet(name, np.zeros((len(p), len(FEATURES)), np.float32), y, p, s, p, s + 10, [], {},
                          (problems, stories))


def test_a_set_s_answer_feature_is_read_through_a_map_that_never_saw_its_labels():
    rng = np.random.default_rng(3)
    sets = [labelled(f"style {k}", rng, [(1, 2), (3, 4)]) for k in range(4)]
    relabelled = [*sets[:3], dataclasses.replace(sets[3], y=~sets[3].y)]  # the last set's labels turned over
    before, after = pt.out_of_fold(sets, 1.0), pt.out_of_fold(relabelled, 1.0)
    answer = pt.ANSWER
    assert np.allclose(before[3].x[:, answer], after[3].x[:, answer])  # its own: untouched by its labels
    assert not np.allclose(before[0].x[:, answer], after[0].x[:, answer])  # the others' maps learn from it
    held = pt.map_without(sets, [sets[3]], 1.0)
    moved = pt.answered(sets[3], held).x[:, answer]
    assert np.allclose(moved, before[3].x[:, answer])


def test_pairs_told_apart_from_any_note_are_fit_beside_every_set_s_own():
    rng = np.random.default_rng(4)
    sets = [labelled(f"style {k}", rng, [(1, 2), (3, 4)]) for k in range(3)]
    problems = rng.normal(size=(40, 8)).astype(np.float32)
    told = (problems, -problems)  # stories told as the opposite of their problems
    alone, beside = pt.map_without(sets, [sets[0]], 1.0), pt.map_without(sets, [sets[0]], 1.0, told)
    new = problems[:5] / np.linalg.norm(problems[:5], axis=1, keepdims=True)
    assert np.all(np.sum(answer_map.toward_answers(new, beside) * new, axis=1) < 0)  # moved toward their kind
    assert np.all(np.sum(answer_map.toward_answers(new, alone) * new, axis=1) > 0)
