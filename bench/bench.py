"""Kith's speed in one run, as ratios to yardsticks measured beside it (this machine's speed drifts 2x).

    python bench/bench.py                  # everything below
    python bench/bench.py --skip-scale     # without the 100,000-item store (built once, ~10 min)

- cold `kith search` and cold `kith add` against cold `kith recap` (demo store; taken in turn, the
  ratio of each round, median of 7);
- the first screen on a 10,000-contact store against a bare Textual app (bench/startup.py);
- import throughput against the raw encoder on the same sentences, same backend (median of 7);
- the 100,000-item store: search p95, the live panel, the matches list, cold matches against recap,
  memory (bench/scale.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from app.config import Settings  # noqa: E402
from app.core.capture import read_notes_file, save_notes  # noqa: E402
from app.core.sentences import split  # noqa: E402
from app.store.embedder import Embedder  # noqa: E402
from app.store.store import Store  # noqa: E402

DEMO = ROOT / "data" / "demo" / "notes.jsonl"
ROUNDS = 7


def run(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "app.cli", *args], env=env, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def cold_commands() -> dict[str, float]:
    """recap, search, add in turn, ROUNDS times; each command's median and its median ratio to recap."""
    home = Path(tempfile.mkdtemp(prefix="kith-bench-"))
    env = dict(os.environ, KITH_HOME=str(home))
    subprocess.run([sys.executable, "-m", "app.cli", "import", str(DEMO)], env=env, check=True,
                   capture_output=True, cwd=ROOT)
    times: dict[str, list[float]] = {"recap": [], "search": [], "add": []}
    run(["recap", "Fiona MacLeod"], env)  # warm the disk cache
    for n in range(ROUNDS):
        times["recap"].append(run(["recap", "Fiona MacLeod"], env))
        times["search"].append(run(["search", "who fixed late payments"], env))
        times["add"].append(run(["add", "--contact", "Bench Person", f"Round {n}: their new hires keep leaving "
                                 "within a month. Send her the onboarding checklist by Friday."], env))
    shutil.rmtree(home)
    out = {f"cold {label} s": statistics.median(ts) for label, ts in times.items()}
    for label in ("search", "add"):
        out[f"cold {label} / recap"] = statistics.median(
            a / b for a, b in zip(times[label], times["recap"], strict=True))
    return out


def import_throughput() -> dict[str, float]:
    """Sentences per second of a whole import (understand, store, score pairs) and of the bare encoder."""
    notes = read_notes_file(DEMO)
    sentences = [s.text for n in notes for s in split(n.text)]
    embedder = Embedder()
    embedder.encode(sentences[:8])  # load the model before timing
    kith, raw = [], []
    for _ in range(ROUNDS):
        home = Path(tempfile.mkdtemp(prefix="kith-bench-"))
        store = Store(Settings(home=home), embedder=embedder)
        start = time.perf_counter()
        save_notes(store, notes)
        kith.append(time.perf_counter() - start)
        store.close()
        shutil.rmtree(home)
        start = time.perf_counter()
        embedder.encode(sentences)
        raw.append(time.perf_counter() - start)
    return {"import sentences/s": len(sentences) / statistics.median(kith),
            "raw encoder sentences/s": len(sentences) / statistics.median(raw),
            "import / raw encoder": statistics.median(r / k for k, r in zip(kith, raw, strict=True))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--skip-scale", action="store_true")
    ap.add_argument("--skip-startup", action="store_true")
    args = ap.parse_args()
    figures: dict[str, float] = {}
    figures.update(cold_commands())
    figures.update(import_throughput())
    if not args.skip_startup:
        import startup

        figures.update(startup.figures())
    if not args.skip_scale:
        import scale

        figures.update({f"100k {k}": v for k, v in scale.figures().items()})
    width = max(map(len, figures))
    for key, value in figures.items():
        print(f"{key:<{width}}  {value:10,.3f}" if isinstance(value, float) else f"{key:<{width}}  {value:10,}")


if __name__ == "__main__":
    main()
