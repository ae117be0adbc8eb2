"""Fit the call-offer classifier from data/train_routine/messages.jsonl, scored leave-one-style-out.

    python -m app.core.offer_training          # prints the held-out F1 per style, writes data/offer_words.json
"""

from __future__ import annotations

import json
import sys

import numpy as np

from app.config import DATA_DIR
from app.core.binary_fitting import fit, labelled
from app.core.offers import WEIGHTS, tokens

MESSAGES = DATA_DIR / "train_routine" / "messages.jsonl"
MIN_COUNT = 2
"""A token is a feature when at least this many messages hold it (rarer ones fit one message, not people)."""


def main() -> int:
    rows, y, styles = labelled(MESSAGES, "offer")
    seen = [set(tokens(r["text"])) for r in rows]
    counts: dict[str, int] = {}
    for s in seen:
        for t in s:
            counts[t] = counts.get(t, 0) + 1
    vocabulary = sorted(t for t, n in counts.items() if n >= MIN_COUNT)
    column = {t: n for n, t in enumerate(vocabulary)}
    x = np.zeros((len(rows), len(vocabulary)))
    for i, s in enumerate(seen):
        for t in s:
            if t in column:
                x[i, column[t]] = 1.0
    print(f"{len(rows)} messages, {int(y.sum())} offers, {len(vocabulary)} tokens; leave one style out:")
    fitted = fit(x, y, styles)
    fitted.report()
    weights = {t: round(float(w), 5) for t, w in zip(vocabulary, fitted.weights, strict=True) if abs(w) >= 1e-4}
    WEIGHTS.write_text(json.dumps({"weights": weights, **fitted.summary()}, indent=0, sort_keys=True) + "\n",
                       encoding="utf-8")
    print(f"wrote {WEIGHTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
