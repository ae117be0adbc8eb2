"""The splitter: sentences, bullets, section headers and abbreviations."""

import textwrap

from app.core.sentences import clause_cut, split
from tests.conftest import UNPUNCTUATED_MEMO


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


def test_letters_with_dots_end_a_sentence_only_before_a_capital():
    got = [s.text for s in split("Call Tomas at 9 a.m. tomorrow about the lease. His U.S. clients pay late. We "
                                 "sold to the U.S. Then the tariffs came. P.S. his dog had puppies.")]
    assert got == ["Call Tomas at 9 a.m. tomorrow about the lease.", "His U.S. clients pay late.",
                   "We sold to the U.S.", "Then the tariffs came.", "P.S. his dog had puppies."]


def test_a_time_of_day_before_its_day_and_a_degree_end_no_sentence_and_an_inline_list_number_is_no_sentence():
    got = [s.text for s in split("Call Ana at 3 p.m. Friday about the lease. Her son is a Ph.D. student in Ghent. "
                                 "1. Vans idle after lunch. 2. Drivers quit in summer. "
                                 "We start at 9 a.m. She is late.")]
    assert got == ["Call Ana at 3 p.m. Friday about the lease.", "Her son is a Ph.D. student in Ghent.",
                   "Vans idle after lunch.", "Drivers quit in summer.", "We start at 9 a.m.", "She is late."]


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


def test_dictation_without_punctuation_is_cut_where_a_new_passage_starts():
    pieces = [p.text for p in split(UNPUNCTUATED_MEMO)]
    assert " ".join(pieces) == UNPUNCTUATED_MEMO and len(pieces) > 2
    assert all(len(p.split()) >= clause_cut()[1] for p in pieces)
    baby = next(p for p in pieces if "baby" in p)
    assert "clients" not in baby and "factoring" not in baby


def test_a_long_run_with_no_likely_passage_start_is_not_cut_at_random():
    words = " ".join(f"word{i}" for i in range(200))
    assert [p.text for p in split(words)] == [words]


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


def test_a_row_pasted_from_a_spreadsheet_is_read_cell_by_cell_under_its_labels():
    row = ("Name\tLeena Virtanen\tShop\tthree bakeries in Tampere\tStuck on\trye flour doubled in price. "
           "Suppliers will not fix it for a year\tFamily\ttwins start school in August\tNext\t"
           "send the co-op contact by fri")
    got = [(s.text, s.section, s.hint) for s in split(row)]
    assert got == [
        ("Leena Virtanen", "Name", None),
        ("three bakeries in Tampere", "Shop", None),
        ("rye flour doubled in price.", "Stuck on", None),
        ("Suppliers will not fix it for a year", "Stuck on", None),
        ("twins start school in August", "Family", "personal"),
        ("send the co-op contact by fri", "Next", None),
    ]
    piped = split("Oskar B. | **Personal** | sails every weekend | Date: 3 May 2026 | Duration: 20 min")
    assert [(s.text, s.section, s.hint) for s in piped] == [
        ("Oskar B.", None, None), ("sails every weekend", "Personal", "personal"),
        ("Date: 3 May 2026", None, None), ("Duration: 20 min", None, None)]


def test_a_row_loses_no_words_to_labels_and_a_pasted_list_keeps_its_bullets():
    assert [(s.text, s.section) for s in split("Jane Doe | CEO | Acme Corp")] == [
        ("Jane Doe", None), ("CEO", None), ("Acme Corp", None)]
    assert [s.text for s in split("Budget is tight | wants a pilot in Q1")] == [
        "Budget is tight", "wants a pilot in Q1"]
    assert [(s.text, s.hint) for s in split("Follow-ups:\n1.\tsend the deck\n2.\tintro to Sam")] == [
        ("send the deck", "followup"), ("intro to Sam", "followup")]
    assert [(s.text, s.done) for s in split("[ ]\tsend the deck\n[x]\tbook the room")] == [
        ("send the deck", False), ("book the room", True)]
    assert [(s.text, s.section) for s in split("| Pains |  | Next step | call friday |")] == [
        ("Pains", None), ("call friday", "Next step")]


