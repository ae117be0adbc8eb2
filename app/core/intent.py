"""What a search asks for: someone who solved it, someone stuck with it, or something personal.

"anyone found a way to get invoices paid sooner" asks for a success story; "who is still losing
bookings to no-shows" for a problem; "who has a dog" for a personal detail. A logistic regression on
the query's embedding (the one the search encodes anyway) gives each kind a probability: how much an
item of that kind answers the query. It is fit by `python -m app.core.intent_training` from the
queries of Kith's own labelled sets, scored leave-one-set-out; predicting is one matrix product.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

from app.config import DATA_DIR
from models import Kind

WEIGHTS = DATA_DIR / "query_intent.npz"


class QueryIntent:
    """Each kind's probability of answering a query, from the query's embedding."""

    def __init__(self, weights: np.ndarray, bias: np.ndarray, classes: list[str]):
        self.weights = weights
        self.bias = bias
        self.classes = [Kind(c) for c in classes]

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> QueryIntent:
        data = np.load(path)
        return cls(data["weights"], data["bias"], [str(c) for c in data["classes"]])

    def probabilities(self, vector: np.ndarray) -> dict[Kind, float]:
        """Every kind's probability of being what the query asks for (0 for kinds no query asked for)."""
        logits = vector @ self.weights + self.bias
        exp = np.exp(logits - logits.max())
        found = dict(zip(self.classes, (exp / exp.sum()).tolist(), strict=True))
        return {kind: found.get(kind, 0.0) for kind in Kind}


@cache
def shipped_intent() -> QueryIntent:
    return QueryIntent.load()


def of_the_kind_asked(asked: dict[Kind, float], kind: Kind, certainty: float) -> float:
    """How likely an item read as `kind` (with probability `certainty`, the rest spread evenly over the other
    kinds) is of the kind a query asks for (`asked`, from QueryIntent.probabilities)."""
    return asked[kind] * certainty + (1 - asked[kind]) * (1 - certainty) / (len(Kind) - 1)
