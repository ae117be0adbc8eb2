"""A store read by an older Kith: `kith doctor` says so, `kith reindex` reads its notes again and keeps what the
user did with the old readings."""

from __future__ import annotations

import json
import shutil
import sqlite3

import numpy as np
import pytest

from app.store.db import Database
from app.store.embedder import Embedder
from tests.conftest import Kith, imported_demo

ASKING, SOLVER = "Catherine Moreau", "Olusegun Adeyemi"
PROBLEM = "Partners also hoard clients, nobody cross-sells."
PERSONAL = "sings in a baroque choir, twins aged 9."
TO_DO = "send her the article on self-rostering next Tuesday"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> dict:
    kith = imported_demo(tmp_path_factory, "read-fresh")
    return {"kith": kith, "matches": kith.ok("matches", "--json").json(),
            "recap": kith.ok("recap", ASKING, "--json").json()}


def older_copy(fresh: dict, tmp_path) -> Kith:
    """The demo as an older Kith read it: one of Catherine's problems with her personal detail read into it (as
    the classifier of an earlier session read such a paragraph), a to-do read with more of its sentence, no note's
    reading recorded, its pairs scored by that reading."""
    home = tmp_path / "home"
    shutil.copytree(fresh["kith"].home, home)
    with sqlite3.connect(home / "kith.db") as conn:
        (problem,) = conn.execute("SELECT id FROM items WHERE text = ?", (PROBLEM,)).fetchone()
        (personal,) = conn.execute("SELECT id FROM items WHERE text = ?", (PERSONAL,)).fetchone()
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM items WHERE id = ?", (personal,))
        rewrite(conn, problem, f"{PROBLEM} She {PERSONAL}")
        (to_do,) = conn.execute("SELECT id FROM items WHERE text = ?", (TO_DO,)).fetchone()
        rewrite(conn, to_do, f"{TO_DO}, and ask how the wards took it")
        conn.execute("UPDATE notes SET reading = NULL")
        conn.execute("UPDATE meta SET value = 'older' WHERE key = 'pairs_version'")
    return Kith(home, tmp_path / "net.log")


def rewrite(conn: sqlite3.Connection, item_id: int, text: str) -> None:
    """An item's text as an older Kith read it, its word index kept in step (as Kith keeps it: items_fts)."""
    (old,) = conn.execute("SELECT text FROM items WHERE id = ?", (item_id,)).fetchone()
    conn.execute("INSERT INTO items_fts(items_fts, rowid, text) VALUES ('delete', ?, ?)", (item_id, old))
    conn.execute("UPDATE items SET text = ? WHERE id = ?", (text, item_id))
    conn.execute("INSERT INTO items_fts(rowid, text) VALUES (?, ?)", (item_id, text))


def test_reindex_reads_an_older_store_again_keeping_ticks_intros_and_decisions(fresh, tmp_path):
    kith = older_copy(fresh, tmp_path)
    assert PERSONAL not in [p["text"] for p in kith.ok("recap", ASKING, "--json").json()["personal"]]
    tick_and_introduce(kith)
    doctor = kith("doctor", "--json")
    assert doctor.code == 1
    assert [c["detail"] for c in doctor.json()["checks"] if not c["ok"]] == [
        "53 notes read by an older version of Kith"]

    with sqlite3.connect(fresh["kith"].home / "kith.db") as conn:
        (items,) = conn.execute("SELECT count(*) FROM items").fetchone()  # as a fresh import reads the notes
    assert kith.ok("reindex", "--json").json() == {"indexed": items, "read_again": 53, "kept_as_read": 0}

    assert kith.ok("doctor", "--json").json()["ok"]
    recap = kith.ok("recap", ASKING, "--json").json()
    assert [p["text"] for p in recap["personal"]] == [p["text"] for p in fresh["recap"]["personal"]]
    assert recap["intros"][0]["step"] == "introduced"
    assert what_the_user_did(kith) == ([TO_DO], [(PROBLEM, SOLVER)])
    matches = kith.ok("matches", "--json").json()
    assert [(m["problem"]["text"], m["solution"]["text"]) for m in matches] == [
        (m["problem"]["text"], m["solution"]["text"]) for m in fresh["matches"]]  # as a fresh import's
    assert kith.ok("reindex", "--json").json()["read_again"] == 0  # read once


ASKING_TOO = ("Met Ottilie Brandt, who runs a bakery co-op in Leipzig.\n\nShe can't find senior bakers for the night "
              "shift.\n\nShe can't find drivers for the early deliveries either.\n\nI need to send Ottilie the "
              "pricing deck by Friday. I also need to send Ottilie the contract by Monday.")
SOLVED = ("Jonas used to have empty night shifts at his bakery too. Now he pays a night premium and trains his own "
          "apprentices, and the shift has been full for a year.")