def test_a_markdown_table_row_is_its_cells_and_a_line_with_a_bar_in_a_word_is_not():
    got = split("| topic | notes |\n|---|---|\n| what worked | Free delivery over 40 euros. Orders went up a third. |")
    assert [(s.text, s.section) for s in got if s.section == "what worked"] == [
        ("Free delivery over 40 euros.", "what worked"), ("Orders went up a third.", "what worked")]
    one = "their pipeline|CRM export breaks weekly"
    assert [s.text for s in split(one)] == [one]


def test_a_call_typed_turn_by_turn_reads_what_was_said_without_my_questions():
    got = split("Call with Ines\n[00:02] Me: What keeps you up at night?\n[00:03] Ines: Couriers lose parcels. "
                "About one in forty.\n[00:07] Me: Anything outside work?\n[00:08] Ines: Sings in a choir on "
                "Thursdays.\n[00:11] Me: I'll send her the insurer's name by Monday.", "Ines Duarte")
    assert [(s.text, s.section, s.hint) for s in got] == [
        ("Call with Ines", None, None), ("Couriers lose parcels.", None, None), ("About one in forty.", None, None),
        ("Sings in a choir on Thursdays.", None, None),
        ("I'll send her the insurer's name by Monday.", None, "followup")]
    qa = split("## Call\nQ: What do you sell?\nA: Tiles, mostly to builders.\nQ: Biggest worry?\nA: Late payers.")
    assert [(s.text, s.section) for s in qa] == [("Tiles, mostly to builders.", "Call"), ("Late payers.", "Call")]


def test_my_question_after_a_word_of_sympathy_is_still_only_a_prompt():
    chat = ("[10:02] Tove Berg: our no-show rate for first appointments is near 25%\n"
            "[10:03] me: ugh. have you tried reminders?\n"
            "[10:03] Tove Berg: yes, texts the day before, they barely help\n"
            "[10:05] me: wow! I'll send you the deposit write-up tomorrow")
    assert [(s.text, s.hint) for s in split(chat, "Tove Berg")] == [
        ("our no-show rate for first appointments is near 25%", None),
        ("yes, texts the day before, they barely help", None),
        ("wow!", "followup"), ("I'll send you the deposit write-up tomorrow", "followup")]  # "me:" marks my to-do


def test_a_template_s_labels_in_bold_or_with_an_emoji_still_name_their_section():
    note = "## 🗓 Next steps\n- ping her in 2 wks\n**Personal:** she runs marathons\n## Family 🏡\n- twins, 4"
    assert [(s.text, s.hint) for s in split(note)] == [
        ("ping her in 2 wks", "followup"), ("she runs marathons", "personal"), ("twins, 4", "personal")]


def test_front_matter_is_no_part_of_the_note_and_rules_around_notes_keep_them():
    note = "---\ntitle: Call with Ana\ndate: 2026-12-07\ntags:\n  - coffee\n---\nShe runs a bakery in Leeds."
    assert [s.text for s in split(note)] == ["She runs a bakery in Leeds."]
    rule = "---\nShe runs a bakery.\n---\nPersonal: twins"  # rules around words: the words stay
    assert [s.text for s in split(rule)] == ["She runs a bakery.", "twins"]
    assert [s.text for s in split("---\nRole: owner\nCompany: Acme\n---\nok")] == ["Role: owner", "Company: Acme", "ok"]
    assert [s.text for s in split("---\n- send Ana the deck by Friday\n---\nok")] == [
        "send Ana the deck by Friday", "ok"]
    assert [(s.text, s.hint) for s in split("---\npersonal: twins, 4\n---\nok")] == [
        ("twins, 4", "personal"), ("ok", None)]


