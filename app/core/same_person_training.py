"""Fit the same-person scorer from data/train_routine/name_pairs.jsonl, scored leave-one-style-out.

    python -m app.core.same_person_training    # prints the held-out F1 per style, writes data/same_person.json
"""

from __future__ import annotations

import json
import sys

import numpy as np
from rapidfuzz import fuzz

from app.config import DATA_DIR
from app.core.binary_fitting import fit, labelled
from app.core.duplicates import CANDIDATE
from app.core.same_person import FEATURES, WEIGHTS, fold, pair_features

PAIRS = DATA_DIR / "train_routine" / "name_pairs.jsonl"


def main() -> int:
    rows, y, styles = labelled(PAIRS, "same")
    x = np.array([pair_features(r["a"]["name"], r["a"].get("company"), r["b"]["name"], r["b"].get("company"))
                  for r in rows])
    print(f"{len(rows)} pairs, {int(y.sum())} the same person; leave one style out:")
    fitted = fit(x, y, styles)
    fitted.report()
    WEIGHTS.write_text(json.dumps({"features": list(FEATURES), "weights": [round(float(w), 5) for w in fitted.weights],
                                   **fitted.summary()}, indent=1) + "\n", encoding="utf-8")
    sieve = np.array([fuzz.token_set_ratio(fold(r["a"]["name"]), fold(r["b"]["name"])) >= CANDIDATE for r in rows])
    print(f"`kith duplicates` compares names at token-set ratio >= {CANDIDATE}: {sieve[y].mean():.1%} of the "
          f"same-person pairs pass that sieve")
    print(f"wrote {WEIGHTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
