"""Fit the query-intent model from the queries of Kith's own labelled sets, scored leave-one-set-out.

    python -m app.core.intent_training      # the held-out accuracy per set and C, writes data/query_intent.npz

Every set under data/train has queries, each with the people who answer it, and labelled passages.
A query asks for the kind of passage that answers it: of each relevant person's passages the one
closest to the query in meaning, and the kind most of them share. data/queries.tsv adds queries
written for this in every way people type into a search box (terse, long, lowercase, second-language
English, typos), each with the kind it asks for; they are always learned from, never held out. Kinds
that fewer than MIN_QUERIES queries ask for are left out. C is chosen by the held-out accuracy of the worst
sets (training.worst_sets).
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from dataclasses import dataclass

import numpy as np

from app.config import DATA_DIR
from app.core.intent import WEIGHTS, asked_for
from app.core.training import KIND_OF_PASSAGE, choose_and_save, fit_classifier, read_jsonl, style_sets
from app.store.embedder import Embedder
from models.contact import normalise_name

QUERIES = DATA_DIR / "queries.tsv"
WRITTEN = "queries"
"""The set name of data/queries.tsv's queries."""
C_GRID = (0.3, 1.0, 3.0, 10.0, 30.0)
MIN_QUERIES = 10
"""A kind asked for by fewer queries than this cannot be learned (nor held out) from them."""


@dataclass
class Queries:
    """Every labelled query: its embedding, the kind that answers it, its set."""

    x: np.ndarray
    y: np.ndarray
    sets: np.ndarray

    def without(self, held: str) -> Queries:
        keep = self.sets != held
        return Queries(self.x[keep], self.y[keep], self.sets[keep])


def answering_kind(query: np.ndarray, passages: list[tuple[str, str]], vectors: np.ndarray,
                   relevant: set[str]) -> str | None:
    """The kind most relevant people's closest passage to the query has (passages: (person, kind)); between
    kinds as common, the one of the closest passage. None when no relevant person has a passage."""
    closest: list[tuple[str, float]] = []
    for person in sorted(relevant):
        rows = [i for i, (who, _) in enumerate(passages) if who == person]
        if rows:
            best = max(rows, key=lambda i: float(vectors[i] @ query))
            closest.append((passages[best][1], float(vectors[best] @ query)))
    count = Counter(kind for kind, _ in closest)
    return max(closest, key=lambda ks: (count[ks[0]], ks[1]))[0] if closest else None


def labelled_queries(embedder: Embedder) -> Queries:
    x: list[np.ndarray] = []
    y: list[str] = []
    sets: list[str] = []
    for folder in style_sets():
        labels = read_jsonl(folder / "labels.jsonl")
        passages = [(normalise_name(label["contact"]), KIND_OF_PASSAGE.get(p["kind"], p["kind"]))
                    for label in labels for p in label["passages"]]
        vectors = embedder.encode([p["text"] for label in labels for p in label["passages"]])
        queries = json.loads((folder / "truth.json").read_text())["queries"]
        encoded = embedder.encode([q["query"] for q in queries])
        for query, vector in zip(queries, encoded, strict=True):
            kind = answering_kind(vector, passages, vectors, {normalise_name(c) for c in query["relevant_contacts"]})
            if kind is not None:
                x.append(vector)
                y.append(kind)
                sets.append(folder.name)
    with QUERIES.open(encoding="utf-8") as handle:
        written = list(csv.DictReader(handle, delimiter="\t"))
    x.extend(embedder.encode([row["text"] for row in written]))
    y.extend(row["kind"] for row in written)
    sets.extend(WRITTEN for _ in written)
    labels_ = np.asarray(y)
    common = [kind for kind, n in Counter(y).items() if n >= MIN_QUERIES]
    keep = np.isin(labels_, common)
    return Queries(np.stack(x)[keep], labels_[keep], np.asarray(sets)[keep])


def held_out_accuracy(q: Queries, c: float) -> dict[str, float]:
    """Each set's share of queries whose kind is the most probable, the model fit without that set."""
    scores: dict[str, float] = {}
    for held in sorted(set(q.sets) - {WRITTEN}):
        train = q.without(held)
        model = fit_classifier(train.x, train.y, c)
        predicted = [max(asked, key=lambda k: asked[k]).value
                     for asked in (asked_for(model, v) for v in q.x[q.sets == held])]
        scores[held] = float(np.mean(np.asarray(predicted) == q.y[q.sets == held]))
    return scores


def main() -> int:
    q = labelled_queries(Embedder())
    print(f"{len(q.y)} queries from {len(set(q.sets))} sets ({WRITTEN}: {QUERIES.name}), asking for "
          f"{dict(Counter(q.y.tolist()))}")
    choose_and_save({c: held_out_accuracy(q, c) for c in C_GRID}, "accuracy", q.x, q.y, WEIGHTS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
