"""Fit search's weights from the queries of Kith's own labelled sets, scored leave-one-set-out.

    python -m app.core.search_training           # the curve per set, held out set by set
    python -m app.core.search_training --write   # ...and ship the best worst set's weights
    python -m app.core.search_training --pieces  # ...or the shipped weights with the word-pieces' share chosen
    python -m app.core.search_training --paired  # only the query encoder's share's curve, and write its choice

Each set under data/train is imported into a throw-away store; each of its queries ("who got
customers to pay faster") is searched with every combination of the weights, and scored by
nDCG@5 over the people it names first. A combination is chosen by its worst sets (training.worst_sets); held out,
each set is scored with the combination the other sets chose, beside the shipped weights.

A person scores by their best sentence plus `support` times how far each further sentence shown
stands above the secondary margin's floor. Each set's queries are read by a query-intent model fit without
that set (app.core.intent_training), as Kith reads queries it has never seen. On 2026-12-04, with the
kind a query asks for learned (instead of word patterns) and weighing as a share of a sentence's score
by the sentence's probability of that kind, the held-out worst set went from 0.717 to 0.807 and the mean
from 0.799 to 0.865 (keyword 0.16, kind 0.5, unsolved 0.15, support 0.5); the same run with the word
patterns gave 0.717 and 0.799.

Until 2026-12-05 the sets' notes were read by the shipped sentence classifier, which was fit on them: their
items' kinds were truer than any new writer's. Read by one fit without each set (28 styles), the shipped weights'
worst fifth is 0.694 (0.706 read with the shipped classifier) and the grid's best is 0.701 (no fall for a person
still stuck, support 0.5); with those, the shared sets' worst nDCG@5 fell 0.676 → 0.616 (voice, esl) and our
unseen writers' 0.690 → 0.618, so the shipped weights stay (docs/journal.md, fifteenth session).

Each set's problems and stories are read by the pair encoder trained without the set's quarter of the styles
(encoder_training.fold_overlays), as pair_training reads them, and its queries by the query encoder trained without
it (query_training.fold_encoders): the shipped ones have seen every set. `--paired` prints the curve of the share of
a problem's or a story's meaning read by them (search.Weights.paired), with the shipped other weights, and writes
the best worst fifth's.

The share of a sentence's meaning read from its word-pieces (sixteenth session) is chosen beside the grid, with
the shipped other weights: 0.15 by the worst fifth (0.694 → 0.708; held out, each set scored at the share chosen
without it, 0.694 → 0.700, the mean 0.842 → 0.845), and `--pieces` writes it into the shipped weights.
"""

from __future__ import annotations

import dataclasses
import json
import math
import sys
import tempfile
from collections.abc import Iterator
from itertools import product
from pathlib import Path
from statistics import mean

from app.config import Settings
from app.core.capture import read_notes_file, save_notes
from app.core.intent import WEIGHTS as INTENT
from app.core.intent_training import labelled_queries
from app.core.kind_encoder_training import fold_readers, read_out_of_fold
from app.core.kinds import SentenceClassifier, reading_with
from app.core.query_training import fold_encoders, shipped_query_epochs
from app.core.search import RELEVANCE_MARGIN, SECONDARY_MARGIN, WEIGHTS, Weights, search, shipped_weights
from app.core.training import (
    chosen_c,
    chosen_without,
    fit_classifier,
    fit_without,
    held_out_choices,
    load_corpus,
    style_sets,
    worst_sets,
)
from app.store.embedder import Embedder
from app.store.store import Store
from models.contact import normalise_name

MARGINS = tuple((relevance, secondary) for relevance in (0.2, 0.3, 0.45) for secondary in (0.06, 0.12, 0.2))
"""search's RELEVANCE_MARGIN and SECONDARY_MARGIN tried (with the shipped weights): their curve is printed,
nDCG@5 beside how many people a reader is shown and how many of them are relevant; they are set from it."""
GRID = {"keyword": (0.0, 0.08, 0.16, 0.3), "kind": (0.0, 0.25, 0.5, 0.75, 1.0), "unsolved": (0.0, 0.15, 0.3),
        "support": (0.0, 0.25, 0.5, 1.0)}
