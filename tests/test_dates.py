"""Due dates by DESIGN.md's rules, relative to the note's date; vague phrases stay None."""

import datetime as dt

import pytest

from app.core.dates import due_date, parse_day, to_dos

D = dt.date


@pytest.mark.parametrize("text, base, expected", [
    ("call her tomorrow", D(2026, 3, 10), D(2026, 3, 11)),
    ("call her tomorrow", D(2026, 12, 31), D(2027, 1, 1)),
    ("send the deck in 3 days", D(2026, 2, 27), D(2026, 3, 2)),
    ("check in in two weeks", D(2026, 8, 3), D(2026, 8, 17)),
    ("follow up in 2 months", D(2026, 12, 31), D(2027, 2, 28)),
    ("follow up in 1 month", D(2024, 1, 31), D(2024, 2, 29)),  # leap year, month end clamps
    ("next Tuesday please", D(2026, 8, 6), D(2026, 8, 11)),
    ("next Monday", D(2026, 8, 31), D(2026, 9, 7)),  # strictly after: a Monday gives the next one
    ("by the end of the month", D(2026, 2, 3), D(2026, 2, 28)),
    ("end of the month", D(2028, 2, 3), D(2028, 2, 29)),
    ("ask again next month", D(2026, 1, 31), D(2026, 2, 28)),
    ("ask again next month", D(2026, 8, 12), D(2026, 9, 12)),
    ("next week", D(2026, 8, 14), D(2026, 8, 21)),
    ("intro them on Sept 1", D(2026, 8, 17), D(2026, 9, 1)),
    ("check in on Jan 15", D(2026, 9, 11), D(2027, 1, 15)),  # already past this year: next year
    ("the 29th of February", D(2027, 3, 1), D(2028, 2, 29)),
    ("send it by 2026-12-01", D(2026, 11, 2), D(2026, 12, 1)),
    ("send the quote by the 30th", D(2026, 2, 10), D(2026, 3, 30)),  # no 30 February: the next month that has one
    ("call him on the 28th", D(2026, 2, 10), D(2026, 2, 28)),
    ("invoice before the 5th", D(2026, 7, 20), D(2026, 8, 5)),  # already past this month
    ("pay it by the 3rd of March", D(2026, 2, 10), D(2026, 3, 3)),  # a named month wins
    ("forecast done by end of May", D(2026, 2, 10), D(2026, 5, 31)),
    ("renewal by the end of jan", D(2026, 2, 10), D(2027, 1, 31)),
    ("call on Friday, 12 December", D(2025, 12, 3), D(2025, 12, 12)),  # the date says which Friday
    # as people who learnt English after another language write them
    ("Latest monday I write her.", D(2026, 12, 3), D(2026, 12, 7)),
    ("intro to Jonas before 20.12.2026", D(2026, 12, 3), D(2026, 12, 20)),
    ("workshop slides on 05.01.2027", D(2026, 12, 3), D(2027, 1, 5)),
    ("By 15/12/2026 send the file", D(2026, 12, 3), D(2026, 12, 15)),
    ("send it by 12/15/2026", D(2026, 12, 3), D(2026, 12, 15)),  # month first: the only way it can be read
    ("fu nxt wk re pricing", D(2026, 12, 3), D(2026, 12, 10)),
    ("call again in the coming week", D(2026, 12, 3), D(2026, 12, 10)),
    ("send the numbers end of next week", D(2026, 12, 3), D(2026, 12, 11)),  # next week's Friday
    ("by end of next week", D(2026, 12, 7), D(2026, 12, 18)),  # said on a Monday: the Friday after this one
    ("deck to her friday latest", D(2026, 12, 3), D(2026, 12, 4)),
    ("Thursday at the latest I send it", D(2026, 12, 3), D(2026, 12, 10)),
    ("not later than Monday", D(2026, 12, 3), D(2026, 12, 7)),
    # a weekday ending a to-do, days said rather than written, as dictation and phone typing give them
    ("send Tomas the pricing sheet friday", D(2026, 12, 3), D(2026, 12, 4)),
    ("intro Lea to Ravi thurs.", D(2026, 12, 3), D(2026, 12, 10)),
    ("um remind her about the venue january fourth", D(2026, 12, 3), D(2027, 1, 4)),
    ("send the draft on the twenty-second of December", D(2026, 12, 3), D(2026, 12, 22)),
    ("check in again nxt mo", D(2026, 12, 3), D(2027, 1, 3)),
    ("scout offices in the 9th district for Ana by end of the month", D(2026, 12, 3), D(2026, 12, 31)),
    ("send Ruth the floor plan later today", D(2026, 12, 3), D(2026, 12, 3)),
    # as business and formal writers give a to-do's day
    ("reply to his offer within 48 hours", D(2026, 12, 3), D(2026, 12, 5)),
    ("send the signed form within two weeks", D(2026, 12, 3), D(2026, 12, 17)),
    ("I shall write to her before the month is out", D(2026, 12, 3), D(2026, 12, 31)),
    ("the paper to him by the close of next week", D(2026, 12, 3), D(2026, 12, 11)),  # as "end of next week"
    ("forecast to Ana by the end of the quarter", D(2026, 11, 3), D(2026, 12, 31)),
    ("call him the week after next", D(2026, 12, 3), D(2026, 12, 17)),
    ("I'll write on the first of next month", D(2026, 12, 3), D(2027, 1, 1)),
    ("send the rota on the 31st of next month", D(2027, 1, 10), D(2027, 2, 28)),  # February's last day
    # a word that only sounds like a hedge: the time of a day, a particle, an adjective
    ("call her early tomorrow", D(2026, 12, 3), D(2026, 12, 4)),
    ("ask around next week who prints banners", D(2026, 12, 3), D(2026, 12, 10)),
    ("chase the late invoices next week", D(2026, 12, 3), D(2026, 12, 10)),
    ("missed her call this morning, will try her tomorrow", D(2026, 12, 3), D(2026, 12, 4)),  # the call was today
    ("send it sometime by the end of the month", D(2026, 12, 3), D(2026, 12, 31)),  # a deadline, however loose
    ("send 2 copies by friday or 3 if he asks", D(2026, 12, 3), D(2026, 12, 4)),  # "or 3" is a count, no range
])
def test_due_phrases(text, base, expected):
    assert due_date(text, base) == expected