def test_a_question_is_a_sentence_unless_a_speaker_asks_again_and_again():
    one = split("Ines: Do you know anyone who fixes forklifts?\nMe: Yes, Bram does.")
    assert [s.text for s in one] == ["Ines: Do you know anyone who fixes forklifts?", "Yes, Bram does."]
    fields = split("Company: Harbour Tiles\nRole: owner\nFamily: two boys\nWorry: who pays late?")
    assert [(s.text, s.hint) for s in fields] == [
        ("Company: Harbour Tiles", None), ("Role: owner", None), ("two boys", "personal"),
        ("Worry: who pays late?", None)]


def test_the_contact_asking_for_help_is_never_read_as_prompts():
    chat = "Ana: hey, do you know a good accountant?\nMe: yes, Tom Berg.\nAna: is he expensive?\nMe: not really."
    assert [(s.text, s.section) for s in split(chat, "Ana Lindqvist")] == [
        ("hey, do you know a good accountant?", None), ("yes, Tom Berg.", None), ("is he expensive?", None),
        ("not really.", None)]
    assert [s.text for s in split(chat.replace("Ana:", "AL:"), "Ana Lindqvist")][0] == (
        "hey, do you know a good accountant?")


def test_a_pasted_mail_thread_is_no_call_and_its_headers_stay_out():
    thread = ("my notes: Tilde, a pottery in Graz.\n\nFrom: Tilde Auer <tilde@example.org>\nSent: 3 June 2026 09:10\n"
              "To: Sam\nSubject: RE: kiln\n\nThe firing schedule worked, cracks are gone.\n\n"
              "From: Sam\nSent: 2 June 2026 17:02\nTo: Tilde Auer\nSubject: kiln\n\nDid the slower ramp help?")
    assert [s.text for s in split(thread, "Tilde Auer")] == [
        "my notes: Tilde, a pottery in Graz.", "The firing schedule worked, cracks are gone.",
        "Did the slower ramp help?"]


def test_a_transcript_export_with_numbered_speakers_is_read_as_a_call():
    export = ("(00:01:02) Speaker 1: So what do you do?\n(00:01:05) Speaker 2: I run a bike repair shop in Lyon.\n"
              "(00:02:10) Speaker 1: What is hard right now?\n(00:02:14) Speaker 2: Parts arrive late.")
    assert [s.text for s in split(export, "Luc Martin")] == ["I run a bike repair shop in Lyon.", "Parts arrive late."]


def test_a_transcript_exported_with_speaker_lines_is_read_as_what_the_contact_said():
    """Transcription tools put who speaks and when on a line of its own, above what they said."""
    export = ("Sam Okoro  0:02\nWhat's been the hardest part this year?\n\nLiv Berg  0:09\nHonestly the no-shows. "
              "We lose a fifth of our bookings.\n\nSam Okoro  0:21\nAnd outside work?\n\nLiv Berg  0:25\n"
              "My son just started university in Leeds.\n\nSam Okoro  0:31\nI'll send you the deposit write-up by "
              "Friday.")
    said = ["Honestly the no-shows.", "We lose a fifth of our bookings.", "My son just started university in Leeds.",
            "I'll send you the deposit write-up by Friday."]
    assert [s.text for s in split(export, "Liv Berg")] == said
    stamped_first = export
    for speaker_line, at in (("Sam Okoro  0:02", "[00:02] Sam Okoro"), ("Liv Berg  0:09", "[00:09] Liv Berg"),
                             ("Sam Okoro  0:21", "[00:21] Sam Okoro"), ("Liv Berg  0:25", "[00:25] Liv Berg"),
                             ("Sam Okoro  0:31", "[00:31] Sam Okoro")):
        stamped_first = stamped_first.replace(speaker_line, at)
    assert [s.text for s in split(stamped_first, "Liv Berg")] == said


def test_a_speaker_with_a_title_or_a_time_after_the_name_is_a_turn():
    call = ("Dr. Ana Ruiz: What keeps you busy?\nTom (00:03): Suppliers deliver late every second week.\n"
            "Dr. Ana Ruiz: Anything outside work?\nTom (00:09): My daughter starts school in May.")
    assert [s.text for s in split(call, "Tom Berg")] == [
        "Suppliers deliver late every second week.", "My daughter starts school in May."]


