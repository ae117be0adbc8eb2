"""The embedded vector index: a scan beside a large store's word search takes one BLAS thread, same answers."""

from __future__ import annotations

import datetime as dt

import numpy as np
from threadpoolctl import threadpool_info

import app.store.vectors as vectors
from app.store.db import Database
from app.store.vectors import FlatIndex
from models import Item, Kind


def _blas_threads() -> list[int]:
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


def test_a_scan_beside_a_word_search_on_a_large_store_is_exact_and_on_one_blas_thread(tmp_path, monkeypatch):
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

    seen = []
    real = vectors.one_blas_thread

    def watched():
        seen.append(_blas_threads())
        limit = real()
        seen.append(_blas_threads())
        return limit

    monkeypatch.setattr(vectors, "one_blas_thread", watched)
    before = _blas_threads()
    assert index.query(query, 50, beside_word_search=True) == alone  # a small store: BLAS as it is
    assert seen == []
    monkeypatch.setattr(vectors, "WORD_SEARCH_SPLIT", 500)
    assert index.query(query, 50, beside_word_search=True) == alone
    assert seen and all(n == 1 for n in seen[-1])
    assert _blas_threads() == before  # given back after the scan
    db.close()
