"""The embedded vector index: a scan beside a large store's word search runs on one thread, same answers."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import app.store.vectors as vectors
from app.store.db import Database
from app.store.vectors import FlatIndex
from models import Item, Kind


def test_a_scan_beside_a_word_search_on_a_large_store_is_numpys_own_loop_with_the_same_answers(tmp_path, monkeypatch):
    rng = np.random.default_rng(3)
    db = Database(tmp_path / "kith.db")
    with db.transaction():
        contact = db.ensure_contact("Lena Ortiz")
        note = db.insert_note(contact, dt.date(2026, 10, 1), "notes", [], "digest")
        for n in range(600):
            vector = rng.normal(size=384).astype(np.float32)
            db.insert_item(note, contact, Item(kind=Kind.NOTE, text=f"item {n}", position=n),
                           vector / np.linalg.norm(vector))
    index = FlatIndex(db)
    query = rng.normal(size=384).astype(np.float32)
    alone = index.query(query, 50)

    loops = []
    einsum = np.einsum
    monkeypatch.setattr(np, "einsum", lambda *args, **kw: loops.append(args[0]) or einsum(*args, **kw))
    assert index.query(query, 50, beside_word_search=True) == alone  # a small store: BLAS as always
    assert loops == []
    monkeypatch.setattr(vectors, "WORD_SEARCH_SPLIT", 500)
    beside = index.query(query, 50, beside_word_search=True)
    assert loops == ["ij,j->i"]
    assert [i for i, _ in beside] == [i for i, _ in alone]
    assert [s for _, s in beside] == pytest.approx([s for _, s in alone], abs=1e-6)
    db.close()
