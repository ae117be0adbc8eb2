"""Nothing lost, nothing leaked: real kills, real damage, real garbage."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import time
from collections.abc import Iterator

import pytest

from tests.conftest import DEMO, Kith, imported_demo


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict:
    """Counts of a clean import of the demo network, to compare damaged stores against."""
    kith = imported_demo(tmp_path_factory, "reference")
    doctor = kith.ok("doctor", "--json").json()
    hits = kith.ok("search", "who fixed restaurant no-shows", "--limit", "3", "--json").json()
    matches = kith.ok("matches", "--json").json()
    return {"kith": kith, "records": doctor["checks"][1]["detail"], "top": hits[0]["contact"], "matches": matches}


def fresh_copy(reference, tmp_path) -> Kith:
    home = tmp_path / "home"
    shutil.copytree(reference["kith"].home, home)
    return Kith(home, tmp_path / "net.log")


def killed(kith: Kith, delays: tuple[float, ...], *args: str) -> Iterator[bool]:
    """`kith ARGS` started and killed (SIGKILL) after each delay in turn; yields whether a store exists by then."""
    for delay in delays:
        proc = kith.start(*args, output=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        yield (kith.home / "kith.db").exists()


# ------------------------------------------------------------ the index is disposable


@pytest.mark.parametrize("leftover", ["deleted", "garbage"])
def test_an_old_index_folder_never_matters(reference, tmp_path, leftover):
    """Vectors are searched where SQLite keeps them: an index folder of an earlier Kith is removed unread."""
    kith = fresh_copy(reference, tmp_path)
    if leftover == "garbage":
        (kith.home / "index" / "chroma").mkdir(parents=True)
        (kith.home / "index" / "chroma" / "chroma.sqlite3").write_bytes(os.urandom(2048))
    hits = kith.ok("search", "who fixed restaurant no-shows", "--limit", "3", "--json").json()
    assert hits[0]["contact"] == reference["top"]
    assert not (kith.home / "index").exists()
    doctor = kith.ok("doctor", "--json").json()
    assert doctor["ok"] and doctor["checks"][1]["detail"] == reference["records"]


def test_reindex_counts_every_item(reference, tmp_path):
    kith = fresh_copy(reference, tmp_path)
    result = kith.ok("reindex", "--json").json()
    assert result["indexed"] == int(reference["records"].split(", ")[2].split()[0])
    doctor = kith.ok("doctor")
    assert doctor.code == 0 and doctor.out.splitlines()[0] == f"The store at {kith.home}:"  # which store it checked


def pairs_of(matches: list[dict]) -> list[tuple[str, str]]:
    return [(m["problem"]["contact"], m["solution"]["contact"]) for m in matches]


def test_a_store_from_before_word_pieces_still_matches_and_reindex_keeps_them(reference, tmp_path):
    """Items stored before Kith kept their word-pieces are matched on the rest (doctor says so) until
    `kith reindex` keeps them: then the matches are a fresh import's."""
    kith = fresh_copy(reference, tmp_path)
    with sqlite3.connect(kith.home / "kith.db") as conn:
        conn.execute("UPDATE items SET piece_ids = NULL, pieces = NULL")
        conn.execute("UPDATE meta SET value = 'older' WHERE key = 'pairs_version'")
    older = kith.ok("matches", "--json").json()
    assert len(set(pairs_of(older)) & set(pairs_of(reference["matches"]))) >= len(reference["matches"]) // 2
    doctor = kith("doctor", "--json")
    assert doctor.code != 0
    assert [c["name"] for c in doctor.json()["checks"] if not c["ok"]] == ["word-pieces"]
    kith.ok("reindex")
    assert kith.ok("doctor", "--json").json()["ok"]
    assert pairs_of(kith.ok("matches", "--json").json()) == pairs_of(reference["matches"])


# ---------------------------------------------------------------- import survives a kill


def test_import_killed_at_any_point_leaves_a_consistent_store(reference, tmp_path):
    kith = Kith(tmp_path / "home", tmp_path / "net.log")
    for stored in killed(kith, (0.3, 3.0, 6.0, 8.5, 10.0), "import", str(DEMO)):
        if stored:
            # The index may lag a kill after the commit (doctor then says so); the database may not.
            records = kith("doctor", "--json").json()["checks"]
            assert records[0]["detail"] == "integrity ok"
            notes = int(records[1]["detail"].split(", ")[1].split()[0])
            assert notes in (0, 53)  # all or nothing
    kith.ok("import", str(DEMO))
    doctor = kith.ok("doctor", "--json").json()
    assert doctor["ok"], doctor
    assert doctor["checks"][1]["detail"] == reference["records"]  # no duplicate notes, contacts or items


