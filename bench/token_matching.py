"""Would matching word-pieces rank solvers better than whole passages? Held out style by style (a measure, not shipped).

    python bench/token_matching.py        # ~10 minutes on two cores

Kith pairs a problem with a story by their pooled MiniLM vectors (as wholes and at their closest sentences), the
rare words they share and their kinds' evidence (app.core.matching.FEATURES). Here two features are added:
late interaction over each side's word-pieces in context — every word-piece of the problem against its closest
in the story, and the story's against the problem, weighted by rarity (idf in the set) — as each sentence's token
vectors come out of the encoder before pooling (Embedder.tokens), projected to PROJECTED dimensions by a PCA fit
on our styles' tokens (what a store would keep: ~6 KB an item).

Printed, beside the shipped features refit the same way: with no cut-off, recall@3 and precision at N (N the true
pairs) on our styles held out (each read and scored by models fit without it) and on the evaluation sets (the
shared seven, the twelve unseen: read by the shipped classifier, scored by a scorer fit on all our styles); then
the shared sets' worst recall@3 and precision, and the unseen means, at cut-offs with one solver a problem and
two a contact, and with the shipped two and three.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import numpy as np

from app.core import pair_training as pt
from app.core.sentences import split
from app.core.training import chosen_c, worst_sets
from app.store.embedder import Embedder
from models.contact import normalise_name

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from quality import SETS, UNSEEN  # noqa: E402

PROJECTED = 64
POINTS = [(c, k, n, m) for c in (0.6, 0.65, 0.7, 0.73, 0.75, 0.8) for k, n, m in ((1, 2, None), (2, 3, 0.08))]


def item_tokens(embedder: Embedder, texts: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each item's word-pieces and vectors: its sentences' (in context of their sentence), one after another."""
    sentences = [[s.text for s in split(t)] or [t] for t in texts]
    flat = embedder.tokens([s for group in sentences for s in group])
    out, at = [], 0
    for group in sentences:
        chunk = flat[at : at + len(group)]
        at += len(group)
        out.append((np.concatenate([ids for ids, _ in chunk]), np.vstack([v for _, v in chunk])))
    return out


def late_interaction(problems: list, solutions: list, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """(pairs, 2): each problem word-piece's closest in the story, and the story's in the problem, idf-weighted."""
    counts = Counter(t for ids, _ in problems + solutions for t in set(ids.tolist()))
    n = len(problems) + len(solutions)
    idf = {t: np.log((n + 1) / (c + 0.5)) for t, c in counts.items()}
    weights = [np.array([idf[t] for t in ids.tolist()], np.float32) for ids, _ in problems + solutions]
    wp, ws = weights[: len(problems)], weights[len(problems) :]
    out = np.zeros((len(rows), 2), np.float32)
    for k, (i, j) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
        sims = problems[i][1] @ solutions[j][1].T
        out[k] = ((sims.max(1) * wp[i]).sum() / wp[i].sum(), (sims.max(0) * ws[j]).sum() / ws[j].sum())
    return out


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
    tokens = {id(s): [item_tokens(embedder, side.texts) for side in s.sides] for s in ours + theirs}
    sample = np.vstack([v for s in ours for side in tokens[id(s)] for _, v in side])
    mean = sample.mean(axis=0)
    basis = np.linalg.svd(sample[np.random.default_rng(0).permutation(len(sample))[:50_000]] - mean,
                          full_matrices=False)[2][:PROJECTED].T
    for s in ours + theirs:
        projected = []
        for side in tokens[id(s)]:
            z = [((v - mean) @ basis) for _, v in side]
            projected.append([(ids, u / np.maximum(np.linalg.norm(u, axis=1, keepdims=True), 1e-9))
                              for (ids, _), u in zip(side, z, strict=True)])
        tokens[id(s)] = projected
    rows = {id(s): (s.problem - 1, s.solution - 1) for s in ours + theirs}  # ids are 1-based rows of each side
    wider = {id(s): np.hstack([s.x, late_interaction(*tokens[id(s)], *rows[id(s)])]) for s in ours + theirs}
    for label, x_of in (("shipped features", lambda s: s.x), ("+ word-pieces", lambda s: wider[id(s)])):
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