def test_a_line_that_only_looks_like_a_speaker_keeps_its_words():
    note = "Call with Tom Berg\nDuration 29:40\n\nTom runs a bakery. Suppliers deliver late."
    assert [s.text for s in split(note, "Tom Berg")] == [
        "Call with Tom Berg", "Duration 29:40", "Tom runs a bakery.", "Suppliers deliver late."]
    alone = "Tom Berg  0:02\nSuppliers deliver late every second week."  # one speaker: no call
    assert [s.text for s in split(alone, "Tom Berg")] == ["Tom Berg  0:02", "Suppliers deliver late every second week."]


def test_what_only_looks_like_a_call_keeps_its_words():
    asking = ("Them: Do you know a good accountant who does payroll for bakeries?\nMe: Yes, try Bob Lee.\n"
              "Them: Any idea how we could stop clients paying at 90 days?\nMe: Try factoring.")
    assert [s.text for s in split(asking, "Ana Ruiz")] == [  # her requests are answered in fewer words: not prompts
        "Do you know a good accountant who does payroll for bakeries?", "Yes, try Bob Lee.",
        "Any idea how we could stop clients paying at 90 days?", "Try factoring."]
    form = "Met: chamber mixer\nBirthday: May 3\nKids: Leo (7)\nKids: Mia (4)"
    assert [s.text for s in split(form, "Ana Ruiz")] == form.split("\n")  # no field speaks again after another
    offer = ("Me: What's hard right now?\nAna: The council pays at 90 days and we wait.\n"
             "Me: Want me to send you the factoring template by Friday?\nAna: Yes please, that would help a lot.")
    assert "Want me to send you the factoring template by Friday?" in [s.text for s in split(offer, "Ana Ruiz")]
    said = split("Ana: On Tuesday the supplier wrote:\nAna: prices are going up 20%\nMe: ouch\nAna: Pricing:",
                 "Ana Ruiz")
    assert [s.text for s in said] == ["On Tuesday the supplier wrote:", "prices are going up 20%", "ouch", "Pricing:"]


def test_a_mail_wrapped_by_its_program_reads_as_its_sentences():
    said = ["Thanks for the call this morning.",
            "As I said, the part that hurts is that roughly one order in ten comes back because the size chart on our "
            "site is wrong for the Italian brands, and every return costs us the postage twice.",
            "We tried a fit quiz last spring, but hardly anyone filled it in, and the returns stayed where they were.",
            "My sister runs the shop with me now; she moved back from Lisbon in June with her two boys."]
    mail = "Hi Jonas,\n\n" + textwrap.fill(" ".join(said[:3]), 72) + "\n\n" + textwrap.fill(said[3], 72) + "\n\nMarta"
    assert [s.text for s in split(mail)] == ["Hi Jonas,", *said, "Marta"]
    assert len({s.paragraph for s in split(mail) if s.text in said[:3]}) == 1  # one paragraph, as written


def test_a_note_wrapped_by_an_editor_keeps_its_list_items_apart():
    items = ["Bakery in Ghent, nine staff, two shops; met her at the chamber's spring breakfast and we talked "
             "about suppliers for an hour",
             "Flour deliveries arrive late every other week and the morning bake then starts two hours behind, so "
             "the shop shelves are half empty until noon",
             "Tried a second mill in May, same story by July, and the contract with the first one runs to 2027",
             "Daughter just started at the conservatory (cello)"]
    note = "\n".join(textwrap.fill(item, 80, initial_indent="- ", subsequent_indent="  ") for item in items)
    assert [s.text for s in split(note)] == items


def test_lines_typed_one_thought_each_are_never_joined():
    typed = ("Runs three car washes in Porto, took over from his dad in 2019\n"
             "Winter is dead, revenue drops by half from November to February\n"
             "Tried a loyalty stamp card last year, most cards got lost in cars\n"
             "His wife is expecting twins in the spring, he is over the moon\n"
             "Wants a second opinion on the new vacuum bays before he signs\n"
             "Send him the name of the card supplier before the month is out\n"
             "Plays five-a-side on Tuesdays")
    assert [s.text for s in split(typed)] == typed.split("\n")
    chat = ("Jonas Meyer, 6:02 PM\nwe stopped the free returns in March and nobody complained, not even once\n"
            "You, 6:04 PM\nwow, and did the number of orders drop after that or stay where it was?\n"
            "[18:05] jonas: they went up a bit actually, we were surprised too honestly\n"
            "[18:06] jonas: people seem to trust a shop that sets clear rules about returns")
    assert len(split(chat)) == 6


