"""Kith on a store of ~100,000 items: search, the live panel, the matches list, cold commands, memory.

    python bench/scale.py                 # builds the store once (cached), prints the figures
    python bench/scale.py --items 20000   # a smaller store
    python bench/scale.py --common        # the curve of search.COMMON_SHARE: speed against exact answers

The demo network is imported for real; the rest are its items again under ~10,000 other
contacts, each vector jittered (cosine ~0.85 to the original; word-pieces as they were) so that near
neighbours are many, as in a large network where several people tell similar stories. The pairs
are scored by the same write-time code an import runs (`refresh_pairs`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import resource
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
from app.core import search as search_module  # noqa: E402
from app.core.capture import read_notes_file, save_notes  # noqa: E402
from app.core.matching import find_matches, refresh_pairs  # noqa: E402
from app.core.notebook import MATCHES_SHOWN  # noqa: E402
from app.core.preview import preview, solvers  # noqa: E402
from app.core.search import search  # noqa: E402
from app.core.understand import reading_version, understand  # noqa: E402
from app.store.store import Store  # noqa: E402
from models import Item  # noqa: E402

DEMO = ROOT / "data" / "demo" / "notes.jsonl"
ITEMS_PER_CONTACT = 10
QUERIES = [
    "who solved hiring problems", "who knows how to cut no-shows", "who fixed late invoices",
    "who struggles with machines breaking down", "who has kids starting school", "who runs marathons",
    "who got customers to pay on time", "who is dealing with staff burnout", "who lowered their energy bills",
    "who moved their team to a four-day week", "who has trouble keeping volunteers", "who loves sailing",
]
DRAFT = ("Met Dana Okafor, runs a chain of four bakeries. Her problem: bakers quit after a few months and "
         "the early shifts are impossible to fill. They also lose a lot of bread every evening. "
         "Her son just started university in Glasgow. Send her the rota article by Friday.")


def build(home: Path, items: int) -> float:
    """The store: the demo imported, then jittered copies of its items; returns seconds to score the pairs."""
    store = Store(Settings(home=home))
    save_notes(store, read_notes_file(DEMO))
    base = store.db.items()
    kinds = {item_id: every for item_id, _, _, _, every in store.db.item_facts([int(i.id or 0) for i in base])}
    pieces = store.db.pieces([int(i.id or 0) for i in base])
    ids, vectors = store.db.embeddings()
    row_of = {item_id: row for row, item_id in enumerate(ids)}
    rng = np.random.default_rng(7)
    sigma = 0.6 / np.sqrt(vectors.shape[1])
    with store.db.transaction():
        for n in range(items - len(base)):
            source = base[n % len(base)]
            if n % ITEMS_PER_CONTACT == 0:
                contact = store.db.ensure_contact(f"Scale Person {n // ITEMS_PER_CONTACT:05d}")
                note = store.db.insert_note(contact, dt.date(2025, 1, 1) + dt.timedelta(days=n % 600),
                                            f"scale note {n}", [], f"scale-{n}",
                                            reading=reading_version())  # its items are the store: never read again
            vector = vectors[row_of[source.id]] + rng.normal(0, sigma, vectors.shape[1]).astype(np.float32)
            store.db.insert_item(note, contact, Item(kind=source.kind, text=source.text, position=n % 7,
                                                     due=source.due, confidence=source.confidence),
                                 vector / np.linalg.norm(vector), kinds=kinds[source.id],
                                 pieces=pieces.get(int(source.id or 0)))
    start = time.perf_counter()
    refresh_pairs(store.db)
    scoring = time.perf_counter() - start
    store.close()
    return scoring


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def search_times(store: Store, rounds: int = 4) -> list[float]:
    """Seconds of each in-process search of QUERIES, every query once a round."""
    times = []
    for _ in range(rounds):
        for query in QUERIES:
            start = time.perf_counter()
            search(store, query)
            times.append(time.perf_counter() - start)
    return times


def in_process(home: Path) -> dict[str, float]:
    store = Store(Settings(home=home))
    store.embedder.load()
    search(store, "warm up")  # the first search reads the vectors into memory
    preview(store, DRAFT, dt.date(2026, 11, 2))
    searches = search_times(store)
    panels, matching = [], []
    for n in range(20):
        start = time.perf_counter()
        result = understand(DRAFT + f" Call number {n}.", dt.date(2026, 11, 2), store.embedder)
        middle = time.perf_counter()
        solvers(store, result, "Dana Okafor")
        panels.append(time.perf_counter() - start)
        matching.append(time.perf_counter() - middle)
    full, screen = [], []
    for _ in range(3):
        start = time.perf_counter()
        shown = find_matches(store.db)
        full.append(time.perf_counter() - start)
        start = time.perf_counter()
        find_matches(store.db, limit=MATCHES_SHOWN)
        screen.append(time.perf_counter() - start)
    figures = {
        "items": store.db.counts()["items"], "contacts": store.db.counts()["contacts"],
        "pairs_stored": store.db.conn.execute("SELECT count(*) FROM pairs").fetchone()[0],
        "matches_shown": len(shown),
        "search_p50_ms": 1000 * statistics.median(searches), "search_p95_ms": 1000 * percentile(searches, 95),
        "panel_matches_p50_ms": 1000 * statistics.median(matching),
        "panel_matches_p95_ms": 1000 * percentile(matching, 95),
        "panel_with_understanding_p50_ms": 1000 * statistics.median(panels),
        "matches_full_list_ms": 1000 * statistics.median(full),
        "matches_screen_best_1000_ms": 1000 * statistics.median(screen),
        "rss_in_process_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    store.close()
    return figures


PEAK = """
import atexit, sys
def peak():
    hwm = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")][0]
    print("PEAK_KIB", hwm.split()[1], file=sys.stderr)
