"""Fitting a yes/no logistic regression and its cut-off from labelled examples in several styles, chosen by
the worst style when each style is scored by a model fitted without it (scikit-learn: training only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.core.training import read_jsonl

CUT_OFFS = tuple(round(x, 2) for x in np.arange(0.20, 0.91, 0.05))
STRENGTHS = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
"""scikit-learn's C: inverse regularisation strength."""


@dataclass
class Fitted:
    c: float
    cut_off: float
    worst: float
    """The worst style's held-out Matthews correlation."""
    per_style: dict[str, float]
    f1: dict[str, float]
    weights: np.ndarray
    bias: float

    def report(self, report=print) -> None:
        report(_styles_line(f"chosen C={self.c}, cut-off {self.cut_off}, held-out MCC", self.per_style))
        report(_styles_line("held-out F1", self.f1))

    def summary(self) -> dict:
        """What a weights file records beside the weights: the bias, the cut-off and the held-out scores."""
        return {"bias": round(self.bias, 5), "cut_off": self.cut_off, "held_out_worst_mcc": round(self.worst, 3),
                "held_out_worst_f1": round(min(self.f1.values()), 3)}


def labelled(path: Path, label: str) -> tuple[list[dict], np.ndarray, np.ndarray]:
    """A JSON-lines file's rows, each row's yes/no under label, and each row's style."""
    rows = read_jsonl(path)
    return rows, np.array([bool(r[label]) for r in rows]), np.array([r["style"] for r in rows])


def f1(truth: np.ndarray, said: np.ndarray) -> float:
    hits = float(np.sum(truth & said))
    return 0.0 if hits == 0 else 2 * hits / (float(np.sum(truth)) + float(np.sum(said)))


def mcc(truth: np.ndarray, said: np.ndarray) -> float:
    """Matthews correlation: 0 for a rule that says the same of everything (F1 would reward "all yes")."""
    tp, tn = float(np.sum(truth & said)), float(np.sum(~truth & ~said))
    fp, fn = float(np.sum(~truth & said)), float(np.sum(truth & ~said))
    denominator = np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return 0.0 if denominator == 0 else (tp * tn - fp * fn) / float(denominator)


def _model(c: float, x: np.ndarray, y: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=4000, class_weight="balanced").fit(x, y)


def held_out_probabilities(x: np.ndarray, y: np.ndarray, styles: np.ndarray, c: float,
                           asked: np.ndarray | None = None) -> np.ndarray:
    """Each example's probability from a model fitted on the other styles (asked: other features of the same
    examples to ask it about instead)."""
    asked = x if asked is None else asked
    p = np.zeros(len(y))
    for style in np.unique(styles):
        out = styles == style
        p[out] = _model(c, x[~out], y[~out]).predict_proba(asked[out])[:, 1]
    return p


def fit(x: np.ndarray, y: np.ndarray, styles: np.ndarray, report=print) -> Fitted:
    """The strength and cut-off whose worst held-out style (Matthews correlation) is best; then the model on
    every style."""
    best: Fitted | None = None
    for c in STRENGTHS:
        p = held_out_probabilities(x, y, styles, c)
        for cut in CUT_OFFS:
            per = {str(s): mcc(y[styles == s], p[styles == s] >= cut) for s in np.unique(styles)}
            if best is None or min(per.values()) > best.worst + 1e-9:
                f1s = {str(s): f1(y[styles == s], p[styles == s] >= cut) for s in np.unique(styles)}
                best = Fitted(c, cut, min(per.values()), per, f1s, np.zeros(0), 0.0)
        report(f"  C={c:<5} best worst-style MCC so far {best.worst:.3f} (C={best.c}, cut-off {best.cut_off})")
    assert best is not None
    model = _model(best.c, x, y)
    best.weights, best.bias = model.coef_[0], float(model.intercept_[0])
    return best


def _styles_line(title: str, per_style: dict[str, float]) -> str:
    return f"{title}: " + "  ".join(f"{s} {v:.3f}" for s, v in sorted(per_style.items(), key=lambda kv: kv[1]))
