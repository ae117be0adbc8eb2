"""A store read by an older Kith: `kith doctor` says so, `kith reindex` reads its notes again and keeps what the
user did with the old readings."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

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
        conn.execute("UPDATE items SET text = ? WHERE id = ?", (f"{PROBLEM} She {PERSONAL}", problem))
        conn.execute("UPDATE items SET text = ? WHERE text = ?", (f"{TO_DO}, and ask how the wards took it", TO_DO))
        conn.execute("UPDATE notes SET reading = NULL")
        conn.execute("UPDATE meta SET value = 'older' WHERE key = 'pairs_version'")
    return Kith(home, tmp_path / "net.log")


def test_reindex_reads_an_older_store_again_keeping_ticks_intros_and_decisions(fresh, tmp_path):
    kith = older_copy(fresh, tmp_path)
    assert PERSONAL not in [p["text"] for p in kith.ok("recap", ASKING, "--json").json()["personal"]]
    tick_and_introduce(kith)
    doctor = kith("doctor", "--json")
    assert doctor.code == 1
    assert [c["detail"] for c in doctor.json()["checks"] if not c["ok"]] == [
        "53 notes read by an older version of Kith"]

    assert kith.ok("reindex", "--json").json() == {"indexed": 222, "read_again": 53}

    assert kith.ok("doctor", "--json").json()["ok"]
    recap = kith.ok("recap", ASKING, "--json").json()
    assert [p["text"] for p in recap["personal"]] == [p["text"] for p in fresh["recap"]["personal"]]
    assert recap["intros"][0]["step"] == "introduced"
    assert what_the_user_did(kith) == ([TO_DO], [(PROBLEM, SOLVER)])
    matches = kith.ok("matches", "--json").json()
    assert [(m["problem"]["text"], m["solution"]["text"]) for m in matches] == [
        (m["problem"]["text"], m["solution"]["text"]) for m in fresh["matches"]]  # as a fresh import's
    assert kith.ok("reindex", "--json").json()["read_again"] == 0  # read once


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
