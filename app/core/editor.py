"""Long notes in the user's own editor ($VISUAL, $EDITOR, else vi)."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from app.errors import KithError


def edit_text(initial: str, folder: Path) -> str:
    """The text after the user edits initial in their editor (a private file in folder, removed after)."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    handle, name = tempfile.mkstemp(prefix="note-", suffix=".md", dir=folder)  # mode 0600
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(initial)
    try:
        try:
            status = subprocess.call([*shlex.split(editor), name])
        except OSError as e:
            raise KithError(f"cannot start the editor {editor!r} ({e.strerror}); set $EDITOR") from None
        if status != 0:
            raise KithError(f"the editor {editor!r} exited with status {status}; nothing saved")
        return Path(name).read_text(encoding="utf-8")
    finally:
        Path(name).unlink(missing_ok=True)
