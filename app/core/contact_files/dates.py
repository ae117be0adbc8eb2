"""The dates contact files write: LinkedIn's three styles and the birthdays of vCards and Google."""

from __future__ import annotations

import datetime as dt
import re

from models.people import clean_birthday

CONNECTED_ON = ("%d %b %Y", "%d-%b-%y", "%d-%b-%Y", "%Y-%m-%d")
"""LinkedIn writes "09 Oct 2024"; Excel re-saves it as "9-Oct-24"."""
SENT_AT = ("%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p", "%m/%d/%y, %H:%M", "%m/%d/%Y, %H:%M")
"""Invitations.csv: "2/12/26, 11:44 AM"."""
BIRTHDAY = re.compile(r"^(\d{4}|--)-?(\d{2})-?(\d{2})(?:T.*)?$")


def _strptime(text: str, formats: tuple[str, ...]) -> dt.datetime | None:
    text = " ".join(text.split())  # also the narrow no-break space some locales put before AM/PM
    for fmt in formats:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def connected_on(text: str) -> dt.date | None:
    """The day of a LinkedIn connection; None when empty or unreadable."""
    found = _strptime(text, CONNECTED_ON)
    return found.date() if found else None


def sent_at(text: str) -> dt.datetime | None:
    """When an invitation was sent (as written: the export does not say in which time zone)."""
    return _strptime(text, SENT_AT)


def message_date(text: str) -> dt.datetime | None:
    """A message's time: "2026-02-14 09:31:07 UTC" (LinkedIn's dates are UTC even when it doesn't say so)."""
    text = text.strip().removesuffix("UTC").strip()
    try:
        found = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return found if found.tzinfo else found.replace(tzinfo=dt.UTC)


def birthday(text: str | None, omit_year: str | None = None) -> str | None:
    """"YYYY-MM-DD", or "--MM-DD" without a year, from --0414, --04-14, 1990-04-14, 19900414 or Apple's
    placeholder year (X-APPLE-OMIT-YEAR=1604); None when empty or not a day."""
    found = BIRTHDAY.match((text or "").strip())
    if not found:
        return None
    year, month, day = found.groups()
    try:
        return clean_birthday(f"--{month}-{day}" if year in ("--", omit_year) else f"{year}-{month}-{day}")
    except ValueError:
        return None
