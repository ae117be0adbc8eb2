"""The system of record: SQLite (WAL, migrations on open, transactions)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import KithError, NotFound
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
]

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


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _item(row: sqlite3.Row) -> Item:
    return Item(
        id=row["id"], note_id=row["note_id"], contact_id=row["contact_id"], contact=row["contact"],
        kind=Kind(row["kind"]), text=row["text"], position=row["position"], date=_day(row["date"]),
        due=_day(row["due"]), done=bool(row["done"]), confidence=row["confidence"],
    )


def _contact(row: sqlite3.Row) -> Contact:
    return Contact(
        id=row["id"], name=row["name"], company=row["company"], role=row["role"],
        location=row["location"], how_met=row["how_met"], tags=json.loads(row["tags"]),
        last_met=_day(row["last_met"]),
    )


class Database:
    """Contacts, notes, items, follow-ups and match decisions in one SQLite file."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as e:
            raise KithError(f"the database {path} cannot be opened: {e}", title="Store") from e

    def close(self) -> None:
        self.conn.close()

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                for statement in _statements(script):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version={number}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: commit on success, roll back on any error."""
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # ---------------------------------------------------------------- contacts

    _CONTACT_SELECT = """
        SELECT c.*, (SELECT max(date) FROM notes WHERE contact_id = c.id) AS last_met FROM contacts c
    """

    def contacts(self) -> list[Contact]:
        rows = self.conn.execute(self._CONTACT_SELECT + " ORDER BY c.name COLLATE NOCASE")
        return [_contact(r) for r in rows]

    def find_contact(self, name: str) -> Contact | None:
        row = self.conn.execute(self._CONTACT_SELECT + " WHERE c.key = ?", (normalise_name(name),)).fetchone()
        return _contact(row) if row else None

    def contact(self, name: str) -> Contact:
        found = self.find_contact(name)
        if found is None:
            raise NotFound(f"no contact named {name!r} (see `kith contacts`)")
        return found

    def ensure_contact(self, name: str, **fields: str | None) -> int:
        """The id of the contact with this name, created (with fields) when new."""
        key = normalise_name(name)
        row = self.conn.execute("SELECT id FROM contacts WHERE key = ?", (key,)).fetchone()
        if row:
            return int(row["id"])
        cur = self.conn.execute(
            "INSERT INTO contacts(name, key, company, role, location, how_met) VALUES (?,?,?,?,?,?)",
            (" ".join(name.split()), key, fields.get("company"), fields.get("role"),
             fields.get("location"), fields.get("how_met")),
        )
        return int(cur.lastrowid or 0)

    def fill_contact(self, contact: Contact) -> None:
        """Give an existing contact the details it lacks (never overwrites what the user typed)."""
        self.conn.execute(
            "UPDATE contacts SET company = coalesce(company, ?), role = coalesce(role, ?), "
            "location = coalesce(location, ?), how_met = coalesce(how_met, ?), "
            "tags = CASE WHEN tags = '[]' THEN ? ELSE tags END WHERE key = ?",
            (contact.company, contact.role, contact.location, contact.how_met, json.dumps(contact.tags),
             contact.key),
        )

    def update_contact(self, contact: Contact) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE contacts SET name=?, key=?, company=?, role=?, location=?, how_met=?, tags=? "
                "WHERE id=?",
                (contact.name, contact.key, contact.company, contact.role, contact.location,
                 contact.how_met, json.dumps(contact.tags), contact.id),
            )

    # ------------------------------------------------------------------- notes

    def has_note(self, digest: str) -> bool:
        return self.conn.execute("SELECT 1 FROM notes WHERE digest = ?", (digest,)).fetchone() is not None

    def insert_note(self, contact_id: int, date: dt.date, text: str, tags: list[str], digest: str,
                    understood: bool = True) -> int:
        cur = self.conn.execute(
            "INSERT INTO notes(contact_id, date, text, tags, digest, understood) VALUES (?,?,?,?,?,?)",
            (contact_id, date.isoformat(), text, json.dumps(tags), digest, int(understood)),
        )
        return int(cur.lastrowid or 0)

    def mark_understood(self, note_id: int) -> None:
        self.conn.execute("UPDATE notes SET understood = 1 WHERE id = ?", (note_id,))

    def insert_item(self, note_id: int, contact_id: int, item: Item, embedding: np.ndarray | None,
                    parts: np.ndarray | None = None) -> int:
        import numpy as np  # ~70 ms to import: kept off the app's start-up path

        def blob(vectors: np.ndarray | None) -> bytes | None:
            return None if vectors is None else np.asarray(vectors, dtype=np.float32).tobytes()

        cur = self.conn.execute(
            "INSERT INTO items(note_id, contact_id, kind, text, position, due, done, confidence, embedding, parts) "
            "VALUES (?,?,?,?,?,?,?,?,?,?)",
            (note_id, contact_id, item.kind.value, item.text, item.position,
             item.due.isoformat() if item.due else None, int(item.done), item.confidence,
             blob(embedding), blob(parts)),
        )
        return int(cur.lastrowid or 0)

    def notes(self, contact_id: int | None = None, understood: bool | None = None) -> list[Note]:
        sql = "SELECT n.*, c.name AS contact FROM notes n JOIN contacts c ON c.id = n.contact_id WHERE 1"
        args: list[int] = []
        if contact_id is not None:
            sql += " AND n.contact_id = ?"
            args.append(contact_id)
        if understood is not None:
            sql += " AND n.understood = ?"
            args.append(int(understood))
        rows = self.conn.execute(sql + " ORDER BY n.date, n.id", args)
        return [Note(id=r["id"], contact_id=r["contact_id"], contact=r["contact"], date=r["date"],
                     text=r["text"], tags=json.loads(r["tags"])) for r in rows]

    def counts(self) -> dict[str, int]:
        return {table: self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("contacts", "notes", "items", "decisions")}

    # ------------------------------------------------------------------- items

    def items(self, *, contact_id: int | None = None, kinds: list[Kind] | None = None,
              ids: list[int] | None = None) -> list[Item]:
        where, args = [], []
        if contact_id is not None:
            where.append("i.contact_id = ?")
            args.append(contact_id)
        if kinds:
            where.append(f"i.kind IN ({','.join('?' * len(kinds))})")
            args.extend(k.value for k in kinds)
        if ids is not None:
            where.append(f"i.id IN ({','.join('?' * len(ids))})")
            args.extend(ids)
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
            vectors = np.frombuffer(row["v"], dtype=np.float32).reshape(-1, 384)
            owners.extend([row["id"]] * len(vectors))
            chunks.append(vectors)
        return owners, (np.vstack(chunks) if chunks else np.zeros((0, 384), dtype=np.float32))

    def find_item(self, contact: str, kind: Kind, text: str) -> Item | None:
        """The first item of this contact, kind and text (how exported decisions find their items)."""
        row = self.conn.execute(
            _ITEM_SELECT + " WHERE c.key = ? AND i.kind = ? AND i.text = ? ORDER BY i.id LIMIT 1",
            (normalise_name(contact), kind.value, text),
        ).fetchone()
        return _item(row) if row else None

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
            sql += f" AND id IN ({','.join('?' * len(ids))})"
            args.extend(ids)
        rows = self.conn.execute(sql + " ORDER BY id", args).fetchall()
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float32)
        matrix = np.frombuffer(b"".join(r["embedding"] for r in rows), dtype=np.float32)
        return [r["id"] for r in rows], matrix.reshape(len(rows), -1)

    def set_done(self, item_id: int, done: bool) -> None:
        with self.transaction():
            cur = self.conn.execute("UPDATE items SET done = ? WHERE id = ? AND kind = 'followup'",
                                    (int(done), item_id))
            if cur.rowcount == 0:
                raise NotFound(f"no follow-up with id {item_id}")

    def keyword_search(self, query: str, limit: int) -> list[tuple[int, float]]:
        """Item ids ranked by BM25 over the words of query (higher is better)."""
        words = [w for w in "".join(ch if ch.isalnum() else " " for ch in query).split() if len(w) > 1]
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in words)
        rows = self.conn.execute(
            "SELECT rowid, bm25(items_fts) AS rank FROM items_fts WHERE items_fts MATCH ? "
            "ORDER BY rank LIMIT ?", (match, limit),
        ).fetchall()
        return [(r["rowid"], -r["rank"]) for r in rows]

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

    def integrity(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])
