"""Start the app: on the user's store, or on a throw-away copy of the demo network."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from app.config import DATA_DIR, Settings

DEMO_NOTES = DATA_DIR / "demo" / "notes.jsonl"


def run(settings: Settings, *, demo: bool = False) -> int:
    """Run the TUI until the user quits; the demo's home is deleted afterwards."""
    from app.core.notebook import Notebook
    from app.tui.app import make_app

    home: Path | None = None
    if demo:
        home = Path(tempfile.mkdtemp(prefix="kith-demo-"))
        settings = settings.model_copy(update={"home": home})
    try:
        app = make_app(Notebook(settings), demo_notes=DEMO_NOTES if demo else None)
        return app.run() or 0
    finally:
        if home is not None:
            shutil.rmtree(home, ignore_errors=True)
