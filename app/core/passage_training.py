"""Fit how a run-on sentence is read as clauses, scored leave-one-set-out.

    python -m app.core.passage_training            # the curve per set, the choice and the shipped cut beside it
    python -m app.core.passage_training --write    # and writes the choice to data/passages.json

Dictated notes run on for a whole call: one "sentence" holds who the person is, their problem,
their daughter's news and the user's to-do, and read whole it is one item of one kind. Cut at
its commas it is several clauses, each classified in its context, the neighbours of one kind
merged again into one story. Where a sentence is long enough to cut (`longest` words) is chosen
here by how whole the items come out: every labelled set is split at the cut, read by a sentence
classifier fit without it and merged into items as Kith merges them (app.core.understand), and each
labelled problem, success story and personal detail scores the best F1 (in characters) of one item
of its kind against it. A story read as one item scores 1; cut into halves, 0.67; run into the
introduction beside it, less; read as another kind, 0. The cut whose worst sets (training.worst_sets)
score best wins.

Two measures were tried before and failed end to end (docs/journal.md, tenth and eleventh sessions): the
matches' F1 (twelve matches a set: too noisy to choose a cut; it preferred never cutting, and refit
there the shared voice memos fell apart) and each word's kind (it preferred 12 words, and refit there
a personal detail cut into clauses was shown as several). This measure scores the items, which are
what is matched and shown. On 28 styles (2026-12-05) its curve is clean and, like the words', prefers
the shortest cut: worst fifth 0.694 at 12 words, 0.661 at 25, 0.638 at 45 (shipped), 0.614 at 70, 0.553
never cutting; the worst set at 45 is raw speech-to-text (0.465), a run-on without punctuation. With the
classifier refit at 12 words the shared sets' worst row fell (recall@3 0.720 → 0.630, precision 0.364 →
0.286, decoys 0.167 → 0.233, nDCG@5 0.676 → 0.617: docs/journal.md, fifteenth session), so the choice is written
only when asked, as the pair scorer's and search's are, and data/passages.json keeps 45 words.
"""

from __future__ import annotations

import json
import sys

import numpy as np

from app.core.kind_encoder_training import read_out_of_fold
from app.core.sentences import PASSAGES, Sentence, trying
from app.core.training import Corpus, chosen_c, fit_without, load_corpus, worst_sets
from app.core.understand import MERGED_KINDS, merge_runs
from models import Kind

GRID = ((12, 6), (25, 6), (45, 6), (70, 6), (10_000, 6))
"""(longest, shortest) tried; 10,000 words is never cutting at all."""
MEASURED = tuple(k.value for k in MERGED_KINDS)
"""The labelled passages scored: those a story or a detail is told in, which Kith keeps as one item."""


def passage_scores(sentences: list[Sentence], read_as: list[Kind], shared: np.ndarray,
                   passage_kinds: list[str]) -> dict[str, list[float]]:
    """Each labelled passage of a MEASURED kind: the best F1, in characters, of one item of its kind against it.

    read_as holds each sentence's kind as read; shared the characters each sentence shares with each passage
    (training.passage_overlaps). A sentence's position is its row.
    """
    items = merge_runs(sentences, read_as)
    scores: dict[str, list[float]] = {}
    for column, kind in enumerate(passage_kinds):
        told = int(shared[:, column].sum())
        if kind not in MEASURED or not told:
            continue
        best = 0.0
        for item_kind, members in items:
            rows = [s.position for s in members]
            inside = int(shared[rows, column].sum())
            if item_kind.value == kind and inside:
                precision, recall = inside / sum(len(sentences[r].text) for r in rows), inside / told
                best = max(best, 2 * precision * recall / (precision + recall))
        scores.setdefault(kind, []).append(best)
    return scores


def held_out_passages(corpus: Corpus, c: float) -> dict[str, float]:
    """Each style's mean passage score over the MEASURED kinds (each kind's mean weighing the same),
    its notes read by a classifier fit without it."""
    x, y, sets = read_out_of_fold(corpus)
    starts = np.cumsum([0] + [len(note) for note in corpus.notes])
    result: dict[str, float] = {}
    for style in sorted(set(corpus.sets) - {"sentences"}):
        classifier = fit_without(x, y, sets, style, c)
        per_kind: dict[str, list[float]] = {}
        for i, (name, shared) in enumerate(zip(corpus.sets, corpus.overlaps, strict=True)):
            if name != style or shared is None:
                continue
            probabilities = classifier.probabilities(x[starts[i] : starts[i + 1]])
            read_as = [classifier.classes[int(p.argmax())] for p in probabilities]
            for kind, found in passage_scores(corpus.notes[i], read_as, shared, corpus.kinds_of_passages[i]).items():
                per_kind.setdefault(kind, []).extend(found)
        if per_kind:
            result[style] = float(np.mean([np.mean(v) for v in per_kind.values()]))
    return result


def main() -> int:
    results: dict[tuple[int, int], dict[str, float]] = {}
    for cut in GRID:
        with trying(cut):
            results[cut] = held_out_passages(load_corpus(), chosen_c())
        by_set = results[cut]
        worst = min(by_set, key=by_set.__getitem__)
        print(f"longest {cut[0]:>6} shortest {cut[1]:>3}: worst 5th {worst_sets(by_set.values())[0]:.3f}, "
              f"mean {np.mean(list(by_set.values())):.3f}, worst {by_set[worst]:.3f} ({worst}) "
              + " ".join(f"{name[:8]}={v:.2f}" for name, v in by_set.items()), flush=True)
    best = max(GRID, key=lambda cut: worst_sets(results[cut].values()))
    shipped = json.loads(PASSAGES.read_text())
    print(f"chosen: longest {best[0]}, shortest {best[1]}; shipped: longest {shipped['longest']}, shortest "
          f"{shipped['shortest']}")
    if "--write" not in sys.argv[1:]:
        print("not written (--write writes the choice)")
        return 0
    PASSAGES.write_text(json.dumps({"longest": best[0], "shortest": best[1]}) + "\n")
    print(f"wrote {PASSAGES}: longest {best[0]}, shortest {best[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
