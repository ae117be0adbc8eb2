"""The system of record: SQLite (WAL, migrations on open, transactions)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import TypeAdapter

from app.errors import KithError, NotFound, StoreBusy
from app.store.embedder import DIMENSIONS, paired_rows
from models import Contact, Decision, Item, Kind, Note
from models.contact import normalise_name

if TYPE_CHECKING:
    import numpy as np

MIGRATIONS = [
    """
    CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        key TEXT NOT NULL UNIQUE,
        company TEXT, role TEXT, location TEXT, how_met TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        contact_id INTEGER NOT NULL REFERENCES contacts(id),
        date TEXT NOT NULL,
        text TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]',
        digest TEXT NOT NULL UNIQUE,
        understood INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE INDEX notes_contact ON notes(contact_id, date);
    CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
        contact_id INTEGER NOT NULL REFERENCES contacts(id),
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        position INTEGER NOT NULL,
        due TEXT,
        done INTEGER NOT NULL DEFAULT 0,
        confidence REAL NOT NULL DEFAULT 1.0,
        embedding BLOB
    );
    CREATE INDEX items_note ON items(note_id);
    CREATE INDEX items_contact ON items(contact_id, kind);
    CREATE INDEX items_kind ON items(kind);
    CREATE VIRTUAL TABLE items_fts USING fts5(text, content='items', content_rowid='id',
                                              tokenize='porter unicode61 remove_diacritics 2');
    CREATE TRIGGER items_ai AFTER INSERT ON items BEGIN
        INSERT INTO items_fts(rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER items_ad AFTER DELETE ON items BEGIN
        INSERT INTO items_fts(items_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    CREATE TABLE decisions (
        problem_item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        solution_item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        decision TEXT NOT NULL,
        decided_at TEXT NOT NULL DEFAULT (datetime('now')),
        PRIMARY KEY (problem_item_id, solution_item_id)
    );
    """,
    # 2: the sentence embeddings of a multi-sentence item, for asymmetric matching.
    """
    ALTER TABLE items ADD COLUMN parts BLOB;
    """,
    # 3: the problem–solution pairs that may be shown, scored when items are written (derived data).
    """
    CREATE TABLE pairs (
        problem_item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        solution_item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        problem_contact_id INTEGER NOT NULL,
        solution_contact_id INTEGER NOT NULL,
        similarity REAL NOT NULL,
        shown INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (problem_item_id, solution_item_id)
    ) WITHOUT ROWID;
    CREATE INDEX pairs_solution ON pairs(solution_item_id);
    CREATE INDEX pairs_shown ON pairs(shown, similarity);
    CREATE INDEX pairs_problem_contact ON pairs(problem_contact_id);
    CREATE INDEX pairs_solution_contact ON pairs(solution_contact_id);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 4: the networker's routine: where a contact came from and how to reach them, the funnel's
    # events, keeping in touch, introductions. A contact's key stays unique: a second person of the
    # same name (another LinkedIn profile) is keyed by name and profile.
    """
    ALTER TABLE contacts ADD COLUMN linkedin_url TEXT;
    ALTER TABLE contacts ADD COLUMN emails TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE contacts ADD COLUMN phones TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE contacts ADD COLUMN birthday TEXT;
    ALTER TABLE contacts ADD COLUMN connected_on TEXT;
    ALTER TABLE contacts ADD COLUMN source TEXT;
    ALTER TABLE contacts ADD COLUMN stage TEXT;
    ALTER TABLE contacts ADD COLUMN cadence_days INTEGER;
    CREATE INDEX contacts_url ON contacts(linkedin_url);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT,
        origin TEXT UNIQUE
    );
    CREATE INDEX events_contact ON events(contact_id, kind, day);
    CREATE INDEX events_kind ON events(kind, day);
    CREATE TABLE tag_cadence (tag TEXT PRIMARY KEY, days INTEGER NOT NULL);
    CREATE TABLE intros (
        id INTEGER PRIMARY KEY,
        problem_contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        solver_contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        problem_item_id INTEGER REFERENCES items(id) ON DELETE SET NULL,
        solution_item_id INTEGER REFERENCES items(id) ON DELETE SET NULL,
        step TEXT NOT NULL,
        history TEXT NOT NULL DEFAULT '[]',
        UNIQUE (problem_contact_id, solver_contact_id)
    );
    """,
    # 5: the index on a server: which items it has (with the contact they were sent under; a merge sends
    # them again). Only server mode reads it.
    """
    ALTER TABLE items ADD COLUMN indexed INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX items_unindexed ON items(id) WHERE indexed = 0;
    """,
    # 6: a story the user shares with the team: 0 kept, 1 to be shared, 2 shared, -1 to be withdrawn.
    """
    ALTER TABLE items ADD COLUMN shared INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX items_shared ON items(id) WHERE shared != 0;
    """,
    # 7: whether a note records a conversation (a call, a coffee), which means met; NULL for a note saved before
    # Kith asked, which counts as it always did.
    """
    ALTER TABLE notes ADD COLUMN conversation INTEGER;
    """,
    # 8: each item's probability of every kind (models.Kind's order), not only of its own: how far it answers
    # what a search asks for. NULL for an item understood before.
    """
    ALTER TABLE items ADD COLUMN kinds BLOB;
    """,
    # 9: each item's word-pieces in context, projected (app.core.pieces): ids (int32) and vectors (float16),
    # NULL for an item understood before (`kith reindex` fills them); and a problem's similarity to the last of
    # the stories its word-pieces are compared with (app.core.matching.CANDIDATES; derived data).
    """
    ALTER TABLE items ADD COLUMN piece_ids BLOB;
    ALTER TABLE items ADD COLUMN pieces BLOB;
    ALTER TABLE items ADD COLUMN candidate_floor REAL;
    """,
    # 10: what a note's items were read with (app.core.understand.reading_version); NULL for a note read before
    # Kith kept it, which `kith reindex` reads again.
    """
    ALTER TABLE notes ADD COLUMN reading TEXT;
    """,
    # 11: a problem's or a story's vector as the pair encoder reads it (float32; Embedder.pair_vectors), NULL for
    # every other item and for one read before (a note read again gets it; one kept as read, capture.fill_paired).
    """
    ALTER TABLE items ADD COLUMN paired BLOB;
    """,
    # 12: a pair's score as shown, its similarity lowered where its story lies near many problems
    # (app.core.matching.locally_scaled), and a story's best pair similarities, which tell how near it lies
    # (float32; derived data, NULL for any other item); pairs scored before are scored again (matching.PAIRS_VERSION).
    """
    ALTER TABLE items ADD COLUMN best_pairs BLOB;
    ALTER TABLE pairs ADD COLUMN score REAL NOT NULL DEFAULT 0;
    DROP INDEX pairs_shown;
    CREATE INDEX pairs_shown ON pairs(shown, score);
    """,
]
KEPT, TO_SHARE, SHARED, TO_WITHDRAW = 0, 1, 2, -1
"""items.shared: a story kept in the home, to be shared with the team, shared, to be withdrawn."""

_CONTACTS = TypeAdapter(list[Contact])
KINDS = {kind.value: kind for kind in Kind}
_NO_SHARED_STORY = "NOT EXISTS (SELECT 1 FROM items s WHERE s.note_id = n.id AND s.shared != 0)"
_JSON_IDS = "(SELECT value FROM json_each(?))"
"""Any number of ids bound as one JSON array (SQLite allows 32,766 variables in a statement)."""
KIND_CODES = {kind: code for code, kind in enumerate(Kind)}
"""Kinds as small integers, for filtering a numpy column."""
WORD_SEARCH_SPLIT = 20_000
"""From this many items on, a word search ranks two halves of them side by side (each on its own connection)."""
_RANKED = "SELECT rowid, bm25(items_fts) AS rank FROM items_fts WHERE items_fts MATCH ? {} ORDER BY rank LIMIT ?"
_AMONG = "AND +rowid IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)"
"""Only these items are ranked ('+': not a rowid lookup per item, which would have BM25 read its statistics anew)."""


def _ranked(reader: sqlite3.Connection, where: str, args: tuple) -> list[tuple[int, float]]:
    return reader.execute(_RANKED.format(where), args).fetchall()


def _words(text: str) -> list[str]:
    """The words of text as the word search takes them: letters and digits, two or more."""
    return [w for w in "".join(ch if ch.isalnum() else " " for ch in text).split() if len(w) > 1]


def _any_of(words: list[str]) -> str:
    """An FTS5 query for items with any of these words."""
    return " OR ".join(f'"{w}"' for w in words)

_ITEM_SELECT = """
    SELECT i.id, i.note_id, i.contact_id, c.name AS contact, i.kind, i.text, i.position,
           n.date, i.due, i.done, i.confidence
    FROM items i JOIN notes n ON n.id = i.note_id JOIN contacts c ON c.id = i.contact_id
"""


def _statements(script: str) -> Iterator[str]:
    """The complete SQL statements of a script (triggers hold semicolons of their own)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""


def _blob(vectors: np.ndarray | None) -> bytes | None:
    import numpy as np  # ~70 ms to import: kept off the app's start-up path

    return None if vectors is None else np.asarray(vectors, dtype=np.float32).tobytes()


def _piece_blobs(pieces: tuple[np.ndarray, np.ndarray] | None) -> tuple[bytes | None, bytes | None]:
    import numpy as np

    if pieces is None:
        return None, None
    return np.asarray(pieces[0], dtype=np.int32).tobytes(), np.asarray(pieces[1], dtype=np.float16).tobytes()


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _item(row: sqlite3.Row) -> Item:
    return Item(
        id=row["id"], note_id=row["note_id"], contact_id=row["contact_id"], contact=row["contact"],
        kind=Kind(row["kind"]), text=row["text"], position=row["position"], date=_day(row["date"]),
        due=_day(row["due"]), done=bool(row["done"]), confidence=row["confidence"],
    )


CONTACT_COLUMNS = ("id", "name", "company", "role", "location", "how_met", "tags", "linkedin_url", "emails",
                   "phones", "birthday", "connected_on", "source", "stage", "cadence_days")
_JSON_COLUMNS = {"tags", "emails", "phones"}


def _contact_json(columns: tuple[str, ...]) -> str:
    """SQL that writes each contact as one JSON object of these columns and when they last met (SQLite writes
    it, pydantic reads it without Python per field)."""
    fields = ", ".join(f"'{c}', json(c.{c})" if c in _JSON_COLUMNS else f"'{c}', c.{c}" for c in columns)
    return f"json_object({fields}, 'last_met', (SELECT max(date) FROM notes WHERE contact_id = c.id)) FROM contacts c"


_EVERY_FIELD = _contact_json(CONTACT_COLUMNS)
_BRIEF = _contact_json(CONTACT_COLUMNS[:7])
"""What lists and completion show: id, name, company, role, location, how met, tags, last met."""


class Database:
    """Contacts, notes, items, follow-ups and match decisions in one SQLite file."""

    def __init__(self, path: Path, busy_timeout: float = 30.0, *, in_memory: bool = False):
        """The database at path; in_memory: a copy of it in memory (empty when there is none), migrated there,
        which a dry run may change without writing a byte to the home."""
        self.path = path
        self._readers: list[sqlite3.Connection] = []
        try:
            self.conn = sqlite3.connect(":memory:" if in_memory else path, isolation_level=None,
                                        check_same_thread=False, timeout=busy_timeout)
            if in_memory and path.exists():
                # Read-only; immutable when no process has it open (no -wal): then not even a -shm is made.
                live = path.with_name(f"{path.name}-wal").exists()
                source = sqlite3.connect(f"{path.resolve().as_uri()}?{'mode=ro' if live else 'immutable=1'}",
                                         uri=True, timeout=busy_timeout)
                try:
                    source.backup(self.conn)
                finally:
                    source.close()
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as e:
            raise KithError(f"the database {path} cannot be opened: {e}", title="Store") from e

    def close(self) -> None:
        for reader in self._readers:
            reader.close()
        self.conn.close()

    def reader(self, n: int = 0) -> sqlite3.Connection:
        """Read-only connections besides the first: a word search on them runs beside other work on it."""
        while len(self._readers) <= n:
            self._readers.append(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False,
                                                 timeout=10))
        return self._readers[n]

    def _migrate(self) -> None:
        if self.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS):
            return
        with self.transaction():  # the version read under the write lock: two new processes migrate once
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in _statements(script):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version={number}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: commit on success, roll back on any error."""
        if self.conn.in_transaction:
            yield self.conn
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")  # waits (busy_timeout) for another process's write
        except sqlite3.OperationalError as e:
            raise StoreBusy(f"the store {self.path.parent} is busy with another Kith process's write ({e}); "
                            "try again in a moment") from None
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # ---------------------------------------------------------------- contacts

    def _contacts(self, where: str = "", args: tuple = (), select: str = _EVERY_FIELD) -> list[Contact]:
        """Contacts validated as one list from the JSON objects SQLite writes (_contact_json)."""
        cursor = self.conn.cursor()
        cursor.row_factory = None
        rows = cursor.execute(f"SELECT {select} {where}", args)
        return _CONTACTS.validate_json(f"[{','.join(row[0] for row in rows)}]")

    def contacts(self, *, brief: bool = False) -> list[Contact]:
        """Every contact, by name; brief: only what lists and completion show (_BRIEF), the other fields left
        empty (10,000 contacts: 0.13 s brief, 0.18 s whole)."""
        return self._contacts("ORDER BY c.name COLLATE NOCASE, c.id", select=_BRIEF if brief else _EVERY_FIELD)

    def find_contact(self, name: str) -> Contact | None:
        """The contact of this name (the first one, when a second person of the name was imported)."""
        found = self._contacts("WHERE c.key = ? LIMIT 1", (normalise_name(name),))
        return found[0] if found else None

    def contact(self, name: str) -> Contact:
        found = self.find_contact(name)
        if found is None:
            from app.core.same_person import meant, said  # the fitted same-person scorer says whom they meant

            names = meant(name, self.names())
            hint = f"did you mean {said(names)}? " if names else ""
            raise NotFound(f"no contact named {name!r} ({hint}see `kith contacts`)")
        return found

    def names(self) -> list[str]:
        """Every contact's name."""
        return [r[0] for r in self.conn.execute("SELECT name FROM contacts")]

    def contacts_by_ids(self, ids: list[int]) -> list[Contact]:
        return self._contacts(f"WHERE c.id IN {_JSON_IDS}", (json.dumps(ids),))

    def mark_met(self, contact_ids: list[int]) -> None:
        """A note after a call means met (not for the user's own notes)."""
        self.conn.execute(f"UPDATE contacts SET stage = 'met' WHERE id IN {_JSON_IDS} AND key != 'me'",
                          (json.dumps(contact_ids),))

    def contact_by_id(self, contact_id: int) -> Contact:
        found = self._contacts("WHERE c.id = ?", (contact_id,))
        if not found:
            raise NotFound(f"no contact with id {contact_id}")
        return found[0]

    def contact_keys(self) -> list[tuple[int, str, str | None, list[str], str | None]]:
        """(id, key, LinkedIn URL, emails, company) of every contact: what an import matches people by."""
        rows = self.conn.execute("SELECT id, key, linkedin_url, emails, company FROM contacts")
        return [(r[0], r[1], r[2], json.loads(r[3]), r[4]) for r in rows]

    def ensure_contact(self, name: str, **fields: str | None) -> int:
        """The id of the contact with this name, created (with fields) when new."""
        key = normalise_name(name)
        row = self.conn.execute("SELECT id FROM contacts WHERE key = ?", (key,)).fetchone()
        if row:
            return int(row["id"])
        cur = self.conn.execute(
            "INSERT INTO contacts(name, key, company, role, location, how_met, source) VALUES (?,?,?,?,?,?,?)",
            (" ".join(name.split()), key, fields.get("company"), fields.get("role"),
             fields.get("location"), fields.get("how_met"), fields.get("source") or "typed"),
        )
        return int(cur.lastrowid or 0)

    def insert_contact(self, contact: Contact, key: str) -> int:
        """A new contact with every field (an import's person); key must be free."""
        data = contact.model_dump(mode="json")
        columns = ", ".join(CONTACT_COLUMNS[1:])
        cur = self.conn.execute(
            f"INSERT INTO contacts(key, {columns}) VALUES (?{', ?' * (len(CONTACT_COLUMNS) - 1)})",
            (key, *(json.dumps(data[c]) if c in _JSON_COLUMNS else data[c] for c in CONTACT_COLUMNS[1:])))
        return int(cur.lastrowid or 0)

    def key_taken(self, key: str) -> bool:
        return self.conn.execute("SELECT 1 FROM contacts WHERE key = ?", (key,)).fetchone() is not None

    def set_contact_fields(self, contact_id: int, **fields) -> None:
        """Set these columns of one contact (lists stored as JSON)."""
        if not fields:
            return
        unknown = set(fields) - set(CONTACT_COLUMNS[1:])
        if unknown:
            raise ValueError(f"not contact columns: {sorted(unknown)}")
        values = [json.dumps(v) if k in _JSON_COLUMNS else (v.isoformat() if isinstance(v, dt.date) else v)
                  for k, v in fields.items()]
        self.conn.execute(f"UPDATE contacts SET {', '.join(f'{k} = ?' for k in fields)} WHERE id = ?",
                          (*values, contact_id))

    def fill_contact(self, contact: Contact) -> None:
        """Give an existing contact the details it lacks (never overwrites what the user typed)."""
        found = self.find_contact(contact.name)
        if found is None or found.id is None:
            return
        data = contact.model_dump(mode="json")
        missing = {k: data[k] for k in CONTACT_COLUMNS[2:]
                   if data[k] not in (None, [], "") and getattr(found, k) in (None, [], "")}
        self.set_contact_fields(found.id, **missing)

    def update_contact(self, contact: Contact) -> None:
        with self.transaction():
            row = self.conn.execute("SELECT name, key FROM contacts WHERE id = ?", (contact.id,)).fetchone()
            if row is None:
                raise NotFound(f"no contact with id {contact.id}")
            renamed = normalise_name(row["name"]) != contact.key
            self.conn.execute("UPDATE contacts SET key = ? WHERE id = ?",
                              (contact.key if renamed else row["key"], contact.id))
            data = contact.model_dump(mode="json")
            self.set_contact_fields(contact.id, **{k: data[k] for k in CONTACT_COLUMNS[1:]})
            if row["name"] != contact.name:  # the team is told the solver's new name
                self.conn.execute("UPDATE items SET shared = 1 WHERE contact_id = ? AND shared = 2", (contact.id,))

    def delete_contact(self, contact_id: int) -> None:
        self.conn.execute("DELETE FROM contacts WHERE id = ?", (contact_id,))

    def move_contact(self, other: int, keep: int) -> int:
        """Give keep everything of other's (notes, items, events, pairs, intros); returns notes moved."""
        moved = self.conn.execute("UPDATE notes SET contact_id = ? WHERE contact_id = ?", (keep, other)).rowcount
        self.conn.execute("UPDATE items SET contact_id = ?, indexed = 0, shared = CASE shared WHEN 2 THEN 1 ELSE "
                          "shared END WHERE contact_id = ?", (keep, other))
        self.conn.execute("UPDATE events SET contact_id = ? WHERE contact_id = ?", (keep, other))
        for side in ("problem", "solution"):
            self.conn.execute(f"UPDATE pairs SET {side}_contact_id = ? WHERE {side}_contact_id = ?", (keep, other))
        self.conn.execute("DELETE FROM pairs WHERE problem_contact_id = solution_contact_id")
        for side in ("problem", "solver"):
            self.conn.execute(f"UPDATE OR IGNORE intros SET {side}_contact_id = ? WHERE {side}_contact_id = ?",
                              (keep, other))
        self.conn.execute("DELETE FROM intros WHERE problem_contact_id = solver_contact_id "
                          "OR ? IN (problem_contact_id, solver_contact_id)", (other,))
        return moved

    # ------------------------------------------------------------------- notes

    def has_note(self, digest: str) -> bool:
        return self.conn.execute("SELECT 1 FROM notes WHERE digest = ?", (digest,)).fetchone() is not None

    def insert_note(self, contact_id: int, date: dt.date, text: str, tags: list[str], digest: str,
                    understood: bool = True, conversation: bool | None = None, reading: str | None = None) -> int:
        """A note; conversation: whether it records a conversation with the contact (None: not asked); reading:
        what its items were read with (app.core.understand.reading_version)."""
        cur = self.conn.execute(
            "INSERT INTO notes(contact_id, date, text, tags, digest, understood, conversation, reading) "
            "VALUES (?,?,?,?,?,?,?,?)",
            (contact_id, date.isoformat(), text, json.dumps(tags), digest, int(understood),
             None if conversation is None else int(conversation), reading if understood else None),
        )
        return int(cur.lastrowid or 0)

    def mark_understood(self, note_id: int, reading: str) -> bool:
        """Mark a note understood, by this reading; False when it already was (another process got there first)."""
        return self.conn.execute("UPDATE notes SET understood = 1, reading = ? WHERE id = ? AND understood = 0",
                                 (reading, note_id)).rowcount > 0

    def read_otherwise(self, reading: str, limit: int | None = None) -> list[Note]:
        """The understood notes read by another reading than this one (the first `limit`), but for those with a
        story shared with the team (its copy there is known by its item's id)."""
        return self._notes(f"n.understood = 1 AND n.reading IS NOT ? AND {_NO_SHARED_STORY} ORDER BY n.id LIMIT ?",
                           (reading, -1 if limit is None else limit))

    def count_read_otherwise(self, reading: str) -> tuple[int, int]:
        """How many understood notes another reading read: (those `read_otherwise` gives, those it holds back)."""
        return self.conn.execute(
            f"SELECT coalesce(sum({_NO_SHARED_STORY}), 0), coalesce(sum(NOT {_NO_SHARED_STORY}), 0) FROM notes n "
            "WHERE n.understood = 1 AND n.reading IS NOT ?", (reading,)).fetchone()

    def set_reading(self, note_id: int, reading: str) -> int | None:
        """Record that a note was read again by this reading; its contact's id, or None when another process read
        it again meanwhile or shared a story of it with the team (which keeps its reading)."""
        row = self.conn.execute(
            "UPDATE notes SET reading = ? WHERE id = ? AND understood = 1 AND reading IS NOT ? "
            "AND id NOT IN (SELECT note_id FROM items WHERE shared != 0) RETURNING contact_id",
            (reading, note_id, reading)).fetchone()
        return None if row is None else int(row[0])

    def insert_item(self, note_id: int, contact_id: int, item: Item, embedding: np.ndarray | None,
                    parts: np.ndarray | None = None, kinds: np.ndarray | None = None,
                    pieces: tuple[np.ndarray, np.ndarray] | None = None, paired: np.ndarray | None = None) -> int:
        cur = self.conn.execute(
            "INSERT INTO items(note_id, contact_id, kind, text, position, due, done, confidence, embedding, parts, "
            "kinds, piece_ids, pieces, paired) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (note_id, contact_id, item.kind.value, item.text, item.position,
             item.due.isoformat() if item.due else None, int(item.done), item.confidence,
             _blob(embedding), _blob(parts), _blob(kinds), *_piece_blobs(pieces), _blob(paired)),
        )
        return int(cur.lastrowid or 0)

    def without_pieces(self, limit: int | None = None) -> list[tuple[int, str]]:
        """(id, text) of the items understood before their word-pieces were kept (the first `limit`)."""
        return [tuple(r) for r in self.conn.execute("SELECT id, text FROM items WHERE pieces IS NULL ORDER BY id "
                                                    "LIMIT ?", (-1 if limit is None else limit,))]

    def without_paired(self, limit: int | None = None) -> list[tuple[int, str]]:
        """(id, text) of the problems and stories read before the pair encoder's vectors were kept (the first
        `limit`): a note kept as it was read, its story being shared with the team."""
        return [tuple(r) for r in self.conn.execute(
            "SELECT id, text FROM items WHERE paired IS NULL AND kind IN (?, ?) ORDER BY id LIMIT ?",
            (Kind.PROBLEM.value, Kind.SOLUTION.value, -1 if limit is None else limit))]

    def forget_paired(self, reading: str) -> None:
        """Drop the pair encoder's vectors of the items of notes another reading than this one read (a note kept as
        read: its story is shared): an earlier pair encoder read them."""
        self.conn.execute("UPDATE items SET paired = NULL WHERE paired IS NOT NULL AND note_id IN "
                          "(SELECT id FROM notes WHERE reading IS NOT ?)", (reading,))

    def set_paired(self, rows: Iterable[tuple[int, np.ndarray]]) -> None:
        """Keep these items' pair encoder's vectors; a shared story among them is sent to the team again, with it."""
        rows = list(rows)
        self.conn.executemany("UPDATE items SET paired = ? WHERE id = ?",
                              [(_blob(vector), item_id) for item_id, vector in rows])
        self.conn.executemany("UPDATE items SET shared = ? WHERE id = ? AND shared = ?",
                              [(TO_SHARE, item_id, SHARED) for item_id, _ in rows])

    def candidate_floors(self, ids: list[int]) -> dict[int, float]:
        """The candidate floor of these problems, by id (a problem without one is left out)."""
        return dict(self.conn.execute(f"SELECT id, candidate_floor FROM items WHERE candidate_floor IS NOT NULL "
                                      f"AND id IN {_JSON_IDS}", [json.dumps(ids)]).fetchall())

    def set_candidate_floors(self, rows: Iterable[tuple[float, int]]) -> None:
        self.conn.executemany("UPDATE items SET candidate_floor = ? WHERE id = ?", rows)

    def count_without_pieces(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM items WHERE pieces IS NULL").fetchone()[0])

    def set_pieces(self, rows: Iterable[tuple[int, tuple[np.ndarray, np.ndarray]]]) -> None:
        self.conn.executemany("UPDATE items SET piece_ids = ?, pieces = ? WHERE id = ?",
                              ((*_piece_blobs(pieces), item_id) for item_id, pieces in rows))

    def pieces(self, ids: list[int]) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """The word-pieces of these items, by id (an item without them, or with none, is left out)."""
        import numpy as np

        rows = self.conn.execute(f"SELECT id, piece_ids, pieces FROM items WHERE length(piece_ids) > 0 AND id IN "
                                 f"{_JSON_IDS}", [json.dumps(ids)])
        out = {}
        for item_id, piece_ids, vectors in rows:
            found = np.frombuffer(piece_ids, dtype=np.int32)
            out[item_id] = (found, np.frombuffer(vectors, dtype=np.float16).reshape(len(found), -1).astype(np.float32))
        return out

    def notes(self, contact_id: int | None = None, understood: bool | None = None) -> list[Note]:
        where = "1"
        args: list[int] = []
        if contact_id is not None:
            where += " AND n.contact_id = ?"
            args.append(contact_id)
        if understood is not None:
            where += " AND n.understood = ?"
            args.append(int(understood))
        return self._notes(where + " ORDER BY n.date, n.id", tuple(args))

    def _notes(self, where: str, args: tuple) -> list[Note]:
        rows = self.conn.execute(f"SELECT n.*, c.name AS contact FROM notes n JOIN contacts c ON c.id = n.contact_id "
                                 f"WHERE {where}", args)
        return [Note(id=r["id"], contact_id=r["contact_id"], contact=r["contact"], date=r["date"],
                     text=r["text"], tags=json.loads(r["tags"])) for r in rows]

    def counts(self) -> dict[str, int]:
        return {table: self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("contacts", "notes", "items", "decisions")}

    # ------------------------------------------------------------------- items

    def items(self, *, contact_id: int | None = None, kinds: list[Kind] | None = None,
              ids: list[int] | None = None) -> list[Item]:
        where: list[str] = []
        args: list[int | str] = []
        if contact_id is not None:
            where.append("i.contact_id = ?")
            args.append(contact_id)
        if kinds:
            where.append(f"i.kind IN ({','.join('?' * len(kinds))})")
            args.extend(k.value for k in kinds)
        if ids is not None:
            where.append(f"i.id IN {_JSON_IDS}")
            args.append(json.dumps(ids))
        sql = _ITEM_SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY n.date, i.id"
        return [_item(r) for r in self.conn.execute(sql, args)]

    def parts(self, kinds: list[Kind]) -> tuple[list[int], np.ndarray]:
        """Each sentence embedding of the items of these kinds, with its item's id (one row a sentence)."""
        import numpy as np

        sql = (f"SELECT id, coalesce(parts, embedding) AS v FROM items WHERE embedding IS NOT NULL "
               f"AND kind IN ({','.join('?' * len(kinds))}) ORDER BY id")
        owners: list[int] = []
        chunks: list[np.ndarray] = []
        for row in self.conn.execute(sql, [k.value for k in kinds]):
            vectors = np.frombuffer(row["v"], dtype=np.float32).reshape(-1, DIMENSIONS)
            owners.extend([row["id"]] * len(vectors))
            chunks.append(vectors)
        return owners, (np.vstack(chunks) if chunks else np.zeros((0, DIMENSIONS), dtype=np.float32))

    def match_sides(self, ids: list[int]) -> dict[int, dict]:
        """What a match shows of each of these items (contact, text, note, date), by id, as plain data."""
        rows = self.conn.execute(
            "SELECT i.id, c.name, i.text, i.note_id, n.date FROM items i JOIN notes n ON n.id = i.note_id "
            f"JOIN contacts c ON c.id = i.contact_id WHERE i.id IN {_JSON_IDS}", [json.dumps(ids)])
        return {r[0]: {"contact": r[1], "text": r[2], "note_id": r[3], "item_id": r[0], "date": r[4]} for r in rows}

    def item_facts(self, ids: list[int]) -> list[tuple[int, int, Kind, float, np.ndarray | None]]:
        """(id, contact id, kind, the kind's probability, every kind's probability or None for an item understood
        before they were kept) of these items: what ranking needs, without building whole items."""
        import numpy as np

        rows = self.conn.execute(f"SELECT id, contact_id, kind, confidence, kinds FROM items WHERE id IN {_JSON_IDS}",
                                 [json.dumps(ids)])
        return [(r[0], r[1], KINDS[r[2]], r[3], None if r[4] is None else np.frombuffer(r[4], dtype=np.float32))
                for r in rows]

    def find_item(self, contact: str, kind: Kind, text: str) -> Item | None:
        """The first item of this contact, kind and text (how exported decisions find their items)."""
        row = self.conn.execute(
            _ITEM_SELECT + " WHERE c.key = ? AND i.kind = ? AND i.text = ? ORDER BY i.id LIMIT 1",
            (normalise_name(contact), kind.value, text),
        ).fetchone()
        return _item(row) if row else None

    def note_items(self, note_ids: list[int]) -> list[Item]:
        """The items of these notes, in each note's order."""
        return [_item(r) for r in self.conn.execute(_ITEM_SELECT + f" WHERE i.note_id IN {_JSON_IDS} ORDER BY i.id",
                                                    (json.dumps(note_ids),))]

    def hand_over(self, successors: dict[int, list[int]]) -> None:
        """Items about to be deleted hand what the user did with them to their successors (old id: new ids):
        the decisions on their pairs, and their place in an introduction (its first successor's)."""
        old = list(successors)
        rows = self.conn.execute(f"SELECT problem_item_id, solution_item_id, decision, decided_at FROM decisions "
                                 f"WHERE problem_item_id IN {_JSON_IDS} OR solution_item_id IN {_JSON_IDS}",
                                 (json.dumps(old), json.dumps(old))).fetchall()
        self.conn.executemany(
            "INSERT OR IGNORE INTO decisions(problem_item_id, solution_item_id, decision, decided_at) VALUES (?,?,?,?)",
            [(p, s, decision, at) for p_old, s_old, decision, at in rows
             for p in successors.get(p_old, [p_old]) for s in successors.get(s_old, [s_old])])
        for column in ("problem_item_id", "solution_item_id"):
            self.conn.executemany(f"UPDATE intros SET {column} = ? WHERE {column} = ?",
                                  [(new[0], item_id) for item_id, new in successors.items() if new])

    def delete_items(self, ids: list[int]) -> None:
        """Delete items (their pairs and decisions with them; an introduction keeps its contacts)."""
        self.conn.execute(f"DELETE FROM items WHERE id IN {_JSON_IDS}", (json.dumps(ids),))

    def item(self, item_id: int) -> Item:
        found = self.items(ids=[item_id])
        if not found:
            raise NotFound(f"no item with id {item_id}")
        return found[0]

    def embeddings(self, kinds: list[Kind] | None = None,
                   ids: list[int] | None = None) -> tuple[list[int], np.ndarray]:
        """Ids and embeddings of the items (of these kinds, or with these ids), by id."""
        import numpy as np
        sql = "SELECT id, embedding FROM items WHERE embedding IS NOT NULL"
        args: list[str | int] = []
        if kinds:
            sql += f" AND kind IN ({','.join('?' * len(kinds))})"
            args.extend(k.value for k in kinds)
        if ids is not None:
            sql += f" AND id IN {_JSON_IDS}"
            args.append(json.dumps(ids))
        rows = self.conn.execute(sql + " ORDER BY id", args).fetchall()
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float32)
        matrix = np.frombuffer(b"".join(r["embedding"] for r in rows), dtype=np.float32)
        return [r["id"] for r in rows], matrix.reshape(len(rows), -1)

    def unindexed(self, limit: int, after: int = 0) -> list[int]:
        """Ids (above after) of items the index server does not have yet, by id."""
        return [r[0] for r in self.conn.execute("SELECT id FROM items WHERE indexed = 0 AND id > ? ORDER BY id "
                                                "LIMIT ?", (after, limit))]

    def waiting_for_index(self) -> tuple[int, int]:
        """How many notes, and items, wait for the index server."""
        row = self.conn.execute("SELECT count(DISTINCT note_id), count(*) FROM items WHERE indexed = 0").fetchone()
        return int(row[0]), int(row[1])

    def mark_indexed(self, items: list[Item]) -> None:
        """These items are on the index server (unless their contact changed since they were read)."""
        with self.transaction():
            self.conn.executemany("UPDATE items SET indexed = 1 WHERE id = ? AND contact_id = ?",
                                  [(i.id, i.contact_id) for i in items])

    def forget_indexed(self) -> None:
        """The index server has none of the items (a new or emptied collection)."""
        self.conn.execute("UPDATE items SET indexed = 0 WHERE indexed = 1")

    def set_shared(self, item_id: int, share: bool) -> None:
        """Share a story with the team, or withdraw it (sent by the next sync)."""
        with self.transaction():
            self.conn.execute("UPDATE items SET shared = CASE WHEN ? THEN 1 WHEN shared = 0 THEN 0 ELSE -1 END "
                              "WHERE id = ?", (share, item_id))

    def sharing(self) -> dict[int, int]:
        """The items whose share state is not KEPT, by id."""
        return dict(self.conn.execute("SELECT id, shared FROM items WHERE shared != 0 ORDER BY id").fetchall())

    def set_share_states(self, changes: list[tuple[int, int, int]]) -> None:
        """(item id, state it had when read, state now): a change made meanwhile is not undone."""
        with self.transaction():
            self.conn.executemany("UPDATE items SET shared = ? WHERE id = ? AND shared = ?",
                                  [(now, item_id, was) for item_id, was, now in changes])

    def share_again(self) -> None:
        """The team's stories were lost (a new collection): every shared story is sent again."""
        self.conn.execute("UPDATE items SET shared = 1 WHERE shared = 2")

    def data_version(self) -> int:
        """Changes when another connection (another process) commits."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def version(self) -> tuple[int, int]:
        """Changes whenever anything is committed, by this connection or another (tells a cache it is stale)."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0]), self.conn.total_changes

    def item_extent(self, after: int = 0) -> tuple[int, int]:
        """How many items have an id above after, and the largest id."""
        row = self.conn.execute("SELECT count(*), coalesce(max(id), 0) FROM items WHERE id > ?", (after,)).fetchone()
        return int(row[0]), int(row[1])

    def vectors(self, after: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Ids, kind codes, contact ids and vectors of the items with an id above after, by id."""
        import numpy as np

        codes = {kind.value: code for kind, code in KIND_CODES.items()}
        rows = self.conn.execute("SELECT id, kind, contact_id, embedding FROM items "
                                 "WHERE embedding IS NOT NULL AND id > ? ORDER BY id", (after,)).fetchall()
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        kinds = np.fromiter((codes[r[1]] for r in rows), dtype=np.int8, count=len(rows))
        contacts = np.fromiter((r[2] for r in rows), dtype=np.int64, count=len(rows))
        if not rows:
            return ids, kinds, contacts, np.zeros((0, DIMENSIONS), dtype=np.float32)
        matrix = np.frombuffer(b"".join(r[3] for r in rows), dtype=np.float32).reshape(len(rows), -1)
        return ids, kinds, contacts, matrix

    def set_done(self, item_id: int, done: bool) -> None:
        with self.transaction():
            cur = self.conn.execute("UPDATE items SET done = ? WHERE id = ? AND kind = 'followup'",
                                    (int(done), item_id))
            if cur.rowcount == 0:
                raise NotFound(f"no follow-up with id {item_id}")

    def keyword_search(self, query: str, limit: int, *, among: list[str] | None = None) -> list[tuple[int, float]]:
        """Item ids ranked by BM25 over the words of query (higher is better); among: only the items that
        have one of these words are ranked (the query's other words still add to their scores).

        BM25 is computed for every item ranked (~2.5 µs each: 40 ms when common words match 15,000 of
        100,000 items), so on a large store the items are ranked in two halves by id, side by side: each
        item's score is the same (BM25 takes its statistics from the whole table), and the best of both
        halves by rank, then id, are the very rows and order of one query (SQLite keeps ties in id order).
        """
        words = _words(query)
        if not words:
            return []
        where, args = ("", (_any_of(words),)) if not among else (_AMONG, (_any_of(words), _any_of(among)))
        top = self.reader().execute("SELECT coalesce(max(id), 0) FROM items").fetchone()[0]
        if top < WORD_SEARCH_SPLIT:
            rows = _ranked(self.reader(), where, (*args, limit))
        else:
            from app.beside import Beside

            with Beside(_ranked, self.reader(1), f"{where} AND rowid > ?", (*args, top // 2, limit)) as upper:
                rows = _ranked(self.reader(), f"{where} AND rowid <= ?", (*args, top // 2, limit)) + upper.result()
            rows = sorted(rows, key=lambda r: (r[1], r[0]))[:limit]
        return [(r[0], -r[1]) for r in rows]

    def word_shares(self, query: str) -> dict[str, float]:
        """The share of all items that have each word of query (as the word search reads its words)."""
        reader = self.reader()
        total = reader.execute("SELECT count(*) FROM items").fetchone()[0] or 1
        return {w: reader.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH ?", (_any_of([w]),))
                .fetchone()[0] / total for w in dict.fromkeys(_words(query))}

    # -------------------------------------------------------------------- pairs

    def paired_vectors(self, ids: list[int]) -> dict[int, np.ndarray]:
        """The pair encoder's vectors of these items, by id (an item read without one is left out)."""
        import numpy as np

        rows = self.conn.execute(f"SELECT id, paired FROM items WHERE paired IS NOT NULL AND id IN {_JSON_IDS}",
                                 [json.dumps(ids)])
        return {item_id: np.frombuffer(blob, dtype=np.float32) for item_id, blob in rows}

    def match_inputs(self, kind: Kind) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray, np.ndarray,
                                                np.ndarray]:
        """Ids, contact ids, texts, vectors, confidences and pair encoder's vectors (NaN for an item without one) of
        the items of a kind, by id (what matching reads)."""
        import numpy as np

        rows = self.conn.execute("SELECT id, contact_id, text, embedding, confidence, paired FROM items "
                                 "WHERE embedding IS NOT NULL AND kind = ? ORDER BY id", (kind.value,)).fetchall()
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        contacts = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
        matrix = (np.frombuffer(b"".join(r[3] for r in rows), dtype=np.float32).reshape(len(rows), DIMENSIONS)
                  if rows else np.zeros((0, DIMENSIONS), dtype=np.float32))
        confidence = np.fromiter((r[4] for r in rows), dtype=np.float32, count=len(rows))
        paired = paired_rows([None if r[5] is None else np.frombuffer(r[5], dtype=np.float32) for r in rows])
        return ids, contacts, [r[2] for r in rows], matrix, confidence, paired

    def pairs(self, *, contact_id: int | None = None, problem_ids: list[int] | None = None,
              solution_ids: list[int] | None = None) -> tuple[np.ndarray, ...]:
        """Stored pairs as arrays: problem, solution, problem contact, solution contact, similarity.

        With contact_id, the pairs where that contact is either side; with ids, the pairs of those
        problems or those solutions; with neither, every pair.
        """
        import numpy as np

        sql = "SELECT problem_item_id, solution_item_id, problem_contact_id, solution_contact_id, similarity " \
              "FROM pairs"
        args: list[int | str] = []
        if contact_id is not None:
            sql += " WHERE problem_contact_id = ? UNION ALL " + sql + " WHERE solution_contact_id = ? " \
                   "AND problem_contact_id != ?"
            args = [contact_id, contact_id, contact_id]
        elif problem_ids is not None or solution_ids is not None:
            sql += (f" WHERE problem_item_id IN {_JSON_IDS} UNION {sql} WHERE solution_item_id IN {_JSON_IDS}")
            args = [json.dumps(problem_ids or []), json.dumps(solution_ids or [])]
        rows = self.conn.execute(sql, args).fetchall()
        columns = list(zip(*rows, strict=True)) if rows else [(), (), (), (), ()]
        return (*(np.asarray(c, dtype=np.int64) for c in columns[:4]), np.asarray(columns[4], dtype=np.float64))

    def clear_pairs(self) -> None:
        """Every stored pair, and what the stories keep of them (`set_best_pairs`)."""
        self.conn.execute("DELETE FROM pairs")
        self.conn.execute("UPDATE items SET best_pairs = NULL WHERE best_pairs IS NOT NULL")

    def add_pairs(self, rows) -> None:
        """rows: (problem id, solution id, problem contact, solution contact, similarity); neither scored nor shown
        until `set_shown`."""
        self.conn.executemany("INSERT OR REPLACE INTO pairs VALUES (?,?,?,?,?,0,0)", rows)

    def set_shown(self, rows) -> None:
        """rows: (shown, score, problem id, solution id)."""
        self.conn.executemany("UPDATE pairs SET shown = ?, score = ? WHERE problem_item_id = ? AND "
                              "solution_item_id = ?", rows)

    def set_best_pairs(self, rows: Iterable[tuple[int, np.ndarray]]) -> None:
        """rows: (story id, its best pair similarities)."""
        self.conn.executemany("UPDATE items SET best_pairs = ? WHERE id = ?",
                              ((best.astype("float32").tobytes(), item_id) for item_id, best in rows))

    def best_pairs(self, ids: list[int]) -> dict[int, np.ndarray]:
        """The best pair similarities kept with these stories (`set_best_pairs`), by id; a story without any left
        out."""
        import numpy as np

        rows = self.conn.execute(f"SELECT id, best_pairs FROM items WHERE best_pairs IS NOT NULL AND id IN "
                                 f"{_JSON_IDS}", [json.dumps(ids)])
        return {item_id: np.frombuffer(blob, dtype=np.float32) for item_id, blob in rows}

    def best_similarities(self, solution_ids: list[int], k: int) -> dict[int, list[float]]:
        """The k highest similarities of each of these solutions' stored pairs, best first (fewer where it has
        fewer), by id."""
        found: dict[int, list[float]] = {}
        for solution, similarity in self.conn.execute(
                "SELECT s, similarity FROM (SELECT solution_item_id AS s, similarity, row_number() OVER (PARTITION BY "
                f"solution_item_id ORDER BY similarity DESC) AS r FROM pairs WHERE solution_item_id IN {_JSON_IDS}) "
                "WHERE r <= ? ORDER BY s, r", [json.dumps(solution_ids), k]):
            found.setdefault(solution, []).append(similarity)
        return found

    def shown_pairs(self, problem_contacts: list[int] | None = None) -> Iterator[tuple]:
        """The pairs marked shown, best first (ties by problem, then solution id): problem, solution, both
        contacts, score. With problem_contacts, only the pairs of those contacts' problems."""
        sql = ("SELECT problem_item_id, solution_item_id, problem_contact_id, solution_contact_id, "
               "round(score, 4) AS score FROM pairs WHERE shown = 1")
        args: list[str] = []
        if problem_contacts is not None:
            sql += f" AND problem_contact_id IN {_JSON_IDS}"
            args = [json.dumps(problem_contacts)]
        cursor = self.conn.cursor()
        cursor.row_factory = None  # plain tuples: ~5x faster than sqlite3.Row over a hundred thousand rows
        return cursor.execute(sql + " ORDER BY score DESC, problem_item_id, solution_item_id", args)

    def problem_contacts_helped_by(self, contact_id: int) -> list[int]:
        """The contacts with a problem that one of this contact's stories is shown to answer."""
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT problem_contact_id FROM pairs WHERE shown = 1 AND solution_contact_id = ?", (contact_id,))]

    def prune_pairs(self, keep: int, floor: float, nearest: int, *, problem_ids: list[int] | None = None,
                    solution_ids: list[int] | None = None) -> None:
        """Drop the pairs that are neither among their problem's nor their solution's best keep, and those under
        floor that are not among their solution's best nearest (which a story's nearness is read from).

        Only the pairs of the problems and solutions these items are paired with (all pairs when both are None),
        each ranked among every pair of its problem and of its solution: a pair is kept or dropped as a prune of
        the whole store would, whichever order its notes came in.
        """
        scope, args = "", []
        if problem_ids is not None or solution_ids is not None:
            scope = f"WHERE problem_item_id IN {_JSON_IDS} OR solution_item_id IN {_JSON_IDS}"
            args = [json.dumps(problem_ids or []), json.dumps(solution_ids or [])]
        self.conn.execute(f"""
            WITH near AS (SELECT problem_item_id AS p, solution_item_id AS s FROM pairs
                          WHERE problem_item_id IN (SELECT problem_item_id FROM pairs {scope})
                             OR solution_item_id IN (SELECT solution_item_id FROM pairs {scope})),
                 by_p AS (SELECT problem_item_id AS p, solution_item_id AS s, similarity,
                                 row_number() OVER (PARTITION BY problem_item_id ORDER BY similarity DESC) AS rank
                          FROM pairs WHERE problem_item_id IN (SELECT p FROM near)),
                 by_s AS (SELECT problem_item_id AS p, solution_item_id AS s,
                                 row_number() OVER (PARTITION BY solution_item_id ORDER BY similarity DESC) AS rank
                          FROM pairs WHERE solution_item_id IN (SELECT s FROM near))
            DELETE FROM pairs WHERE (problem_item_id, solution_item_id) IN (
                SELECT by_p.p, by_p.s FROM by_p JOIN by_s ON by_p.p = by_s.p AND by_p.s = by_s.s
                WHERE (by_p.rank > ? AND by_s.rank > ?) OR (by_p.similarity < ? AND by_s.rank > ?))""",
                          [*args, *args, keep, keep, floor, nearest])

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT DO UPDATE SET value = "
                          "excluded.value", (key, value))

    # --------------------------------------------------------------- decisions

    def decisions(self) -> dict[tuple[int, int], Decision]:
        rows = self.conn.execute("SELECT problem_item_id, solution_item_id, decision FROM decisions")
        return {(r[0], r[1]): Decision(r[2]) for r in rows}

    def decide(self, problem_item_id: int, solution_item_id: int, decision: Decision | None) -> None:
        with self.transaction():
            if decision is None:
                self.conn.execute("DELETE FROM decisions WHERE problem_item_id=? AND solution_item_id=?",
                                  (problem_item_id, solution_item_id))
            else:
                self.conn.execute(
                    "INSERT INTO decisions(problem_item_id, solution_item_id, decision) VALUES (?,?,?) "
                    "ON CONFLICT DO UPDATE SET decision = excluded.decision, decided_at = datetime('now')",
                    (problem_item_id, solution_item_id, decision.value),
                )

    # ------------------------------------------------- the funnel, touches, introductions

    def add_event(self, contact_id: int, day: dt.date, kind: str, detail: str | None = None,
                  origin: str | None = None) -> bool:
        """Record what happened with a contact (invited, connected, offered, message, touch…); an event
        with the origin of one already recorded (the same row of the same export) is not recorded twice."""
        cur = self.conn.execute("INSERT OR IGNORE INTO events(contact_id, day, kind, detail, origin) "
                                "VALUES (?,?,?,?,?)", (contact_id, day.isoformat(), kind, detail, origin))
        return cur.rowcount > 0

    def has_event(self, origin: str) -> bool:
        return self.conn.execute("SELECT 1 FROM events WHERE origin = ?", (origin,)).fetchone() is not None

    def events(self, kinds: list[str] | None = None, contact_id: int | None = None) -> list[tuple[int, dt.date, str,
                                                                                                  str | None]]:
        """(contact id, day, kind, detail) of the events, oldest first."""
        sql, args = "SELECT contact_id, day, kind, detail FROM events WHERE 1", []
        if kinds:
            sql += f" AND kind IN ({','.join('?' * len(kinds))})"
            args += kinds
        if contact_id is not None:
            sql += " AND contact_id = ?"
            args.append(contact_id)
        rows = self.conn.execute(sql + " ORDER BY day, id", args).fetchall()
        return [(r[0], dt.date.fromisoformat(r[1]), r[2], r[3]) for r in rows]

    def conversations(self, latest: bool = False) -> dict[int, dt.date]:
        """The day of each contact's first note that records a conversation (the day they were met); latest: of
        the last one."""
        rows = self.conn.execute(f"SELECT contact_id, {'max' if latest else 'min'}(date) FROM notes "
                                 "WHERE conversation IS NOT 0 GROUP BY contact_id")
        return {r[0]: dt.date.fromisoformat(r[1]) for r in rows}

    def last_touches(self) -> dict[int, dt.date]:
        """The last day each contact was in touch: a note, a message, a logged touch, the connection."""
        rows = self.conn.execute("""
            SELECT contact_id, max(day) FROM (
                SELECT contact_id, date AS day FROM notes
                UNION ALL SELECT contact_id, day FROM events WHERE kind IN ('message', 'touch', 'connected', 'offered')
            ) GROUP BY contact_id""")
        return {r[0]: dt.date.fromisoformat(r[1]) for r in rows}

    def tag_cadences(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self.conn.execute("SELECT tag, days FROM tag_cadence")}

    def set_tag_cadence(self, tag: str, days: int | None) -> None:
        if days is None:
            self.conn.execute("DELETE FROM tag_cadence WHERE tag = ?", (tag,))
        else:
            self.conn.execute("INSERT INTO tag_cadence VALUES (?, ?) ON CONFLICT DO UPDATE SET days = excluded.days",
                              (tag, days))

    def intros(self, contact_id: int | None = None) -> list[sqlite3.Row]:
        sql = ("SELECT i.*, a.name AS problem_contact, b.name AS solver FROM intros i "
               "JOIN contacts a ON a.id = i.problem_contact_id JOIN contacts b ON b.id = i.solver_contact_id")
        args: tuple = ()
        if contact_id is not None:
            sql += " WHERE ? IN (i.problem_contact_id, i.solver_contact_id)"
            args = (contact_id,)
        return self.conn.execute(sql + " ORDER BY i.id", args).fetchall()

    def save_intro(self, problem_contact_id: int, solver_contact_id: int, step: str, history: list[dict],
                   problem_item_id: int | None, solution_item_id: int | None) -> None:
        self.conn.execute(
            "INSERT INTO intros(problem_contact_id, solver_contact_id, problem_item_id, solution_item_id, step, "
            "history) VALUES (?,?,?,?,?,?) ON CONFLICT DO UPDATE SET step = excluded.step, history = "
            "excluded.history, problem_item_id = coalesce(excluded.problem_item_id, problem_item_id), "
            "solution_item_id = coalesce(excluded.solution_item_id, solution_item_id)",
            (problem_contact_id, solver_contact_id, problem_item_id, solution_item_id, step, json.dumps(history)))

    def integrity(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])
