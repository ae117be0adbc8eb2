"""Fit the sentence classifier from labelled notes, scored leave-one-style-out.

    python -m app.core.training            # LOSO figures, the C and mix curves, writes data/classifier.npz

The labelled notes are Kith's own, one folder per writing style under data/train (voice memos,
second-language English, Markdown templates, pasted messages, long prose, terse bullets…):
each note's passages carry a kind, and each sentence takes the kind of the passage it stands
in. data/sentences.tsv adds single labelled sentences. The regularisation C is chosen by the
held-out macro-F1 of the worst styles (worst_sets), never by one set; then, the same way, the mix of the
sentence read in its note and read on its own that decides personal details (app.core.kinds).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np

from app.config import DATA_DIR
from app.core.kinds import WEIGHTS, SentenceClassifier, alone_columns, features
from app.core.sentences import Sentence, split
from app.store.embedder import Embedder

T = TypeVar("T")

TRAIN = DATA_DIR / "train"
SENTENCES = DATA_DIR / "sentences.tsv"
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
MIX_GRID = (0.0, 0.2, 0.35, 0.5, 0.65, 0.8)
"""Weights of the sentence read on its own in the mixed reading that decides personal details (0: in its note
only, as before 2026-12-05)."""
WORST_SHARE = 0.2
"""Every constant fit on the labelled notes of data/train (the classifier, the pair scorer, where clauses
are cut, the query intent, search's weights) is chosen by the mean of its lowest held-out sets, the worst
fifth of the styles (3 of 13, 4 of 20, 6 of 28; then the mean of all), so that no one set decides alone (the
routine's yes/no models, fit on six styles each, are chosen by their worst: app.core.binary_fitting).
By the single worst, our smallest (speech-to-text: 66 sentences) did, within its noise: on 2026-12-04
the classifier's C went to 0.1 and the pair scorer to three solvers a problem, no bound a contact (shared
sets' worst precision 0.263 → 0.157). With thirteen styles the classifier's C by the worst 1, 2, 3, 4, 5
sets was 0.1, 0.1, 0.3, 0.3, 3.0; with twenty (2026-12-04, seven styles more) the pair scorer's grid is
flat near its best, and the worst three (cut-off 0.63, three solvers, no bound a contact) and the worst
four (0.73, two solvers, three a contact) choose differently: docs/journal.md, tenth session."""


def worst_count(sets: int) -> int:
    """How many of `sets` held-out scores are the worst fifth (at least one)."""
    return max(1, round(sets * WORST_SHARE))


KIND_OF_PASSAGE = {"intro": "note"}
"""Passage labels that are not kinds of Kith: who someone is at work is a note."""


@dataclass
class Corpus:
    """Labelled notes, split: each sentence's kind, and which set (style) each note comes from."""

    notes: list[list[Sentence]]
    labels: list[list[str]]
    sets: list[str]
    overlaps: list[np.ndarray | None] = field(default_factory=list)
    """For each note, how many characters each sentence shares with each labelled passage (sentences × passages;
    None for a single labelled sentence of data/sentences.tsv): how a reading is scored against the labels."""
    kinds_of_passages: list[list[str]] = field(default_factory=list)
    """For each note, its labelled passages' kinds (empty for a single labelled sentence)."""

    def rows(self, readers: dict[str, Embedder] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Features, labels and set of every sentence, each note read by the kind encoder of its set in `readers`
        (app.core.kind_encoder_training.fold_readers: trained without it), by MiniLM without them."""
        groups: dict[Embedder, list[int]] = {}
        readers = readers or dict.fromkeys(set(self.sets), Embedder())
        for i, name in enumerate(self.sets):
            groups.setdefault(readers[name], []).append(i)
        starts = np.cumsum([0] + [len(note) for note in self.notes])
        x: np.ndarray | None = None
        for reader, members in groups.items():
            notes = [self.notes[i] for i in members]
            flat = [s.text for note in notes for s in note]
            heads = sorted({s.section for note in notes for s in note if s.section})
            vectors = reader.encode(flat + heads)
            part = features(notes, vectors[: len(flat)], dict(zip(heads, vectors[len(flat) :], strict=True)))
            x = np.zeros((int(starts[-1]), part.shape[1]), np.float32) if x is None else x
            x[np.concatenate([np.arange(starts[i], starts[i + 1]) for i in members])] = part
        y = np.asarray([k for note in self.labels for k in note])
        sets = np.asarray([name for note, name in zip(self.notes, self.sets, strict=True) for _ in note])
        return x, y, sets


def passage_overlaps(text: str, passages: list[dict], contact: str | None = None,
                     ) -> tuple[list[Sentence], np.ndarray, list[str]]:
    """The note's sentences (a note about `contact`, as Kith splits it), how many characters each shares with each
    labelled passage, and the passages' kinds."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for passage in passages:
        start = text.find(passage["text"], cursor)
        if start < 0:
            start = text.find(passage["text"])
        if start < 0:
            raise ValueError(f"a passage is not in its note: {passage['text'][:60]!r}")
        spans.append((start, start + len(passage["text"])))
        cursor = start + len(passage["text"])
    sentences = split(text, contact)
    shared = np.zeros((len(sentences), len(spans)), dtype=np.int64)
    cursor = 0
    for i, sentence in enumerate(sentences):
        start = text.find(sentence.text.rstrip(".,;"), cursor)
        start = start if start >= 0 else cursor
        end = start + len(sentence.text)
        cursor = end
        for j, (a, b) in enumerate(spans):
            shared[i, j] = max(0, min(b, end) - max(a, start))
    return sentences, shared, [KIND_OF_PASSAGE.get(p["kind"], p["kind"]) for p in passages]


def sentence_kinds(shared: np.ndarray, kinds: list[str]) -> list[str]:
    """Each sentence's kind: the kind of the labelled passages it overlaps most (else note)."""
    labels: list[str] = []
    for row in shared:
        overlap = {kind: 0 for kind in kinds}
        for kind, count in zip(kinds, row.tolist(), strict=True):
            overlap[kind] += count
        best = max(overlap, key=lambda k: overlap[k], default="note")
        labels.append(best if overlap.get(best, 0) > 0 else "note")
    return labels


def read_jsonl(path: Path) -> list[dict]:
    """The rows of a JSON Lines file (blank lines skipped)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def stories_of(match: dict) -> dict[str, str]:
    """A labelled match's solvers, each with the story they told (its "solution_texts", else its one
    "solution_text")."""
    return match.get("solution_texts") or {match["solution_contacts"][0]: match["solution_text"]}


def style_sets(root: Path = TRAIN) -> list[Path]:
    """The folders of labelled notes, one per writing style."""
    return sorted(p for p in root.iterdir() if (p / "labels.jsonl").exists() and (p / "notes.jsonl").exists())


def load_corpus(root: Path = TRAIN) -> Corpus:
    corpus = Corpus([], [], [])
    for folder in style_sets(root):
        notes, labels = read_jsonl(folder / "notes.jsonl"), read_jsonl(folder / "labels.jsonl")
        for note, label in zip(notes, labels, strict=True):
            sentences, shared, kinds = passage_overlaps(note["text"], label["passages"], note["contact"])
            corpus.notes.append(sentences)
            corpus.labels.append(sentence_kinds(shared, kinds))
            corpus.overlaps.append(shared)
            corpus.kinds_of_passages.append(kinds)
            corpus.sets.append(folder.name)
    with SENTENCES.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            corpus.notes.append([Sentence(row["text"], 0, 0)])
            corpus.labels.append([row["kind"]])
            corpus.overlaps.append(None)
            corpus.kinds_of_passages.append([])
            corpus.sets.append("sentences")
    return corpus


def _model(c: float):  # scikit-learn is needed to train only, never to predict.
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=4000, class_weight="balanced")


def fit_classifier(x: np.ndarray, y: np.ndarray, c: float) -> SentenceClassifier:
    """A plain regression (the query intent; a sentence classifier with no reading on its own)."""
    return reader(_model(c).fit(x, y), None, 0.0)


def fit_readings(x: np.ndarray, y: np.ndarray, c: float):
    """The regressions of sentences read in their notes (every feature) and on their own (kinds.alone_columns)."""
    return _model(c).fit(x, y), _model(c).fit(x[:, alone_columns(x.shape[1])], y)


def reader(in_note, alone, mix: float) -> SentenceClassifier:
    """The sentence classifier of two fitted readings (fit_readings), personal details decided by their mix (the
    weight of the reading on its own; 0: none)."""
    weights, bias = in_note.coef_.T.astype(np.float32), in_note.intercept_.astype(np.float32)
    mixed = None
    if mix:
        mixed_weights = (1 - mix) * weights
        mixed_weights[alone_columns(len(weights))] += mix * alone.coef_.T.astype(np.float32)
        mixed = (mixed_weights, ((1 - mix) * bias + mix * alone.intercept_).astype(np.float32))
    return SentenceClassifier(weights, bias, [str(k) for k in in_note.classes_], mixed)


def fit_without(x: np.ndarray, y: np.ndarray, sets: np.ndarray, held: str | tuple[str, ...], c: float,
                mix: float | None = None) -> SentenceClassifier:
    """A classifier fit on every labelled sentence but those of the set (or sets) held out: how Kith reads that
    writer, never seen (personal details by the shipped mix unless given)."""
    train = ~np.isin(sets, held)
    return reader(*fit_readings(x[train], y[train], c), chosen_mix() if mix is None else mix)


def chosen_c(path: Path = WEIGHTS) -> float:
    """The C the shipped classifier (or another model saved the same way) was fit with."""
    with np.load(path) as data:
        return float(data["c"])


def chosen_mix(path: Path = WEIGHTS) -> float:
    """The mix the shipped sentence classifier decides personal details by (MIX_GRID)."""
    with np.load(path) as data:
        return float(data["mix"]) if "mix" in data else 0.0


def leave_one_style_out(x: np.ndarray, y: np.ndarray, sets: np.ndarray, c: float) -> dict[str, float]:
    """Each style's macro-F1 when the classifier is fit without it."""
    from sklearn.metrics import f1_score

    scores: dict[str, float] = {}
    for held in sorted(set(sets) - {"sentences"}):
        train = sets != held
        predicted = _model(c).fit(x[train], y[train]).predict(x[~train])
        scores[held] = float(f1_score(y[~train], predicted, average="macro"))
    return scores


def mix_curve(x: np.ndarray, y: np.ndarray, sets: np.ndarray, c: float) -> dict[float, dict[str, tuple]]:
    """Each style's held-out (macro-F1, personal recall, personal precision) for each mix of MIX_GRID."""
    from sklearn.metrics import f1_score, precision_score, recall_score

    curve: dict[float, dict[str, tuple]] = {mix: {} for mix in MIX_GRID}
    for held in sorted(set(sets) - {"sentences"}):
        train = sets != held
        readings = fit_readings(x[train], y[train], c)
        truth = y[~train]
        for mix in MIX_GRID:
            model = reader(*readings, mix)
            said = np.asarray([model.classes[i].value for i in model.probabilities(x[~train]).argmax(axis=1)])
            curve[mix][held] = (float(f1_score(truth, said, average="macro")),
                                float(recall_score(truth == "personal", said == "personal")),
                                float(precision_score(truth == "personal", said == "personal", zero_division=0)))
    return curve


def choose_mix(curve: dict[float, dict[str, tuple]]) -> float:
    """Print the mix's curve (the worst fifth's macro-F1 and personal recall and precision, and their means) and
    each style held out at the mix the other styles choose; return the mix of the best worst sets' macro-F1."""
    def figure(mix: float, at: int) -> tuple[float, float]:
        return worst_sets(row[at] for row in curve[mix].values())

    print("mix    macro-F1 worst  worst 5th   mean   personal R worst 5th   mean   personal P worst 5th   mean")
    for mix, by_set in curve.items():
        print(f"{mix:<6} {min(row[0] for row in by_set.values()):14.3f}"
              + "".join(f" {figure(mix, at)[0]:{20 if at else 10}.3f} {figure(mix, at)[1]:6.3f}" for at in range(3)))
    held = held_out_choices(curve, lambda row: row[0])
    print("held out (each style at the mix the others choose): " + ", ".join(
        f"{label} worst 5th {worst_sets(row[at] for row in held.values())[0]:.3f} mean "
        f"{worst_sets(row[at] for row in held.values())[1]:.3f}"
        for at, label in ((0, "macro-F1"), (1, "personal R"), (2, "personal P"))))
    best = max(curve, key=lambda mix: figure(mix, 0))
    print(f"mix = {best}: the best macro-F1 held out over the worst {worst_count(len(curve[best]))} sets")
    return best


def main() -> int:
    from app.core.kind_encoder_training import read_out_of_fold  # it reads this module's corpus

    x, y, sets = read_out_of_fold()
    print(f"{len(y)} labelled sentences from {len(set(sets))} sets")
    c = choose({c: leave_one_style_out(x, y, sets, c) for c in C_GRID}, "macro-F1")
    mix = choose_mix(mix_curve(x, y, sets, c))
    save(reader(*fit_readings(x, y, c), mix), WEIGHTS, c, mix=np.float32(mix))
    return 0


def worst_sets(scores: Iterable[float]) -> tuple[float, float]:
    """How a fitted constant is chosen, best first: the mean of its lowest held-out scores (worst_count of
    them), then the mean of all."""
    ordered = sorted(scores)
    return float(np.mean(ordered[:worst_count(len(ordered))])), float(np.mean(ordered))


def chosen_without(curve: dict[Hashable, dict[str, T]], held: str, measure: Callable[[T], float] = float) -> Hashable:
    """The choice (a key of curve: each set's figure there) whose sets other than `held` score best by their worst
    (`worst_sets` of measure)."""
    return max(curve, key=lambda key: worst_sets(measure(v) for name, v in curve[key].items() if name != held))


def held_out_choices(curve: dict[Hashable, dict[str, T]], measure: Callable[[T], float] = float) -> dict[str, T]:
    """Each set's figure at the choice made on the other sets (`chosen_without`): a choice scored leave-one-set-out."""
    return {name: curve[chosen_without(curve, name, measure)][name] for name in next(iter(curve.values()))}


def choose(curve: dict[float, dict[str, float]], measure: str) -> float:
    """Print each C's held-out `measure` per set (worst and mean beside); return the C of the best worst sets
    (worst_sets)."""
    names = sorted(next(iter(curve.values())))
    print("C      " + " ".join(f"{n[:10]:>10}" for n in names) + f"      worst  worst {worst_count(len(names))}   mean")
    for c, scores in curve.items():
        print(f"{c:<6} " + " ".join(f"{scores[n]:10.3f}" for n in names)
              + f" {min(scores.values()):10.3f}  {worst_sets(scores.values())[0]:7.3f} "
              f"{np.mean(list(scores.values())):6.3f}")
    best = max(curve, key=lambda c: worst_sets(curve[c].values()))
    print(f"C = {best}: the best {measure} held out over the worst {worst_count(len(names))} sets "
          f"({worst_sets(curve[best].values())[0]:.3f}; the worst {min(curve[best].values()):.3f})")
    return best


def save(model: SentenceClassifier, path: Path, c: float, **extra: np.ndarray) -> None:
    """Write a classifier (its mixed reading too, if any, and the C it was fit with) where Kith loads it."""
    if model.mixed is not None:
        extra |= {"mixed_weights": model.mixed[0], "mixed_bias": model.mixed[1]}
    np.savez(path, weights=model.weights, bias=model.bias, classes=np.asarray([k.value for k in model.classes]),
             c=np.float32(c), **extra)
    print(f"wrote {path}")


def choose_and_save(curve: dict[float, dict[str, float]], measure: str, x: np.ndarray, y: np.ndarray,
                    path: Path) -> float:
    """Choose C from its curve (choose), fit a classifier on every row with it and save it to path; returns C."""
    best = choose(curve, measure)
    save(fit_classifier(x, y, best), path, best)
    return best


if __name__ == "__main__":
    sys.exit(main())
