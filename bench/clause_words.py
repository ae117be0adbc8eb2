"""How well each word is read at each clause cut, held out style by style (a measure tried, not shipped).

    python bench/clause_words.py        # ~5 minutes a cut on two cores

For each cut (`longest`, `shortest`: app.core.sentences.clauses) every labelled set under data/train is
split with it and read by a sentence classifier fit without it (the shipped C); each word takes the kind of
the sentence or clause it stands in and is scored against the kind of the labelled passage it belongs to
(macro-F1 over the kinds). Printed per set, with the worst fifth (training.worst_sets) and the mean. On 26
styles (2026-12-04: data/train's twenty and the six of data/unseen written that day, moved into data/train;
C 0.3, the classifier's choice on them) it rose as the cut shortened, to 12 words; refit whole at 12, the
shared sets' worst row fell (docs/journal.md, eleventh session): words read right are not the items matched and
shown, so data/passages.json is not chosen by it.
"""

from __future__ import annotations

import re

import numpy as np

from app.core.kind_encoder_training import read_out_of_fold
from app.core.sentences import split, trying
from app.core.training import (
    KIND_OF_PASSAGE,
    TRAIN,
    chosen_c,
    fit_without,
    load_corpus,
    read_jsonl,
    style_sets,
    worst_sets,
)

GRID = ((10, 6), (12, 6), (15, 6), (20, 6), (25, 6), (45, 6), (70, 6), (10_000, 6))
"""(longest, shortest) tried; 10,000 words is never cutting."""
_WORD = re.compile(r"\w+")


def word_kinds(text: str, passages: list[dict], read_as: list[str]) -> tuple[list[str], list[str]]:
    """Each word of a note's sentences: the kind of its labelled passage (else note) and its sentence's kind."""
    labelled = ["note"] * len(text)
    cursor = 0
    for passage in passages:
        start = text.find(passage["text"], cursor)
        start = start if start >= 0 else text.find(passage["text"])
        labelled[start : start + len(passage["text"])] = [KIND_OF_PASSAGE.get(passage["kind"], passage["kind"])] * len(
            passage["text"])
        cursor = start + len(passage["text"])
    truth: list[str] = []
    read: list[str] = []
    cursor = 0
    for sentence, kind in zip(split(text), read_as, strict=True):
        start = text.find(sentence.text.rstrip(".,;"), cursor)
        start = start if start >= 0 else cursor
        cursor = start + len(sentence.text)
        for word in _WORD.finditer(sentence.text):
            truth.append(labelled[min(start + word.start(), len(text) - 1)])
            read.append(kind)
    return truth, read


def held_out(c: float) -> dict[str, float]:
    """Each style's word macro-F1, split with the cut being tried and read by a classifier fit without it."""
    from sklearn.metrics import f1_score

    corpus = load_corpus()
    x, y, sets = read_out_of_fold(corpus)
    scores: dict[str, float] = {}
    for folder in style_sets(TRAIN):
        held = sets == folder.name
        classifier = fit_without(x, y, sets, folder.name, c)
        kinds = iter(classifier.classes[k].value for k in classifier.probabilities(x[held]).argmax(axis=1))
        notes = read_jsonl(folder / "notes.jsonl")
        labels = read_jsonl(folder / "labels.jsonl")
        split_notes = [n for n, name in zip(corpus.notes, corpus.sets, strict=True) if name == folder.name]
        truth: list[str] = []
        read: list[str] = []
        for note, label, sentences in zip(notes, labels, split_notes, strict=True):
            t, r = word_kinds(note["text"], label["passages"], [next(kinds) for _ in sentences])
            truth += t
            read += r
        scores[folder.name] = float(f1_score(truth, read, average="macro"))
    return scores


if __name__ == "__main__":
    for cut in GRID:
        with trying(cut):
            by_set = held_out(chosen_c())
        worst = min(by_set, key=lambda name: by_set[name])
        print(f"longest {cut[0]:>6} shortest {cut[1]:>2}: worst 5th {worst_sets(by_set.values())[0]:.3f}, mean "
              f"{np.mean(list(by_set.values())):.3f}, worst {by_set[worst]:.3f} ({worst}) "
              + " ".join(f"{name[:8]}={v:.2f}" for name, v in by_set.items()), flush=True)
