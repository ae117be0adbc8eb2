"""The splitter: sentences, bullets, section headers and abbreviations."""

from app.core.sentences import clause_cut, split, trying


def test_prose_bullets_and_headers():
    text = ("Ana Lima - COO at Brightside.\n- team keeps missing deadlines. standups run 40 min\n"
            "Personal: two kids. loves sailing.\nFU: send the template tomorrow")
    got = [(s.text, s.hint) for s in split(text)]
    assert got == [
        ("Ana Lima - COO at Brightside.", None),
        ("team keeps missing deadlines.", None),
        ("standups run 40 min", None),
        ("two kids.", "personal"),
        ("loves sailing.", "personal"),
        ("send the template tomorrow", "followup"),
    ]


def test_a_header_alone_names_the_following_bullets():
    got = split("Personal:\n- dog called Rex\n- plays cello\n\nThey struggle with churn.")
    assert [(s.text, s.hint) for s in got] == [
        ("dog called Rex", "personal"), ("plays cello", "personal"), ("They struggle with churn.", None)]


def test_abbreviations_do_not_end_sentences():
    got = [s.text for s in split("Met Dr. Adeyinka at the expo, e.g. the fintech one. Then lunch.")]
    assert got == ["Met Dr. Adeyinka at the expo, e.g. the fintech one.", "Then lunch."]


def test_a_day_written_with_dots_ends_a_sentence_only_before_a_capital():
    got = [s.text for s in split("I must ring Jana on 4.12. to ask about the crane. Send Piet the plan by 9.1. "
                                 "Then relax.")]
    assert got == ["I must ring Jana on 4.12. to ask about the crane.", "Send Piet the plan by 9.1.", "Then relax."]


def test_crlf_emoji_and_right_to_left_text_survive():
    got = [s.text for s in split("שלום עולם. 🎉 big win!\r\nمرحبا")]
    assert got == ["שלום עולם.", "🎉 big win!", "مرحبا"]


def test_a_run_on_sentence_is_read_as_clauses_and_a_short_one_is_not():
    longest, shortest = clause_cut()
    clause = "and then the supplier changed the delivery day again"
    run_on = ", ".join([clause] * (longest // len(clause.split()) + 2))
    pieces = split(run_on)
    assert len(pieces) > 1 and all(p.paragraph == 0 for p in pieces)
    assert [p.position for p in pieces] == list(range(len(pieces)))
    assert " ".join(p.text for p in pieces).replace(" and then", ", and then") == run_on
    assert " ".join(p.text + p.cut for p in pieces) == run_on  # told again with its writer's commas
    short = ", ".join([clause] * max(1, (longest // len(clause.split())) - 1))
    assert [p.text for p in split(short)] == [short]


def test_dictation_without_a_comma_is_cut_into_even_runs():
    words = [f"word{i}" for i in range(200)]
    with trying((40, 6)):
        pieces = [p.text.split() for p in split(" ".join(words))]
    assert sum(pieces, []) == words
    assert max(map(len, pieces)) <= 40 and min(map(len, pieces)) >= 30


def test_a_pasted_email_is_read_for_what_was_said_not_its_headers():
    note = ("my take: her couriers lose a parcel a week.\n\n"
            "From: Ola Nowak <ola@nowak.pl>\nSent: Wednesday, 29 July 2026 17:02\nTo: Sam\nSubject: Re: parcels\n\n"
            "> On Tue, 28 Jul 2026 at 09:15, Sam <sam@example.com> wrote:\n> > did the photo-on-delivery help?\n"
            "It did not. Drivers skip it when they are late.\nFrom next month we switch carriers.\n"
            "---------- Forwarded message ---------\nThanks, Ola")
    texts = [s.text for s in split(note)]
    assert texts == ["my take: her couriers lose a parcel a week.", "did the photo-on-delivery help?",
                     "It did not.", "Drivers skip it when they are late.", "From next month we switch carriers.",
                     "Thanks, Ola"]
