"""What a search asks for is learned from our own labelled queries, held out set by set."""

from __future__ import annotations

import pytest

from app.core.intent import shipped_intent
from app.store.embedder import Embedder
from models import Kind


@pytest.fixture(scope="module")
def embedder():
    return Embedder()


@pytest.mark.parametrize(("query", "kind"), [
    ("anyone found a way to get invoices paid sooner", Kind.SOLUTION),
    ("how did someone cut food waste in a cafe", Kind.SOLUTION),
    ("who still can't find a second chef", Kind.PROBLEM),
    ("who is losing sleep over rising rent", Kind.PROBLEM),
    ("who has a dog", Kind.PERSONAL),
    ("whose daughter just started university", Kind.PERSONAL),
])
def test_a_query_asks_for_the_kind_that_answers_it_however_it_is_worded(embedder, query, kind):
    asked = shipped_intent().probabilities(embedder.encode([query])[0])
    assert max(asked, key=lambda k: asked[k]) == kind
    assert set(asked) == set(Kind) and abs(sum(asked.values()) - 1) < 1e-5
