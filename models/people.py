"""People as contact files describe them: LinkedIn exports, vCards, Google CSVs (read before storing)."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator

BIRTHDAY = re.compile(r"^(\d{4}|--)-?(\d{2})-(\d{2})$")
BIRTHDAY_PATTERN = r"^(\d{4}|-)-\d{2}-\d{2}$"
"""A clean birthday: "YYYY-MM-DD" or "--MM-DD"."""


class Stage(StrEnum):
    """The steps of the networking funnel, in order."""

    INVITED = "invited"
    CONNECTED = "connected"
    OFFERED = "offered"
    MET = "met"

    @property
    def rank(self) -> int:
        return list(Stage).index(self)


def clean_birthday(value: str | None) -> str | None:
    """"YYYY-MM-DD", or "--MM-DD" for a birthday without a year; None when empty."""
    if value is None or not value.strip():
        return None
    found = BIRTHDAY.match(value.strip())
    if not found:
        raise ValueError(f"not a birthday: {value!r} (YYYY-MM-DD or --MM-DD)")
    year, month, day = found.groups()
    dt.date(2000 if year == "--" else int(year), int(month), int(day))  # 2000: Feb 29 is a valid year-less day
    return f"{year if year != '--' else '-'}-{month}-{day}"


class Person(BaseModel):
    """One contact read from a file, before it is matched to the store."""

    where: str
    """Where in the file: "line 7", "card 3", "Connections.csv line 7"."""
    name: str
    company: str | None = None
    role: str | None = None
    location: str | None = None
    linkedin_url: str | None = None
    """Decoded (no percent-encoding), no trailing slash, https://www.linkedin.com/in/<id>."""
    emails: list[str] = Field(default_factory=list)
    phones: list[str] = Field(default_factory=list)
    birthday: str | None = None
    connected_on: dt.date | None = None
    tags: list[str] = Field(default_factory=list)

    @field_validator("birthday")
    @classmethod
    def _birthday(cls, value: str | None) -> str | None:
        return clean_birthday(value)


class Invitation(BaseModel):
    """One LinkedIn invitation, sent or received."""

    where: str
    sent_at: dt.datetime
    outgoing: bool
    name: str
    """The other person (the invitee when outgoing, the inviter when incoming)."""
    linkedin_url: str | None = None
    message: str | None = None


class Message(BaseModel):
    """One LinkedIn message of a conversation."""

    where: str
    conversation_id: str | None = None
    sent_at: dt.datetime
    sender: str
    sender_url: str | None = None
    recipients: list[str] = Field(default_factory=list)
    recipient_urls: list[str] = Field(default_factory=list)
    subject: str | None = None
    content: str = ""


class FileProblem(BaseModel):
    """A row or card that was not imported, and why."""

    where: str
    reason: str


class ContactFile(BaseModel):
    """What a contact file holds, read whole; problems name the rows or cards left out."""

    kind: str
    """linkedin-connections, linkedin-invitations, linkedin-messages, linkedin-export, vcard, google-csv."""
    people: list[Person] = Field(default_factory=list)
    invitations: list[Invitation] = Field(default_factory=list)
    messages: list[Message] = Field(default_factory=list)
    problems: list[FileProblem] = Field(default_factory=list)
    owner: str | None = None
    """The user's own name, when the file tells it (LinkedIn's Profile.csv, the sender of outgoing invites)."""
    owner_url: str | None = None
