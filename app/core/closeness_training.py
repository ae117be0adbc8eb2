"""Fit the score under which search says nothing is close, from answered and unanswerable queries, held out.

    python -m app.core.closeness_training    # the curve, held out per set; writes data/nothing_close.json

Each set under data/train is imported into a throw-away store and searched, as Kith searches (the query-intent
model fit without the set), with its own labelled queries (someone in the set answers each) and with
data/unanswered_queries.txt (queries whose subject no note in data/train mentions). A floor under the best hit's
score says "nothing close": it is chosen by the balanced accuracy of the worst sets (training.worst_sets) —
answered queries left unflagged and unanswerable ones flagged weigh alike — and scored held out: each set at the
floor the other sets choose. The hits are shown under the line all the same: a query flagged wrongly still
shows its answer first.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import numpy as np

from app.config import DATA_DIR, Settings
from app.core.capture import read_notes_file, save_notes
from app.core.intent import WEIGHTS as INTENT
from app.core.intent_training import labelled_queries
from app.core.search import NOTHING_CLOSE, search
from app.core.training import chosen_c, fit_classifier, style_sets, worst_sets
from app.store.embedder import Embedder
from app.store.store import Store

UNANSWERED = DATA_DIR / "unanswered_queries.txt"
FLOORS = tuple(round(x, 2) for x in np.arange(0.15, 0.50, 0.01))


def unanswered() -> list[str]:
    return [line.strip() for line in UNANSWERED.read_text().splitlines() if line.strip() and not line.startswith("#")]


def best_scores(embedder: Embedder) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """For each set: the best hit's score of each of its own queries, and of each unanswerable query."""
    asked = labelled_queries(embedder)
    c = chosen_c(INTENT)
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for folder in style_sets():
            store = Store(Settings(home=Path(tmp) / folder.name), embedder=embedder)
            without = asked.without(folder.name)
            intent = fit_classifier(without.x, without.y, c)
            try:
                save_notes(store, read_notes_file(folder / "notes.jsonl"))
                own = [q["query"] for q in json.loads((folder / "truth.json").read_text())["queries"]]
                out[folder.name] = (np.array([_best(store, q, intent) for q in own]),
                                    np.array([_best(store, q, intent) for q in unanswered()]))
            finally:
                store.close()
    return out


def _best(store: Store, query: str, intent) -> float:
    hits = search(store, query, limit=1, intent=intent)
    return hits[0].score if hits else 0.0


def balanced_accuracy(answered: np.ndarray, unanswerable: np.ndarray, floor: float) -> float:
    return 0.5 * (float(np.mean(answered >= floor)) + float(np.mean(unanswerable < floor)))


def main() -> int:
    scores = best_scores(Embedder())
    names = sorted(scores)
    curve = {f: {n: balanced_accuracy(*scores[n], f) for n in names} for f in FLOORS}
    print("floor  balanced accuracy worst 5th   mean   answered flagged (worst set)   unanswerable flagged")
    for f, by_set in curve.items():
        flagged = [float(np.mean(scores[n][0] < f)) for n in names]
        caught = np.mean([np.mean(scores[n][1] < f) for n in names])
        print(f"{f:<6} {worst_sets(by_set.values())[0]:26.3f} {np.mean(list(by_set.values())):7.3f}"
              f" {np.mean(flagged):16.3f} ({max(flagged):.3f}) {caught:22.3f}")
    print("held out (the floor the other sets choose):")
    for held in names:
        chosen = max(FLOORS, key=lambda f: worst_sets(v for n, v in curve[f].items() if n != held))
        print(f"  {held:<24} {curve[chosen][held]:.3f} at {chosen}")
    floor = max(FLOORS, key=lambda f: worst_sets(curve[f].values()))
    NOTHING_CLOSE.write_text(json.dumps({"floor": floor}) + "\n")
    print(f"wrote {NOTHING_CLOSE}: floor {floor} "
          f"(balanced accuracy worst 5th {worst_sets(curve[floor].values())[0]:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