@pytest.mark.parametrize("text", [
    "reach out in a couple of months", "sometime after the holidays", "soon", "follow up at some point",
    "check back in a few weeks", "send the article", "she came 5th in the regional race",
    "On Thu, 30 Jul 2026 at 09:15, Ola Nowak <ola@nowak.pl> wrote:",  # a pasted reply's date is past, not due
    "Sent: Wednesday, 29 July 2026 17:02", "the invoice dated 2026-07-14",
    "Ola, coffee call, 1 Aug 2026", "catch-up on Aug 1",  # the note's own day names the call, not a due date
    "we rely on 24/7 support", "cut costs by 1/20", "reduced churn by 1/16th", "won by 2/15",
    "send it by 3/4/2027",  # March 4 or 3 April: no date rather than a wrong one
    "in the coming weeks", "within the next few weeks", "after the summer", "after a few days",
    "the night market runs every friday", "we sat in the sun", "we may first run a pilot",
    "the 3rd version shipped late", "ask about the leads from monday", "no reply since tuesday",
    "used to work at Sun Microsystems", "looked at SAT scores", "by 15/13/2027",
    "thanks so much for today", "photos from today attached", "she has run the stall since today",  # no deadline
    # a day hedged as a guess or a range names none exactly
    "circle back early next month", "chase it sometime next week", "mid-next month", "check back in a month or two",
    "ping him around the end of next month", "send it around the 20th", "roughly in two weeks", "send it Friday or so",
    "next week-ish", "call her in a week or two",
    "call her at the start of next week", "at the beginning of next month",
    "at some point next week", "later next month", "towards the end of the month",
    "call her in a week or two about the monday rota",  # nor is a weekday elsewhere in it its day
    "",
])
def test_vague_or_missing_phrases_stay_null(text):
    assert due_date(text, D(2026, 8, 1)) is None


