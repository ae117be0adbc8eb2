"""What Kith reads in notes written in different hands, with the real model (our own sentences)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.understand import understand
from app.store.embedder import Embedder
from models import Kind
from tests.conftest import UNPUNCTUATED_MEMO

pytestmark = pytest.mark.slow
DAY = dt.date(2026, 11, 2)  # a Monday


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def kinds(text: str, embedder: Embedder) -> list[tuple[Kind, str]]:
    return [(item.kind, item.text) for item in understand(text, DAY, embedder).items]


def of_kind(kind: Kind, text: str, embedder: Embedder) -> list[str]:
    return [t for k, t in kinds(text, embedder) if k == kind]


def test_a_story_told_over_three_sentences_is_one_solution(embedder):
    text = ("Marek runs a courier firm in Brno, about forty vans. Two years ago drivers quit every few months "
            "because the routes changed daily. They gave each driver a fixed patch of streets and a bonus for "
            "clean deliveries. Nobody has left since last spring.")
    stories = of_kind(Kind.SOLUTION, text, embedder)
    assert len(stories) == 1
    assert "fixed patch" in stories[0] and "Nobody has left" in stories[0]


def test_a_personal_detail_inside_a_problem_paragraph_is_its_own_item(embedder):
    text = ("Her bakery can't keep counter staff, three left this autumn and she works the till herself. "
            "Her son just started university in Leeds. The agency they tried sent people who never came back.")
    got = kinds(text, embedder)
    personal = [t for k, t in got if k == Kind.PERSONAL]
    assert personal == ["Her son just started university in Leeds."]
    assert all("Leeds" not in t for k, t in got if k == Kind.PROBLEM)
    assert any("counter staff" in t for k, t in got if k == Kind.PROBLEM)


def test_a_failed_attempt_is_no_success_story(embedder):
    text = "They tried a loyalty app last year to bring diners back midweek; hardly anyone used it and they dropped it."
    assert of_kind(Kind.SOLUTION, text, embedder) == []


@pytest.mark.xfail(strict=True, reason="a known miss: a failed attempt told in one terse line, its outcome after a "
                   "colon, is read as a story (0.94 alone, 0.98 under the heading; told as a full sentence it is a "
                   "problem)")
def test_a_failed_attempt_under_a_what_worked_heading_is_no_story(embedder):
    """A template's heading says what the writer meant to put under it; the line says what happened."""
    text = ("### What worked\n- a referral bonus for staff: nobody used it, dropped after two months\n"
            "- night shift on the packing line: 30% more orders out, no overtime since")
    assert of_kind(Kind.SOLUTION, text, embedder) == [
        "night shift on the packing line: 30% more orders out, no overtime since"]


def test_a_life_update_told_with_the_words_of_a_result_is_a_personal_detail(embedder):
    """A catch-up's family news uses the verbs a business story does (won, lost): it stays personal, never a story."""
    text = ("Radomir E. - 2nd call\n"
            "- his daughter won the junior orienteering final, her first medal\n"
            "- his son lost his first swim race and took it hard, already back in the pool\n"
            "- the capper on the bottling line keeps jamming and nobody can say why")
    got = kinds(text, embedder)
    assert [k for k, t in got if "orienteering" in t or "swim race" in t] == [Kind.PERSONAL, Kind.PERSONAL]
    assert [k for k, t in got if "capper" in t] == [Kind.PROBLEM]


@pytest.mark.xfail(strict=True, reason="a known miss: an incident told in the past tense with what it cost is read "
                   "as a story (0.71; a bullet of one, 0.50); the refit on three more styles of our own "
                   "(data/train_next, docs/journal.md, thirty-sixth session), not shipped, reads the first as a "
                   "problem (0.81), the bullet still not (0.43)")