atexit.register(peak)
from app.cli import main
sys.exit(main(sys.argv[1:]))
"""
"""Runs a kith command and reports its own peak resident memory (VmHWM: getrusage's would count the fork)."""


def cold(home: Path, runs: int = 5) -> dict[str, float]:
    """Cold commands, taken in turn (A B C A B C …) so a drift of the machine's speed hits each alike."""
    env = dict(os.environ, KITH_HOME=str(home))
    commands = {"recap": ["recap", "Scale Person 00042"], "matches": ["matches"],
                "search": ["search", "who solved hiring problems"]}
    times: dict[str, list[float]] = {label: [] for label in commands}
    peaks: dict[str, float] = {}
    for _ in range(runs):
        for label, args in commands.items():
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-c", PEAK, *args], env=env, cwd=ROOT, capture_output=True,
                                  text=True, check=True)
            times[label].append(time.perf_counter() - start)
            peak = float(proc.stderr.rsplit("PEAK_KIB ", 1)[1].split()[0]) / 1024
            peaks[label] = max(peaks.get(label, 0.0), peak)
    figures = {f"cold_{label}_s": statistics.median(ts) for label, ts in times.items()}
    ratios = [m / r for m, r in zip(times["matches"], times["recap"], strict=True)]
    figures["cold_matches_over_recap"] = statistics.median(ratios)
    figures.update({f"rss_{label}_mib": peak for label, peak in peaks.items()})
    return figures


def figures(items: int = 100_000, store: Path | None = None, measure=None) -> dict[str, float]:
    """Build the store once (kept, keyed by the schema), then measure it."""
    from app.core.matching import pairs_version
    from app.store.db import MIGRATIONS

    # Kept while the schema and the pair scoring stay the same (a store built by older code is migrated).
    schema = hashlib.sha256(("".join(MIGRATIONS) + pairs_version()).encode()).hexdigest()[:12]
    home = store or Path(tempfile.gettempdir()) / f"kith-scale-{items}-{schema}"
    if not (home / "kith.db").exists():
        shutil.rmtree(home, ignore_errors=True)
        start = time.perf_counter()
        scoring = build(home, items)
        print(f"built {home} in {time.perf_counter() - start:.0f} s (pairs scored in {scoring:.1f} s)",
              file=sys.stderr)
    if measure is not None:
        return measure(home)
    out = in_process(home)
    out.update(cold(home))
    return out


COMMON_SHARES = [0.01, 0.02, 0.05, 0.1, 1.0]
MORE_QUERIES = ["who has trouble with late payments", "onboarding new staff", "who fixed their cash flow this year",
                "who had customers not paying", "who knows about the new team schedule",
                "who works with a small team every day", "week", "who changed their opening hours for the summer"]


def common_curve(home: Path) -> None:
    """For each share of the items above which a word is common (search.COMMON_SHARE; 1.0: none is), the
    in-process search p50 / p95 and how many queries get the very hits of an exact word search."""
    store = Store(Settings(home=home))
    store.embedder.load()
    search(store, "warm up")
    queries = QUERIES + MORE_QUERIES
    search_module.COMMON_SHARE = 1.0
    exact = {query: [hit.item_id for hit in search(store, query)] for query in queries}
    print(f"{'share':>6}  {'p50 ms':>7}  {'p95 ms':>7}  same hits as exact")
    for share in COMMON_SHARES:
        search_module.COMMON_SHARE = share
        same = sum([hit.item_id for hit in search(store, query)] == exact[query] for query in queries)
        times = search_times(store)
        print(f"{share:>6}  {1000 * statistics.median(times):7.1f}  {1000 * percentile(times, 95):7.1f}  "
              f"{same}/{len(queries)}")
    store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--store", type=Path, help="where to keep the built store (default: a cache in /tmp)")
    ap.add_argument("--common", action="store_true", help="the curve of search.COMMON_SHARE instead")
    args = ap.parse_args()
    if args.common:
        figures(args.items, args.store, measure=common_curve)
        return
    result = figures(args.items, args.store)
    width = max(map(len, result))
    for key, value in result.items():
        print(f"  {key:<{width}}  {value:,.2f}" if isinstance(value, float) else f"  {key:<{width}}  {value:,}")
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()}))


if __name__ == "__main__":
    main()