def test_note_dates_in_natural_phrases():
    today = D(2026, 11, 26)  # a Thursday
    assert parse_day("yesterday", today) == D(2026, 11, 25)
    assert parse_day("last Friday", today) == D(2026, 11, 20)
    assert parse_day("Oct 3", today) == D(2026, 10, 3)
    assert parse_day("Dec 3", today) == D(2025, 12, 3)  # a note is never dated in the future
    assert parse_day("2026-02-28", today) == D(2026, 2, 28)
    with pytest.raises(ValueError, match="not a real date"):
        parse_day("2026-02-30", today)
    with pytest.raises(ValueError, match="not a real date: 'Oct 32'"):  # a slip of the day, not the year 2032
        parse_day("Oct 32", today)
    assert parse_day("Oct 31", today) == D(2026, 10, 31)
    with pytest.raises(ValueError):
        parse_day("whenever", today)


def test_a_weekday_inside_a_to_do_is_its_day_unless_a_rule_names_another():
    tuesday = D(2026, 3, 3)
    assert due_date("ping Marta friday with the numbers", tuesday) == D(2026, 3, 6)
    assert due_date("FU w/ Bao thurs re: the supplier intro", tuesday) == D(2026, 3, 5)
    assert due_date("FU: mon - send her the trade school contact", tuesday) == D(2026, 3, 9)
    # "by Friday" is read by a rule: it wins over a weekday that only stands earlier in the to-do
    assert due_date("check in after the Tuesday demo, then send the proposal by Friday", tuesday) == D(2026, 3, 6)
    for none in ("forward the Sunday-message idea to Ola", "send the notes from Friday's meeting",
                 "at some point ask about her Sunday league", "ask him every Monday how it went"):
        assert due_date(none, tuesday) is None, none
    assert due_date("ping Marta friday with the numbers", tuesday, to_do=False) is None  # a story's day


@pytest.mark.parametrize("text, due", [
    ("Email the proposal EOD Friday.", D(2026, 3, 6)),
    ("need to call him end of day Friday", D(2026, 3, 6)),
    ("send it Friday EOD", D(2026, 3, 6)),
    ("reply by end of day tomorrow", D(2026, 3, 4)),
    ("by EOD on Thursday pls", D(2026, 3, 5)),
    ("send him the revised quote EOD", D(2026, 3, 3)),
    ("get back to her by the end of the day", D(2026, 3, 3)),
    ("send it Wed EOD", D(2026, 3, 4)), ("send it EOD Sat", D(2026, 3, 7)), ("Friday by EOD", D(2026, 3, 6)),
    ("EOD tmr", D(2026, 3, 4)), ("EOD next Friday", D(2026, 3, 6)), ("EOD Mar 12", D(2026, 3, 12)),
    ("EOD on the 15th", D(2026, 3, 15)), ("email Wei Sun EOD", D(2026, 3, 3)),
    ("thanks for the end of day update", None), ("set a reminder for EOD", None),
])
def test_an_end_of_day_is_the_end_of_the_day_it_stands_beside(text, due):
    assert due_date(text, D(2026, 3, 3)) == due  # a Tuesday
    assert due_date(text, D(2026, 3, 3), to_do=False) == due  # any sentence that names the day names it


@pytest.mark.parametrize("text, due", [
    ("Send the card by Thu 3/12", D(2026, 3, 12)), ("send it by Fri 13.3.", D(2026, 3, 13)),
    ("call her on Monday the 16th", D(2026, 3, 16)), ("send it by Friday, the 13th", D(2026, 3, 13)),
])
def test_a_to_do_s_weekday_followed_by_its_date_is_that_date(text, due):
    assert due_date(text, D(2026, 3, 3)) == due  # a Tuesday: the date says which Thursday, not the next one


