"""Train the sentence classifier on data/sentences.tsv and report its cross-validated macro-F1.

    python -m app.core.training            # train, print CV figures, write data/classifier.npz
"""

from __future__ import annotations

import csv
import sys

import numpy as np

from app.config import DATA_DIR
from app.core.kinds import WEIGHTS, features
from app.store.embedder import Embedder

CORPUS = DATA_DIR / "sentences.tsv"
C = 4.0


def load_corpus() -> tuple[list[str], list[str]]:
    with CORPUS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [r["text"] for r in rows], [r["kind"] for r in rows]


def _model():  # scikit-learn is needed to train only, never to predict.
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=3000, class_weight="balanced")


def cross_validate(x: np.ndarray, y: np.ndarray, folds: int = 5) -> tuple[float, str]:
    from sklearn.metrics import classification_report, f1_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    predicted = cross_val_predict(_model(), x, y, cv=StratifiedKFold(folds, shuffle=True, random_state=7))
    return float(f1_score(y, predicted, average="macro")), str(classification_report(y, predicted, digits=3))


def main() -> int:
    texts, labels = load_corpus()
    x = features(texts, Embedder().encode(texts))
    y = np.asarray(labels)
    f1, report = cross_validate(x, y)
    print(f"{len(texts)} sentences; 5-fold cross-validated macro-F1 {f1:.3f}\n{report}")
    model = _model().fit(x, y)
    np.savez(WEIGHTS, weights=model.coef_.T.astype(np.float32), bias=model.intercept_.astype(np.float32),
             classes=np.asarray(model.classes_))
    print(f"wrote {WEIGHTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