PIECES = (0.0, 0.15, 0.3, 0.5, 0.7)
"""Shares of a sentence's meaning read from its word-pieces (search.Weights.pieces), tried with the shipped
other weights (beside the grid: five times its searches for one weight more)."""
PAIRED = (0.0, 0.15, 0.3, 0.5, 0.7, 0.85, 1.0)
"""Shares of a problem's or a story's meaning read by the query and the pair encoder (search.Weights.paired),
tried with the shipped other weights (`--paired`)."""



def searched_sets(embedder: Embedder) -> Iterator[tuple[str, Store, SentenceClassifier, list[dict]]]:
    """Each set under data/train imported into a throw-away store, as Kith would search it had it never seen the
    set: (its name, the store, a query-intent model fit without the set, its labelled queries), its notes read by
    a sentence classifier fit without it too, its problems and stories by the pair encoder trained without its fold, its
    queries by the query encoder trained without it. The store is closed once the next is asked for."""
    asked = labelled_queries(embedder)
    c = chosen_c(INTENT)
    corpus = load_corpus()
    kind_readers = fold_readers(corpus)
    x, y, sets = read_out_of_fold(corpus, kind_readers)
    reading_c = chosen_c()
    overlays = fold_encoders(shipped_query_epochs(), embedder)
    encoders = {path: Embedder(overlay=path) for pair in set(overlays.values()) for path in pair}
    with tempfile.TemporaryDirectory() as tmp:
        for folder in style_sets():
            embedder.read_with(*(encoders[path] for path in overlays[folder.name]), kinds=kind_readers[folder.name])
            store = Store(Settings(home=Path(tmp) / folder.name), embedder=embedder)
            without = asked.without(folder.name)
            try:
                with reading_with(fit_without(x, y, sets, folder.name, reading_c)):
                    save_notes(store, read_notes_file(folder / "notes.jsonl"))
                yield (folder.name, store, fit_classifier(without.x, without.y, c),
                       json.loads((folder / "truth.json").read_text())["queries"])
            finally:
                store.close()


def ndcg_at_5(people: list[str], relevant: set[str]) -> float:
    """nDCG@5 over the distinct people named, in order."""
    seen: list[str] = []
    for person in map(normalise_name, people):
        if person not in seen:
            seen.append(person)
    dcg = sum(1 / math.log2(i + 2) for i, p in enumerate(seen[:5]) if p in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(5, len(relevant))))
    return dcg / ideal if ideal else 0.0


def _shown(store: Store, query: dict, intent: SentenceClassifier, *, weights: Weights | None = None, limit: int = 10,
           margins: tuple[float, float] = (RELEVANCE_MARGIN, SECONDARY_MARGIN)) -> tuple[float, int, float]:
    """One labelled query searched: nDCG@5, the people shown in `limit` hits, and the share of them who are
    relevant (the shipped weights and margins unless given)."""
    hits = search(store, query["query"], limit=limit, weights=weights, intent=intent, margins=margins)
    people = list(dict.fromkeys(normalise_name(h.contact) for h in hits))
    relevant = {normalise_name(c) for c in query["relevant_contacts"]}
    return ndcg_at_5(people, relevant), len(people), len(relevant.intersection(people)) / max(1, len(people))


def _print_margins(margins: dict[tuple[float, float], dict[str, list[tuple[float, int, float]]]]) -> None:
    """The margins' curve: each set's nDCG@5 (the worst, the worst sets' and the mean), and what a reader is
    shown."""
    print("relevance secondary   nDCG@5 worst  worst 5th   mean   people shown   relevant share")
    for (relevance, secondary), by_set in margins.items():
        ndcg = [mean(row[0] for row in rows) for rows in by_set.values()]
        every = [row for rows in by_set.values() for row in rows]
        print(f"{relevance:<9} {secondary:<9}   {min(ndcg):12.3f}  {worst_sets(ndcg)[0]:7.3f}   {mean(ndcg):.3f}   "
              f"{mean(row[1] for row in every):12.1f}   {mean(row[2] for row in every):14.2f}")


