"""A person in the user's network."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator

from models.people import BIRTHDAY_PATTERN, Stage

ME = "me"
"""The user's own contact: `kith add --contact me`; their problems are matched like anyone's."""


def normalise_name(name: str) -> str:
    """The key contacts are matched by: case- and space-insensitive."""
    return " ".join(name.casefold().split())


class Contact(BaseModel):
    """A contact: a name and the optional facts the user keeps about them."""

    model_config = ConfigDict(str_strip_whitespace=True)

    id: int | None = None
    name: str = Field(max_length=200)
    company: str | None = None
    role: str | None = None
    location: str | None = None
    how_met: str | None = None
    tags: list[str] = Field(default_factory=list)
    last_met: dt.date | None = None
    linkedin_url: str | None = None
    emails: list[str] = Field(default_factory=list)
    phones: list[str] = Field(default_factory=list)
    birthday: str | None = Field(default=None, pattern=BIRTHDAY_PATTERN)
    """"YYYY-MM-DD", or "--MM-DD" when the year is not known (files' spellings are cleaned as they are read)."""
    connected_on: dt.date | None = None
    source: str | None = None
    """Where the contact came from: typed, a note, linkedin, vcard, google."""
    stage: Stage | None = None
    cadence_days: int | None = None
    """Keep in touch every this many days (the contact's own; a tag's cadence applies when None)."""

    @field_validator("name")
    @classmethod
    def _name_not_empty(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("a contact needs a name")
        return value

    @property
    def key(self) -> str:
        return normalise_name(self.name)

    @property
    def is_me(self) -> bool:
        return self.key == ME
