"""The notebook: every use case the app needs, on one store, safe to call from worker threads."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ParamSpec, TypeVar

from app.config import Settings
from app.core.drafts import Drafts
from app.store.embedder import Embedder
from app.store.store import Store
from models import Contact, Decision, Item, Kind, Match, NoteIn, Recap, SearchHit


@dataclass
class Today:
    """What the Today screen shows."""

    waiting: list
    """app.core.funnel.Waiting: connected and not yet offered a coffee; offered with no answer after a week."""
    followups: list[Item]
    birthdays: list
    """app.core.keeping.Reminder"""
    losing_touch: list
    weeks: list[dict]
    """The funnel's last weeks: week, invited, connected, offered, met."""


@dataclass(frozen=True)
class Added:
    """What an import added: how many, of what ("people", "notes")."""

    count: int
    what: str

    def __str__(self) -> str:
        return f"{self.count} {self.what}"


MATCHES_SHOWN = 1000
"""The matches screen lists the best this many (a large network has tens of thousands)."""
P = ParamSpec("P")
T = TypeVar("T")


def _serialised(method: Callable[P, T]) -> Callable[P, T]:
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        with args[0]._lock:  # type: ignore[attr-defined]
            return method(*args, **kwargs)

    wrapper.__doc__ = method.__doc__
    wrapper.__name__ = method.__name__
    return wrapper


