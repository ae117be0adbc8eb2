"""Fit where dictation without punctuation is cut (app.core.dictation), held out style by style.

    python -m app.core.dictation_training            # the curve per threshold, the cut it replaced beside it
    python -m app.core.dictation_training --write    # and writes the choice to data/dictation_cuts.npz

Every labelled note of every style in data/train is stripped of its punctuation and case, as raw speech-to-text
writes it, and a logistic regression over the words around each gap learns where a labelled passage starts. Each
style's notes longer than the longest sentence read whole (data/passages.json) are cut by a model fit on the other
styles, at each threshold and regularisation of the grid: each labelled passage scores the best F1 (in words) of one
piece against it, and each piece its purity (the share of its words from one passage). The threshold and C whose
worst styles (training.worst_sets) score best are written. Beside them, the cut this replaced: even runs of words,
wherever the count fell.
"""

from __future__ import annotations

import sys

import numpy as np

from app.core.dictation import DICTATION, DictationCut, cuts_at, gap_columns, gap_features, spoken
from app.core.sentences import clause_cut
from app.core.training import TRAIN, held_out_choices, read_jsonl, style_sets, worst_sets

BUCKETS = 2**22
"""Hashed columns: our notes' gaps hold about 260,000 distinct features, so few collide, and a word never seen in
them is rarely read with another's weight."""
THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
CS = (0.3, 1.0, 3.0)
POINTS = {f"C {c}, p >= {t}": (c, t) for c in CS for t in THRESHOLDS}
"""Each (C, threshold) tried, by the label its row is printed with."""

Run = tuple[str, list[str], np.ndarray]
"""A labelled note as (its style, its `spoken` words, the passage each word belongs to)."""


def labelled_runs() -> list[Run]:
    """Every labelled note of data/train as one run of spoken words."""
    runs = []
    for folder in style_sets(TRAIN):
        for label in read_jsonl(folder / "labels.jsonl"):
            words: list[str] = []
            owner: list[int] = []
            for number, passage in enumerate(label["passages"]):
                told = [spoken(w) for w in passage["text"].split()]
                words += told
                owner += [number] * len(told)
            if len(words) > 1:
                runs.append((folder.name, words, np.asarray(owner)))
    return runs


def gap_matrix(runs: list[Run]):
    """Every gap of these runs as a row of hashed features, and whether a passage starts there."""
    from scipy.sparse import csr_matrix  # needed to fit only

    columns = [column for _, words, _ in runs for gap in gap_columns(words, BUCKETS) for column in gap]
    per_gap = len(gap_features(["-"], 0))
    x = csr_matrix((np.ones(len(columns), np.float32), np.asarray(columns), np.arange(0, len(columns) + 1, per_gap)),
                   shape=(len(columns) // per_gap, BUCKETS))
    x.sum_duplicates()
    return x, np.concatenate([owner[1:] != owner[:-1] for _, _, owner in runs])


def fit(runs: list[Run], c: float, threshold: float) -> DictationCut:
    """The gap model fit on these runs, weighing only the columns their gaps fill, cutting at threshold."""
    from sklearn.linear_model import LogisticRegression  # needed to fit only

    x, y = gap_matrix(runs)
    used = np.unique(x.indices)  # not millions of empty columns
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced").fit(x[:, used], y)
    return DictationCut(used.astype(np.uint32), model.coef_[0].astype(np.float16).astype(np.float32),
                        float(model.intercept_[0]), BUCKETS, threshold)


def even_runs(words: list[str], longest: int) -> list[int]:
    """Where the cut this replaced split a run: into even runs of at most about `longest` words."""
    size = -(-len(words) // max(1, round(len(words) / longest)))
    return list(range(size, len(words), size))


def scored(owner: np.ndarray, cuts: list[int]) -> tuple[float, float]:
    """(each passage's best F1 against one piece, each piece's purity), means over the note."""
    bounds = [0, *cuts, len(owner)]
    pieces = [owner[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    f1 = [max(2 * np.sum(piece == k) / (len(piece) + np.sum(owner == k)) for piece in pieces)
          for k in np.unique(owner)]
    purity = [np.bincount(piece).max() / len(piece) for piece in pieces]
    return float(np.mean(f1)), float(np.mean(purity))


def held_out(runs: list[Run], longest: int, shortest: int) -> dict[str, dict[str, tuple[float, float]]]:
    """For each way of cutting ("even", or "C c, p >= t"), each style's mean (F1, purity) over its long runs, cut by
    models fit without it."""
    figures: dict[str, dict[str, tuple[float, float]]] = {}
    for held in sorted({style for style, _, _ in runs}):
        long = [(words, owner) for style, words, owner in runs if style == held and len(words) > longest]
        if not long:
            continue
        found: dict[str, list[tuple[float, float]]] = {"even": [scored(o, even_runs(w, longest)) for w, o in long]}
        for c in CS:
            model = fit([r for r in runs if r[0] != held], c, threshold=0.0)  # every threshold is tried below
            for words, owner in long:
                p = model.probabilities(words)
                for label, (at_c, t) in POINTS.items():
                    if at_c == c:
                        found.setdefault(label, []).append(scored(owner, cuts_at(p, shortest, t)))
        for way, scores in found.items():
            figures.setdefault(way, {})[held] = tuple(np.mean(scores, axis=0))
        print(f"held out {held}: {len(long)} runs over {longest} words", file=sys.stderr, flush=True)
    return figures


def row(label: str, by_style: dict[str, tuple[float, float]]) -> str:
    """One way's line: passage F1 and purity, each worst fifth / mean over the styles."""
    f1 = worst_sets(v[0] for v in by_style.values())
    purity = worst_sets(v[1] for v in by_style.values())
    return f"{label:<20} {f1[0]:>17.3f} / {f1[1]:.3f} {purity[0]:>17.3f} / {purity[1]:.3f}"


def main() -> int:
    longest, shortest = clause_cut()
    runs = labelled_runs()
    figures = held_out(runs, longest, shortest)
    print(f"{sum(len(w) > longest for _, w, _ in runs)} notes over {longest} words in {len(figures['even'])} styles, "
          f"stripped of punctuation; pieces of at least {shortest} words")
    print(f"{'way':<20} {'passage F1 worst 5th / mean':>27} {'purity worst 5th / mean':>25}")
    for way, by_style in figures.items():
        print(row(way, by_style))
    ways = list(POINTS)
    best = max(ways, key=lambda way: worst_sets(v[0] for v in figures[way].values()))
    choice_held_out = held_out_choices({way: figures[way] for way in ways}, lambda v: v[0])
    print(row("chosen, held out", choice_held_out) + "   (each style cut as the other styles choose)")
    c, t = POINTS[best]
    print(f"chosen: C {c}, threshold {t}")
    if "--write" not in sys.argv[1:]:
        print("not written (--write writes the choice)")
        return 0
    model = fit(runs, c, t)
    np.savez_compressed(DICTATION, columns=model.columns, weights=model.weights.astype(np.float16),
                        bias=np.float32(model.bias), buckets=np.int64(model.buckets),
                        threshold=np.float32(model.threshold), c=np.float32(c))
    print(f"wrote {DICTATION}: C {c}, threshold {t}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
