"""Garbage in: a clear one-line message and a non-zero exit, or success; never a half-written store."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Kith, tree_digest

GOOD = {"contact": "Ines Duarte", "date": "2026-09-14", "text": "Her team keeps missing deadlines."}


def line(**changes) -> str:
    return json.dumps({**GOOD, **changes})


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Kith:
    base = tmp_path_factory.mktemp("bad-input")
    kith = Kith(base / "home", base / "net.log")
    kith.ok("add", "--contact", "Marco Bellini", "--date", "2026-09-04", "Saturday no-shows are around 20%.")
    return kith


# (name, file content as bytes, words the message must contain)
BAD_FILES = [
    ("malformed json", b'{"contact": "A", "date": "2026-01-01", "text": "x"\n', ":1: not valid JSON"),
    ("second line broken", (line() + "\n{oops}\n").encode(), ":2: not valid JSON"),
    ("a list, not an object", b"[1, 2, 3]\n", ":1: expected a JSON object"),
    ("a bare string", b'"hello"\n', ":1: expected a JSON object"),
    ("missing contact", json.dumps({"date": "2026-01-01", "text": "x"}).encode(), "contact: missing"),
    ("missing date", json.dumps({"contact": "A", "text": "x"}).encode(), "date: missing"),
    ("missing text", json.dumps({"contact": "A", "date": "2026-01-01"}).encode(), "text: missing"),
    ("contact is a number", line(contact=42).encode(), "contact"),
    ("text is a list", line(text=["a", "b"]).encode(), "text"),
    ("tags is a string", line(tags="x").encode(), "tags"),
    ("unknown field", line(mood="happy").encode(), "mood"),
    ("empty contact", line(contact="   ").encode(), "needs a contact name"),
    ("empty text", line(text=" \n ").encode(), "the note is empty"),
    ("impossible date", line(date="2026-02-30").encode(), "date"),
    ("ambiguous date", line(date="03/04/2026").encode(), "date"),
    ("words for a date", line(date="next Tuesday").encode(), "date"),
    ("date is a number", line(date=20260101).encode(), "date"),
    ("invalid utf-8", b'{"contact": "A\xff\xfe", "date": "2026-01-01", "text": "x"}\n', "not UTF-8"),
    ("binary file", bytes(range(256)) * 8, "not UTF-8"),
    ("empty file", b"", "no notes in the file"),
    ("only blank lines", b"\n\n  \n", "no notes in the file"),
    ("a 5 MB note", line(text="word " * 1_100_000).encode(), "text"),
    ("bad line after 3 good", ("\n".join([line(text=f"note {i}") for i in range(3)]) + "\n{\n").encode(), ":4:"),
]


@pytest.mark.parametrize("name, content, message", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_import_files(store, tmp_path, name, content, message):
    path = tmp_path / "notes.jsonl"
    path.write_bytes(content)
    before = tree_digest(store.home)
    result = store("import", str(path))
    assert result.code != 0
    assert message in result.err, result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert tree_digest(store.home) == before


BAD_COMMANDS = [
    (("import", "/nonexistent/notes.jsonl"), "no such file"),
    (("import", "/"), "is a directory"),
    (("recap", "Nobody Here"), "no contact named"),
    (("matches", "--contact", "Nobody Here"), "no contact named"),
    (("search", "hiring", "--contact", "Nobody Here"), "no contact named"),
    (("search", ""), "empty"),
    (("search", "x" * 10_000), "too long"),
    (("search", "hiring", "--limit", "-1"), "--limit"),
    (("search", "hiring", "--limit", "0"), "--limit"),
    (("search", "hiring", "--limit", "99999999999999999999"), "--limit"),
    (("search", "hiring", "--limit", "ten"), "--limit"),
    (("search", "hiring", "--kind", "gossip"), "--kind"),
    (("add", "--contact", "", "text"), "needs a contact name"),
    (("add", "--contact", "Marco Bellini", ""), "empty"),
    (("add", "--contact", "Marco Bellini", "--date", "the day after the party", "x"), "--date"),
    (("add", "--contact", "Marco Bellini", "--date", "2026-13-01", "x"), "--date"),
    (("done", "999999"), "no follow-up"),
    (("export", "--format", "pdf"), "--format"),
    (("export", "-o", "/nonexistent/folder/backup.json"), "no such folder"),
    (("export", "--format", "markdown", "-o", "/proc/kith-people"), "cannot write it"),
    (("add", "--contact", "Marco Bellini", "--date", "Oct 32", "x"), "not a real date"),
    (("frobnicate",), "invalid choice"),
]


@pytest.mark.parametrize("args, message", BAD_COMMANDS, ids=[" ".join(a)[:40] for a, _ in BAD_COMMANDS])
def test_bad_commands(store, args, message):
    before = tree_digest(store.home)
    result = store(*args)
    assert result.code != 0
    assert message in result.err, result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert tree_digest(store.home) == before


def test_what_must_work_does(store, tmp_path):
    """A BOM, CRLF line ends, duplicate lines, emoji and right-to-left text are all fine."""
    notes = [line(contact="Yael Cohen", text="הצוות שלה מתקשה בגיוס 🙈. Send her the deck tomorrow."),
             line(contact="Omar  Farouk", text="مرحبا — cash flow is tight 💸"),
             line(contact="omar farouk", text="He wants deposits up front.")]
    path = tmp_path / "notes.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join([*notes, notes[0]]).encode("utf-8") + b"\r\n")
    result = store.ok("import", str(path), "--json").json()
    assert result["added"] == 3 and result["skipped"] == 1  # the repeated line is the same note
    names = {c["name"] for c in store.ok("contacts", "--json").json()}
    assert {"Yael Cohen", "Omar Farouk"} <= names  # "omar farouk" is the same person
    hits = store.ok("search", "🙈 הצוות", "--json").json()
    assert hits[0]["contact"] == "Yael Cohen"
    due = [f for f in store.ok("followups", "--all", "--json").json() if f["contact"] == "Yael Cohen"]
    assert due and due[0]["due"] == "2026-09-15"
    assert store.ok("search", "hiring", "--limit", "10000", "--json").code == 0