class Notebook:
    """Kith's use cases over one store; one call at a time, from any thread."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.store = Store(settings, embedder)
        self.drafts = Drafts(self.store.home)
        self._lock = threading.RLock()
        self._seen_version: int | None = None
        self._closed = False

    @property
    def home(self) -> Path:
        return self.store.home

    @property
    def model_ready(self) -> bool:
        return self.store.embedder.loaded

    def close(self) -> None:
        with self._lock:
            self.store.close()
            self._closed = True

    def load_model(self, notice: Callable[[str], None] | None = None) -> None:
        """Load the embedding model, the kind encoder the sentence classifier reads, the pair encoder and the query
        encoder search reads with (a fraction of a second; a few seconds the very first time, which notice is told
        of). Call it from a worker."""
        from app.core.search import shipped_weights

        embedder = self.store.embedder
        encoders = [embedder, embedder.kind_encoder(), embedder.pair_encoder(),
                    embedder.query_encoder() if shipped_weights().paired else None]
        for encoder in filter(None, encoders):
            if notice is not None:
                encoder.notice = notice
            encoder.load()

    @property
    def index_unreachable(self) -> str | None:
        """Why the index server could not be reached at the last save (notes are saved and wait), or None."""
        return self.store.unreachable.message if self.store.unreachable else None

    @property
    def on_team_server(self) -> bool:
        """The index is on a team's server (stories can be shared)."""
        return self.store.on_server

    @_serialised
    def share(self, item_id: int) -> str | None:
        """Share a story with the team: None once sent, else why it waits (it is sent when the server is back)."""
        from app.core.team import share

        share(self.store, item_id)
        return self.index_unreachable

    @_serialised
    def open_index(self) -> int:
        """Open (and repair) the vector index; returns how many items it holds."""
        return self.store.index().count()

    @_serialised
    def understand_pending(self) -> int:
        from app.core.capture import understand_pending

        return understand_pending(self.store)

    def read_again(self) -> int:
        """Read again the notes an older version of Kith read (the problems and stories of a note kept as read
        get the pair encoder's vectors: `fill_paired`), then score every match pair again; returns how many notes.
        Other calls wait for one batch at most, not for all of them."""
        from app.core.capture import fill_paired
        from app.core.matching import refresh_pairs
        from app.core.rereading import read_batches

        done = 0
        batches = read_batches(self.store)
        while True:
            with self._lock:
                read = None if self._closed else next(batches, None)  # the app quit meanwhile: stop
            if read is None:
                break
            done += read
        with self._lock:
            if not self._closed and (fill_paired(self.store) or done):
                refresh_pairs(self.store.db)
        return done

    @_serialised
    def read_by_older(self) -> int:
        """How many notes an older version of Kith read (a note with a story shared with the team counts not)."""
        from app.core.rereading import stale

        return stale(self.store)[0]

    @_serialised
    def contacts(self) -> list[Contact]:
        """Every contact, with what the lists and completion show."""
        return self.store.db.contacts(brief=True)

    @_serialised
    def find_contact(self, name: str) -> Contact | None:
        return self.store.db.find_contact(name)

    @_serialised
    def save_note(self, note: NoteIn, details: dict[str, str | None] | None = None) -> int:
        """Store a note (understood now if the model is ready, else later); returns items understood."""
        from app.core.capture import save_notes

        if details and self.store.db.find_contact(note.contact) is None:
            with self.store.db.transaction():
                self.store.db.ensure_contact(note.contact, **details)
        return save_notes(self.store, [note], understand=self.model_ready).items

    @_serialised
    def import_file(self, path: Path) -> Added:
        """Import a contact file (people added) or a notes file (notes added)."""
        from app.core.capture import read_notes_file, save_notes
        from app.core.contact_files import read_contact_file
        from app.core.people import import_people

        people = read_contact_file(path)
        if people is not None:
            return Added(import_people(self.store.db, people).added, "people")
        return Added(save_notes(self.store, read_notes_file(path)).notes_added, "notes")

    @_serialised
    def import_demo(self, today: dt.date) -> list[Added]:
        """Import the demo network as of today (app.core.demo)."""
        from app.core.demo import import_demo

        people, notes = import_demo(self.store, today)
        return [Added(people, "people"), Added(notes, "notes")]

    def preview(self, text: str, date: dt.date, contact: str | None):
        from app.core.preview import preview

        with self._lock:
            return preview(self.store, text, date, contact)

    @_serialised
    def search(self, query: str, kind: Kind | None = None, limit: int = 60) -> list[SearchHit]:
        from app.core.search import search

        return search(self.store, query, limit=limit, kind=kind)

    @_serialised
    def matches(self) -> list[Match]:
        from app.core.matching import find_matches

        return find_matches(self.store.db, limit=MATCHES_SHOWN)

    @_serialised
    def decide(self, match: Match, decision: Decision | None) -> None:
        self.store.db.decide(match.problem.item_id, match.solution.item_id, decision)

    @_serialised
    def recap(self, name: str) -> Recap:
        from app.core.recap import recap

        return recap(self.store.db, name)

    @_serialised
    def followups(self, include_all: bool = True) -> list[Item]:
        from app.core.recap import followups

        return followups(self.store.db, include_all=include_all)

    @_serialised
    def reminders(self, today: dt.date) -> list:
        """Birthdays this week and who is due a touch (app.core.keeping.Reminder), by day."""
        from app.core.keeping import birthdays, losing_touch

        found = [*birthdays(self.store.db, today), *losing_touch(self.store.db, today)]
        return sorted(found, key=lambda r: (r.due, r.contact))

    @_serialised
    def set_done(self, item_id: int, done: bool) -> None:
        self.store.db.set_done(item_id, done)

    @_serialised
    def update_contact(self, contact: Contact) -> None:
        self.store.db.update_contact(contact)

    @_serialised
    def changed_elsewhere(self) -> bool:
        """Another process (`kith add` from a script, another window) committed since the last call."""
        version = self.store.db.data_version()
        changed = self._seen_version is not None and version != self._seen_version
        self._seen_version = version
        return changed

    @_serialised
    def today(self, today: dt.date) -> Today:
        """The daily routine: who to offer a coffee, follow-ups due, birthdays, losing touch, the funnel."""
        from app.core.funnel import funnel, waiting
        from app.core.keeping import birthdays, losing_touch
        from app.core.recap import followups

        db = self.store.db
        return Today(waiting=waiting(db, today), followups=followups(db, today=today),
                     birthdays=birthdays(db, today), losing_touch=losing_touch(db, today),
                     weeks=funnel(db, today)["weeks"])

    @_serialised
    def offered(self, name: str, today: dt.date) -> None:
        """The user offered this contact a coffee (outside Kith): the funnel moves them on."""
        from app.core.funnel import set_stage
        from models import Stage

        set_stage(self.store.db, name, Stage.OFFERED, today)

    @_serialised
    def introduce(self, match: Match, step: str | None, today: dt.date):
        """The introduction of the match's two people: where it is (step None, started if new), or moved to step.
        Returns app.core.intros.Intro."""
        from app.core.intros import advance

        return advance(self.store.db, match.problem.contact, match.solution.contact, step, today)

    @_serialised
    def touched(self, name: str, today: dt.date) -> None:
        from app.core.keeping import touch

        touch(self.store.db, name, today, "logged in the app")