def test_reading_again_keeps_each_tick_and_decision_on_its_own_item(tmp_path):
    """Two to-dos of one note alike in words, two problems alike: a tick and a "not a fit" stay on the one they
    were given to."""
    kith = Kith(tmp_path / "home", tmp_path / "net.log")
    kith.ok("add", "--contact", "Ottilie Brandt", "--date", "2026-11-02", ASKING_TOO)
    kith.ok("add", "--contact", "Jonas Weber", "--date", "2026-11-03", SOLVED)
    recap = kith.ok("recap", "Ottilie Brandt", "--json").json()
    assert len(recap["problems"]) == 2 and len(recap["followups"]) == 2
    deck = next(f for f in recap["followups"] if "deck" in f["text"])
    assert kith.ok("done", str(deck["id"])).out.startswith("Done: ")
    assert kith.ok("done", str(deck["id"])).out.startswith("Already done: ")  # ticked once, said so
    (story,) = kith.ok("recap", "Jonas Weber", "--json").json()["solutions"]
    with sqlite3.connect(kith.home / "kith.db") as conn:
        for problem in recap["problems"]:
            conn.execute("INSERT INTO decisions(problem_item_id, solution_item_id, decision) VALUES (?, ?, ?)",
                         (problem["id"], story["id"], "not a fit" if "bakers" in problem["text"] else "introduced"))
        conn.execute("UPDATE notes SET reading = NULL")
    assert kith.ok("reindex", "--json").json()["read_again"] == 2

    assert [f["text"] for f in kith.ok("followups", "--all", "--json").json() if f["done"]] == [deck["text"]]
    with sqlite3.connect(kith.home / "kith.db") as conn:
        decided = conn.execute("SELECT p.text, s.text, d.decision FROM decisions d JOIN items p ON p.id = "
                               "d.problem_item_id JOIN items s ON s.id = d.solution_item_id ORDER BY p.text").fetchall()
    assert decided == [(p["text"], SOLVED, "not a fit" if "bakers" in p["text"] else "introduced")
                       for p in sorted(recap["problems"], key=lambda p: p["text"])]


def test_a_to_do_ticked_in_the_note_and_reopened_by_the_user_stays_open_when_read_again(tmp_path):
    kith = Kith(tmp_path / "home", tmp_path / "net.log")
    kith.ok("add", "--contact", "Ottilie Brandt", "--date", "2026-11-02",
            "## Next steps\n- [x] send her the crew rota by Friday\n- [ ] intro her to Jonas next week")
    ticked = [f for f in kith.ok("followups", "--all", "--json").json() if f["done"]]
    assert [f["text"] for f in ticked] == ["send her the crew rota by Friday"]  # ticked in the note: done
    with sqlite3.connect(kith.home / "kith.db") as conn:
        conn.execute("UPDATE items SET done = 0 WHERE id = ?", (ticked[0]["id"],))  # reopened, as the app's toggle
        conn.execute("UPDATE notes SET reading = NULL")
    assert kith.ok("reindex", "--json").json()["read_again"] == 1
    assert not any(f["done"] for f in kith.ok("followups", "--all", "--json").json())  # the user's choice stands


def test_an_export_of_an_older_kith_keeps_its_ticks_and_decisions_when_imported(fresh, tmp_path):
    """Restored by a newer Kith, which reads the notes otherwise, an export's ticked to-do and introduced match
    pass to the items that read the same passages."""
    kith = older_copy(fresh, tmp_path)
    tick_and_introduce(kith)
    backup = tmp_path / "backup.json"
    kith.ok("export", "-o", str(backup))
    assert [d["problem"]["text"] for d in json.loads(backup.read_text())["decisions"]] == [f"{PROBLEM} She {PERSONAL}"]
    restored = Kith(tmp_path / "restored", tmp_path / "restored.log")
    restored.ok("import", str(backup))
    assert what_the_user_did(restored) == ([TO_DO], [(PROBLEM, SOLVER)])


def tick_and_introduce(kith: Kith) -> None:
    """Tick the to-do, and introduce Catherine to the solver of her problem, in the older reading."""
    (ticked,) = [f for f in kith.ok("followups", "--all", "--json").json() if f["text"].startswith(TO_DO)]
    kith.ok("done", str(ticked["id"]))
    for step in ("asked-a", "a-yes", "asked-b", "b-yes", "introduced"):
        kith.ok("intro", ASKING, SOLVER, "--step", step)


def what_the_user_did(kith: Kith) -> tuple[list[str], list[tuple[str, str]]]:
    """The to-dos ticked, and the matches introduced (the problem's text, the solver)."""
    done = [f["text"] for f in kith.ok("followups", "--all", "--json").json() if f["done"]]
    matches = kith.ok("matches", "--json").json()
    return done, [(m["problem"]["text"], m["solution"]["contact"]) for m in matches if m["decision"] == "introduced"]


