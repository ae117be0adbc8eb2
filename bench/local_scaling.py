"""Local scaling of the pair scores (CSLS), held out on pair_training's merged stores and on the evaluation sets.

    python bench/local_scaling.py

A story near every problem of a store (a "hub": long, alike notes, as dictated memos are) wins pairs it does not
answer. Local scaling lowers a pair's logit by w times the mean logit of its story's k best problems ("col"), of its
problem's k best stories ("row"), or half of each ("both"). Each merged store's probabilities come from a pair
scorer and an answer map fit without its styles (`pair_training.held_out`); held out, each store is scored at the
(k, w, side) and point (cut-off, solvers, per contact, margin) chosen on the other seven, by the worst fifth of
`pair_training`'s bar. Then the evaluation sets, read as the shipped scorer reads them, at the point and (k, w) of
each side chosen on all eight stores, beside the shipped point
(docs/journal.md, twenty-seventh session). The story's side,
lowered only ("col+": a story near no problem is never raised), is what Kith ships (matching.locally_scaled,
its k and weight chosen with the point by `python -m app.core.pair_training`;
docs/journal.md, twenty-eighth session). Here
each story's mean runs over its k best pairs; since the thirty-fifth session Kith's grid may pass over its best few
first (pair_training.LOCAL_SCALINGS).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from app.core import matching
from app.core import pair_training as pt
from app.core.answer_map import shipped_strength
from app.core.training import chosen_c, worst_sets
from app.store.embedder import Embedder

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quality import SETS  # noqa: E402  (the same sets as the quality table)

VARIANTS = [(0, 0.0, "both")] + [(k, w, side) for k in (3, 5) for w in (0.25, 0.5, 1.0)
                                 for side in ("both", "col", "row", "col+")]
CUTS = tuple(round(x, 2) for x in np.arange(0.05, 0.99, 0.02))
POINTS = [(c, k, n, m) for c in CUTS for k in pt.SOLVERS for n in pt.PER_CONTACT for m in pt.MARGINS]


def scaled(s: pt.LabelledSet, p: np.ndarray, k: int, w: float, side: str) -> np.ndarray:
    """The pairs' probabilities with their logits lowered by w times their sides' mean of the k best logits ("col+":
    the story's, only where that mean is above zero, as Kith scores them: pair_training.scaled)."""
    if k == 0:
        return p
    if side == "col+":
        return pt.scaled(s, p, k, w, 0)
    logit = matching.logit(p, matching.SCORE_CLIP)

    def best(owner: np.ndarray) -> np.ndarray:
        means = {o: np.sort(logit[owner == o])[-k:].mean() for o in np.unique(owner)}
        return np.array([means[o] for o in owner])

    lowered = {"both": lambda: 0.5 * (best(s.problem) + best(s.solution)), "col": lambda: best(s.solution),
               "row": lambda: best(s.problem)}[side]()
    return 1 / (1 + np.exp(-(logit - w * lowered)))


def main() -> int:
    embedder = Embedder()
    sets, stores = pt.cross_fitted(embedder, chosen_c())
    held = pt.held_out(sets, stores, pt.MapFit(shipped_strength()))
    bars = {}
    for v in VARIANTS:
        probabilities = {s.name: scaled(s, held[s.name], *v) for s in stores}
        for point in POINTS:
            bars[v, point] = {s.name: pt.scores(s, probabilities[s.name], *point)["bar"] for s in stores}
    print("held out (each store at the point and scaling chosen on the other seven): the bar, worst fifth / mean")
    for label, allowed in [("as they are", VARIANTS[:1]), ("both sides", [v for v in VARIANTS if v[2] == "both"]),
                           ("story's side", [v for v in VARIANTS if v[2] == "col"] + VARIANTS[:1]),
                           ("problem's side", [v for v in VARIANTS if v[2] == "row"] + VARIANTS[:1]),
                           ("story's, lowered only", [v for v in VARIANTS if v[2] == "col+"] + VARIANTS[:1])]:
        found = pt.left_out({key: by_store for key, by_store in bars.items() if key[0] in allowed})
        print(f"  {label:<22} {worst_sets(found)[0]:.3f} / {np.mean(found):.3f}")
    scorer = matching.shipped_scorer()
    shipped = (scorer.cut_off, scorer.solvers, scorer.per_contact, scorer.margin)
    chosen = {}
    for side in ("both", "col", "row", "col+"):
        v, point = max((key for key in bars if key[0][2] == side and key[0][0]),
                       key=lambda key: worst_sets(bars[key].values()))
        chosen[side] = (v, point)
        print(f"chosen on all eight stores, {side}: k {v[0]}, w {v[1]}; point {point}")
    print(f"recall@3 / precision  {'shipped':>13} " + " ".join(f"{side:>13}" for side in chosen))
    for name, folder in SETS.items():
        s = pt.labelled_set(Path(folder), embedder)
        p = scorer.probability(s.x.T)
        found = [pt.scores(s, p, *shipped)] + [pt.scores(s, scaled(s, p, *v), *point) for v, point in chosen.values()]
        print(f"{name:<21} " + " ".join(f"{f['recall@3']:.3f} / {f['precision']:.3f}" for f in found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
