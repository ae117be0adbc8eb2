"""Due dates from natural phrases, relative to the note's date (DESIGN.md's rules).

A phrase that names no exact day ("soon", "in a couple of months") gives None:
Kith never makes up a date the user did not say.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

_WEEKDAYS = {
    "monday": MO, "mon": MO, "tuesday": TU, "tue": TU, "tues": TU, "wednesday": WE, "wed": WE,
    "thursday": TH, "thu": TH, "thur": TH, "thurs": TH, "friday": FR, "fri": FR,
    "saturday": SA, "sat": SA, "sunday": SU, "sun": SU,
}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "thirty": 30,
}
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WEEKDAY = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_WEEKDAY_AT_END = "|".join(sorted((d for d in _WEEKDAYS if d not in {"sat", "sun", "wed"}), key=len, reverse=True))
"""A weekday that ends a to-do names its day: "send him the deck friday" ("sat", "sun", "wed" only as _SHORT_AT_END
reads them: "we sat in the sun")."""
_ORDINALS = {word: n for n, word in enumerate((
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth").split(), 1)}
_ORDINALS |= {f"{tens}{sep}{word}": base + n for tens, base in (("twenty", 20), ("thirty", 30))
              for sep in ("-", " ", "") for word, n in list(_ORDINALS.items())[:9] if base + n <= 31}
_ORDINAL = "|".join(sorted(_ORDINALS, key=len, reverse=True))
"""Days said rather than written, as dictation gives them: "august third", "the twenty-first of May"."""
DAY_NAME = re.compile(rf"(?:{_WEEKDAY}|{_MONTHS})\b", re.I)
"""A weekday's or a month's name, whole or short."""
_UNDATED = rf"(?!,?\s*(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})|(?:{_MONTHS})\.?\s+\d))"
"""After a weekday: not followed by its date ("on Tue, 2 Dec 2025": the date says which Tuesday; in a to-do so does
one written 12/24, 18.12. or "the 21st": `_WHICH_ONE`)."""
_DATES = frozenset({"slashed", "dotted", "day_of_month", "iso", "numeric", "md", "spoken"})
_JOINING = re.compile(r"[\s,]*(?:(?:on|by|before|at|the)\s+)*", re.I)
"""What may stand between two phrases that name one day: a weekday and the date right after it ("by Thu 12/24", "on
Monday the 21st"), an end of day and the date it ends ("EOD Dec 12", "EOD on the 15th", "the 15th EOD")."""
_NUMBER = r"\d{1,3}|" + "|".join(_NUMBERS)

_VAGUE = re.compile(
    r"\b(?:in\s+a\s+(?:couple|few)\s+(?:of\s+)?\w+|in\s+(?:some|several|a\s+number\s+of)\s+\w+"
    r"|sometime|some\s+time|at\s+some\s+point|soonish|soon|later(?!\s+today)|eventually|one\s+day"
    r"|after\s+the\s+holidays|in\s+the\s+new\s+year|next\s+(?:year|quarter)|when\s+\w+\s+back)\b",
    re.I,
)

_ROUGHLY = re.compile(r"\b(?P<word>roughly|approximately|approx\.?|circa|around|near|towards?)\s+(?:the\s+)?$", re.I)
"""Before a phrase a rule reads, a word that makes its day a guess: "around the 20th", "roughly next week",
"towards the end of the month" ("around" and "near" only before "the": "ask around next week" asks next week)."""
_ONLY_BEFORE_THE = frozenset({"around", "near"})
_THE = re.compile(r"\s+the\b", re.I)
_WITHIN_A_PERIOD = re.compile(r"\b(?:sometime|some\s+time|at\s+some\s+point|one\s+day|later|early|mid|late"
                              r"|(?:beginning|start|middle)\s+of)[\s-]+(?:in\s+)?(?:the\s+)?$", re.I)
"""Before a week or a month a rule reads, words that place the day somewhere inside it: "early next month",
"sometime next week", "mid-next month", "at the start of next week" (before a day, "early" names the time of that
day: "early tomorrow"; and a deadline stays one: "sometime before the end of the month")."""
_PERIODS = frozenset({"next_week", "next_month", "end_week", "end_next_week", "end_month", "end_next_month", "in",
                      "fortnight"})
_OR_SO = re.compile(r"\s*(?:or\s+so|or\s+(?:two|three)|-?ish)\b", re.I)
"""After a phrase a rule reads, words that make it a range or a guess: "in a month or two", "Friday or so"."""
_A_DEADLINE = re.compile(r"(?:by|before)\b", re.I)
"""A phrase a rule reads that starts so is a deadline, whatever stands before it: "sometime by the end of the month"."""
_HEDGE_REACH = 40
"""How far before a phrase its hedge is looked for (characters): a hedge stands next to what it hedges."""

_TOMORROW = r"tomorrow|tmrw|tmr|tomorow|tommorow|tommorrow"
_WEEKDAY_BEFORE_EOD = "|".join(sorted((d for d in _WEEKDAYS if d not in {"sat", "sun"}), key=len, reverse=True))
"""A weekday before an end of day names it ("Wed EOD"); "sat" and "sun" are words and names too ("we sat at the end of
the day", "Wei Sun EOD"): only after it ("EOD Sat")."""
_END_OF_DAY = r"(?:eod|end\s+of\s+(?:the\s+)?day)"

_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:the\s+)?day\s+after\s+tomorrow\b", re.I), "after_tomorrow"),
    (re.compile(rf"\b(?:{_TOMORROW})\b", re.I), "tomorrow"),
    (re.compile(r"\b(?<!for\s)(?<!from\s)(?<!since\s)(?<!of\s)(?:today|tonight|later\s+today)\b", re.I),
     "today"),  # "thanks for today" names no deadline
    (re.compile(rf"\b(?<!for\s)(?<!from\s)(?<!since\s)(?<!of\s)(?<!for\sthe\s)(?<!from\sthe\s)(?<!of\sthe\s)"
                rf"{_END_OF_DAY}\b", re.I), "end_of_day"),  # "the end of day report" is no deadline
    (re.compile(rf"\b(?:(?P<wd>{_WEEKDAY_BEFORE_EOD})|(?P<tomorrow>{_TOMORROW}))(?:['’]s)?\W{{0,3}}"
                rf"(?:(?:by|before|at)\s+)?(?:the\s+)?{_END_OF_DAY}\b"
                rf"|\b{_END_OF_DAY}\W{{0,3}}(?:(?:on|next|this|coming)\s+)?(?:(?P<wd2>{_WEEKDAY})|(?P<tomorrow2>{_TOMORROW}))"
                rf"\b{_UNDATED}", re.I), "day_end"),  # "EOD Friday", "Friday by EOD", "end of day tomorrow"
    (re.compile(rf"\bin\s+(?P<n>{_NUMBER})\s*(?P<unit>days?|d|weeks?|wks?|w|months?|mos?|years?|yrs?)\b",
                re.I), "in"),
    (re.compile(r"\bin\s+a\s+fortnight\b", re.I), "fortnight"),
    (re.compile(rf"\b(?P<n>{_NUMBER})\s+(?P<unit>days?|weeks?|months?)\s+from\s+(?:now|today)\b", re.I),
     "in"),
    (re.compile(r"\b(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+)?next\s+month\b", re.I), "end_next_month"),
    (re.compile(r"\b(?:by\s+)?(?:the\s+)?(?:end\s+of\s+(?:the\s+|this\s+)?month|month[- ]end|eom)\b",
                re.I), "end_month"),
    (re.compile(r"\b(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?week\b", re.I), "end_week"),
    (re.compile(r"\b(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+)?n(?:e)?xt\s+(?:week|wk)\b", re.I), "end_next_week"),
    (re.compile(rf"\b(?:by\s+)?(?:the\s+)?end\s+of\s+(?P<month>{_MONTHS})\b", re.I), "end_of_named_month"),
    (re.compile(rf"\b(?:next|this|on|by|coming|this\s+coming)\s+(?P<wd>{_WEEKDAY})\b{_UNDATED}", re.I), "weekday"),
    (re.compile(r"\b(?:n(?:e)?xt|(?:the\s+)?coming)\s+(?:week|wk)\b", re.I), "next_week"),
    (re.compile(r"\bn(?:e)?xt\s+(?:month|mo)\b", re.I), "next_month"),
    (re.compile(r"\b(?P<iso>\d{4}-\d{2}-\d{2})\b"), "iso"),
    (re.compile(r"(?<![\d./])(?P<d>\d{1,2})(?P<sep>[./])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})(?!\d|[./]\d)"), "numeric"),
    (re.compile(rf"\b(?P<md>(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?)\b", re.I), "md"),
    (re.compile(rf"\b(?P<md>\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?(?:,?\s+\d{{4}})?)\b", re.I),
     "md"),
    (re.compile(rf"(?:^|\b(?:on|by|before|until|til|till|latest|(?<=\blater )than)\s+)(?P<wd>{_WEEKDAY})\b{_UNDATED}",
                re.I), "weekday"),  # "(no) later than" too
    (re.compile(rf"\b(?P<wd>{_WEEKDAY})\s+(?:at\s+the\s+)?latest\b", re.I), "weekday"),
    (re.compile(rf"\b(?:(?:on|by|before|until|til|till)\s+(?:the\s+)?(?P<dom>\d{{1,2}})(?:st|nd|rd|th)\b"
                rf"|the\s+(?P<bare>\d{{1,2}})(?:st|nd|rd|th)\b(?!\s+[^\W\d_]))"  # not "the 4th arrondissement"
                rf"(?!\s+(?:of\s+)?(?:{_MONTHS})|\s+of\s+next\s+month\b)", re.I), "day_of_month"),
    (re.compile(rf"\b(?:on\s+)?the\s+(?:(?P<ord>{_ORDINAL})|(?P<dom>\d{{1,2}})(?:st|nd|rd|th))\s+of\s+next\s+month\b",
                re.I), "of_next_month"),
    (re.compile(rf"\b(?:(?P<month>{_MONTHS})\s+(?:the\s+)?(?P<ord>{_ORDINAL})|the\s+(?P<ord2>{_ORDINAL})\s+of\s+"
                rf"(?P<month2>{_MONTHS}))\b", re.I), "spoken"),  # "august third", "the second of October"
]


