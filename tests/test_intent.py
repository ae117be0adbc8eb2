"""What a search asks for, read by the shipped query-intent model, on queries worded as no training query is."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from app.core.intent import asked_for, of_the_kind_asked, shipped_intent
from app.core.intent_training import QUERIES
from app.store.embedder import Embedder
from models import Kind

QUERIES_ASKED = [
    ("anyone cracked getting invoices paid sooner", Kind.SOLUTION),
    ("how did someone cut food waste in a cafe", Kind.SOLUTION),
    ("who keeps losing drivers", Kind.PROBLEM),
    ("who is losing sleep over rising rent", Kind.PROBLEM),
    ("whose son just started at university", Kind.PERSONAL),
    ("who sells farm machinery", Kind.NOTE),
]


@pytest.fixture(scope="module")
def embedder():
    return Embedder()


def test_none_of_these_queries_is_one_the_model_learned_from():
    with QUERIES.open(encoding="utf-8") as handle:
        written = {row["text"].lower().rstrip("?") for row in csv.DictReader(handle, delimiter="\t")}
    assert not written & {query for query, _ in QUERIES_ASKED}


@pytest.mark.parametrize(("query", "kind"), QUERIES_ASKED)
def test_a_query_asks_for_the_kind_that_answers_it_however_it_is_worded(embedder, query, kind):
    asked = asked_for(shipped_intent(), embedder.encode([query])[0])
    assert max(asked, key=lambda k: asked[k]) == kind


def test_a_sentence_the_reader_was_unsure_of_still_answers_in_part():
    """To "who fixed…", a sentence read as a problem but nearly as likely a success counts for more than one
    plainly a problem, and a success for most."""
    asked = {Kind.SOLUTION: 0.9, Kind.PROBLEM: 0.1, Kind.PERSONAL: 0.0, Kind.FOLLOWUP: 0.0, Kind.NOTE: 0.0}
    order = list(Kind)

    def probabilities(**p):
        return np.asarray([p.get(k.value, 0.0) for k in order], np.float32)

    unsure = of_the_kind_asked(asked, Kind.PROBLEM, 0.5, probabilities(problem=0.5, solution=0.45, note=0.05))
    stuck = of_the_kind_asked(asked, Kind.PROBLEM, 0.95, probabilities(problem=0.95, solution=0.02, note=0.03))
    story = of_the_kind_asked(asked, Kind.SOLUTION, 0.9, probabilities(problem=0.05, solution=0.9, note=0.05))
    assert stuck < 0.15 < unsure < 0.5 < story
    # An item saved before every kind's probability was kept: its own kind's, the rest spread evenly.
    assert of_the_kind_asked(asked, Kind.SOLUTION, 0.9, None) == pytest.approx(0.9 * 0.9 + 0.1 * 0.1 / 4)