@pytest.mark.parametrize("text, due", [
    ("book the room on Fri 1/2 day", D(2026, 3, 6)), ("by Thursday the 13th", D(2026, 3, 5)),
])
def test_a_to_do_s_weekday_followed_by_what_is_no_date_of_it_keeps_its_day(text, due):
    assert due_date(text, D(2026, 3, 3)) == due  # 2 January and 13 March 2026 are no Thursday nor Friday


def test_two_end_of_day_deadlines_in_one_to_do_are_two_to_dos():
    tuesday = D(2026, 3, 3)
    assert to_dos("Send deck EOD Fri; call Ana next Tue", tuesday) == [
        ("Send deck EOD Fri", D(2026, 3, 6)), ("call Ana next Tue", D(2026, 3, 10))]
    assert [due for _, due in to_dos("Get the quote to her EOD Friday, and ping Sam EOD", tuesday)] == [
        D(2026, 3, 6), D(2026, 3, 3)]


def test_sat_sun_and_wed_are_days_only_set_off_at_a_to_do_s_end():
    tuesday = D(2026, 3, 3)
    assert due_date("send him the pricing sheet, wed", tuesday) == D(2026, 3, 4)
    assert due_date("- [ ] drop the catalogue at her shop, Sat", tuesday) == D(2026, 3, 7)
    assert due_date("book the follow-up call - Sun.", tuesday) == D(2026, 3, 8)
    for none in ("ask about her week in the sun", "ask him where we sat", "find out when they will wed",
                 "tell her the sat nav tip", "intro her to Wei Sun", "ask how his son did on the SAT",
                 "send a card, they just got wed", "drop the catalogue at her shop sat"):
        assert due_date(none, tuesday) is None, none


def test_a_weekday_ending_a_story_is_no_due_date_outside_a_to_do():
    story = "the crew promised tuesday, showed up thursday"
    assert due_date(story, D(2026, 12, 1), to_do=False) is None  # a story's day: no date cue for its kind
    assert due_date(story, D(2026, 12, 1)) == D(2026, 12, 3)  # read as a to-do, its last weekday is its day


@pytest.mark.parametrize("text, base, expected", [
    ("mail Oskar the route plan by 4/2", D(2026, 3, 27), D(2026, 4, 2)),  # 2 April, not 4 February
    ("Send to Mireille the tender documents the 3/2.", D(2026, 1, 28), D(2026, 2, 3)),  # 3 February, not 2 March
    ("forward her the grant call 6/24", D(2026, 6, 20), D(2026, 6, 24)),  # the only real reading
    ("check back with Arvo 12/3 after the audit", D(2026, 11, 28), D(2026, 12, 3)),
    ("set up 24/7 cover for her kiosk", D(2026, 12, 1), None),  # 24 July is months away: no due day
    ("set up 24/7 cover for her kiosk", D(2026, 7, 1), None),  # and round the clock is no day, even in July
    ("ship the kiosk order by 24/7", D(2026, 7, 1), None),
    ("send her 1/2 of the slide deck", D(2026, 12, 30), None),  # a share, not a day
    ("send it 4/31", D(2026, 4, 1), None),  # no such day either way
])
def test_a_to_do_s_day_written_with_a_slash_and_no_year_is_its_sooner_reading(text, base, expected):
    assert due_date(text, base) == expected
    assert due_date(text, base, to_do=False) is None  # in a story, 3/2 is a score or a share


@pytest.mark.parametrize("text, base, expected", [
    ("ring Piotr on 4.11. about the crane hire", D(2026, 10, 20), D(2026, 11, 4)),  # day first, as written in Europe
    ("offer to Greta until 9.1.", D(2026, 12, 10), D(2027, 1, 9)),  # past this year's: next year's
    ("samples to the lab before 28.2", D(2026, 2, 20), D(2026, 2, 28)),
    ("cut her costs by 2.5 points", D(2026, 2, 1), None),
    ("call on 30.2.", D(2026, 1, 10), None),  # no such day
    ("send her the 2.3. price list", D(2026, 6, 1), None),  # 2 March is months away: no due day
    ("margin went up 3.5.", D(2026, 8, 1), None),
    ("install release 1.2.3 for him", D(2026, 1, 1), None),
    ("quote her on 4.5 percent", D(2026, 4, 20), None),
])
def test_a_to_do_s_day_written_day_first_with_dots_and_no_year(text, base, expected):
    assert due_date(text, base) == expected
    assert due_date(text, base, to_do=False) is None  # in a story, 3.5. is a number


