"""The note being typed, kept on disk every second so a crash loses almost nothing.

Read before the app's first screen is drawn (the recovery dialog is the first thing a user
sees after a crash), so this module imports nothing heavy: a draft is a small dataclass read
and written as JSON by hand, not a pydantic model (pydantic costs ~0.1 s to import).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

from app.store.files import write_atomic


@dataclasses.dataclass(frozen=True)
class Draft:
    """What the capture screen holds: enough to put the user back where they were."""

    contact: str = ""
    date: str = ""
    text: str = ""
    saved_at: dt.datetime | None = None
    details: dict[str, str] = dataclasses.field(default_factory=dict, hash=False)
    """A new contact's details typed so far (company, role, …), by field."""

    @property
    def empty(self) -> bool:
        return not self.text.strip()

    @classmethod
    def from_json(cls, data: str | bytes) -> Draft:
        """The draft in data (ValueError if it is not one); unknown keys are ignored."""
        raw = json.loads(data)
        if not isinstance(raw, dict):
            raise ValueError("a draft is a JSON object")
        fields: dict[str, str] = {}
        for name in ("contact", "date", "text"):
            value = raw.get(name, "")
            if not isinstance(value, str):
                raise ValueError(f"{name}: not text")
            fields[name] = value
        saved_at = raw.get("saved_at")
        if saved_at is not None and not isinstance(saved_at, str):
            raise ValueError("saved_at: not a date and time")
        details = raw.get("details")
        details = details if isinstance(details, dict) else {}  # the note comes back even if these cannot
        return cls(**fields, saved_at=dt.datetime.fromisoformat(saved_at) if saved_at else None,
                   details={str(k): v for k, v in details.items() if isinstance(v, str)})

    def to_json(self) -> str:
        return json.dumps({"contact": self.contact, "date": self.date, "text": self.text,
                           "saved_at": self.saved_at.isoformat() if self.saved_at else None,
                           "details": self.details}, ensure_ascii=False)


class Drafts:
    """One draft file in the Kith home, replaced atomically."""

    def __init__(self, home: Path):
        self.path = home / "draft.json"

    def load(self) -> Draft | None:
        """The draft left behind, if any (an unreadable one is kept aside, never lost)."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            draft = Draft.from_json(data)
        except ValueError:  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
            self.path.replace(self.path.with_suffix(".damaged"))
            return None
        return None if draft.empty else draft

    def save(self, draft: Draft) -> None:
        draft = dataclasses.replace(draft, saved_at=dt.datetime.now().replace(microsecond=0))
        write_atomic(self.path, draft.to_json().encode("utf-8"))

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
