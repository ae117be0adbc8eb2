"""Kith's speed, as medians: import throughput, cold CLI commands, search on 10,000 items.

    python bench/bench.py            # prints the figures
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.config import Settings  # noqa: E402
from app.core.capture import read_notes_file, save_notes  # noqa: E402
from app.core.matching import find_matches  # noqa: E402
from app.core.search import search  # noqa: E402
from app.core.sentences import split  # noqa: E402
from app.store.store import Store  # noqa: E402
from models import Item, Kind  # noqa: E402

DEMO = ROOT / "data" / "demo" / "notes.jsonl"
RUNS = 5


def median_time(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def import_throughput(store_embedder) -> tuple[float, float, int]:
    notes = read_notes_file(DEMO)
    sentences = [s.text for n in notes for s in split(n.text)]
    store_embedder.encode(sentences[:8])  # load the model before timing

    def kith_import():
        home = Path(tempfile.mkdtemp(prefix="kith-bench-"))
        store = Store(Settings(home=home), embedder=store_embedder)
        save_notes(store, notes)
        store.close()
        shutil.rmtree(home)

    kith = median_time(kith_import, 3)
    raw = median_time(lambda: store_embedder.encode(sentences), 3)
    return len(sentences) / kith, len(sentences) / raw, len(sentences)


def cold_commands() -> dict[str, float]:
    home = Path(tempfile.mkdtemp(prefix="kith-bench-"))
    env = dict(os.environ, KITH_HOME=str(home))
    kith = [sys.executable, "-m", "app.cli"]
    subprocess.run([*kith, "import", str(DEMO)], env=env, check=True, capture_output=True, cwd=ROOT)
    figures = {}
    for label, args in (("search", ["search", "who fixed late payments"]), ("recap", ["recap", "Fiona MacLeod"]),
                        ("matches", ["matches"])):
        figures[label] = median_time(
            lambda a=args: subprocess.run([*kith, *a], env=env, check=True, capture_output=True, cwd=ROOT))
    shutil.rmtree(home)
    return figures


def on_10k(embedder) -> tuple[float, float, int]:
    """A store of 10,000 items (demo sentences, embeddings jittered), then in-process search and
    matching latency."""
    home = Path(tempfile.mkdtemp(prefix="kith-bench-"))
    store = Store(Settings(home=home), embedder=embedder)
    notes = read_notes_file(DEMO)
    save_notes(store, notes)
    items = store.db.items()
    ids, vectors = store.db.embeddings()
    rng = np.random.default_rng(7)
    kinds = list(Kind)
    with store.db.transaction():
        for n in range(10_000 - len(items)):
            base = vectors[n % len(vectors)] + rng.normal(0, 0.02, vectors.shape[1]).astype(np.float32)
            contact = store.db.ensure_contact(f"Synthetic Person {n // 20}")
            note = store.db.insert_note(contact, dt.date(2026, 1, 1), f"note {n}", [], f"synthetic-{n}")
            text = items[n % len(items)].text
            store.db.insert_item(note, contact, Item(kind=kinds[n % len(kinds)], text=text, position=0),
                                 base / np.linalg.norm(base))
    store.index()  # sync the 10k into Chroma
    total = store.db.counts()["items"]
    search(store, "warm up")
    queries = ["who fixed late payments", "who has a dog", "who struggles with hiring", "Vasaloppet",
               "who knows how to cut no-shows"]
    latency = statistics.median(median_time(lambda q=q: search(store, q), 3) for q in queries)
    matching = median_time(lambda: find_matches(store.db), 3)
    store.close()
    shutil.rmtree(home)
    return latency, matching, total


def main() -> None:
    from app.store.embedder import Embedder

    embedder = Embedder()
    kith_rate, raw_rate, n = import_throughput(embedder)
    print(f"import throughput   kith {kith_rate:7.1f} sentences/s   raw encoder {raw_rate:7.1f} sentences/s"
          f"   ratio {kith_rate / raw_rate:.2f}   ({n} sentences, median of 3)")
    latency, matching, total = on_10k(embedder)
    print(f"search latency      {latency * 1000:7.1f} ms in-process on {total} items (median of 5 queries x 3)")
    print(f"matching latency    {matching * 1000:7.1f} ms in-process on {total} items (median of 3)")
    for label, seconds in cold_commands().items():
        print(f"cold kith {label:<9} {seconds:7.2f} s wall (median of {RUNS})")
    print(json.dumps({"import_sentences_per_s": round(kith_rate, 1), "raw_sentences_per_s": round(raw_rate, 1),
                      "search_ms_10k": round(latency * 1000, 1), "matches_ms_10k": round(matching * 1000, 1)}))


if __name__ == "__main__":
    main()
