"""The note being typed, kept on disk every second so a crash loses almost nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pydantic import BaseModel, ValidationError

from app.store.files import write_atomic


class Draft(BaseModel):
    """What the capture screen holds: enough to put the user back where they were."""

    contact: str = ""
    date: str = ""
    text: str = ""
    saved_at: dt.datetime | None = None

    @property
    def empty(self) -> bool:
        return not self.text.strip()


class Drafts:
    """One draft file in the Kith home, replaced atomically."""

    def __init__(self, home: Path):
        self.path = home / "draft.json"

    def load(self) -> Draft | None:
        """The draft left behind, if any (an unreadable one is kept aside, never lost)."""
        try:
            data = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            draft = Draft.model_validate(json.loads(data))
        except (ValueError, ValidationError):
            self.path.replace(self.path.with_suffix(".damaged"))
            return None
        return None if draft.empty else draft

    def save(self, draft: Draft) -> None:
        draft = draft.model_copy(update={"saved_at": dt.datetime.now().replace(microsecond=0)})
        write_atomic(self.path, draft.model_dump_json().encode("utf-8"))

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