def test_a_killed_contacts_import_run_again_leaves_no_one_twice(tmp_path):
    import csv

    source = tmp_path / "Connections.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        handle.write('Notes:\n"Some email addresses may be missing."\n\n')
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"])
        writer.writerows([f"Rhea{n}", "Calder", f"https://www.linkedin.com/in/rhea-{n}", "", "Orbit", "Lead",
                          "09 Oct 2026"] for n in range(6000))
    kith = Kith(tmp_path / "home", tmp_path / "net.log")
    for stored in killed(kith, (0.5, 1.0, 1.5), "import", str(source)):
        if stored:
            assert len(kith.ok("contacts", "--json").json()) in (0, 6000)  # all or nothing
    kith.ok("import", str(source))
    urls = [c["linkedin_url"] for c in kith.ok("contacts", "--json").json()]
    assert len(urls) == len(set(urls)) == 6000


# ------------------------------------------------------------------ two processes, one store

OPEN_APP = """
import sys
from app.config import Settings
from app.core.notebook import Notebook
notebook = Notebook(Settings(home=sys.argv[1]))
notebook.changed_elsewhere()
print(len(notebook.contacts()), flush=True)
sys.stdin.readline()
print(notebook.changed_elsewhere(), len(notebook.contacts()), flush=True)
"""
HOLD_WRITE = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1] + "/kith.db", isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("writing", flush=True)
time.sleep(60)
"""


def test_kith_add_works_while_the_app_is_open_and_the_app_sees_it(reference, tmp_path):
    kith = fresh_copy(reference, tmp_path)
    app = kith.python(OPEN_APP, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        before = int(app.stdout.readline())
        assert kith.ok("add", "--contact", "Ana Lima", "She struggles with hiring.").code == 0
        app.stdin.write("\n")
        app.stdin.flush()
        assert app.stdout.readline().split() == ["True", str(before + 1)]
    finally:
        app.kill()
        app.wait()


def test_a_write_held_too_long_elsewhere_is_one_line_and_nothing_written(reference, tmp_path):
    kith = fresh_copy(reference, tmp_path)
    holder = kith.python(HOLD_WRITE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == "writing"
        result = kith("add", "--contact", "Ana Lima", "She struggles with hiring.")
        assert result.code == 1
        assert "busy with another Kith process" in result.err and len(result.err.strip().splitlines()) == 1
        assert kith.ok("recap", "Marco Bellini").code == 0  # readers are never blocked
    finally:
        holder.kill()
        holder.wait()
    assert kith.ok("doctor", "--json").json()["checks"][1]["detail"] == reference["records"]


def test_two_writers_at_once_both_complete(reference, tmp_path):
    kith = fresh_copy(reference, tmp_path)
    procs = [kith.start("add", "--contact", name, text, KITH_LOCK_TIMEOUT="30")
             for name, text in (("Ana Lima", "Her team keeps missing deadlines."),
                                ("Ben Ode", "What fixed their deadlines was a weekly planning hour."))]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    doctor = kith.ok("doctor", "--json").json()
    assert doctor["ok"] and "30 contacts, 55 notes" in doctor["checks"][1]["detail"]


# ---------------------------------------------------------------------- what the user owns


def test_export_then_import_into_an_empty_home_reproduces_everything(reference, tmp_path):
    from app.config import Settings
    from app.core.notebook import Notebook

    kith = fresh_copy(reference, tmp_path)
    notebook = Notebook(Settings(home=kith.home))
    marco = notebook.find_contact("Marco Bellini")
    notebook.update_contact(marco.model_copy(update={"company": "Trattoria Bellini", "location": "Bristol",
                                                     "tags": ["restaurants"]}))
    followup = notebook.followups()[0]
    notebook.set_done(followup.id, True)
    matches = notebook.matches()
    from models import Decision

    notebook.decide(matches[0], Decision.INTRODUCED)
    notebook.decide(matches[1], Decision.NOT_A_FIT)
    notebook.close()
    exported = tmp_path / "export.json"
    kith.ok("export", "--format", "json", "-o", str(exported))
    original = json.loads(exported.read_text())

    restored = Kith(tmp_path / "restored", tmp_path / "net2.log")
    restored.ok("import", str(exported))
    again = json.loads(restored.ok("export", "--format", "json").out)
    assert again["contacts"] == original["contacts"]
    assert again["notes"] == original["notes"]
    assert [(f["contact"], f["text"], f["due"], f["done"]) for f in again["followups"]] == \
        [(f["contact"], f["text"], f["due"], f["done"]) for f in original["followups"]]
    assert again["decisions"] == original["decisions"] and len(again["decisions"]) == 2
    restored.ok("import", str(exported))  # twice: nothing added
    assert json.loads(restored.ok("export").out)["notes"] == original["notes"]


# ----------------------------------------------------------------------------- privacy


def test_the_home_is_private(reference):
    home = reference["kith"].home
    for path in [home, *home.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert not mode & 0o077, f"{path} is {oct(mode)}"


def test_no_connection_is_ever_attempted(reference):
    kith = reference["kith"]
    kith.ok("search", "who has a dog")
    kith.ok("matches")
    kith.ok("recap", "Sven Lindqvist")
    kith.ok("export", "--format", "markdown")
    assert kith.network_attempts() == []
