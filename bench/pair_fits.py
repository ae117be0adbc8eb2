"""Ways to fit the pair scorer over the same features, held out and on the evaluation sets.

    python bench/pair_fits.py

Each of `pair_training`'s eight merged stores is scored by a scorer fit on the styles outside it (the answer map
at the shipped strength, fit without them too), as `pair_training` scores them. For each way of fitting: how often
the right solver ranks first and in the top three (of the labelled matches whose passages were read, no cut-off:
`where_lost`'s measure), the best point's bar ("bar": the lower of recall@3 / 0.80 and precision / 0.70) over the
stores' worst fifth, and each store's bar at the point chosen on the other seven (leave-one-store-out). Then the
scorer fit on all our styles reads every shared set at the point chosen on all eight stores, locally scaled as the
store scales it: recall@3 and precision of the pairs shown, as `kith_eval` counts them.

The ways:
- shipped: the logistic regression of `pair_training.fit`, evidence never counting against a pair;
- unconstrained: the same regression with no bound on the evidence's weights;
- ranked: weights fit for a problem's ranking of its stories (a conditional logit over each problem's pairs),
  then a one-feature logistic regression of that score for a probability;
- weighted by evidence: the pair encoder's similarity times the story's probability of being a success, a tenth
  feature beside the nine.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from app.core import pair_training as pt
from app.core.answer_map import shipped_strength
from app.core.training import chosen_c, worst_sets
from app.store.embedder import Embedder

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quality import SETS  # noqa: E402  (the same sets as the quality table)
from where_lost import solver_ranks  # noqa: E402

SCALINGS = ((0, 0.0, 0), (3, 0.5, 0), (5, 0.5, 0), (3, 0.5, 1))
"""The local scalings the point is chosen among (a subset of pair_training.LOCAL_SCALINGS, to bound the run)."""
PAIRED, SUCCESS = pt.FEATURES.index("paired"), pt.FEATURES.index("solution_evidence")

Fit = Callable[[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, float]]
"""Features, truth and each row's problem (a group): weights and bias of a probability."""


def unconstrained(x: np.ndarray, y: np.ndarray, _: np.ndarray) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(max_iter=2000, class_weight="balanced").fit(x, y)
    return model.coef_[0], float(model.intercept_[0])


def ranked(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, float]:
    """A conditional logit: each problem's true stories against all its stories (L2 as sklearn's C = 1), evidence
    bounded at 0 as the shipped fit bounds it; then the score calibrated to a probability."""
    from scipy.optimize import minimize

    order = np.argsort(groups, kind="stable")
    x, y = x[order], y[order].astype(np.float64)
    starts = np.flatnonzero(np.r_[True, groups[order][1:] != groups[order][:-1]])
    sizes = np.diff(np.r_[starts, len(y)])
    answered = np.repeat(np.add.reduceat(y, starts) > 0, sizes)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = x @ w
        e = np.exp(s - np.repeat(np.maximum.reduceat(s, starts), sizes))
        every, true = np.add.reduceat(e, starts), np.add.reduceat(e * y, starts)
        held = np.add.reduceat(answered.astype(np.float64), starts) > 0
        value = -np.sum(np.log(true[held]) - np.log(every[held])) + 0.5 * w @ w
        share = np.where(answered, e / np.repeat(every, sizes) - e * y / np.repeat(np.maximum(true, 1e-300), sizes), 0)
        return value, x.T @ share + w

    bounds = [(0, None) if f in pt.MONOTONE else (None, None) for f in pt.FEATURES[: x.shape[1]]]
    w = minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B", bounds=bounds).x
    a, b = unconstrained((x @ w)[:, None], y, groups)
    return w * a[0], b


def weighted(x: np.ndarray) -> np.ndarray:
    """The nine features and the pair encoder's similarity times the story's probability of a success."""
    return np.hstack([x, x[:, [PAIRED]] / (1 + np.exp(-x[:, [SUCCESS]]))])


WAYS: dict[str, tuple[Fit, Callable[[np.ndarray], np.ndarray]]] = {
    "shipped": (lambda x, y, _: pt.fit(x, y), lambda x: x),
    "unconstrained": (unconstrained, lambda x: x),
    "ranked": (ranked, lambda x: x),
    "weighted by evidence": (lambda x, y, g: unconstrained(x, y, g), weighted),
}


def stacked(sets: list[pt.LabelledSet]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (np.vstack([t.x for t in sets]), np.concatenate([t.y for t in sets]),
            np.concatenate([t.problem + 1_000_000 * k for k, t in enumerate(sets)]))


def main() -> int:
    embedder = Embedder()
    sets, stores = pt.cross_fitted(embedder, chosen_c())
    how = pt.MapFit(shipped_strength())
    shared = {name: pt.labelled_set(folder, embedder) for name, folder in SETS.items()}
    x_all, y_all, g_all = stacked(pt.out_of_fold(sets, how))
    print(f"{'way':<22} {'first: w5 / mean':>17} {'top 3: w5 / mean':>17} {'bar: best w5':>13} {'left out':>14}   "
          + " ".join(f"{n:>13}" for n in shared))
    for name, (fit, read) in WAYS.items():
        held = {}
        for store in stores:
            x, y, g = stacked(pt.out_of_fold([t for t in sets if t.name not in store.styles], how))
            inside = [t for t in sets if t.name in store.styles]
            held[store.name] = pt.probability(*fit(read(x), y, g),
                                              read(pt.answered(store, pt.map_without(sets, inside, how)).x))
        ranks = [[r for found, r in solver_ranks(s, held[s.name]) if found] for s in stores]
        first, top3 = ([np.mean([r is not None and r < k for r in rs]) for rs in ranks] for k in (1, 3))
        grid, point = pt.held_out_grid(held, stores, SCALINGS)
        left = pt.left_out({key: {n: v["bar"] for n, v in grid[key].items()} for key in grid})
        weights, bias = fit(read(x_all), y_all, g_all)
        cut, solvers, per_contact, margin, k, weight, skip = point
        figures = [pt.scores(s, pt.scaled(s, pt.probability(weights, bias, read(s.x)), k, weight, skip), cut, solvers,
                             per_contact, margin) for s in shared.values()]
        print(f"{name:<22} {worst_sets(first)[0]:8.3f} / {np.mean(first):.3f} {worst_sets(top3)[0]:8.3f} / "
              f"{np.mean(top3):.3f} {worst_sets(v['bar'] for v in grid[point].values())[0]:13.3f} "
              f"{worst_sets(left)[0]:6.3f} / {np.mean(left):.3f}   "
              + " ".join(f"{f['recall@3']:.3f}/{f['precision']:.3f}" for f in figures), flush=True)
    print("shared sets: recall@3 / precision of the pairs shown, the scorer fit on all our styles at the point "
          "chosen on all eight stores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
