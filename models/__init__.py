"""Pydantic models shared by every layer of Kith. Imports nothing of app/."""

from models.contact import Contact
from models.items import Item, Kind
from models.note import Note, NoteIn
from models.people import ContactFile, FileProblem, Invitation, Message, Person, Stage
from models.results import Decision, Match, MatchSide, Recap, SearchHit, TeamMatch, TeamSide

__all__ = [
    "Contact",
    "ContactFile",
    "FileProblem",
    "Invitation",
    "Message",
    "Person",
    "Stage",
    "Decision",
    "Item",
    "Kind",
    "Match",
    "MatchSide",
    "Note",
    "NoteIn",
    "Recap",
    "SearchHit",
    "TeamMatch",
    "TeamSide",
]
