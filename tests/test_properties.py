"""Property tests: the splitter and the date parsers never raise and are deterministic."""

from __future__ import annotations

import datetime as dt

from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.core.dates import due_date, parse_day
from app.core.sentences import _CHECKBOX, _HEADING, split

PHRASES = st.sampled_from([
    "tomorrow", "next Tuesday", "in 3 days", "in two weeks", "end of the month", "next month", "Oct 14",
    "Feb 29", "on the 31st of April", "2026-02-30", "sometime", "in a couple of months", "next week", "by Friday",
    "9999-12-31", "Dec 31", "in 999 months", "in 0 days", "", "🙈", "next", "end of",
])
TEXT = st.one_of(st.text(max_size=400), st.lists(PHRASES, max_size=6).map(" ".join))
DAYS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9990, 12, 31))


@settings(max_examples=300, deadline=None)
@given(TEXT)
@example("[X]")  # a checkbox's mark is markup, not a word
@example("- [x] send Wrenna the deck")
def test_the_splitter_never_raises_and_keeps_every_word(text):
    first, second = split(text), split(text)
    assert first == second
    # A row's cell that only names the next one ("Pains\tno-shows") is that sentence's section, as a heading is.
    kept = " ".join([s.text for s in first] + [s.section for s in first if s.section])
    # A line that only names a section ("## Challenges", "__Personal__") is a heading, not a sentence; a checkbox's
    # mark ("[x]") is markup.
    lines = [_CHECKBOX.sub("", line, count=1) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    for word in " ".join(line for line in lines if not _HEADING.match(line.strip())).split():
        core = "".join(ch for ch in word if ch.isalnum())
        if core and not core.isdigit():
            assert core[:3] in "".join(ch for ch in kept if ch.isalnum()), (word, kept)


@settings(max_examples=400, deadline=None)
@given(TEXT, DAYS)
def test_due_dates_never_raise_and_are_deterministic(text, base):
    due = due_date(text, base)
    assert due == due_date(text, base)
    assert due is None or isinstance(due, dt.date)


@settings(max_examples=300, deadline=None)
@given(TEXT, DAYS)
def test_note_dates_raise_only_value_errors(text, today):
    try:
        first = parse_day(text, today)
    except ValueError:
        return
    assert first == parse_day(text, today)