def test_an_incident_that_cost_money_and_is_not_fixed_is_a_problem(embedder):
    text = ("Call with Bogdan Ilievski, he runs a bus company in Skopje with 40 coaches.\n"
            "Last August two coaches broke down on the motorway in the same week, the passengers waited four hours "
            "and we paid for taxis and refunds, about 6,000 euro. The mechanic says it can happen again any day.")
    assert [k for k, t in kinds(text, embedder) if "broke down" in t] == [Kind.PROBLEM]
    told_in_a_bullet = ("Radomir E. - 2nd call\n"
                        "- the bottling line stopped twice in October when the capper jammed, six hours each time")
    assert [k for k, t in kinds(told_in_a_bullet, embedder) if "capper" in t] == [Kind.PROBLEM]


@pytest.mark.xfail(strict=True, reason="a known miss: what the user already did during the call is read as a "
                   "follow-up (0.71) and would sit in the to-do list; the refit on three more styles of our own "
                   "(docs/journal.md, thirty-sixth session) reads it as a note (0.82) but was not shipped")
def test_what_the_user_already_did_is_no_follow_up(embedder):
    text = ("Tereza - 3rd call\n- her son is starting at the conservatory in January\n"
            "- I sent her the dunning template during the call")
    assert of_kind(Kind.FOLLOWUP, text, embedder) == []


def test_a_line_that_says_things_are_fine_is_neither_trouble_nor_story(embedder):
    text = ("Catch-up with Ines Carvalho, second call (print shop in Porto, 11 staff).\n"
            "- cash flow is fine this year, no complaints\n"
            "- still losing jobs to online printers on price, the flyer orders are down by half")
    got = kinds(text, embedder)
    assert [k for k, t in got if "cash flow" in t] == [Kind.NOTE]
    assert [k for k, t in got if "online printers" in t] == [Kind.PROBLEM]


def test_a_success_told_in_one_terse_line_is_a_story(embedder):
    text = ("- late invoices: they bill on delivery now with 2% off for paying within ten days, average payment went "
            "from 45 to 12 days\n- his wife runs marathons")
    got = kinds(text, embedder)
    assert [k for k, t in got if "invoices" in t] == [Kind.SOLUTION]
    assert [k for k, t in got if "marathons" in t] == [Kind.PERSONAL]


def test_what_worked_told_in_the_trouble_s_own_paragraph_is_its_own_story(embedder):
    """A trouble, the attempt that failed, and what did work, in one paragraph: the trouble keeps its failed attempt,
    the success is a story of its own, the hobby after them is personal."""
    text = ("Talked to Joe at the cider mill. His pickers leave halfway through the season for better paid jobs, and "
            "the extra pay he offered in August changed nothing. What did work was the bottling line: they moved to a "
            "four-day week there and nobody has left the line since spring. He is training for a triathlon in June.")
    got = kinds(text, embedder)
    assert [t for k, t in got if k == Kind.PROBLEM] == [
        "His pickers leave halfway through the season for better paid jobs, and the extra pay he offered in August "
        "changed nothing."]
    assert [t for k, t in got if k == Kind.SOLUTION] == [
        "What did work was the bottling line: they moved to a four-day week there and nobody has left the line since "
        "spring."]
    assert [t for k, t in got if k == Kind.PERSONAL] == ["He is training for a triathlon in June."]


def test_a_personal_detail_told_over_two_sentences_is_one_item(embedder):
    text = ("Rentals at Tomas's bike shop are flat since a chain opened next door.\n"
            "His daughter just started violin. She practises in the garage every evening, the neighbours love it.\n"
            "Also he grew up in Brno.")
    assert of_kind(Kind.PERSONAL, text, embedder) == [
        "His daughter just started violin. She practises in the garage every evening, the neighbours love it.",
        "Also he grew up in Brno."]


def test_the_line_that_introduces_someone_is_no_personal_detail(embedder):
    got = kinds("Ayo Bello, head of operations at a cold-storage firm in Lagos.\nLoves cooking jollof for his "
                "twin girls on Sundays.", embedder)
    assert got[0][0] != Kind.PERSONAL and got[-1][0] == Kind.PERSONAL


