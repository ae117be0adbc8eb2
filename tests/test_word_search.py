"""The word search: on a large store two halves are ranked side by side, with the answers of one query."""

from __future__ import annotations

import datetime as dt

import app.store.db as db_module
from app.store.db import Database
from models import Item, Kind

TEXTS = [
    "The team moved to a four-day week and nobody missed the fifth day.",
    "New hires leave within the first three months; the team is tired.",
    "A buddy for every new hire in the first month kept them.",
    "Saturday bookings are full of no-shows every week.",
    "A deposit on weekend tables cut the no-shows in a week.",
    "Invoices are paid 60 days late.",
    "Automatic reminders a week before each invoice is due.",
    "The kiln cracks one piece in five.",
    "Her daughter starts school in September; the team sent flowers.",
    "Moved house in the spring, out towards the coast, four days of boxes.",
]
QUERIES = ["team", "week", "the", "moved team four day week", "who fixed late invoices", "no-shows deposit",
           "kiln", "school daughter", "first month new hires", "nothing matches this"]


def test_a_large_store_is_ranked_in_two_halves_with_the_answers_of_one_query(tmp_path, monkeypatch):
    db = Database(tmp_path / "kith.db")
    with db.transaction():
        contact = db.ensure_contact("Lena Ortiz")
        note = db.insert_note(contact, dt.date(2026, 10, 1), "notes", [], "digest")
        for n in range(3_000):  # each text many times: many items tie, also at the 200th place
            db.insert_item(note, contact, Item(kind=Kind.NOTE, text=TEXTS[n * 7 % len(TEXTS)], position=n), None)
    monkeypatch.setattr(db_module, "WORD_SEARCH_SPLIT", 10**9)
    one = {query: db.keyword_search(query, 200) for query in QUERIES}

    ranked = []
    monkeypatch.setattr(db_module, "WORD_SEARCH_SPLIT", 1_000)
    monkeypatch.setattr(db_module, "_ranked", lambda reader, where, args: ranked.append(where) or
                        reader.execute(db_module._RANKED.format(where), args).fetchall())
    halves = {query: db.keyword_search(query, 200) for query in QUERIES}
    assert sorted({where.strip() for where in ranked}) == ["AND rowid <= ?", "AND rowid > ?"]
    assert halves == one
    assert len(one["team"]) == 200 and len({score for _, score in one["team"]}) < 200  # ties at the cut
    assert one["nothing matches this"] == []
    db.close()


CRACKS = "The kiln cracks a pot every week."
FIXED = "The kiln was fixed by a potter friend of ours last spring."


def test_common_words_add_to_the_scores_of_items_found_by_rarer_words(tmp_path, monkeypatch):
    """A word in most items ("week") makes no item a candidate when the rarer words find enough; it still
    counts in their scores. Where the rarer words find too few, every item with a word is ranked."""
    from app.core import search as search_module

    db = Database(tmp_path / "kith.db")
    with db.transaction():
        contact = db.ensure_contact("Lena Ortiz")
        note = db.insert_note(contact, dt.date(2026, 10, 1), "notes", [], "digest")
        texts = ([CRACKS] * 3 + [FIXED] * 3 + ["Week after week after week, week."] * 7 + ["Rain all day."] * 27)
        for n, text in enumerate(texts):
            db.insert_item(note, contact, Item(kind=Kind.NOTE, text=text, position=n), None)
    shares = db.word_shares("kiln week")
    assert shares == {"kiln": 6 / 40, "week": 10 / 40}

    class Store:  # what the word search reads of a store
        pass

    store = Store()
    store.db = db
    monkeypatch.setattr(search_module, "COMMON_SHARE", 0.2)
    monkeypatch.setattr(search_module, "CANDIDATES", 5)
    found = search_module._rarer_words_first(store, "kiln week")
    texts_by_id = {i.id: i.text for i in db.items()}
    assert [texts_by_id[i] for i, _ in found] == [CRACKS] * 3 + [FIXED] * 2
    assert found == db.keyword_search("kiln week", 5, among=["kiln"])
    assert found[0][1] > found[3][1]  # "week" adds to the score of the items that also have it
    assert "Week after week after week, week." in [texts_by_id[i] for i, _ in db.keyword_search("kiln week", 5)]

    monkeypatch.setattr(search_module, "CANDIDATES", 10)  # the six kiln items are too few: all are ranked
    assert search_module._rarer_words_first(store, "kiln week") == db.keyword_search("kiln week", 10)
    db.close()
