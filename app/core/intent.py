"""What a search asks for: someone who solved it, someone stuck with it, something personal, or a plain fact.

"anyone found a way to get invoices paid sooner" asks for a success story; "who is still losing
bookings to no-shows" for a problem; "who has a dog" for a personal detail; "who works in logistics"
for a note. A logistic regression on the query's embedding (the one the search encodes anyway) gives
each kind a probability: how much an item of that kind answers the query. It is fit by `python -m
app.core.intent_training` from the queries of Kith's own labelled sets, scored leave-one-set-out;
predicting is one matrix product.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from app.config import DATA_DIR
from app.core.kinds import SentenceClassifier
from models import Kind

WEIGHTS = DATA_DIR / "query_intent.npz"


@cache
def shipped_intent() -> SentenceClassifier:
    return SentenceClassifier.load(WEIGHTS)


def asked_for(intent: SentenceClassifier, vector: np.ndarray) -> dict[Kind, float]:
    """Every kind's probability of being what the query (its embedding) asks for; 0 for a kind the model
    was fit without (too few queries ask for it: follow-ups are `kith followups`)."""
    found = dict(zip(intent.classes, intent.probabilities(vector[None, :])[0].tolist(), strict=True))
    return {kind: found.get(kind, 0.0) for kind in Kind}


def of_the_kind_asked(asked: dict[Kind, float], kind: Kind, certainty: float, kinds: np.ndarray | None) -> float:
    """How likely an item is of the kind a query asks for (`asked`, from asked_for): from its probability of
    every kind (models.Kind's order), or for an item understood before those were kept, from its own kind's
    probability `certainty` with the rest spread evenly over the other kinds."""
    if kinds is not None:
        return float(sum(asked[k] * p for k, p in zip(Kind, kinds.tolist(), strict=True)))
    return asked[kind] * certainty + (1 - asked[kind]) * (1 - certainty) / (len(Kind) - 1)
