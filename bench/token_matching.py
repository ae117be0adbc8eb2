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
with one solver a problem and two a contact, and with the shipped three and three (margin 0.05); and how many
true pairs lie beyond a problem's nearest C stories as matching chooses them (matching.CANDIDATES: never scored);
and the curve of pieces.PROJECTED, our styles held out with the word-pieces projected to fewer or more dimensions.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from app.core import pair_training as pt
from app.core.answer_map import shipped_strength
from app.core.matching import CANDIDATES, FEATURES, POOLED, shipped_scorer
from app.core.pieces import late_interaction, pieces_of
from app.core.pieces_training import fit as fit_projection
from app.core.training import chosen_c, worst_sets
from app.store.embedder import Embedder
from models.contact import normalise_name

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from quality import SETS, UNSEEN  # noqa: E402

POINTS = [(c, k, n, m) for c in (0.6, 0.65, 0.7, 0.73, 0.75, 0.8) for k, n, m in ((1, 2, None), (3, 3, 0.05))]
BEYOND = (5, 10, 20, CANDIDATES)
DIMENSIONS_TRIED = (16, 32, 64, 128)


def beyond(s: pt.LabelledSet, c: int) -> tuple[int, int]:
    """(true pairs, those whose story is not among its problem's c nearest as matching chooses its candidates: by
    the shipped pair scorer with the word-pieces' features estimated)."""
    x = s.x.copy()
    x[:, [FEATURES.index("problem_pieces"), FEATURES.index("story_pieces")]] = np.nan
    near = shipped_scorer().probability(x.T)
    out = 0
    for i in np.flatnonzero(s.y):
        rivals = near[s.problem == s.problem[i]]
        out += int((rivals > near[i]).sum() >= c)
    return int(s.y.sum()), out


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
    # each set's answer feature read through a map fit without it (the others' maps saw it: a hair lenient)
    ours = pt.out_of_fold(pt.cross_fitted_sets(embedder, chosen_c()), pt.MapFit(shipped_strength()))
    theirs = [pt.labelled_set(folder, embedder) for folder in [*SETS.values(), *UNSEEN.values()]]
    names = [*SETS, *UNSEEN]
    for c in BEYOND:
        counts = [beyond(s, c) for s in ours + theirs]
        print(f"true pairs beyond a problem's {c} nearest stories: {sum(b for _, b in counts)} of "
              f"{sum(t for t, _ in counts)}")
    for label, x_of in (("pooled features", lambda s: s.x[:, :POOLED]), ("+ word-pieces", lambda s: s.x)):
        print(f"{label}: our styles held out, no cut-off: {held_out(ours, x_of)}")
        whole = pt.fit(np.vstack([x_of(t) for t in ours]), np.concatenate([t.y for t in ours]))
        given = {name: pt.probability(*whole, x_of(s)) for name, s in zip(names, theirs, strict=True)}
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
    for dimensions in DIMENSIONS_TRIED:  # pieces.PROJECTED's curve: the pieces read again from each item's text
        projection = fit_projection(embedder, dimensions)
        wider = {s.name: with_pieces(s, projection, embedder) for s in ours}
        print(f"word-pieces projected to {dimensions} dimensions, our styles held out, no cut-off: "
              f"{held_out(ours, lambda s, wider=wider: wider[s.name])}")
    return 0


def held_out(sets: list[pt.LabelledSet], x_of) -> str:
    """Recall@3 and precision at N of each set scored by a scorer fit without it (no cut-off): worst fifth, mean."""
    r3, pn = [], []
    for s in sets:
        rest = [t for t in sets if t is not s]
        p = pt.probability(*pt.fit(np.vstack([x_of(t) for t in rest]), np.concatenate([t.y for t in rest])), x_of(s))
        r3.append(pt.scores(s, p, 0.0, 3, None, None)["recall@3"])
        pn.append(precision_at_n(s, p))
    return (f"recall@3 worst fifth {worst_sets(r3)[0]:.3f} mean {np.mean(r3):.3f}; precision at N worst fifth "
            f"{worst_sets(pn)[0]:.3f} mean {np.mean(pn):.3f}")


def with_pieces(s: pt.LabelledSet, projection, embedder: Embedder) -> np.ndarray:
    """The set's features, the word-pieces' two computed again under another projection."""
    problems, solutions = s.sides
    found = late_interaction(pieces_of(problems.texts, embedder, projection),
                             pieces_of(solutions.texts, embedder, projection), s.problem - 1, s.solution - 1,
                             projection)
    return np.hstack([s.x[:, :POOLED], found])


if __name__ == "__main__":
    sys.exit(main())
