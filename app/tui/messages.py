"""Typed messages the workers post back to the app."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class ModelStatus(Message):
    """The embedding model's state changed: "loading", "ready" or "failed"."""

    state: str
    detail: str = ""
