"""How whole a note's items come out against its labels: the measure the clause cut is chosen by
(app.core.passage_training). A story read as one item is whole; cut apart, run into its neighbour or read as
another kind, it is not."""

from __future__ import annotations

import pytest

from app.core.passage_training import passage_scores
from app.core.training import passage_overlaps
from models import Kind

N, S, P = Kind.NOTE, Kind.SOLUTION, Kind.PROBLEM
INTRO = "Met Ines at the market fair."
STORY = ("Her bakery used to bin a fifth of the bread every night. She now bakes the second batch after the "
         "lunch rush. Waste is down to a few loaves. Her regulars never noticed.")


@pytest.fixture(scope="module")
def note():
    sentences, shared, kinds = passage_overlaps(f"{INTRO} {STORY}",
                                                [{"kind": "intro", "text": INTRO}, {"kind": "solution", "text": STORY}])
    assert len(sentences) == 5 and kinds == ["note", "solution"]
    return sentences, shared, kinds


def story_score(note, *read_as):
    sentences, shared, kinds = note
    return passage_scores(sentences, list(read_as), shared, kinds)["solution"][0]


def test_a_story_read_as_one_item_is_whole(note):
    assert story_score(note, N, S, S, S, S) == 1.0


def test_a_story_cut_in_two_scores_its_larger_half(note):
    halves = story_score(note, N, S, S, N, S)  # the note between cuts the story in two items
    assert 0.6 < halves < 0.85  # two thirds of the story in one item: recall 0.65, precision 1
    assert story_score(note, N, S, N, S, N) < halves  # in fragments, each item smaller still


def test_a_story_run_into_the_introduction_beside_it_is_not_whole(note):
    assert 0.75 < story_score(note, S, S, S, S, S) < 1.0


def test_a_story_read_as_a_problem_is_not_found(note):
    assert story_score(note, N, P, P, P, P) == 0.0


def test_only_stories_problems_and_personal_details_are_scored(note):
    sentences, shared, kinds = note
    assert set(passage_scores(sentences, [N, S, S, S, S], shared, kinds)) == {"solution"}
