"""Notes: what the user wrote after a call."""

from __future__ import annotations

import datetime as dt
import hashlib

from pydantic import BaseModel, ConfigDict, Field, field_validator

from models.contact import normalise_name

MAX_NOTE_CHARS = 1_000_000


class NoteIn(BaseModel):
    """A note as the user gives it (CLI, import file, TUI)."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    contact: str = Field(max_length=200)
    date: dt.date
    text: str = Field(max_length=MAX_NOTE_CHARS)
    tags: list[str] = Field(default_factory=list)

    @field_validator("contact")
    @classmethod
    def _contact_not_empty(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("a note needs a contact name")
        return value

    @field_validator("text")
    @classmethod
    def _text_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the note is empty")
        return value

    @field_validator("tags")
    @classmethod
    def _clean_tags(cls, value: list[str]) -> list[str]:
        return [t.strip() for t in value if t.strip()]

    @property
    def digest(self) -> str:
        """Identity of the note: the same contact, date and text is the same note."""
        key = f"{normalise_name(self.contact)}\n{self.date.isoformat()}\n{self.text.strip()}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()


class Note(BaseModel):
    """A stored note."""

    id: int
    contact_id: int
    contact: str
    date: dt.date
    text: str
    tags: list[str] = Field(default_factory=list)
