"""A team on one index server: two members' notebooks, one shared story, and the server read directly."""

from __future__ import annotations

import base64
import json
import sqlite3
from unittest.mock import ANY

import numpy as np

from tests.conftest import on_server, own_index_server

SHARED = ("Sana's restaurant used to lose Saturday tables to no-shows until she started taking a 10 pound deposit "
          "with every booking.")
MARIA = [  # Maria's notebook: one story she will share, the rest hers alone
    {"contact": "Sana Qureshi", "date": "2026-10-02", "text": SHARED},
    {"contact": "Tom Reed", "date": "2026-10-05",
     "text": "Tom's daughter Ivy just started violin lessons. What finally fixed his late invoices was sending "
             "them the same day the work is done."},
    {"contact": "Lena Vogt", "date": "2026-10-07", "text": "Lena's bakery keeps losing its early-shift bakers."},
]
KEPT_WORDS = ["Ivy", "violin", "invoices", "Tom Reed", "Lena", "bakers"]
"""Words of Maria's unshared notes: none may be anywhere on the server."""


def items(kith) -> int:
    with sqlite3.connect(kith.home / "kith.db") as db:
        return db.execute("SELECT count(*) FROM items").fetchone()[0]


def everything_on(server) -> dict[str, list[dict]]:
    """Every record of every collection of every database on the server, read past the proxy."""
    found = {}
    for database in server.databases():
        client = server.direct(database)
        for collection in client.list_collections():
            got = collection.get(include=["documents", "metadatas"])
            found[f"{database}/{collection.name}"] = [
                {"id": i, "document": d, "metadata": m}
                for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)]
    return found


def unit_vector(text: str) -> bool:
    vector = np.frombuffer(base64.b64decode(text), np.float32)
    return vector.shape == (384,) and bool(np.isclose(np.linalg.norm(vector), 1.0, atol=1e-4))


def test_two_members_see_their_own_notes_and_only_a_shared_story_crosses(tmp_path):
    server = own_index_server(tmp_path / "server")
    try:
        maria = on_server(tmp_path / "maria", tmp_path / "maria.log", server)
        ana = on_server(tmp_path / "ana", tmp_path / "ana.log", server)
        notes = tmp_path / "maria.jsonl"
        notes.write_text("".join(json.dumps(n) + "\n" for n in MARIA))
        maria.ok("import", str(notes))
        ana.ok("add", "--contact", "Marco Bellini", "--date", "2026-10-20",
               "Marco's restaurant loses a fifth of its Saturday tables to no-shows. His invoices go out late too.")

        assert ana.ok("matches", "--team", "--json").json() == []  # nothing shared yet
        assert {h["contact"] for h in ana.ok("search", "who fixed late invoices", "--json").json()} == {
            "Marco Bellini"}  # each sees their own notes
        assert "Marco Bellini" not in maria.ok("search", "restaurant no-shows").out

        stories = maria.ok("share", "--contact", "Sana Qureshi", "--json").json()
        assert [(s["text"], s["state"]) for s in stories] == [(SHARED, "kept")]
        first = maria("share", str(stories[0]["id"]))
        assert first.code == 1 and "--as 'Your Name'" in first.err and len(first.err.strip().splitlines()) == 1
        maria.ok("share", str(stories[0]["id"]), "--as", "Maria Lopez")

        team = ana.ok("matches", "--team", "--json").json()
        assert [(m["problem"]["contact"], m["solution"]["member"], m["solution"]["contact"], m["solution"]["text"])
                for m in team] == [("Marco Bellini", "Maria Lopez", "Sana Qureshi", SHARED)]
        assert "ask Maria Lopez: their contact Sana Qureshi solved this" in ana.ok("matches", "--team").out
        assert maria.ok("matches", "--team", "--json").json() == []  # my own story is no colleague's

        on_it = everything_on(server)
        shared = on_it.pop("kith-team/shared_stories")
        assert [(r["document"], r["metadata"]) for r in shared] == [
            (SHARED, {"solver": "Sana Qureshi", "member": "Maria Lopez", "paired": ANY, "paired_with": ANY})]
        assert all(unit_vector(r["metadata"]["paired"]) for r in shared)  # the pair encoder's, read from the text
        homes = [r for records in on_it.values() for r in records]
        assert len(homes) == items(maria) + items(ana)  # each home's own items, with no text and no name
        assert all(r["document"] is None and set(r["metadata"]) == {"note_id", "contact_id", "kind", "date"}
                   for r in homes)
        dump = json.dumps(on_it) + json.dumps(shared)
        assert not [word for word in KEPT_WORDS if word in dump]

        maria.ok("share", str(stories[0]["id"]), "--undo")
        assert ana.ok("matches", "--team", "--json").json() == []
        assert everything_on(server)["kith-team/shared_stories"] == []
    finally:
        server.stop()
    assert maria.network_attempts() == [] and ana.network_attempts() == []


def test_sharing_needs_a_team_server(kith):
    kith.ok("add", "--contact", "Sana Qureshi", SHARED)
    result = kith("share", "1", "--as", "Maria Lopez")
    assert result.code == 1 and "a team shares stories on its index server" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_a_shared_story_without_a_readable_pair_vector_is_scored_with_it_estimated():
    """An older Kith's story (no vector), one read by another pair encoder (a colleague's Kith before or after a
    retrained one) or a value written by something else never breaks the team's panel: it has none (its row NaN,
    which the pair scorer estimates); a vector written is read back as it was."""
    from app.store.embedder import paired_rows
    from app.store.team import PAIRED, PAIRED_WITH, pair_metadata, pair_vector

    vector = np.linspace(-1, 1, 384, dtype=np.float32)
    assert np.array_equal(pair_vector(pair_metadata(vector)), vector)
    written = pair_metadata(vector)
    unreadable = [{}, {**written, PAIRED: "not base64 at all!"}, pair_metadata(vector[:10]), {**written, PAIRED: 0.5},
                  {**written, PAIRED_WITH: "another encoder"}, {PAIRED: written[PAIRED]}]
    assert all(pair_vector(metadata) is None for metadata in unreadable)
    assert np.isnan(paired_rows([pair_vector(metadata) for metadata in unreadable])).all()
