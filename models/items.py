"""What Kith understood in a note: one item per sentence or clause group."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel


class Kind(StrEnum):
    """The kinds of DESIGN.md."""

    PROBLEM = "problem"
    SOLUTION = "solution"
    PERSONAL = "personal"
    FOLLOWUP = "followup"
    NOTE = "note"


class Item(BaseModel):
    """One extracted sentence (or run of sentences) with its kind."""

    id: int | None = None
    note_id: int | None = None
    contact_id: int | None = None
    contact: str | None = None
    kind: Kind
    text: str
    position: int = 0
    date: dt.date | None = None
    due: dt.date | None = None
    done: bool = False
    confidence: float = 1.0
