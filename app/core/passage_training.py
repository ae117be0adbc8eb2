"""Fit how a run-on sentence is read as clauses, scored leave-one-set-out.

    python -m app.core.passage_training     # the curve per set, writes data/passages.json

Dictated notes run on for a whole call: one "sentence" holds who the person is, their problem,
their daughter's news and the user's to-do, and read whole it is one item of one kind. Cut at
its commas it is several clauses, each classified in its context, the neighbours of one kind
merged again into one story. Where a sentence is long enough to cut (`longest` words) and how
short a clause may stand alone (`shortest`) are chosen here: for each pair in the grid every
labelled set is read by a sentence classifier fit without it and its matches scored by a pair
scorer fit without it (app.core.pair_training), and the pair whose worst sets' F1 is best wins
(training.worst_sets). On twenty styles (2026-12-04) the curve is flat and prefers never cutting (worst
four F1 0.214 against 0.187 at 45 words); refit whole on that, the shared voice memos fall apart (recall@3
0.778 → 0.444), so data/passages.json keeps 45 words until a word-level measure of reading chooses it
(README, tenth session).
"""

from __future__ import annotations

import json
import sys

from app.core.pair_training import cross_fitted_sets, held_out_grid
from app.core.sentences import PASSAGES, trying
from app.core.training import chosen_c, worst_sets
from app.store.embedder import Embedder

GRID = ((25, 6), (45, 6), (70, 6), (10_000, 6))
"""(longest, shortest) tried; 10,000 words is never cutting at all."""


def main() -> int:
    embedder = Embedder()
    results = {}
    for cut in GRID:
        with trying(cut):
            grid, choice = held_out_grid(cross_fitted_sets(embedder, chosen_c()))
        results[cut] = grid[choice]
        worst = min(results[cut].values(), key=lambda v: v["f1"])
        print(f"longest {cut[0]:>6} shortest {cut[1]:>3}: worst 5th F1 "
              f"{worst_sets(v['f1'] for v in results[cut].values())[0]:.3f}, worst F1 {worst['f1']:.3f} "
              f"(recall@3 {worst['recall@3']:.2f}, precision {worst['precision']:.2f}) "
              + " ".join(f"{name[:8]}={v['f1']:.2f}" for name, v in results[cut].items()), flush=True)
    best = max(GRID, key=lambda cut: worst_sets(v["f1"] for v in results[cut].values()))
    PASSAGES.write_text(json.dumps({"longest": best[0], "shortest": best[1]}) + "\n")
    print(f"wrote {PASSAGES}: longest {best[0]}, shortest {best[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