def paired() -> int:
    """The query encoder's share's curve (`--paired`): each set searched at each share, the shipped other weights;
    writes the best worst fifth's."""
    shipped = shipped_weights()
    curve: dict[float, dict[str, float]] = {share: {} for share in PAIRED}
    for name, store, intent, queries in searched_sets(Embedder()):
        for share in PAIRED:
            w = dataclasses.replace(shipped, paired=share)
            curve[share][name] = mean(_shown(store, q, intent, weights=w, limit=20)[0] for q in queries)
    chosen = dataclasses.replace(shipped, paired=_print_shares(curve, sorted(curve[0.0]), "paired"))
    WEIGHTS.write_text(json.dumps(dataclasses.asdict(chosen)) + "\n")
    print(f"wrote {WEIGHTS}: {chosen}")
    return 0


def main() -> int:
    if "--paired" in sys.argv[1:]:
        return paired()
    embedder = Embedder()
    shipped = shipped_weights()
    # the grid's weights beside the shipped shares (the word-pieces' and the query encoder's, each its own curve)
    combos = [dataclasses.replace(shipped, **dict(zip(GRID, values, strict=True)))
              for values in product(*GRID.values())]
    combos += [shipped] if shipped not in combos else []
    shares = {share: dataclasses.replace(shipped, pieces=share) for share in PIECES}
    curve: dict[Weights, dict[str, float]] = {w: {} for w in [*combos, *shares.values()]}
    margins: dict[tuple[float, float], dict[str, list[tuple[float, int, float]]]] = {pair: {} for pair in MARGINS}
    for name, store, intent, queries in searched_sets(embedder):
        for w in curve:
            curve[w][name] = mean(_shown(store, q, intent, weights=w, limit=20)[0] for q in queries)
        for pair in MARGINS:
            margins[pair][name] = [_shown(store, q, intent, margins=pair) for q in queries]
    names = sorted(next(iter(curve.values())))
    print("keyword kind  unsolved support " + " ".join(f"{n[:10]:>10}" for n in names) + "      worst  worst 5th")
    for w in combos:
        by_set = curve[w]
        print(f"{w.keyword:<7} {w.kind:<5} {w.unsolved:<8} {w.support:<7} "
              + " ".join(f"{by_set[n]:10.3f}" for n in names)
              + f" {min(by_set.values()):10.3f} {worst_sets(by_set.values())[0]:10.3f}")
    print("held out (weights chosen by the worst of the other sets, training.worst_sets):")
    for held in names:
        chosen = chosen_without({w: curve[w] for w in combos}, held)
        print(f"  {held:<20} nDCG@5 {curve[chosen][held]:.3f}  ({chosen}); shipped {curve[shipped][held]:.3f}")
    _print_margins(margins)
    share = _print_shares({share: curve[w] for share, w in shares.items()}, names, "pieces")
    best = max(combos, key=lambda w: worst_sets(curve[w].values()))
    for label, w in (("best worst sets", best), ("shipped", shipped)):
        print(f"{label}: {w} {worst_sets(curve[w].values())[0]:.3f} (the worst {min(curve[w].values()):.3f})")
    chosen = (dataclasses.replace(best, pieces=share) if "--write" in sys.argv[1:]
              else shares[share] if "--pieces" in sys.argv[1:] else None)
    if chosen is not None:
        WEIGHTS.write_text(json.dumps(dataclasses.asdict(chosen)) + "\n")
        print(f"wrote {WEIGHTS}: {chosen}")
    return 0


def _print_shares(by_share: dict[float, dict[str, float]], names: list[str], label: str) -> float:
    """A share's curve (the word-pieces' or the query encoder's, the shipped other weights) and each set held out;
    returns the choice."""
    print(f"{label:<6} " + " ".join(f"{n[:10]:>10}" for n in names) + "      worst  worst 5th   mean")
    for share, by_set in by_share.items():
        print(f"{share:<6} " + " ".join(f"{by_set[n]:10.3f}" for n in names)
              + f" {min(by_set.values()):10.3f} {worst_sets(by_set.values())[0]:10.3f} {mean(by_set.values()):6.3f}")
    held = held_out_choices(by_share)
    print(f"held out (the share chosen without each set): worst 5th {worst_sets(held.values())[0]:.3f}, mean "
          f"{mean(held.values()):.3f}; no share: {worst_sets(by_share[0.0].values())[0]:.3f}, "
          f"{mean(by_share[0.0].values()):.3f}")
    return max(by_share, key=lambda s: worst_sets(by_share[s].values()))


if __name__ == "__main__":
    sys.exit(main())
