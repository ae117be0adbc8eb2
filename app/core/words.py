"""Yes/no logistic regressions over a short text's words, fitted from labelled texts of our own in several
styles (leave one style out, the worst style decides): no model to load, thousands of texts read in a blink."""

from __future__ import annotations

import json
import math
import re
from functools import cached_property
from pathlib import Path

_WORD = re.compile(r"[^\W_]+|\?", re.UNICODE)
MIN_COUNT = 2
"""A token is a feature when at least this many texts hold it (rarer ones fit one text, not people)."""


def tokens(text: str) -> list[str]:
    """Lower-cased words, numbers and question marks, with each adjacent pair as "a b" (what "a quick call"
    or "20 min" says that single words do not)."""
    words = [w if not w.isdigit() else "#" for w in _WORD.findall(text.casefold())]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


class WordModel:
    """A fitted word model: its weights file, read when first asked."""

    def __init__(self, path: Path):
        self.path = path

    @cached_property
    def _fitted(self) -> tuple[dict[str, float], float, float]:
        data = json.loads(self.path.read_text(encoding="utf-8"))
        return data["weights"], data["bias"], data["cut_off"]

    def probability(self, text: str) -> float:
        weights, bias, _ = self._fitted
        z = bias + sum(weights.get(t, 0.0) for t in set(tokens(text)))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def __call__(self, text: str) -> bool:
        """Yes, at the fitted cut-off."""
        return self.probability(text) >= self._fitted[2]


def fit_words(model: WordModel, examples: Path, label: str, what: str) -> int:
    """Fit model's weights from a JSON-lines file of texts labelled yes or no under label (each with its style),
    leave one style out; print the curve and the held-out scores, write the weights."""
    import numpy as np

    from app.core.binary_fitting import fit, labelled

    rows, y, styles = labelled(examples, label)
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
    print(f"{len(rows)} {what}, {int(y.sum())} labelled {label}, {len(vocabulary)} tokens; leave one style out:")
    fitted = fit(x, y, styles)
    fitted.report()
    weights = {t: round(float(w), 5) for t, w in zip(vocabulary, fitted.weights, strict=True) if abs(w) >= 1e-4}
    model.path.write_text(json.dumps({"weights": weights, **fitted.summary()}, indent=0, sort_keys=True) + "\n",
                          encoding="utf-8")
    print(f"wrote {model.path}")
    return 0