_IN_A_TO_DO = [
    (re.compile(rf"\b(?:\d{{1,2}}:\d{{2}}\s*(?:[ap]\.?\s?m\b\.?)?|\d{{1,2}}\s*[ap]\.?\s?m\b\.?),?\s+(?P<wd>{_WEEKDAY})\b"
                rf"{_UNDATED}", re.I), "weekday"),  # a time of day before it: "call her at 3 p.m. Friday about …"
    (re.compile(r"\b(?:in|within)\s+(?P<n>\d{1,3})\s*(?:hours?|hrs?|h)\b", re.I), "hours"),
    (re.compile(rf"\bwithin\s+(?P<n>{_NUMBER})\s*(?P<unit>days?|weeks?|months?)\b", re.I), "in"),
    (re.compile(r"\b(?:(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?quarter|quarter[- ]end|eoq)\b", re.I),
     "end_quarter"),
    (re.compile(r"\bbefore\s+the\s+(?P<period>week|month)\s+is\s+(?:out|over)\b", re.I), "period_out"),
    (re.compile(r"\b(?:by\s+)?(?:the\s+)?close\s+of\s+(?P<next>next\s+)?(?:the\s+|this\s+)?(?P<period>week|month)\b",
                re.I), "period_out"),
    (re.compile(rf"\b(?:the\s+)?week\s+after\s+next\b(?!\s+(?:{_WEEKDAY}|weeks?|months?|years?|quarter)\b|['’]s)",
                re.I), "fortnight"),  # as "next week" is +7 days; not "the week after next Tuesday"
    (re.compile(r"(?<![\w./-])(?!24/7\b)(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\w/%-]|\.\d|\s*(?:of|in)\b)", re.I),
     "slashed"),  # "24/7" is round the clock
    (re.compile(r"(?<![\w.,])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?!\d)"
                r"|\b(?:on|until|til|till|before)\s+(?P<d2>\d{1,2})\.(?P<m2>\d{1,2})(?=\s*(?:[,;!?)]|$))", re.I),
     "dotted"),  # "17.9." day first, as in most of Europe, or "until 17.9" ending it; "by 3.5 points" is a number
]
"""Read only in a sentence already read as a to-do: a weekday after a time of day ("at 3 p.m. Friday", "10:30
tuesday"; so it ends a clause as "on Friday" does, where a weekday alone, "she's off Monday, so call her next
Tuesday", may only tell when something happens); a deadline as business and formal writers give one ("within 48
hours", "by the end of the quarter", "before the month is out", "by the close of next week", "the week after next",
"on the first of next month": in a story, "within a month" tells how soon something worked); a day written 6/24,
3/2 or 17.9. without a year (in a story: a score, a share, a ratio, a version); and so is a weekday with no word
before it (_ANY_WEEKDAY)."""
SOON = 120
"""Days after the note within which a to-do's 6/24, 3/2 or 17.9. may fall: a reading further off is no due date.
The longest wait between a note and its to-do's due day in our labelled notes is 113 days (a test holds it)."""
_TO_DO_RULES = _RULES + _IN_A_TO_DO
_SHORT_AT_END = re.compile(r"(?:,|\s[-–—])\s*(?P<wd>[Ss]at|[Ss]un|[Ww]ed)[\s.!)]*$")
"""The abbreviations that are English words or names too ("we sat in the sun", "Wei Sun", her SAT) name a day
only set off at a to-do's end by a comma or a dash: "send her the number, wed", "book the call - Sun."."""
_ANY_WEEKDAY = re.compile(rf"\b(?<!every\s)(?<!each\s)(?<!last\s)(?<!past\s)(?<!from\s)(?<!since\s)"
                          rf"(?<![-'’])(?P<wd>{_WEEKDAY_AT_END})\b(?![-'’]){_UNDATED}", re.I)