@pytest.mark.parametrize("header", [
    "Call with Dominik Sauer today.",
    "coffee w/ Ama this morning",
    "Today I had video call with Mr. Haddad from the tile factory.",
])
def test_the_line_that_says_a_call_happened_is_no_follow_up(embedder, header):
    text = f"{header}\nHis print shop loses a day on every reprint. I'll send him the supplier list by Friday."
    got = kinds(text, embedder)
    assert got[0] == (Kind.NOTE, header)
    assert [k for k, t in got if "supplier list" in t] == [Kind.FOLLOWUP]


@pytest.mark.parametrize(("text", "detail"), [
    ("Sandeep runs a textile export firm in Surat, 120 workers.\nEvery Wednesday evening he play table tennis in "
     "the club of his town.", "table tennis"),  # second-language English
    ("Kofi Mensah, cocoa trader, Kumasi\n- grew up in Tamale\n- freight costs eat his margin", "Tamale"),  # terse
    ("okay so ines, front desk manager at a dental clinic in braga, um, the no-shows are killing them. her mum "
     "moved in with them after a fall in the spring so she's doing the nights too", "her mum"),  # dictated
    ("had coffee w/ tomas!! his shop does custom bike frames. he just became a dad 👶 so sleep is a luxury lol",
     "dad"),  # a chat message
    ("A: We're a family vineyard, eleven hectares. Me, I run marathons when the harvest lets me.", "marathons"),
    ("Pieter runs a glass recycling depot near Utrecht. He spends his weekends restoring an old sailing barge "
     "with his brother.", "sailing barge"),
    pytest.param("Ms Farouk manages procurement for a hospital group in Amman. She mentioned that she sings in a "
                 "community choir.", "choir", marks=pytest.mark.xfail(strict=True, reason=(
                     "a known miss since the 2026-12-07 refit on the kind encoder, whose fit chose no reading on its "
                     "own: a minute's third person, a hobby beside the job, read as a note (0.90)"))),
    ("Husband Ravi is the chef at their second restaurant. Food costs are up and the lunch menu barely pays.",
     "Husband Ravi"),  # a personal detail opening a problem's paragraph, read as part of the problem before
])
def test_a_personal_detail_in_every_style_is_its_own_personal_item(embedder, text, detail):
    got = kinds(text, embedder)
    assert [t for k, t in got if k == Kind.PERSONAL and detail in t]
    assert all(detail not in t for k, t in got if k != Kind.PERSONAL)


@pytest.mark.parametrize(("text", "due"), [
    ("thx, will send deck by thurs", dt.date(2026, 11, 5)),
    ("- [ ] intro her to Sam next week", dt.date(2026, 11, 9)),
    ("TODO: email him the supplier list tomorrow", dt.date(2026, 11, 3)),
    ("ping her on friday about the grant", dt.date(2026, 11, 6)),
    ("I must send her the offer on 9.12. with the new prices", dt.date(2026, 12, 9)),  # second-language
    ("i have to get back to her about the van lease by thursday", dt.date(2026, 11, 5)),
])
def test_to_dos_in_every_style_are_follow_ups_with_their_date(embedder, text, due):
    items = understand(f"Quick call with Dana about her print shop.\n{text}", DAY, embedder).items
    followups = [i for i in items if i.kind == Kind.FOLLOWUP]
    assert [i.due for i in followups] == [due]


def test_two_to_dos_dictated_in_one_sentence_are_two_follow_ups_with_their_own_days(embedder):
    items = understand("ok so quick one about Tilde's flower stall, she's doing fine. um so I'll send her the "
                       "wholesaler's number by thursday and call her landlord next monday about the lease",
                       DAY, embedder).items
    followups = [(i.text, i.due) for i in items if i.kind == Kind.FOLLOWUP]
    assert [due for _, due in followups] == [dt.date(2026, 11, 5), dt.date(2026, 11, 9)]
    assert followups[0][0].endswith("wholesaler's number by thursday")
    assert followups[1][0] == "call her landlord next monday about the lease"


