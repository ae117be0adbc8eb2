"""The Kith app: one factory builds it for the command line and for the tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from app.core.notebook import Notebook
from app.errors import KithError, StoreBusy
from app.tui.capture import CaptureScreen
from app.tui.commands import KithCommands
from app.tui.dialogs import ErrorScreen
from app.tui.messages import ModelStatus


def _search():
    from app.tui.search import SearchScreen

    return SearchScreen()


def _matches():
    from app.tui.matches import MatchesScreen

    return MatchesScreen()


def _followups():
    from app.tui.lists import FollowupsScreen

    return FollowupsScreen()


def _contacts():
    from app.tui.lists import ContactsScreen

    return ContactsScreen()


class KithApp(App[int]):
    """Capture after a call, search when looking for help, recap before a call."""

    TITLE = "Kith"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {KithCommands}
    MODES = {
        "capture": CaptureScreen,
        # Imported when first shown: only the capture screen is on the start-up path.
        "search": _search,
        "matches": _matches,
        "followups": _followups,
        "contacts": _contacts,
    }
    DEFAULT_MODE = "capture"
    BINDINGS = [
        Binding("f1", "help", "Help", id="app.help"),
        Binding("f2", "go('capture')", "Capture", id="app.capture"),
        Binding("f3", "go('search')", "Search", id="app.search"),
        Binding("f4", "go('matches')", "Matches", id="app.matches"),
        Binding("f5", "go('followups')", "Follow-ups", id="app.followups"),
        Binding("f6", "go('contacts')", "Contacts", id="app.contacts"),
    ]

    def __init__(self, notebook: Notebook, *, demo_notes: Path | None = None, load_model: bool = True,
                 today: Callable[[], dt.date] = dt.date.today):
        super().__init__()
        self.notebook = notebook
        self.today = today
        self.demo_notes = demo_notes
        self.load_model_on_start = load_model
        self.model_state = "loading model…"

    def on_mount(self) -> None:
        self.sub_title = self.model_state
        # Once the first screen is up: the model's import holds the GIL for seconds.
        self.call_after_refresh(self.start)

    @work(thread=True, exclusive=True, group="start", exit_on_error=False, description="Opening the store")
    def start(self) -> None:
        """Own the store, load the model, repair the index, understand what waited for the model."""
        try:
            self.notebook.take_ownership()
        except StoreBusy as e:
            self.call_from_thread(self._fatal, e.title, e.message)
            return
        if not self.load_model_on_start:
            return
        self.post_message(ModelStatus("loading"))
        try:
            self.notebook.load_model()
            self.notebook.open_index()
            self.post_message(ModelStatus("ready"))
            pending = self.notebook.understand_pending()
            if pending:
                self.call_from_thread(self.notify, f"Understood {pending} notes saved while the model loaded.")
            if self.demo_notes is not None:
                self.post_message(ModelStatus("ready", "loading the demo network…"))
                added = self.notebook.import_file(self.demo_notes)
                self.post_message(ModelStatus("ready", f"demo network: {added} notes"))
                self.call_from_thread(self._refresh_current)
        except KithError as e:
            self.post_message(ModelStatus("failed", e.message))

    def on_model_status(self, message: ModelStatus) -> None:
        labels = {"loading": "loading model…", "ready": "ready", "failed": "model unavailable"}
        self.model_state = labels[message.state]
        self.sub_title = self.model_state + (f" · {message.detail}" if message.detail else "")
        if message.state == "failed":
            self.notify(f"{message.detail}\nNotes are still saved and will be understood once the model loads.",
                        title="Model", severity="error", timeout=15)

    def _refresh_current(self) -> None:
        refresh = getattr(self.screen, "on_screen_resume", None)
        if refresh:
            refresh()

    def _fatal(self, title: str, message: str) -> None:
        self.push_screen(ErrorScreen(title, message), lambda _: self.exit(1))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Any worker that fails becomes a message, never a traceback."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            title = getattr(error, "title", "Something went wrong")
            text = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
            self.notify(text, title=title, severity="error", timeout=10)

    def go(self, mode: str) -> None:
        if mode == "help":
            self.action_help()
            return
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.switch_mode(mode)

    def action_go(self, mode: str) -> None:
        self.go(mode)

    def action_help(self) -> None:
        from app.tui.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def on_unmount(self) -> None:
        self.notebook.close()


def make_app(notebook: Notebook, *, demo_notes: Path | None = None, load_model: bool = True,
             today: Callable[[], dt.date] = dt.date.today) -> KithApp:
    """The one factory: `kith`, `kith demo` and the tests all build the app here."""
    return KithApp(notebook, demo_notes=demo_notes, load_model=load_model, today=today)
