"""What Kith answers: search hits, matches, recaps, decisions."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field

from models.contact import Contact
from models.items import Item, Kind


class SearchHit(BaseModel):
    """One evidence sentence answering a query."""

    contact: str
    text: str
    kind: Kind
    date: dt.date
    note_id: int
    item_id: int
    score: float
    closeness: float | None = Field(default=None, exclude=True)
    """On the first hit: how close the best answer is by the meaning every item is read with alike (what is judged
    "nothing close"); None: its score. Not part of the JSON."""


class MatchSide(BaseModel):
    """One side of a match: who said it, and the sentence that proves it."""

    contact: str
    text: str
    note_id: int
    item_id: int
    date: dt.date


class Decision(StrEnum):
    """What the user decided about a match."""

    INTRODUCED = "introduced"
    NOT_A_FIT = "not a fit"


class Match(BaseModel):
    """A problem of one contact that another contact has already solved."""

    score: float
    problem: MatchSide
    solution: MatchSide
    decision: Decision | None = None

    @property
    def key(self) -> str:
        return f"{self.problem.item_id}:{self.solution.item_id}"


class TeamSide(BaseModel):
    """A colleague's shared story: whose network it is in, who solved it, and what worked."""

    member: str
    contact: str
    text: str


class TeamMatch(BaseModel):
    """A problem of one of my contacts that a colleague's contact has solved."""

    score: float
    problem: MatchSide
    solution: TeamSide


class Recap(BaseModel):
    """Everything to read right before meeting a person."""

    contact: Contact
    last_met: dt.date | None
    personal: list[Item] = Field(default_factory=list)
    problems: list[Item] = Field(default_factory=list)
    solutions: list[Item] = Field(default_factory=list)
    followups: list[Item] = Field(default_factory=list)
    notes: list[Item] = Field(default_factory=list)
    could_help_them: list[Match] = Field(default_factory=list)
    they_could_help: list[Match] = Field(default_factory=list)
    timeline: list[tuple[dt.date, str, int]] = Field(default_factory=list)
    intros: list[dict] = Field(default_factory=list)
    """The introductions this person is in (either side): problem_contact, solver, step, history."""
