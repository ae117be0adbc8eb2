"""Does matching word-pieces rank solvers better than whole passages? Held out style by style.

    python bench/token_matching.py        # ~10 minutes on two cores

Kith pairs a problem with a story by their pooled MiniLM vectors (as wholes and at their closest sentences), the
rare words they share, their kinds' evidence, and late interaction over each side's word-pieces in context —
every word-piece of the problem against its closest in the story, and the story's against the problem, weighted
by rarity (app.core.pieces: projected to PROJECTED dimensions and weighed by an idf fit on our notes).

Printed, the word-pieces' two features beside the pooled ones alone, each refit the same way: with no cut-off,
recall@3 and precision at N (N the true pairs) on our styles held out (each read and scored by models fit without
it) and on the evaluation sets (the shared seven, the twelve unseen: read by the shipped classifier, scored by a
scorer fit on all our styles); the shared sets' worst recall@3 and precision, and the unseen means, at cut-offs
with one solver a problem and two a contact, and with the shipped two and three; and how many true pairs lie
beyond a problem's closest C stories by sentence vectors (matching.CANDIDATES: those beyond are never scored).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from app.core import pair_training as pt
from app.core.matching import CANDIDATES, FEATURES, POOLED
from app.core.training import chosen_c, worst_sets
from app.store.embedder import Embedder
from models.contact import normalise_name

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from quality import SETS, UNSEEN  # noqa: E402

POINTS = [(c, k, n, m) for c in (0.6, 0.65, 0.7, 0.73, 0.75, 0.8) for k, n, m in ((1, 2, None), (2, 3, 0.08))]
BEYOND = (5, 10, 20, CANDIDATES)


def beyond(s: pt.LabelledSet, c: int) -> tuple[int, int]:
    """(true pairs, those whose story is not among its problem's c closest by sentence vectors)."""
    closest = s.x[:, FEATURES.index("closest")]
    out = 0
    for i in np.flatnonzero(s.y):
        rivals = closest[s.problem == s.problem[i]]
        out += int((rivals > closest[i]).sum() >= c)
    return int(s.y.sum()), out


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """pair_training.fit on any number of features (the kinds' evidence, columns 3 and 4, kept at 0 or above)."""
    from sklearn.linear_model import LogisticRegression

    used = list(range(x.shape[1]))
    while True:
        model = LogisticRegression(max_iter=3000, class_weight="balanced").fit(x[:, used], y)
        weights = np.zeros(x.shape[1])
        weights[used] = model.coef_[0]
        negative = [i for i in used if i in (3, 4) and weights[i] < 0]
        if not negative:
            return weights, float(model.intercept_[0])
        used.remove(min(negative, key=lambda i: weights[i]))


def precision_at_n(s: pt.LabelledSet, p: np.ndarray) -> float:
    emitted: list[tuple[int, int]] = []
    for i in np.argsort(-p, kind="stable"):
        pair = (int(s.p_contact[i]), int(s.s_contact[i]))
        if pair not in emitted:
            emitted.append(pair)
    true = {(s.names.index(normalise_name(m["problem_contact"])) + 1, s.names.index(normalise_name(b)) + 1)
            for m in s.truth["matches"] for b in m["solution_contacts"]}
    top = emitted[: len(true)]
    return sum(pair in true for pair in top) / max(1, len(top))


def main() -> int:
    embedder = Embedder()
    ours = pt.cross_fitted_sets(embedder, chosen_c())
    theirs = [pt.labelled_set(folder, embedder) for folder in [*SETS.values(), *UNSEEN.values()]]
    names = [*SETS, *UNSEEN]
    for c in BEYOND:
        counts = [beyond(s, c) for s in ours + theirs]
        print(f"true pairs beyond a problem's {c} closest stories: {sum(b for _, b in counts)} of "
              f"{sum(t for t, _ in counts)}")
    for label, x_of in (("pooled features", lambda s: s.x[:, :POOLED]), ("+ word-pieces", lambda s: s.x)):
        held = {}
        for s in ours:
            rest = [t for t in ours if t is not s]
            held[s.name] = pt.probability(*fit(np.vstack([x_of(t) for t in rest]), np.concatenate([t.y for t in rest])),
                                          x_of(s))
        whole = fit(np.vstack([x_of(t) for t in ours]), np.concatenate([t.y for t in ours]))
        given = {name: pt.probability(*whole, x_of(s)) for name, s in zip(names, theirs, strict=True)}
        r3 = [pt.scores(s, held[s.name], 0.0, 3, None, None)["recall@3"] for s in ours]
        pn = [precision_at_n(s, held[s.name]) for s in ours]
        print(f"{label}: our styles held out, no cut-off: recall@3 worst fifth {worst_sets(r3)[0]:.3f} mean "
              f"{np.mean(r3):.3f}; precision at N worst fifth {worst_sets(pn)[0]:.3f} mean {np.mean(pn):.3f}")
        found = {name: (pt.scores(s, given[name], 0.0, 3, None, None)["recall@3"], precision_at_n(s, given[name]))
                 for name, s in zip(names, theirs, strict=True)}
        print("  evaluation sets, no cut-off (recall@3 / precision at N): "
              + "  ".join(f"{name}={r:.2f}/{p:.2f}" for name, (r, p) in found.items()))
        for point in POINTS:
            at = {name: pt.scores(s, given[name], *point) for name, s in zip(names, theirs, strict=True)}
            shared, unseen = [at[n] for n in SETS], [at[n] for n in UNSEEN]
            print(f"  at {point}: shared worst recall@3 {min(v['recall@3'] for v in shared):.3f} precision "
                  f"{min(v['precision'] for v in shared):.3f}; unseen mean recall@3 "
                  f"{np.mean([v['recall@3'] for v in unseen]):.3f} "
                  f"precision {np.mean([v['precision'] for v in unseen]):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