"""In a to-do that names no day by a rule, its last weekday is its day: one ending it ("send him the deck
friday"), or, when nothing in it is vague, one anywhere ("ping Marta friday with the numbers", "FU w/ Bao
thurs re: the intro"). In a story a weekday tells when something happened ("school closed Tuesday"); one a
rule reads ("by Friday") is preferred wherever it stands, and one in a compound ("the Sunday-message idea",
"Friday's notes") names no day."""


def _ahead(day: dt.date, base: dt.date) -> dt.date | None:
    """A date written out is a due date only when it is after the note's day: one already past is a reply's
    date, and the note's own day is the call's ("Call with Ana, 17 Sep 2025")."""
    return day if day > base else None


def _next_real(base: dt.date, day_in: Callable[[int], dt.date], periods: int) -> dt.date | None:
    """The first real day on or after base among day_in(0), day_in(1)… (a 30 February is skipped)."""
    for period in range(periods):
        try:
            day = day_in(period)
        except ValueError:
            continue
        if day >= base:
            return day
    return None


def _day_and_month(base: dt.date, day: int, month: int, year: int | None) -> dt.date | None:
    """A date written out, as a due date: in its year, else its next one on or after base (a 29 February
    in the next leap year); None when it is not after base (_ahead)."""
    if year is not None:
        return _ahead(dt.date(year, month, day), base)
    found = _next_real(base, lambda k: dt.date(base.year + k, month, day), 9)
    return _ahead(found, base) if found else None