def test_a_to_do_with_a_time_of_day_is_one_follow_up_with_its_day(embedder):
    note = "Good chat with Lee.\nI'll call him at 9 a.m. tomorrow about the oven lease."
    items = understand(note, DAY, embedder).items
    assert [(i.text, i.due) for i in items if i.kind == Kind.FOLLOWUP] == [
        ("I'll call him at 9 a.m. tomorrow about the oven lease.", dt.date(2026, 11, 3))]


def test_a_vague_to_do_stays_undated(embedder):
    items = understand("Good chat with Lee.\nsend him the hiring checklist at some point", DAY, embedder).items
    assert [(i.kind, i.due) for i in items if i.kind == Kind.FOLLOWUP] == [(Kind.FOLLOWUP, None)]


@pytest.mark.parametrize("to_do", ["I'll send her the grant template early next month",
                                   "check back with him in a week or two about the van",
                                   "send Ivo the rota sample next week or so"])
def test_a_to_do_whose_day_is_hedged_is_a_follow_up_with_no_made_up_date(embedder, to_do):
    items = understand(f"Good chat with Lee about his bakery.\n{to_do}", DAY, embedder).items
    assert [(i.kind, i.due) for i in items if i.kind == Kind.FOLLOWUP] == [(Kind.FOLLOWUP, None)]


def test_a_markdown_template_is_read_by_its_sections(embedder):
    text = ("## Background\nNoor Haddad, runs two pharmacies in Amman.\n\n## Challenges\n- prescriptions pile up "
            "on Mondays, customers wait 40 min\n\n## Personal\n- training for the Dead Sea half marathon\n\n"
            "## Next steps\n- [ ] send her the queueing article by Wednesday\n- [x] connected on LinkedIn")
    got = kinds(text, embedder)
    assert any(k == Kind.PROBLEM and "prescriptions" in t for k, t in got)
    assert any(k == Kind.PERSONAL and "marathon" in t for k, t in got)
    assert [t for k, t in got if k == Kind.FOLLOWUP] == ["send her the queueing article by Wednesday"]


def test_a_ticked_to_do_is_a_done_follow_up_and_an_open_one_stays_open(embedder):
    text = ("## Next steps\n- [x] send Ana the pricing deck by Friday\n- [ ] intro her to Sam by next Tuesday\n"
            "## Personal\n- her twins start school in January")
    follow_ups = [(i.text, i.due, i.done) for i in understand(text, DAY, embedder).items if i.kind == Kind.FOLLOWUP]
    assert follow_ups == [("send Ana the pricing deck by Friday", dt.date(2026, 11, 6), True),
                          ("intro her to Sam by next Tuesday", dt.date(2026, 11, 3), False)]


def test_a_row_pasted_from_a_spreadsheet_is_read_by_its_cells(embedder):
    row = ("Marco Bellini | family print shop in Bologna, 9 people | Pain | big orders arrive as emails with no specs, "
           "every job needs three rounds of questions | What worked | a one-page order form with mandatory fields; "
           "reprints fell by half in two months | Personal | restoring a 1970s Vespa with his son | FU | intro him "
           "to Dana on Thursday")
    items = understand(row, DAY, embedder).items
    assert [(i.kind, i.text) for i in items if i.kind != Kind.NOTE] == [
        (Kind.PROBLEM, "big orders arrive as emails with no specs, every job needs three rounds of questions"),
        (Kind.SOLUTION, "a one-page order form with mandatory fields; reprints fell by half in two months"),
        (Kind.PERSONAL, "restoring a 1970s Vespa with his son"),
        (Kind.FOLLOWUP, "intro him to Dana on Thursday")]
    assert [i.due for i in items if i.kind == Kind.FOLLOWUP] == [dt.date(2026, 11, 5)]