def test_a_to_do_naming_two_deadlines_in_two_clauses_is_two_to_dos():
    wednesday = D(2026, 12, 2)
    assert to_dos("so I'll send Noor the freight quotes by friday and ring her bank manager next tuesday",
                  wednesday) == [("so I'll send Noor the freight quotes by friday", D(2026, 12, 4)),
                                 ("ring her bank manager next tuesday", D(2026, 12, 8))]
    assert to_dos("mail Ilse the floor plan tomorrow, call Ruben on 14 Dec, then book the hall by end of month",
                  wednesday) == [("mail Ilse the floor plan tomorrow", D(2026, 12, 3)),
                                 ("call Ruben on 14 Dec", D(2026, 12, 14)),
                                 ("book the hall by end of month", D(2026, 12, 31))]
    assert to_dos("by friday send the catalogue; next tuesday ask about the samples", wednesday) == [
        ("by friday send the catalogue", D(2026, 12, 4)), ("next tuesday ask about the samples", D(2026, 12, 8))]


@pytest.mark.parametrize("text, due", [
    ("check in with Hugo on monday and again on friday", D(2026, 12, 7)),  # "again on friday" is no to-do
    ("send the invoices by the 10th and the 20th", D(2026, 12, 10)),
    ("call her between monday and friday", D(2026, 12, 4)),
    ("send the lease by friday and the deposit at some point", D(2026, 12, 4)),  # the rest is vague
    ("ask Wen about the kiln next week, on tuesday probably", D(2026, 12, 9)),
])
def test_a_to_do_whose_second_day_stands_alone_stays_one(text, due):
    assert to_dos(text, D(2026, 12, 2)) == [(text, due)]


def test_a_hedged_day_ends_a_clause_and_stays_undated_while_the_other_keeps_its_day():
    assert to_dos("call her early next month and send the deck by friday", D(2026, 12, 10)) == [
        ("call her early next month", None), ("send the deck by friday", D(2026, 12, 11))]


def test_a_weekday_after_a_time_of_day_ends_its_clause():
    thursday = D(2026, 12, 10)
    assert to_dos("Call her at 3 p.m. Friday about deposits, and send the lease template early next month.",
                  thursday) == [("Call her at 3 p.m. Friday about deposits", D(2026, 12, 11)),
                                ("send the lease template early next month.", None)]
    assert to_dos("ring Dario 10:30 monday re the van quote, then send him the route plan by the 20th", thursday) == [
        ("ring Dario 10:30 monday re the van quote", D(2026, 12, 14)),
        ("send him the route plan by the 20th", D(2026, 12, 20))]


@pytest.mark.parametrize("text, due", [
    ("She's off Monday, so call her next Tuesday", D(2026, 12, 15)),  # a weekday alone tells when, no to-do
    ("Ask her about the Sunday market, and send the deck by the 20th", D(2026, 12, 20)),
    ("Check in mon, wed and fri, and send notes by the 15th", D(2026, 12, 15)),
])
def test_a_weekday_alone_ends_no_clause(text, due):
    assert to_dos(text, D(2026, 12, 10)) == [(text, due)]


@pytest.mark.parametrize("text, due", [
    ("visit the depot tuesday and friday to count the pallets", D(2026, 12, 11)),
    ("phone the bakery tue or wed about the flour order", D(2026, 12, 15)),
    ("order from the mill on monday and thursday, as she does", D(2026, 12, 14)),
])
def test_weekdays_in_a_list_are_one_to_do(text, due):
    assert to_dos(text, D(2026, 12, 10)) == [(text, due)]


def test_a_day_of_next_month_is_that_day_in_any_sentence():
    assert due_date("her birthday is on the 3rd of next month", D(2026, 12, 10), to_do=False) == D(2027, 1, 3)
