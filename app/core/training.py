"""Train the sentence classifier on data/sentences.tsv and report its cross-validated macro-F1.

    python -m app.core.training            # train, print CV figures, write data/classifier.npz

The classifier also reads whole paragraphs (see understand.py), so it learns from paragraphs
too: two to four labelled sentences of one kind, joined, make a paragraph of that kind.
"""

from __future__ import annotations

import csv
import random
import sys

import numpy as np

from app.config import DATA_DIR
from app.core.kinds import WEIGHTS, features
from app.store.embedder import Embedder

CORPUS = DATA_DIR / "sentences.tsv"
C = 4.0
PARAGRAPHS_PER_KIND = 80
SEED = 7


def load_corpus() -> tuple[list[str], list[str]]:
    with CORPUS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [r["text"] for r in rows], [r["kind"] for r in rows]


def paragraphs(texts: list[str], labels: list[str], seed: int = SEED) -> tuple[list[str], list[str]]:
    """Paragraphs made of two to four sentences of the same kind (follow-ups stand alone)."""
    rng = random.Random(seed)
    out_texts, out_labels = [], []
    for kind in sorted(set(labels) - {"followup"}):
        pool = [t for t, k in zip(texts, labels, strict=True) if k == kind]
        for _ in range(PARAGRAPHS_PER_KIND):
            picked = rng.sample(pool, min(len(pool), rng.randint(2, 4)))
            out_texts.append(" ".join(t.rstrip(".") + "." for t in picked))
            out_labels.append(kind)
    return out_texts, out_labels


def _model():  # scikit-learn is needed to train only, never to predict.
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=3000, class_weight="balanced")


def _with_paragraphs(texts: list[str], labels: list[str], x: np.ndarray,
                     embedder: Embedder) -> tuple[np.ndarray, np.ndarray]:
    """The sentences' features (x) and labels, with paragraphs made from these sentences added."""
    more_texts, more_labels = paragraphs(texts, labels)
    return np.vstack([x, features(more_texts, embedder.encode(more_texts))]), np.asarray(labels + more_labels)


def cross_validate(texts: list[str], labels: list[str], x: np.ndarray, embedder: Embedder,
                   folds: int = 5) -> tuple[float, str]:
    """Macro-F1 on held-out sentences; each fold's paragraphs are made from its training sentences only."""
    from sklearn.metrics import classification_report, f1_score
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray(labels)
    predicted = np.empty_like(y)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=SEED).split(x, y):
        fold = _with_paragraphs([texts[i] for i in train], [labels[i] for i in train], x[train], embedder)
        predicted[test] = _model().fit(*fold).predict(x[test])
    return float(f1_score(y, predicted, average="macro")), str(classification_report(y, predicted, digits=3))


def main() -> int:
    texts, labels = load_corpus()
    embedder = Embedder()
    x = features(texts, embedder.encode(texts))
    f1, report = cross_validate(texts, labels, x, embedder)
    print(f"{len(texts)} sentences; 5-fold cross-validated macro-F1 {f1:.3f}\n{report}")
    model = _model().fit(*_with_paragraphs(texts, labels, x, embedder))
    np.savez(WEIGHTS, weights=model.coef_.T.astype(np.float32), bias=model.intercept_.astype(np.float32),
             classes=np.asarray(model.classes_))
    print(f"wrote {WEIGHTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
