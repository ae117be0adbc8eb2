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
    before, after = pt.out_of_fold(sets, pt.MapFit(1.0)), pt.out_of_fold(relabelled, pt.MapFit(1.0))
    answer = pt.ANSWER
    assert np.allclose(before[3].x[:, answer], after[3].x[:, answer])  # its own: untouched by its labels
    assert not np.allclose(before[0].x[:, answer], after[0].x[:, answer])  # the others' maps learn from it
    held = pt.map_without(sets, [sets[3]], pt.MapFit(1.0))
    moved = pt.answered(sets[3], held).x[:, answer]
    assert np.allclose(moved, before[3].x[:, answer])


def test_pairs_told_apart_from_any_note_are_fit_beside_every_set_s_own():
    rng = np.random.default_rng(4)
    sets = [labelled(f"style {k}", rng, [(1, 2), (3, 4)]) for k in range(3)]
    problems = rng.normal(size=(40, 8)).astype(np.float32)
    told = (problems, -problems)  # stories told as the opposite of their problems
    alone = pt.map_without(sets, [sets[0]], pt.MapFit(1.0))
    beside = pt.map_without(sets, [sets[0]], pt.MapFit(1.0, told))
    new = problems[:5] / np.linalg.norm(problems[:5], axis=1, keepdims=True)
    assert np.all(np.sum(answer_map.toward_answers(new, beside) * new, axis=1) < 0)  # moved toward their kind
    assert np.all(np.sum(answer_map.toward_answers(new, alone) * new, axis=1) > 0)


def test_kept_apart_a_set_s_troubles_reach_no_map_that_reads_it_though_other_sets_tell_of_them():
    rng = np.random.default_rng(5)
    sets = [dataclasses.replace(labelled(f"style {k}", rng, [(1, 2), (3, 4)]), troubles=np.array(kinds))
            for k, kinds in enumerate([["no-shows", "late payers"], ["no-shows", "waste"], ["late payers", "waste"],
                                       ["hiring", "waste"]])]
    apart = pt.MapFit(1.0, troubles_apart=True)
    # the first set's map, apart: the others' "no-shows" and "late payers" pairs are left out as well as its own
    seen = ["no-shows", "late payers"]
    only_unrelated = [dataclasses.replace(t, y=t.y & ~np.isin(_true_rows(t), seen),
                                          troubles=t.troubles[~np.isin(t.troubles, seen)]) for t in sets[1:]]
    assert np.allclose(pt.map_without(sets, [sets[0]], apart), pt.map_without(only_unrelated, [], pt.MapFit(1.0)))
    assert not np.allclose(pt.map_without(sets, [sets[0]], apart), pt.map_without(sets, [sets[0]], pt.MapFit(1.0)))


def _true_rows(s: pt.LabelledSet) -> np.ndarray:
    """Each pair's trouble ('' for a false pair), in the rows of x."""
    found = np.full(len(s.y), "", dtype=object)
    found[s.y] = s.troubles
    return found.astype(str)