def test_an_agenda_and_notes_under_a_transcript_keep_their_words():
    agenda = "Standup 9:30\nWho owns the returns problem?\nLunch with Marta 12:30\nNobody yet, she says."
    assert [s.text for s in split(agenda, "Marta Vidal")] == agenda.split("\n")
    labelled = ("Call with Marta (10:00): talked returns.\nLunch with Jonas (12:30): wants a demo.\n"
                "Call with Marta (16:00): she agreed to the pilot.")
    assert [s.text for s in split(labelled, "Marta Vidal")] == labelled.split("\n")
    export = ("Sam Okoro  0:02\nWhat's hard right now?\n\nMarta Vidal  0:05\nReturns, one order in ten.\n\n"
              "Sam Okoro  0:09\nAnd outside work?\n\nMarta Vidal  0:12\nMy sister moved back from Lisbon.\n"
              "Next steps:\n- send her the size-chart audit by Friday")
    assert [(s.text, s.hint) for s in split(export, "Marta Vidal")] == [
        ("Returns, one order in ten.", None), ("My sister moved back from Lisbon.", None),
        ("send her the size-chart audit by Friday", "followup")]


def test_a_call_pasted_as_subtitles_is_read_as_its_turns():
    zoom = ("WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.200\nSam Okoro: What's been the hardest part this year?\n\n"
            "2\n00:00:05.000 --> 00:00:09.000\nMarta Vidal: The returns. About one order in ten comes\n\n"
            "3\n00:00:09.000 --> 00:00:12.500\nMarta Vidal: back because our size chart is wrong.\n\n"
            "4\n00:00:13.000 --> 00:00:15.000\nSam Okoro: And outside work?\n\n"
            "5\n00:00:15.500 --> 00:00:19.000\nMarta Vidal: My sister moved back from Lisbon in June.")
    said = ["The returns.", "About one order in ten comes back because our size chart is wrong.",
            "My sister moved back from Lisbon in June."]
    assert [s.text for s in split(zoom, "Marta Vidal")] == said
    teams = zoom.replace("Sam Okoro: What's been the hardest part this year?",
                         "<v Sam Okoro>What's been the hardest part this year?</v>")
    teams = teams.replace("Marta Vidal: My sister", "<v Marta Vidal>My sister").replace("June.", "June.</v>")
    assert [s.text for s in split(teams, "Marta Vidal")] == said
    srt = ("Call with Marta.\n\n1\n00:00:01,000 --> 00:00:04,000\nWe lose about a fifth of our bookings\n\n"
           "2\n00:00:04,000 --> 00:00:07,000\nevery week, Fridays are the worst.")
    assert [s.text for s in split(srt)] == [
        "Call with Marta.", "We lose about a fifth of our bookings every week, Fridays are the worst."]


def test_me_in_an_exported_call_only_says_who_spoke():
    export = ("Me  0:02\nWhat's hard right now?\n\nMarta Vidal  0:05\nReturns, one order in ten.\n\n"
              "Me  0:09\nOuch. Not fun.\n\nMarta Vidal  0:12\nMy sister moved back from Lisbon.")
    assert [(s.text, s.hint) for s in split(export, "Marta Vidal")] == [
        ("Returns, one order in ten.", None), ("Ouch.", None), ("Not fun.", None),
        ("My sister moved back from Lisbon.", None)]
    typed = "Me: What's hard right now?\nMarta: Returns, one order in ten.\nMe: send her the audit by Friday"
    assert [(s.text, s.hint) for s in split(typed, "Marta Vidal")][-1] == ("send her the audit by Friday", "followup")
