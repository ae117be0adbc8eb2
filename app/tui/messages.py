"""Typed messages the workers post back to the app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from app.tui.names import NameIndex
    from models import Contact


@dataclass
class ModelStatus(Message):
    """The embedding model's state changed: "loading", "ready" or "failed"."""

    state: str
    detail: str = ""


@dataclass
class ContactsRead(Message):
    """The contacts read at start, and their names indexed (both None: the read failed)."""

    version: int
    contacts: list[Contact] | None
    names: NameIndex | None