def test_a_note_with_a_story_shared_with_the_team_keeps_its_reading(fresh, tmp_path):
    """The team's copy of a shared story is known by its item: its note keeps its items, and says why."""
    kith = older_copy(fresh, tmp_path)
    with sqlite3.connect(kith.home / "kith.db") as conn:
        conn.execute("UPDATE items SET shared = 2 WHERE note_id = (SELECT note_id FROM items WHERE text LIKE ?)",
                     (f"{PROBLEM}%",))
    result = kith.ok("reindex")
    assert "Read 52 notes again" in result.out
    assert "1 note kept as read before: a story of theirs is shared with your team" in result.out
    assert PERSONAL not in [p["text"] for p in kith.ok("recap", ASKING, "--json").json()["personal"]]
    doctor = kith.ok("doctor", "--json").json()
    assert doctor["ok"]
    assert doctor["checks"][-1]["detail"] == "1 note read by an older version of Kith, 1 with a story shared with " \
                                             "the team (kept as read)"


def test_a_story_shared_while_its_note_is_read_again_keeps_its_item(fresh, tmp_path):
    """A note is chosen to be read again, then another process shares a story of it before the write: the note
    keeps its items (the team's copy is known by the item); the next note is read again."""
    kith = older_copy(fresh, tmp_path)
    db = Database(kith.home / "kith.db")
    try:
        first, second = db.read_otherwise("this reading", limit=2)
        with db.transaction():
            db.conn.execute("UPDATE items SET shared = 1 WHERE id = ?", (db.note_items([first.id])[0].id,))
            assert db.set_reading(first.id, "this reading") is None
            assert db.set_reading(second.id, "this reading") == second.contact_id
    finally:
        db.close()


def test_a_note_kept_as_read_gets_the_pair_encoders_vectors_and_its_shared_story_is_sent_again(fresh, tmp_path):
    """A store of a Kith before the pair encoder: notes read again get its vectors; a note kept as read (its story
    is shared) gets them too, and its story waits to go to the team again, with them."""
    kith = older_copy(fresh, tmp_path)
    with sqlite3.connect(kith.home / "kith.db") as conn:
        conn.execute("UPDATE items SET paired = NULL")
        conn.execute("UPDATE items SET shared = 2 WHERE id = (SELECT i.id FROM items i JOIN contacts c ON c.id = "
                     "i.contact_id WHERE c.name = ? AND i.kind = 'solution' ORDER BY i.id LIMIT 1)", (SOLVER,))
        assert conn.execute("SELECT count(*) FROM items WHERE shared = 2").fetchone() == (1,)
    kith.ok("reindex")
    with sqlite3.connect(kith.home / "kith.db") as conn:
        assert conn.execute("SELECT count(*) FROM items WHERE paired IS NULL AND kind IN ('problem', 'solution')"
                            ).fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM items WHERE paired IS NOT NULL AND kind NOT IN "
                            "('problem', 'solution')").fetchone() == (0,)
        assert conn.execute("SELECT shared FROM items WHERE shared != 0").fetchall() == [(1,)]  # to be sent again

    def shown(matches):  # item ids are new for the notes read again
        return [(m["problem"]["contact"], m["problem"]["text"], m["solution"]["contact"], m["solution"]["text"],
                 m["score"]) for m in matches]

    assert shown(kith.ok("matches", "--json").json()) == shown(fresh["matches"])


def test_a_note_kept_as_read_has_its_story_read_by_a_retrained_pair_encoder(fresh, tmp_path, model_cache):
    """After the pair encoder is retrained, a note kept as read (its story is shared) does not keep the vector the
    earlier encoder read: its story is read by the new one, and waits to go to the team again, with it."""
    kith = older_copy(fresh, tmp_path)
    earlier = np.zeros(384, np.float32)
    earlier[0] = 1.0
    with sqlite3.connect(kith.home / "kith.db") as conn:
        conn.execute("UPDATE items SET shared = 2, paired = ? WHERE id = (SELECT i.id FROM items i JOIN contacts c "
                     "ON c.id = i.contact_id WHERE c.name = ? AND i.kind = 'solution' ORDER BY i.id LIMIT 1)",
                     (earlier.tobytes(), SOLVER))
        conn.execute("INSERT INTO meta(key, value) VALUES ('paired_with', 'an earlier encoder') "
                     "ON CONFLICT DO UPDATE SET value = excluded.value")
    kith.ok("reindex")
    with sqlite3.connect(kith.home / "kith.db") as conn:
        (text, paired, shared), = conn.execute("SELECT text, paired, shared FROM items WHERE shared != 0").fetchall()
    assert shared == 1  # to be sent again
    now = Embedder(cache=model_cache).pair_vectors([text])[0]
    assert np.allclose(np.frombuffer(paired, np.float32), now, atol=1e-4)
