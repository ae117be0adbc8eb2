"""Does more labelled writing help? The sentence classifier held out style by style, fit on k other styles.

    python bench/learning_curve.py            # k = 3, 6, 12, … doubling, then every other style

For each held-out style, k of the other styles are drawn at random (two draws, the same seeds every
run; data/sentences.tsv always joins them) and the classifier is fit at the shipped C. Printed per k:
macro-F1 and personal F1 over the worst fifth of the styles (training.worst_sets) and their mean. While
the worst styles still gain as k grows, writing more styles of our own is worth it.
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import f1_score

from app.core.kind_encoder_training import read_out_of_fold
from app.core.training import _model, chosen_c, worst_sets

DRAWS = 2


def main() -> None:
    x, y, sets = read_out_of_fold()
    styles = sorted(set(sets) - {"sentences"})
    c = chosen_c()
    print(f"{len(y)} labelled sentences, {len(styles)} styles, C {c}")
    print("  k   macro-F1 worst 5th   mean   personal F1 worst 5th   mean")
    rng = np.random.default_rng(0)
    for k in [*(3 * 2**i for i in range(8) if 3 * 2**i < len(styles) - 1), len(styles) - 1]:
        runs = []
        for _ in range(DRAWS if k < len(styles) - 1 else 1):
            macro, personal = [], []
            for held in styles:
                others = [s for s in styles if s != held]
                train = np.isin(sets, [*rng.choice(others, size=k, replace=False), "sentences"])
                predicted = _model(c).fit(x[train], y[train]).predict(x[sets == held])
                macro.append(f1_score(y[sets == held], predicted, average="macro"))
                personal.append(f1_score(y[sets == held], predicted, labels=["personal"], average="macro"))
            runs.append((worst_sets(macro)[0], np.mean(macro), worst_sets(personal)[0], np.mean(personal)))
        m = np.mean(runs, axis=0)
        print(f"{k:>3}   {m[0]:18.3f} {m[1]:6.3f}   {m[2]:21.3f} {m[3]:6.3f}", flush=True)


if __name__ == "__main__":
    main()
