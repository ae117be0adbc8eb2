"""A person in the user's network."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator


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
