"""Fit the same-person scorer from data/train_routine/name_pairs.jsonl, scored leave-one-style-out.

    python -m app.core.same_person_training    # prints the held-out F1 per style, writes data/same_person.json

Beside the scorer it fits the sieve `kith duplicates` scores pairs above (the highest that loses no held-out style
anything, from the curve it prints) and prints how "did you mean" does for a mistyped name or tag (the scorer on
the names alone, above the sieve), held out style by style.
"""

from __future__ import annotations

import json
import sys

import numpy as np

from app.config import DATA_DIR
from app.core.binary_fitting import fit, held_out_probabilities, labelled, mcc
from app.core.same_person import FEATURES, WEIGHTS, fold, name_similarity, pair_features

PAIRS = DATA_DIR / "train_routine" / "name_pairs.jsonl"
SIEVES = tuple(range(0, 101, 5))
"""Sieves tried (name similarity, percent)."""


def main() -> int:
    rows, y, styles = labelled(PAIRS, "same")
    x = np.array([pair_features(r["a"]["name"], r["a"].get("company"), r["b"]["name"], r["b"].get("company"))
                  for r in rows])
    print(f"{len(rows)} pairs, {int(y.sum())} the same person; leave one style out:")
    fitted = fit(x, y, styles)
    fitted.report()
    similarity = np.array([100 * name_similarity(fold(r["a"]["name"]), fold(r["b"]["name"])) for r in rows])
    held_out = held_out_probabilities(x, y, styles, fitted.c) >= fitted.cut_off
    sieve = _sieve(y, styles, held_out, similarity)
    WEIGHTS.write_text(json.dumps({"features": list(FEATURES), "weights": [round(float(w), 5) for w in fitted.weights],
                                   **fitted.summary(), "sieve": sieve}, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {WEIGHTS}")
    differ = np.array([fold(r["a"]["name"]) != fold(r["b"]["name"]) for r in rows])
    alone = np.array([pair_features(r["a"]["name"], None, r["b"]["name"], None) for r in rows])
    asked = (held_out_probabilities(x, y, styles, fitted.c, asked=alone) >= fitted.cut_off) & (similarity >= sieve)
    per = {str(s): mcc(y[differ & (styles == s)], asked[differ & (styles == s)]) for s in np.unique(styles)}
    print("did you mean (the names alone, where they differ), held-out MCC: "
          + "  ".join(f"{s} {v:.3f}" for s, v in sorted(per.items(), key=lambda kv: kv[1])))
    return 0


def _sieve(y: np.ndarray, styles: np.ndarray, said: np.ndarray, similarity: np.ndarray) -> int:
    """The highest sieve whose worst held-out style does as well as with none; prints the curve (worst-style
    MCC of the scorer above each sieve, and the share of pairs left to score)."""
    def worst(t: int) -> float:
        kept = said & (similarity >= t)
        return min(mcc(y[styles == s], kept[styles == s]) for s in np.unique(styles))

    curve = {t: worst(t) for t in SIEVES}
    print("sieve t: worst-style MCC of the held-out scorer above it; share of pairs scored")
    print("  " + "  ".join(f"{t} {m:.3f}; {np.mean(similarity >= t):.0%}" for t, m in curve.items()))
    chosen = max(t for t, m in curve.items() if m >= curve[0] - 1e-9)
    print(f"chosen sieve {chosen}: the highest that loses no style anything held out")
    return chosen


if __name__ == "__main__":
    sys.exit(main())
