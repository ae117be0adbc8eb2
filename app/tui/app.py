"""The Kith app: one factory builds it for the command line and for the tests."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from app.core.drafts import Drafts
from app.core.phrasing import counted
from app.errors import IndexUnreachable, KithError
from app.tui.capture import CaptureScreen
from app.tui.commands import KithCommands
from app.tui.dialogs import ErrorScreen
from app.tui.messages import ContactsRead, ModelStatus

if TYPE_CHECKING:
    # The store, the models and pydantic cost ~0.4 s to import: `kith` opens the store in a worker,
    # after the first screen is drawn, and nothing of it is imported before.
    from app.core.notebook import Notebook
    from app.tui.names import NameIndex
    from models import Contact

Opener = Callable[[], "Notebook"]
FIRST_PAINT_AT_THE_LATEST = 1.0
"""Seconds after mounting when the store is opened even if the first refresh was never reported."""
WATCH_EVERY = 2.0
"""Seconds between looks at the store for another process's writes (one PRAGMA: microseconds)."""


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


def _today():
    from app.tui.today import TodayScreen

    return TodayScreen()




class KithApp(App[int]):
    """Capture after a call, search when looking for help, recap before a call."""

    TITLE = "Kith"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {KithCommands}
    SCREENS = {
        # Imported and built when first shown: only the capture screen is on the start-up path.
        "search": _search,
        "matches": _matches,
        "followups": _followups,
        "contacts": _contacts,
        "today": _today,
    }
    """The screens of F3-F7, each shown over the capture screen (the app's first, always at the bottom).

    Not Textual's MODES: starting in a mode re-parses every stylesheet before the first paint (~0.1 s).
    """
    BINDINGS = [
        Binding("f1", "help", "Help", id="app.help"),
        Binding("f2", "go('capture')", "Capture", id="app.capture"),
        Binding("f3", "go('search')", "Search", id="app.search"),
        Binding("f4", "go('matches')", "Matches", id="app.matches"),
        Binding("f5", "go('followups')", "Follow-ups", id="app.followups"),
        Binding("f6", "go('contacts')", "Contacts", id="app.contacts"),
        Binding("f7", "go('today')", "Today", id="app.today"),
    ]

    def __init__(self, notebook: Notebook | Opener, *, home: Path | None = None,
                 demo: bool = False, load_model: bool = True,
                 today: Callable[[], dt.date] = dt.date.today):
        super().__init__()
        if callable(notebook):
            if home is None:
                raise ValueError("an app that opens its store after the first paint needs the store's home")
            self._opener: Opener | None = notebook
            self._notebook: Notebook | None = None
            self.drafts = Drafts(home)
        else:
            self._opener, self._notebook = None, notebook
            self.drafts = notebook.drafts
        self._store_ready = threading.Event()
        """Set once the store is open, or could not be (then _store_error says why)."""
        if self._notebook is not None:
            self._store_ready.set()  # opened by the caller: a screen shown before the first paint need not wait
        self._store_error: KithError | None = None
        self._store_guard = threading.Lock()
        self._quitting = False
        self.today = today
        self.demo = demo
        """Load the demo network (app.core.demo) once the model is ready."""
        self.load_model_on_start = load_model
        self.model_state = "loading model…"
        self.painted = False
        """The first screen is drawn: the footer's keys wait for it (app.tui.footer)."""
        self.known_contacts: tuple[list[Contact], NameIndex] | None = None
        """The contacts as last read, with their names indexed, shared by the screens that list them (reading
        10,000 takes half a second of the GIL); None until read, and again after a change."""
        self.contacts_version = 0
        """Counts the changes to the contacts: a read that began before a change is not kept."""
        self.contacts_at_start = True
        """Until the start worker has read the contacts (before the vectors), the capture screen leaves it to it."""

    # ------------------------------------------------------------------ store

    @property
    def notebook(self) -> Notebook:
        """The store's use cases. A worker that asks before the store is open waits for it (so a note
        saved in the first instant is saved once the store opens); the app's own thread never waits."""
        if not self._store_ready.is_set():
            if threading.get_ident() != self._thread_id:
                self._store_ready.wait()
            elif self._notebook is None:
                raise RuntimeError("the store is not open yet: use it from a worker, or check store_open")
        if self._store_error is not None:
            raise self._store_error
        assert self._notebook is not None
        return self._notebook

    def wait_for_store(self) -> Notebook | None:
        """From a worker: the notebook once the store is open, or None if it could not be (the user is told)."""
        try:
            return self.notebook
        except KithError:  # the store's own error, already on screen
            return None

    @property
    def store_open(self) -> bool:
        """The store is open."""
        return self._store_ready.is_set() and self._store_error is None

    @property
    def model_ready(self) -> bool:
        """The embedding model is loaded: notes are understood as they are saved."""
        return self.store_open and self.notebook.model_ready

    def on_mount(self) -> None:
        self.sub_title = self.model_state
        self.call_after_refresh(self._first_paint)
        self.set_timer(FIRST_PAINT_AT_THE_LATEST, self._first_paint)  # a screen pushed at once may skip that refresh
        self.set_interval(WATCH_EVERY, self._watch)

    def _first_paint(self) -> None:
        """The first screen is drawn: now the footer's keys, then the store and the model (whose imports
        hold the GIL for a while) in workers."""
        if self.painted or not self.screen_stack:  # quit before it: the timer fires as the app closes
            return
        self.painted = True
        self.screen.refresh_bindings()
        self.start()
        if self.load_model_on_start:
            self._load_model()

    @work(thread=True, exclusive=True, group="start", exit_on_error=False, description="Opening the store")
    def start(self) -> None:
        """Open the store, read the contacts for completion, then the vectors for search.

        The vectors come after the contacts, not beside them: both hold the GIL, and beside each other
        completion came as late as the two together.
        """
        notebook = self._open_store()
        if notebook is None:
            return
        notebook.changed_elsewhere()  # the version seen at start
        self._read_contacts(notebook)
        if self.load_model_on_start:
            self._open_index(notebook)

    @work(thread=True, exclusive=True, group="model", exit_on_error=False, description="Loading the model")
    def _load_model(self) -> None:
        """Load the model, then understand the notes that waited for it (and load the demo network).

        `kith` starts loading it as it opens the store (app.tui.launch), beside the store's imports: by the
        time the store is open, the model is nearly loaded, and its session is built outside the GIL.
        """
        notebook = self.wait_for_store()
        if notebook is None:
            return
        self.post_message(ModelStatus("loading"))
        try:
            notebook.load_model(notice=lambda text: self.post_message(ModelStatus("loading", text)))
            self.post_message(ModelStatus("ready"))
            pending = notebook.understand_pending()
            if pending:
                self.call_from_thread(self.notify, f"Understood {pending} notes saved while the model loaded.")
            self._read_again(notebook)
            if self.demo:
                self.post_message(ModelStatus("ready", "loading the demo network…"))
                added = notebook.import_demo(self.today())
                self.post_message(ModelStatus("ready", "demo network"))
                self.call_from_thread(self.notify, f"Loaded the demo network: {', '.join(map(str, added))}.")
                self.call_from_thread(self.contacts_changed)
                self.call_from_thread(self._refresh_current)
        except KithError as e:
            self.post_message(ModelStatus("failed", e.message))

    def _read_again(self, notebook: Notebook) -> None:
        """Notes an older version of Kith read are read again (on a team's server `kith reindex` does it, which
        rebuilds the server's copy too: the app says so)."""
        older = notebook.read_by_older()
        if not older:
            return
        if notebook.on_team_server:
            self.call_from_thread(self.notify, f"{counted(older, 'note')} read by an older version of Kith: "
                                  "`kith reindex` reads them again.", timeout=15)
            return
        self.post_message(ModelStatus("ready", f"reading {counted(older, 'note')} again…"))
        try:
            done = notebook.read_again()
        except KithError as e:  # another process holds the store: the next start reads them
            self.post_message(ModelStatus("ready"))
            self.call_from_thread(self.notify, f"Notes read by an older Kith wait to be read again: {e.message}",
                                  severity="warning", timeout=10)
            return
        self.post_message(ModelStatus("ready"))
        if done:  # none when another process read them first
            self.call_from_thread(self.notify, f"Read {counted(done, 'note')} again with this version of Kith: "
                                  "ticked follow-ups, matches marked and introductions kept.")
            self.call_from_thread(self._refresh_current)

    def _read_contacts(self, notebook: Notebook) -> None:
        """The start's read of the contacts, for completion (and the contacts screen)."""
        from app.tui.names import NameIndex

        version = self.contacts_version
        try:
            contacts = notebook.contacts()
            names = NameIndex(contacts)
        except Exception:  # the capture screen reads them again, and says why if that fails too
            self.post_message(ContactsRead(version, None, None))
            return
        self.post_message(ContactsRead(version, contacts, names))

    def on_contacts_read(self, message: ContactsRead) -> None:
        self.contacts_at_start = False
        capture = self.screen_stack[0]
        assert isinstance(capture, CaptureScreen)
        if message.contacts is not None and message.names is not None:
            capture.post_message(CaptureScreen.NamesLoaded(message.version, message.contacts, message.names))
        if message.names is None or message.version != self.contacts_version:  # failed, or changed since
            capture.refresh_contacts()

    def _open_index(self, notebook: Notebook) -> None:
        """The vectors read into memory (the first search need not wait for them), or the index server reached."""
        try:
            notebook.open_index()
        except IndexUnreachable as e:  # notes are still saved, and indexed when it is back
            self.call_from_thread(self.notify, f"{e.message}: notes are saved and indexed when it is back.",
                                  title=e.title, severity="warning", timeout=10)
        except KithError as e:  # a refused token, a server of another version: saving says so again
            self.call_from_thread(self.notify, e.message, title=e.title, severity="error", timeout=15)

    def _open_store(self) -> Notebook | None:
        """The notebook, open; None (after telling the user) when it cannot be, or the app closed."""
        notebook = self._notebook
        try:
            if notebook is None:
                assert self._opener is not None
                notebook = self._opener()
        except Exception as e:  # a busy store, bad settings, an unreadable database: the user must read why
            error = e if isinstance(e, KithError) else KithError(f"{type(e).__name__}: {e}",
                                                                 title="Cannot open the store")
            with self._store_guard:
                self._store_error = error
                self._store_ready.set()
            if notebook is not None and notebook is not self._notebook:
                notebook.close()
            self.call_from_thread(self._fatal, error.title, error.message)
            return None
        with self._store_guard:
            if self._quitting:  # quit while the store was opening
                notebook.close()
                return None
            self._notebook = notebook
            self._store_ready.set()
        return notebook

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False, description="Watching the store")
    def _watch(self) -> None:
        """Notes added by another process (`kith add` from a script) show here within seconds."""
        if self.store_open and self.notebook.changed_elsewhere():
            self.call_from_thread(self.contacts_changed)
            self.call_from_thread(self._refresh_current)
            self.call_from_thread(self.notify, "New notes or contacts from another Kith process.", timeout=4)

    # --------------------------------------------------------------- contacts

    def contacts_changed(self) -> None:
        """A contact was added or edited, here or by another process: the screens read the contacts again
        when next shown."""
        self.contacts_version += 1
        self.known_contacts = None

    def remember_contacts(self, version: int, contacts: list[Contact], names: NameIndex) -> None:
        """Keep the contacts a screen read, unless they changed since the read began."""
        if version == self.contacts_version:
            self.known_contacts = contacts, names

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
        self.report_worker(event)

    def report_worker(self, event: Worker.StateChanged) -> None:
        """Any worker that fails becomes a message, never a traceback (the screens send theirs here)."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            if error is self._store_error:  # a worker that waited for a store that never opened: said once
                return
            title = getattr(error, "title", "Something went wrong")
            text = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
            self.notify(text, title=title, severity="error", timeout=10)

    def get_default_screen(self) -> CaptureScreen:
        return CaptureScreen()

    def go(self, target: str) -> None:
        """Show a screen by name ("capture", a name of SCREENS, or "help"), from wherever the user is."""
        if target == "help":
            self.action_help()
            return
        if target == "capture" or self.screen is not self.get_screen(target):
            while len(self.screen_stack) > 1:
                self.pop_screen()
            if target != "capture":
                self.push_screen(target)
        arrived = getattr(self.get_screen(target), "arrived", None) if target != "capture" else None
        if arrived is not None:  # a screen that readies itself each time it is gone to (search: the query)
            arrived()

    def action_go(self, target: str) -> None:
        self.go(target)

    def action_help(self) -> None:
        from app.tui.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def on_unmount(self) -> None:
        with self._store_guard:
            self._quitting = True
            if self._notebook is not None:
                self._notebook.close()
            if not self._store_ready.is_set():  # workers still waiting for the store give up
                self._store_error = KithError("Kith closed before the store was open.")
                self._store_ready.set()


def make_app(notebook: Notebook | Opener, *, home: Path | None = None, demo: bool = False,
             load_model: bool = True, today: Callable[[], dt.date] = dt.date.today) -> KithApp:
    """The one factory: `kith`, `kith demo` and the tests all build the app here.

    notebook is an open Notebook, or (for `kith`, whose first screen must not wait for the store) a
    function that opens one, called in a worker after the first paint; home is then the store's
    folder, where the draft to offer back is read before the first paint.
    """
    return KithApp(notebook, home=home, demo=demo, load_model=load_model, today=today)
