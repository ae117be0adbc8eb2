"""The sentence classifier: a logistic regression on a sentence read in its note.

A sentence's kind depends on where it stands as much as on what it says: "they used to lose a
third of the slots" opens a success story or tells a problem, as the sentences beside it
decide. So its input is its own embedding, its neighbours' in the same paragraph, the mean of
its paragraph, the heading of its section, the word cues of it and its neighbours, and where
it stands. No text is encoded for this but the sentences and the section headings.

A personal detail is the exception: it is personal whatever stands beside it (a daughter's graduation told
between two business points), so whether a sentence is one is read half in its note and half on its own
(`SentenceClassifier.probabilities`).

The weights are fit from labelled notes by `python -m app.core.training` (cross-validated
leave-one-style-out) and shipped in data/classifier.npz; predicting is two matrix products.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import numpy as np

from app.config import DATA_DIR
from app.core.cues import cue_vector
from app.core.sentences import Sentence
from app.store.embedder import DIMENSIONS
from models import Kind

WEIGHTS = DATA_DIR / "classifier.npz"


def _shape_of(s: Sentence, first: bool, same: list[int]) -> list[float]:
    """Where a sentence stands (same: the positions of its paragraph's sentences): its section, its place
    in the note and paragraph, its length."""
    words = len(s.text.split())
    return [float(s.hint == "personal"), float(s.hint == "followup"), float(s.done is True),
            float(s.done is False), float(s.section is not None), float(first),
            float(same[0] == s.position), float(same[-1] == s.position),
            min(len(same), 8) / 8, min(words, 40) / 40, float(words <= 3)]


def alone_columns(width: int) -> np.ndarray:
    """The columns of features() (rows `width` wide) that read a sentence on its own: its embedding, its section's
    heading, its word cues and where it stands; not its neighbours, their cues nor its paragraph."""
    d, cues = DIMENSIONS, len(cue_vector(""))
    return np.r_[0:d, 4 * d : 5 * d + cues, 5 * d + 3 * cues : width]


def note_cues(notes: list[list[Sentence]]) -> list[np.ndarray]:
    """The word cues of each note's sentences, one matrix a note: they need no embedding, so they can be
    read while the encoder runs (app.core.understand)."""
    return [np.stack([cue_vector(s.text) for s in sentences]) if sentences else np.zeros((0, 0), np.float32)
            for sentences in notes]


def features(notes: list[list[Sentence]], vectors: np.ndarray, sections: dict[str, np.ndarray],
             cues_of_notes: list[np.ndarray] | None = None) -> np.ndarray:
    """One row per sentence of these notes (in order); vectors holds the sentences' embeddings,
    cues_of_notes their `note_cues` when they were read already."""
    rows: list[np.ndarray] = []
    zero = np.zeros(DIMENSIONS, np.float32)
    offset = 0
    for sentences, cues in zip(notes, cues_of_notes or note_cues(notes), strict=True):
        n = len(sentences)
        own = vectors[offset : offset + n]
        no_cues = np.zeros(cues.shape[1] if n else 0, np.float32)
        paragraphs: dict[int, list[int]] = {}
        for j, t in enumerate(sentences):
            paragraphs.setdefault(t.paragraph, []).append(j)
        for i, s in enumerate(sentences):
            same = paragraphs[s.paragraph]
            before = i > 0 and sentences[i - 1].paragraph == s.paragraph
            after = i + 1 < n and sentences[i + 1].paragraph == s.paragraph
            others = [j for j in same if j != i]
            rows.append(np.concatenate([
                own[i],
                own[i - 1] if before else zero,
                own[i + 1] if after else zero,
                own[others].mean(axis=0) if others else zero,
                sections.get(s.section or "", zero),
                cues[i], cues[i - 1] if before else no_cues, cues[i + 1] if after else no_cues,
                np.asarray(_shape_of(s, i == 0, [sentences[j].position for j in same]), np.float32),
            ]))
        offset += n
    return np.stack(rows).astype(np.float32) if rows else np.zeros((0, 0), np.float32)


def _softmax(logits: np.ndarray) -> np.ndarray:
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


class SentenceClassifier:
    """Gives each sentence a probability of each kind."""

    def __init__(self, weights: np.ndarray, bias: np.ndarray, classes: list[str],
                 mixed: tuple[np.ndarray, np.ndarray] | None = None):
        self.weights = weights
        self.bias = bias
        self.classes = [Kind(c) for c in classes]
        self.mixed = mixed
        """The weights and bias of the mixed reading, which decides personal details (`probabilities`); None for a
        plain regression (the query intent)."""

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> SentenceClassifier:
        with np.load(path) as data:
            mixed = (data["mixed_weights"], data["mixed_bias"]) if "mixed_weights" in data else None
            return cls(data["weights"], data["bias"], [str(c) for c in data["classes"]], mixed)

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """Each row of features (see features()) as probabilities over self.classes.

        With a mixed reading (the log-probabilities of the sentence read in its note and read on its own, weighed
        by the fitted mix: app.core.training), a sentence that either reading takes for a personal detail gets the
        mixed reading's probabilities, and every other sentence its reading in its note."""
        if not len(x):
            return np.zeros((0, len(self.classes)), np.float32)
        in_note = _softmax(x @ self.weights + self.bias)
        if self.mixed is None:
            return in_note
        mixed = _softmax(x @ self.mixed[0] + self.mixed[1])
        personal = self.classes.index(Kind.PERSONAL)
        either = (in_note.argmax(axis=1) == personal) | (mixed.argmax(axis=1) == personal)
        in_note[either] = mixed[either]
        return in_note

    def index(self, kind: Kind) -> int:
        return self.classes.index(kind)


@cache
def _fitted() -> SentenceClassifier:
    return SentenceClassifier.load()


_reading_with: list[SentenceClassifier] = []
"""A classifier a fitting script reads notes with instead of the shipped one (see `reading_with`)."""


def shipped_classifier() -> SentenceClassifier:
    """The classifier trained on Kith's own labelled notes (or the one a fitting script reads with: `reading_with`)."""
    return _reading_with[-1] if _reading_with else _fitted()


@contextmanager
def reading_with(classifier: SentenceClassifier) -> Iterator[None]:
    """Read notes with this classifier meanwhile: a fitting script stores a labelled set as Kith would read it
    had it never seen the set (one fit without it), as the pair scorer's sets are read."""
    _reading_with.append(classifier)
    try:
        yield
    finally:
        _reading_with.pop()