def test_a_dictated_memo_is_read_with_its_spoken_stops(embedder):
    text = ("ok so call with Bruno who runs a scaffolding company outside Porto full stop his big issue is that "
            "quotes take forever, the estimator is one guy and jobs wait two weeks for a price full stop "
            "new paragraph oh and his daughter is getting married in June which he's nervous about full stop "
            "new paragraph I said I'd send him the estimating template next week")
    got = kinds(text, embedder)
    assert any(k == Kind.PROBLEM and "estimator" in t for k, t in got)
    assert any(k == Kind.PERSONAL and "married" in t for k, t in got)
    assert all("married" not in t for k, t in got if k == Kind.PROBLEM)
    assert [(k, t) for k, t in got if k == Kind.FOLLOWUP] == [
        (Kind.FOLLOWUP, "I said I'd send him the estimating template next week")]


def test_a_memo_dictated_with_no_punctuation_at_all_keeps_its_problem_detail_and_to_do_apart(embedder):
    items = understand(UNPUNCTUATED_MEMO, DAY, embedder).items
    assert any(i.kind == Kind.PROBLEM and "pay ninety days late" in i.text for i in items)
    assert any(i.kind == Kind.PERSONAL and "second baby" in i.text for i in items)
    assert all("baby" not in i.text for i in items if i.kind != Kind.PERSONAL)
    followups = [i for i in items if i.kind == Kind.FOLLOWUP]
    assert len(followups) == 1 and "factoring company contact" in followups[0].text
    assert followups[0].due == dt.date(2026, 11, 6)


def test_a_memo_dictated_as_one_run_on_sentence_is_read_clause_by_clause(embedder):
    text = ("right so that was Ines from the tile showroom in Valencia, she took it over from her uncle a few "
            "years back, and the thing that is really hurting her is that contractors order tiles, let them "
            "sit in the warehouse for months and then refuse to pay storage, and her husband just ran his "
            "first marathon in Seville which she would not stop talking about, and I need to send her the "
            "warehouse fee contract template by Friday")
    got = kinds(text, embedder)
    assert any(k == Kind.PROBLEM and "storage" in t for k, t in got)
    assert any(k == Kind.PERSONAL and "marathon" in t for k, t in got)
    assert all("marathon" not in t for k, t in got if k != Kind.PERSONAL)
    followups = [i for i in understand(text, DAY, embedder).items if i.kind == Kind.FOLLOWUP]
    assert len(followups) == 1 and followups[0].text.endswith("send her the warehouse fee contract template by Friday")
    assert followups[0].due == dt.date(2026, 11, 6)


def test_a_call_typed_turn_by_turn_keeps_what_the_contact_said_and_drops_my_questions(embedder):
    text = ("Q: What do you do?\nA: I run a small print shop with four staff.\n"
            "Q: What worked well this year?\nA: We stopped quoting by email. Now customers fill a web form that "
            "prices the job on the spot, and quotes went from a day to five minutes.\n"
            "Q: Anything else?\nA: Yes, I'm learning Portuguese for a trip to Lisbon.")
    read = kinds(text, embedder)
    assert not [t for _, t in read if t.endswith("?") or t.startswith(("Q:", "A:"))]
    assert of_kind(Kind.PERSONAL, text, embedder) == ["Yes, I'm learning Portuguese for a trip to Lisbon."]
    assert [t for k, t in read if k == Kind.SOLUTION][0].startswith("We stopped quoting by email.")


def test_a_contact_asking_for_help_in_a_pasted_chat_keeps_the_problem(embedder):
    text = ("Ana: do you know anyone who has sorted out late-paying clients?\nMe: maybe, what happens?\n"
            "Ana: we invoice on delivery and wait 70 days on average, so payroll is a scramble every month\n"
            "Ana: who could I ask?\nMe: I'll find you a name by Friday")
    read = [(item.kind, item.text) for item in understand(text, DAY, embedder, "Ana Lindqvist").items]
    assert (Kind.PROBLEM, "we invoice on delivery and wait 70 days on average, so payroll is a scramble every "
                          "month") in read
    assert "who could I ask?" in [t for _, t in read]  # her own question is no prompt of mine
