"""Start the app: on the user's store, or on a throw-away copy of the demo network.

The first screen is drawn before the store is opened: this path imports Textual and the capture
screen only. The settings (pydantic), the model, the store (SQLite, numpy) and the models are
imported by `OpenNotebook`, which the app calls in a worker once the screen is up.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.config import home_dir

if TYPE_CHECKING:
    from app.core.notebook import Notebook


@dataclass(frozen=True)
class OpenNotebook:
    """Opens the notebook on home with the settings of the environment (called in the app's start worker),
    the model loading beside it."""

    home: Path

    def __call__(self) -> Notebook:
        from app.store.embedder import loading_now

        embedder = loading_now()  # the app's model worker waits for it (Notebook.load_model)
        from app.config import Settings
        from app.core.notebook import Notebook

        settings = Settings.from_env().model_copy(update={"home": self.home})
        return Notebook(settings, embedder)


def run(home: Path | None = None, *, demo: bool = False) -> int:
    """Run the TUI until the user quits (home: --home, else KITH_HOME or the user data dir);
    the demo's home is deleted afterwards."""
    from app.tui.app import make_app

    made: Path | None = None
    if demo:
        home = made = Path(tempfile.mkdtemp(prefix="kith-demo-"))
    try:
        home = home_dir(home)
        app = make_app(OpenNotebook(home), home=home, demo=demo)
        return app.run() or 0
    finally:
        if made is not None:
            shutil.rmtree(made, ignore_errors=True)
