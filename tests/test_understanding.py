"""Sentence kinds in context, with the real model: how a story is told decides what it is."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from app.core.kinds import shipped_classifier
from app.core.sentences import split
from app.core.understand import _kinds_in_context, understand
from app.store.embedder import Embedder
from models import Kind

DAY = dt.date(2026, 11, 2)


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def kinds(text: str, embedder: Embedder) -> list[tuple[Kind, str]]:
    return [(item.kind, item.text) for item in understand(text, DAY, embedder).items]


def test_how_they_do_it_told_to_me_is_a_solution_without_its_header(embedder):
    got = kinds("Jo #2. She told me how they run the Friday stock take: two people, one scanner, done in an hour.",
                embedder)
    assert got[0] == (Kind.NOTE, "Jo #2.")
    assert got[1][0] == Kind.SOLUTION and got[1][1].startswith("She told me how")


def read_as(kind: Kind, text: str) -> Kind:
    """The kind given to a one-sentence note that the classifier alone reads as 90% kind."""
    clf = shipped_classifier()
    probs = [[0.9 if k == kind else 0.1 / 4 for k in clf.classes]]
    return _kinds_in_context(split(text), np.array(probs), np.array(probs), clf)[0]


def test_a_past_practice_that_mentions_next_steps_is_no_follow_up():
    assert read_as(Kind.FOLLOWUP, "A couple of years back every rep had to log next steps") != Kind.FOLLOWUP
    assert read_as(Kind.FOLLOWUP, "Two years ago I promised their board a review") != Kind.FOLLOWUP
    assert read_as(Kind.FOLLOWUP, "next steps: the rota template for Lena") == Kind.FOLLOWUP
    assert read_as(Kind.FOLLOWUP, "I'll send her the rota template") == Kind.FOLLOWUP


@pytest.mark.parametrize(("read", "text", "kind"), [
    # An idea or a failed attempt is no solution; a story of what fixed it stays one.
    (Kind.SOLUTION, "management is talking about a hiring freeze to save money", Kind.NOTE),
    (Kind.SOLUTION, "they plan to move the pharmacy to a 24 hour rota", Kind.NOTE),
    (Kind.SOLUTION, "they tried a 24 hour rota but it fell apart in a month", Kind.NOTE),
    (Kind.SOLUTION, "she's thinking about taking what fixed it to all homes", Kind.SOLUTION),
    (Kind.SOLUTION, "a 24 hour rota fixed the night queue", Kind.SOLUTION),
    # A measure moving the wrong way is a problem; the same move of a bad measure is no problem.
    (Kind.SOLUTION, "bookings went down by 15% after the price rise", Kind.PROBLEM),
    (Kind.NOTE, "the rent went up by a fifth in January", Kind.PROBLEM),
    (Kind.SOLUTION, "complaints dropped by half after the new rota", Kind.SOLUTION),
    # What still goes on is a problem, but not a failed try or an idea.
    (Kind.NOTE, "attendance is still under 88% after the letters home", Kind.PROBLEM),
    (Kind.NOTE, "the scrap rate went up again in October", Kind.PROBLEM),
    (Kind.NOTE, "the card reader died again at the fair, a lost afternoon", Kind.PROBLEM),
    (Kind.NOTE, "they tried letters home again but it fell flat", Kind.NOTE),
    (Kind.NOTE, "she is thinking about a new rota again", Kind.NOTE),
    (Kind.NOTE, "the board meets in March but the chair is new", Kind.NOTE),
])
def test_how_a_sentence_is_told_overrides_what_the_classifier_read(read, text, kind):
    assert read_as(read, text) == kind


def test_next_steps_that_are_mine_stay_follow_ups_with_their_date(embedder):
    items = understand("Next steps: send Lena the waste sheet template on Friday.", DAY, embedder).items
    assert [i.kind for i in items] == [Kind.FOLLOWUP]
    assert items[0].due == dt.date(2026, 11, 6)



def test_what_they_do_then_what_it_brought_is_one_success_story(embedder):
    got = kinds("Marek runs two bakeries.\nHis routine: every stall owner gets a text at 6am with what is left. "
                "Most days nearly nothing goes in the bin.", embedder)
    assert got[-1][0] == Kind.SOLUTION and got[-1][1].startswith("His routine")
    got = kinds("Card fraud at the tills was a nightmare in 2023. They moved to chip-only terminals and a weekly "
                "audit. Chargebacks are a tenth of what they were.", embedder)
    assert [kind for kind, _ in got] == [Kind.SOLUTION]


def test_a_wish_or_a_problem_still_open_is_no_result_that_makes_a_story(embedder):
    got = kinds("Only a third of the volunteers come back after their first shift. "
                "She wants to talk to someone who fixed volunteer drop-out.", embedder)
    assert Kind.SOLUTION not in [kind for kind, _ in got]
    got = kinds("The parent evenings are still half empty. They send reminders by text; sign-ups went up by 10.",
                embedder)
    assert got[0][0] == Kind.PROBLEM


def test_a_problem_beside_a_failed_attempt_stays_a_problem(embedder):
    got = kinds("Downtime on the bottling line is her pain as well. They tried a maintenance app last winter but it "
                "fell apart when the fitters ignored it. They are back to fixing whatever breaks.", embedder)
    assert [kind for kind, _ in got] == [Kind.PROBLEM, Kind.NOTE, Kind.PROBLEM]


@pytest.mark.parametrize("text", [
    "Dr Ruth Adeyemi, head of paediatrics at a children's hospital in Leeds.",
    "Tomasz Wójcik - partner at a small tax firm, Gdańsk.",
    "Mira Shah runs two yoga studios in Bristol.",
    "Mira #3.",
])
def test_the_line_that_introduces_someone_is_no_personal_detail(embedder, text):
    got = kinds(text + "\nPersonal: she has two cats.", embedder)
    assert got[0] == (Kind.NOTE, text) and got[-1][0] == Kind.PERSONAL


def test_a_personal_section_that_opens_a_note_stays_personal(embedder):
    assert kinds("Personal: Divorced.\nThe clinic's waiting list is eleven weeks.", embedder)[0] == (
        Kind.PERSONAL, "Divorced.")


@pytest.mark.parametrize(("text", "kind"), [
    ("two of her best nurses quit in the spring", Kind.PROBLEM),
    ("her back is killing her since the move", Kind.PERSONAL),
    ("worried about her son's exams", Kind.PERSONAL),
])
def test_a_struggle_is_personal_only_when_it_is_about_their_family_or_health(text, kind):
    clf = shipped_classifier()
    probs = np.array([[{Kind.PERSONAL: 0.6, Kind.PROBLEM: 0.3}.get(k, 0.1 / 3) for k in clf.classes]])
    assert _kinds_in_context(split(text), probs, probs, clf)[0] == kind
