"""Fit the score under which search says nothing is close, from answered and unanswerable queries, held out.

    python -m app.core.closeness_training    # the curve, held out per set; writes data/nothing_close.json

Each set under data/train is imported into a throw-away store and searched, as Kith searches (the query-intent
model fit without the set), with its own labelled queries (someone in the set answers each) and with
data/unanswered_queries.txt (queries whose subject no note in data/train mentions). Saying "nothing is close"
over an answer hides it in plain sight, while missing the line only leaves weak hits showing their scores: so
the floor is the lowest best-hit score of any answered query (no query our writers wrote with an answer in
mind is ever flagged), rounded down to the hundredth. Held out, each set is scored at the floor of the other
sets: how many of its answered queries that floor flags, and how many unanswerable ones it catches. The curve
of every floor is printed beside it (answered queries flagged, unanswerable ones caught, balanced accuracy).
The query-intent model and the sentence classifier that reads the set's notes are fit without it (search's
weights were fit on these sets too). A best hit is judged by its score before the query encoder's share
(search.closeness): taught only queries someone answers, the encoder puts "who can explain black holes" near some
problem, and judged after it the floor fell to 0.21 and caught 27% of unanswerable queries instead of 50%. The file
keeps the search weights it was fit with: fit it again whenever they change (`bench/fit.py` runs it after search's).
"""

from __future__ import annotations

import dataclasses
import json
import sys

import numpy as np

from app.config import DATA_DIR
from app.core.search import NOTHING_CLOSE, closeness, search, shipped_weights
from app.core.search_training import searched_sets
from app.core.training import worst_sets
from app.store.embedder import Embedder
from app.store.store import Store

UNANSWERED = DATA_DIR / "unanswered_queries.txt"
FLOORS = tuple(round(x, 2) for x in np.arange(0.15, 0.50, 0.01))


def unanswered() -> list[str]:
    return [line.strip() for line in UNANSWERED.read_text().splitlines() if line.strip() and not line.startswith("#")]


def best_scores(embedder: Embedder) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """For each set: the closeness of the best hit of each of its own queries, and of each unanswerable query
    (search.closeness: its score before the query encoder's share)."""
    return {name: (np.array([_best(store, q["query"], intent) for q in queries]),
                   np.array([_best(store, q, intent) for q in unanswered()]))
            for name, store, intent, queries in searched_sets(embedder)}


def _best(store: Store, query: str, intent) -> float:
    return closeness(search(store, query, limit=1, intent=intent))


def balanced_accuracy(answered: np.ndarray, unanswerable: np.ndarray, floor: float) -> float:
    return 0.5 * (float(np.mean(answered >= floor)) + float(np.mean(unanswerable < floor)))


def lowest_answered(scores: dict[str, tuple[np.ndarray, np.ndarray]], names: list[str]) -> float:
    """The floor under every answered query of these sets: their lowest best-hit score, down to the hundredth."""
    return float(np.floor(min(float(scores[n][0].min()) for n in names) * 100) / 100)


def main() -> int:
    scores = best_scores(Embedder())
    names = sorted(scores)
    print("floor  answered flagged (worst set)   unanswerable caught   balanced accuracy worst 5th")
    for f in FLOORS:
        flagged = [float(np.mean(scores[n][0] < f)) for n in names]
        caught = np.mean([np.mean(scores[n][1] < f) for n in names])
        print(f"{f:<6} {np.mean(flagged):16.3f} ({max(flagged):.3f}) {caught:21.3f} "
              f"{worst_sets(balanced_accuracy(*scores[n], f) for n in names)[0]:29.3f}")
    print("held out (the floor of the other sets): answered queries flagged, unanswerable ones caught")
    held = {}
    for n in names:
        floor = lowest_answered(scores, [m for m in names if m != n])
        held[n] = float(np.mean(scores[n][0] < floor)), float(np.mean(scores[n][1] < floor))
        print(f"  {n:<24} at {floor:.2f}: {held[n][0]:.3f} flagged, {held[n][1]:.3f} caught")
    flagged, caught = [v[0] for v in held.values()], [v[1] for v in held.values()]
    print(f"held out, mean: {np.mean(flagged):.3f} flagged (the worst set {max(flagged):.3f}), "
          f"{np.mean(caught):.3f} caught")
    floor = lowest_answered(scores, names)
    NOTHING_CLOSE.write_text(json.dumps({"floor": floor, "weights": dataclasses.asdict(shipped_weights())}) + "\n")
    print(f"wrote {NOTHING_CLOSE}: floor {floor}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