def _soon(base: dt.date, day: int, month: int) -> dt.date | None:
    """A day and month written without a year, in a to-do: its next real day after base (the note's own day is
    the call's, _ahead), if that is within SOON days; else None."""
    if not 1 <= month <= 12:
        return None
    after = base + dt.timedelta(days=1)
    found = _next_real(after, lambda k: dt.date(after.year + k, month, day), 2)
    return found if found is not None and (found - base).days <= SOON else None


def _month_number(word: str) -> int:
    return next(n for n, name in enumerate(_MONTHS.split("|"), 1) if re.fullmatch(name, word, re.I))


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word.lower()]


def _resolve(rule: str, m: re.Match[str], base: dt.date) -> dt.date | None:
    if rule == "tomorrow":
        return base + dt.timedelta(days=1)
    if rule == "after_tomorrow":
        return base + dt.timedelta(days=2)
    if rule == "today":
        return base
    if rule == "end_of_day":  # "send it EOD"
        return base
    if rule == "day_end":  # "EOD Friday", "Wed EOD", "end of day tomorrow"
        day = m["wd"] or m["wd2"]
        return _next(day, base) if day else base + dt.timedelta(days=1)
    if rule == "fortnight":
        return base + dt.timedelta(days=14)
    if rule == "hours":  # "in 48 hours": as many whole days on
        return base + dt.timedelta(days=int(m["n"]) // 24)
    if rule == "end_quarter":
        return base + relativedelta(month=(base.month - 1) // 3 * 3 + 3, day=31)
    if rule == "period_out":  # "before the month is out", "by the close of next week": its last (working) day
        following = bool(m.groupdict().get("next"))
        if m["period"].lower() == "month":
            return base + relativedelta(months=1 if following else 0, day=31)
        return _resolve("end_next_week" if following else "end_week", m, base)
    if rule == "of_next_month":  # "on the first of next month"; "the 31st" of a shorter month is its last day
        day = _ORDINALS[m["ord"].lower()] if m["ord"] else int(m["dom"])
        return base + relativedelta(months=1, day=day) if 1 <= day <= 31 else None
    if rule == "in":
        n, unit = _number(m["n"]), m["unit"].lower()
        if unit.startswith("d"):
            return base + dt.timedelta(days=n)
        if unit.startswith("w"):
            return base + dt.timedelta(weeks=n)
        if unit.startswith("m"):
            return base + relativedelta(months=n)
        return base + relativedelta(years=n)
    if rule == "end_month":
        return base + relativedelta(day=31)
    if rule == "end_next_month":
        return base + relativedelta(months=1, day=31)
    if rule == "end_week":
        return base + relativedelta(days=0 if base.weekday() == 4 else 1, weekday=FR)
    if rule == "weekday":
        return _next(m["wd"], base)
    if rule == "end_next_week":  # the Friday of the week after this one
        return base + relativedelta(days=1, weekday=MO) + relativedelta(weekday=FR)
    if rule == "next_week":
        return base + dt.timedelta(days=7)
    if rule == "next_month":
        return base + relativedelta(months=1)
    if rule == "end_of_named_month":  # "by end of May": its last day, this year or, once past, next year
        month = _month_number(m["month"])
        last = base + relativedelta(month=month, day=31)
        return last if last >= base else last + relativedelta(years=1, day=31)
    if rule == "day_of_month":  # "by the 30th": the next such day
        dom = int(m["dom"] or m["bare"])
        return _next_real(base, lambda k: (base + relativedelta(months=k, day=1)).replace(day=dom), 3)
    if rule == "spoken":
        month = m["month"] or m["month2"]
        if month.lower() == "may" and month != "May":
            return None  # "we may first try…"
        return _day_and_month(base, _ORDINALS[(m["ord"] or m["ord2"]).lower()], _month_number(month), None)
    if rule == "iso":
        return _ahead(dt.date.fromisoformat(m["iso"]), base)
    if rule == "numeric":  # "20.12.2026" is day first; "15/12/2026" and "12/15/2026" the only way they can be
        day, month = int(m["d"]), int(m["m"])
        if m["sep"] == "/" and day <= 12:
            if month <= 12:
                return None  # 3/4/2027 could be either: no date rather than a wrong one
            day, month = month, day
        return _day_and_month(base, day, month, int(m["y"]))
    if rule == "slashed":  # 3/2 is 2 March to some writers and 3 February to others: the sooner real day
        a, b = int(m["a"]), int(m["b"])
        return min(filter(None, (_soon(base, b, a), _soon(base, a, b))), default=None)
    if rule == "dotted":  # written day first everywhere it is written so
        return _soon(base, int(m["d"] or m["d2"]), int(m["m"] or m["m2"]))
    if rule == "md":
        from dateutil import parser as date_parser  # ~40 ms (time zones): only when a month is named

        text = m["md"].replace(".", " ")
        year = re.search(r"\d{4}", text)
        # Parse in a leap year so "Feb 29" is a real day, then place it in the right year.
        parsed = date_parser.parse(text, default=dt.datetime(2000, 1, 1), fuzzy=True).date()
        return _day_and_month(base, parsed.day, parsed.month, int(year[0]) if year else None)
    return None


def _deadlines(text: str, base: dt.date) -> list[tuple[int, int, dt.date]]:
    """The days a to-do's phrases name, hedged ones too ("early next month"), as (start, end, day): where its
    clauses end (`to_dos`)."""
    return _days_read(text, base, to_do=True, exact=False)[0]


Span = tuple[int, int]


def _days_read(text: str, base: dt.date, to_do: bool, exact: bool) -> tuple[list[tuple[int, int, dt.date]], list[Span]]:
    """The days the rules read in a sentence, as (start, end, day), first first (of phrases that overlap, "by the
    end of next month" read by two rules, the first read is kept); and the spans of it that name no exact day: its
    first vague phrase (_VAGUE) and, when exact, every phrase a rule reads that a hedge makes a guess or a range
    (`_hedged`; exact=False reads their days too)."""
    read = [(m, rule) for pattern, rule in (_TO_DO_RULES if to_do else _RULES) for m in pattern.finditer(text)]
    if to_do:  # a weekday and the date that says which one: the date ("by Thu 12/24"), if it falls on that weekday
        dated = [(d, rule) for d, rule in read if rule in _DATES]
        read = [(m, rule) for m, rule in read if rule != "weekday"
                or not any(_joined(text, m, d) and _falls_on(m["wd"], d, kind, base) for d, kind in dated)]
    days = [m for m, rule in read if rule != "end_of_day"]  # an end of day beside another day is that day's end
    read = [(m, rule) for m, rule in read if rule != "end_of_day" or not any(
        _joined(text, m, d) or _joined(text, d, m) or d.start() <= m.start() < d.end() for d in days)]
    first_vague = _VAGUE.search(text)
    vague = ([first_vague.span()] if first_vague else []) + [m.span() for m, rule in read
                                                             if exact and _hedged(text, m, rule)]
    found: list[tuple[int, int, dt.date]] = []
    for m, rule in read:
        if any(start <= m.start() < end for start, end in vague):
            continue
        try:
            day = _resolve(rule, m, base)
        except (ValueError, OverflowError, KeyError):  # dateutil's ParserError is a ValueError
            continue
        if day is not None:
            found.append((m.start(), m.end(), day))
    kept: list[tuple[int, int, dt.date]] = []
    for start, end, day in sorted(found, key=lambda f: (f[0], f[2])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end, day))
    return kept, vague


def _joined(text: str, first: re.Match[str], then: re.Match[str]) -> bool:
    """Whether a phrase comes right after another, only joining words between (`_JOINING`)."""
    return then.start() >= first.end() and bool(_JOINING.fullmatch(text, first.end(), then.start()))


def _next(weekday: str, base: dt.date) -> dt.date:
    """The first such weekday strictly after base (DESIGN.md: "next Tuesday", "by Tuesday", "on Tue")."""
    return base + relativedelta(days=1, weekday=_WEEKDAYS[weekday.lower()])


def _falls_on(weekday: str, m: re.Match[str], rule: str, base: dt.date) -> bool:
    """Whether the date a rule reads falls on this weekday ("Thu 12/24" does; "Tue 1/2 day" is no date)."""
    try:
        day = _resolve(rule, m, base)
    except (ValueError, OverflowError, KeyError):
        return False
    return day is not None and day.weekday() == _WEEKDAYS[weekday.lower()].weekday


def _hedged(text: str, m: re.Match[str], rule: str) -> bool:
    """Whether words next to a phrase a rule reads make its day a guess or a range (_ROUGHLY, _WITHIN_A_PERIOD,
    _OR_SO): then it names no exact day, and no rule reads a day inside it ("around the end of next month")."""
    reach = max(0, m.start() - _HEDGE_REACH)
    rough = _ROUGHLY.search(text, reach, m.start())
    if rough and rough["word"].lower() in _ONLY_BEFORE_THE and not _THE.match(text, rough.end("word")):
        rough = None
    deadline = _A_DEADLINE.match(m[0])
    return bool(rough or _OR_SO.match(text, m.end())
                or (rule in _PERIODS and not deadline and _WITHIN_A_PERIOD.search(text, reach, m.start())))


def due_date(text: str, base: dt.date, *, to_do: bool = True, exact: bool = True) -> dt.date | None:
    """The due date a sentence names, relative to base, or None if it names none exactly; to_do=False for a
    sentence of any kind (the forms that name a day only in a to-do are left out); exact=False: a day it hedges
    ("early next month", "in a week or two") counts too, as a sign that it points ahead at all."""
    found, vague = _days_read(text, base, to_do, exact)
    if found:
        return found[0][2]
    weekday = _last_weekday(text, vague) if to_do else None
    if weekday is None or (exact and _hedged(text, weekday, "weekday")):
        return None
    return _resolve("weekday", weekday, base)


_CLAUSE_BREAK = re.compile(r"\s*[,;]\s*(?:(?:and\s+)?then\s+|and\s+|also\s+)?|\s+(?:and\s+then|and|then|&)\s+", re.I)
"""Where one clause of a to-do ends and the next begins: a comma or semicolon, "and", "then", "&"."""
_WORD = re.compile(r"[^\W\d_]{2,}")


def to_dos(text: str, base: dt.date) -> list[tuple[str, dt.date | None]]:
    """A to-do's parts, each with its due date: one that names two deadlines in two clauses ("send her the deck
    by friday and call her accountant next tuesday", as a dictated memo runs on) is two to-dos, so that neither
    deadline hides behind the other. A clause that says nothing besides its day ("on monday and again on friday",
    "by the 3rd and the 10th") is no to-do of its own."""
    found = _deadlines(text, base)  # a hedged day ends a clause too, and its part stays undated
    for (_, end, _), (start, _, _) in zip(found, found[1:], strict=False):
        breaks = list(_CLAUSE_BREAK.finditer(text, end, start))
        if not breaks:
            continue
        first, rest = text[: breaks[-1].start()].strip(), text[breaks[-1].end() :].strip()
        if all(_says_more_than_its_day(part, base) for part in (first, rest)):
            return [(first, due_date(first, base)), *to_dos(rest, base)]
    return [(text, due_date(text, base))]


def _says_more_than_its_day(text: str, base: dt.date) -> bool:
    """Whether a clause has two words besides the days it names ("call her accountant next tuesday": yes; "again
    on friday": no)."""
    cut = text
    for start, end, _ in reversed(_deadlines(text, base)):
        cut = cut[:start] + " " + cut[end:]
    return len(_WORD.findall(cut)) >= 2


def _last_weekday(text: str, vague: list[Span]) -> re.Match | None:
    """A to-do's last weekday, when it ends the to-do or nothing in it is vague (_ANY_WEEKDAY; vague: the spans
    that name no exact day); else "sat", "sun" or "wed" as its very last word (_SHORT_AT_END)."""
    last = next(reversed(list(_ANY_WEEKDAY.finditer(text))), None) or _SHORT_AT_END.search(text)
    if last is None or (vague and (text[last.end() :].strip(" .!)")
                                   or any(start <= last.start() < end for start, end in vague))):
        return None
    return last


def not_after_tomorrow(day: dt.date, today: dt.date) -> dt.date:
    """A note's day, refused (ValueError) when it is after tomorrow: notes are written after the call."""
    if day > today + dt.timedelta(days=1):
        raise ValueError(f"{day} is after tomorrow; a note is written after the call")
    return day


def parse_day(text: str, today: dt.date) -> dt.date:
    """A day the user typed for a note: ISO, "yesterday", "last Friday", "Oct 3", "3 days ago".

    Raises ValueError with a readable message when the text names no day.
    """
    value = " ".join(text.strip().lower().split())
    if not value:
        raise ValueError("no date given")
    if value in {"today", "now"}:
        return today
    if value == "yesterday":
        return today - dt.timedelta(days=1)
    if value in {"day before yesterday", "the day before yesterday"}:
        return today - dt.timedelta(days=2)
    m = re.fullmatch(rf"(?:last|past)\s+({_WEEKDAY})", value)
    if m:
        return today + relativedelta(days=-1, weekday=_WEEKDAYS[m[1]](-1))
    m = re.fullmatch(rf"({_NUMBER})\s+(days?|weeks?|months?)\s+ago", value)
    if m:
        n, unit = _number(m[1]), m[2]
        delta = relativedelta(days=n) if unit.startswith("d") else (
            relativedelta(weeks=n) if unit.startswith("w") else relativedelta(months=n))
        return today - delta
    if value in {"last week"}:
        return today - dt.timedelta(days=7)
    if value == "tomorrow" or re.fullmatch(rf"(?:next|this coming)\s+(?:{_WEEKDAY}|week|month)|in\s+(?:{_NUMBER})\s+"
                                          r"(?:days?|weeks?|months?)", value):
        raise ValueError(f"{text.strip()!r} is still to come: a note is dated the day of the call (a to-do's day "
                         "goes in the note's text)")
    m = re.fullmatch(rf"(?:on\s+)?({_WEEKDAY})", value)
    if m:
        return today + relativedelta(days=-1, weekday=_WEEKDAYS[m[1]](-1))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as e:
            raise ValueError(f"not a real date: {text.strip()!r}") from e
    if re.search(_MONTHS, value) and re.search(r"\d", value):
        from dateutil import parser as date_parser

        if not re.search(r"\d{4}", value) and any(int(n) > 31 for n in re.findall(r"\d+", value)):
            raise ValueError(f"not a real date: {text.strip()!r}")  # "Oct 32" is no day (dateutil: the year 2032)

        try:
            day = date_parser.parse(value, default=dt.datetime(today.year, today.month, 1)).date()
        except (ValueError, OverflowError) as e:
            raise ValueError(f"not a date Kith understands: {text.strip()!r}") from e
        if not re.search(r"\d{4}", value) and day > today:
            day = day - relativedelta(years=1)
        return day
    raise ValueError(f"not a date Kith understands: {text.strip()!r} (try 2026-10-03, yesterday, last Friday)")
