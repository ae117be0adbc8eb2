"""The sentence classifier: a logistic regression on the embedding and the word cues.

Its weights are trained from data/sentences.tsv by `python -m app.core.training`
and shipped in data/classifier.npz; predicting is one matrix product.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

from app.config import DATA_DIR
from app.core.cues import cue_vector
from models import Kind

WEIGHTS = DATA_DIR / "classifier.npz"


def features(texts: list[str], embeddings: np.ndarray) -> np.ndarray:
    """The classifier's input: each embedding beside its sentence's cue vector."""
    cues = np.stack([cue_vector(t) for t in texts]) if texts else np.zeros((0, 0), np.float32)
    return np.hstack([embeddings, cues]).astype(np.float32)


class SentenceClassifier:
    """Gives each sentence a kind with a probability."""

    def __init__(self, weights: np.ndarray, bias: np.ndarray, classes: list[str]):
        self.weights = weights
        self.bias = bias
        self.classes = [Kind(c) for c in classes]

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> SentenceClassifier:
        data = np.load(path)
        return cls(data["weights"], data["bias"], [str(c) for c in data["classes"]])

    def probabilities(self, texts: list[str], embeddings: np.ndarray) -> np.ndarray:
        logits = features(texts, embeddings) @ self.weights + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def index(self, kind: Kind) -> int:
        return self.classes.index(kind)


@cache
def shipped_classifier() -> SentenceClassifier:
    """The classifier trained on Kith's own labelled sentences."""
    return SentenceClassifier.load()
