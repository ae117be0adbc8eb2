"""The pair encoder (app.core.encoder_training): a problem read near the story that solved it, told in other words."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from app.config import Settings
from app.core.capture import save_notes
from app.core.matching import find_matches
from app.store.embedder import Embedder
from app.store.store import Store
from models import Kind, NoteIn

pytestmark = pytest.mark.slow

# Problems and the stories that solved them, sharing next to no words; written for this test.
PAIRS = [
    ("Half the people who reserve a table for Friday night simply never arrive, and the kitchen has already "
     "prepped for them.",
     "What fixed it for her salon was asking for a small card deposit when someone books; the empty chairs "
     "mostly disappeared."),
    ("His invoices get paid at ninety days or later, so every month he is short of cash for wages.",
     "She offers two percent off for settling within ten days and sends the bill the moment a job is done: "
     "most clients now pay within two weeks."),
    ("New warehouse pickers quit within their first fortnight, before anyone has learned their name.",
     "They pair each new starter with a buddy for the first month and do a check-in on day three; almost "
     "nobody leaves in the first weeks any more."),
    ("Nobody knows which spreadsheet is the current one, so orders get placed twice.",
     "Moving everything into one shared sheet with a named owner ended the duplicate orders at his shop."),
]


@pytest.fixture(scope="module")
def embedder(model_cache) -> Embedder:
    return Embedder(cache=model_cache)


def test_each_problem_finds_the_story_that_solved_it_first(embedder):
    problems = embedder.pair_vectors([p for p, _ in PAIRS])
    stories = embedder.pair_vectors([s for _, s in PAIRS])
    ranking = np.argsort(-(problems @ stories.T), axis=1)
    assert ranking[:, 0].tolist() == list(range(len(PAIRS)))


def test_problems_and_stories_keep_their_pair_encoder_vectors_and_nothing_else_does(tmp_path, model_cache,
                                                                                    monkeypatch):
    monkeypatch.setenv("KITH_CACHE", str(model_cache))
    store = Store(Settings(home=tmp_path / "home"))
    try:
        day = dt.date(2026, 11, 20)
        save_notes(store, [
            NoteIn(contact="Ines Barros", date=day, text=f"{PAIRS[1][0]} Her son just started at the conservatory."),
            NoteIn(contact="Tom Okafor", date=day, text=PAIRS[1][1]),
        ])
        rows = store.db.conn.execute("SELECT kind, paired FROM items").fetchall()
        assert {kind for kind, _ in rows} >= {"problem", "solution", "personal"}
        for kind, paired in rows:
            if kind in (Kind.PROBLEM.value, Kind.SOLUTION.value):
                assert np.isclose(np.linalg.norm(np.frombuffer(paired, np.float32)), 1.0, atol=1e-4)
            else:
                assert paired is None
        matches = find_matches(store.db)
        assert [(m.problem.contact, m.solution.contact) for m in matches] == [("Ines Barros", "Tom Okafor")]
    finally:
        store.close()


def test_among_several_askers_and_solvers_only_right_introductions_are_shown(tmp_path, model_cache, monkeypatch):
    monkeypatch.setenv("KITH_CACHE", str(model_cache))
    store = Store(Settings(home=tmp_path / "home"))
    try:
        day = dt.date(2026, 11, 20)
        save_notes(store, [NoteIn(contact=f"{who} {number}", date=day, text=text) for number, pair in enumerate(PAIRS)
                           for who, text in zip(("Asker", "Solver"), pair, strict=True)])
        shown = {(m.problem.contact, m.solution.contact) for m in find_matches(store.db)}
        assert shown <= {(f"Asker {n}", f"Solver {n}") for n in range(len(PAIRS))}
        assert len(shown) >= len(PAIRS) - 1
    finally:
        store.close()


def test_search_reads_problems_and_stories_against_the_query_as_the_query_encoder_does(tmp_path, model_cache,
                                                                                         monkeypatch):
    """"Who got guests to stop skipping the tables they booked" finds the salon's deposit story first. A story's
    meaning is read partly by the query encoder's reading of the query against the pair encoder's of the story
    (search.Weights.paired); a personal detail's is MiniLM's alone."""
    from app.core.search import _with_paired, closeness, search, shipped_weights

    monkeypatch.setenv("KITH_CACHE", str(model_cache))
    store = Store(Settings(home=tmp_path / "home"))
    try:
        day = dt.date(2026, 11, 20)
        save_notes(store, [NoteIn(contact=f"{who} {number}", date=day, text=text) for number, pair in enumerate(PAIRS)
                           for who, text in zip(("Asker", "Solver"), pair, strict=True)]
                   + [NoteIn(contact="Ines Barros", date=day, text="Her son just started at the conservatory.")])
        query = "who got guests to stop skipping the tables they booked"
        assert search(store, query)[0].contact == "Solver 0"
        items = {i.kind: i for i in store.db.items()}
        story, personal = items[Kind.SOLUTION].id, items[Kind.PERSONAL].id
        read = _with_paired(store, query, {story: 0.4, personal: 0.4}, shipped_weights().paired)
        encoder = store.embedder.query_encoder()
        scale, shift = encoder.calibration  # on MiniLM's scale: fit with the encoder, kept with its weights
        assert 0.5 < scale < 2 and shift != 0
        pair = scale * float(store.db.paired_vectors([story])[story] @ encoder.encode([query])[0]) + shift
        share = shipped_weights().paired
        assert read[story] == pytest.approx((1 - share) * 0.4 + share * pair, abs=1e-5)
        assert read[personal] == 0.4
        # whether anything is close is judged on the meaning every item is read with alike, as before the share
        alike = search(store, query, weights=dataclasses.replace(shipped_weights(), paired=0.0))
        assert closeness(search(store, query)) == alike[0].score
    finally:
        store.close()
