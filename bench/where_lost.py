"""Where the right solver is lost: reading the note (no item holds the labelled passages) or ranking them.

    python bench/where_lost.py           # --told: each answer map fit beside data/answer_pairs too
                                         # --troubles-apart: no map that reads a style saw its troubles

Each of our stores (two or three styles merged, as `python -m app.core.pair_training` chooses its point on them) is
read by a sentence classifier fit without its styles and the pair encoder trained without them, and its pairs
scored by a pair scorer and an answer map fit without them. For each labelled match:
is there a pair of items holding the labelled problem and story ("read": the note was understood well enough
to match), and where does the right solving contact rank among the contact's solvers, by their best pair (no
cut-off). The shared and unseen sets are then scored by the scorer fit on all our styles: the solver's rank
only.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from app.core import pair_training as pt
from app.core.answer_map import shipped_strength
from app.core.training import chosen_c, worst_sets
from app.store.embedder import Embedder
from models.contact import normalise_name

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quality import SETS, UNSEEN  # noqa: E402  (the same sets as the quality table)


def solver_ranks(s: pt.LabelledSet, p: np.ndarray) -> list[tuple[bool, int | None]]:
    """For each labelled match: whether a true pair of items exists, and the right solver's rank (0 = first)."""
    out: list[tuple[bool, int | None]] = []
    for m in s.truth["matches"]:
        asker = s.names.index(normalise_name(m["problem_contact"])) + 1
        solvers = {s.names.index(normalise_name(b)) + 1 for b in m["solution_contacts"]
                   if normalise_name(b) in s.names}
        rows = np.flatnonzero(s.p_contact == asker)
        best: dict[int, float] = {}
        for r in rows:
            best[int(s.s_contact[r])] = max(best.get(int(s.s_contact[r]), 0.0), float(p[r]))
        order = sorted(best, key=lambda c: -best[c])
        rank = next((k for k, c in enumerate(order) if c in solvers), None)
        out.append((bool(s.y[rows].any()) if "problem_text" in m else True, rank))
    return out


def line(name: str, ranks: list[tuple[bool, int | None]], passages: bool = True) -> tuple[float, float, float]:
    """Print and return the share read, and the right solver first and in the top 3 of those read."""
    read = [r for found, r in ranks if found]
    first, top3 = (sum(r is not None and r < k for r in read) / max(1, len(read)) for k in (1, 3))
    shown = f"{len(read) / len(ranks):>6.2f}" if passages else f"{'-':>6}"  # an evaluation set names no passages
    print(f"{name:<30} {len(ranks):>7} {shown} {first:>10.2f} {top3:>10.2f}", flush=True)
    return len(read) / len(ranks), first, top3


def main() -> int:
    embedder = Embedder()
    ours, stores = pt.cross_fitted(embedder, chosen_c())
    print(f"{'our store, held out':<30} {'matches':>7} {'read':>6} {'first|read':>10} {'top3|read':>10}")
    strength = shipped_strength()
    told = pt.told_pairs(embedder) if "--told" in sys.argv[1:] else pt.NO_PAIRS
    print(f"the answer map fit beside {len(told[0])} told pairs (data/answer_pairs: --told)")
    how = pt.MapFit(strength, told, "--troubles-apart" in sys.argv[1:])
    held = pt.held_out(ours, stores, how)
    figures = [line(s.name[:30], solver_ranks(s, held[s.name])) for s in stores]
    for k, label in enumerate(("read", "first given read", "top 3 given read")):
        values = [f[k] for f in figures]
        print(f"{label}: worst fifth {worst_sets(values)[0]:.3f}, mean {np.mean(values):.3f}")
    final = pt.out_of_fold(ours, how)
    whole = pt.fit(np.vstack([t.x for t in final]), np.concatenate([t.y for t in final]))
    print(f"\n{'evaluation set':<30} {'matches':>7} {'read':>6} {'first':>10} {'top3':>10}")
    for name, folder in [*SETS.items(), *UNSEEN.items()]:
        s = pt.labelled_set(folder, embedder)
        line(name, solver_ranks(s, pt.probability(*whole, s.x)), passages=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
