"""The sentence classifier's two readings: a sentence in its note, and on its own for personal details."""

from __future__ import annotations

import numpy as np

from app.core.kinds import SentenceClassifier, alone_columns, features, shipped_classifier
from app.core.sentences import split
from app.core.training import chosen_mix
from app.store.embedder import DIMENSIONS
from models import Kind

CLASSES = ["note", "personal", "problem"]


def classifier() -> SentenceClassifier:
    """Two features: the first says problem in the note's reading, the second personal in the mixed one."""
    in_note = np.array([[0.0, 0.0, 4.0], [0.0, 0.0, 0.0]], np.float32)
    mixed = np.array([[0.0, 0.0, 1.0], [0.0, 5.0, 0.0]], np.float32)
    return SentenceClassifier(in_note, np.zeros(3, np.float32), CLASSES, (mixed, np.zeros(3, np.float32)))


def kind_of(model: SentenceClassifier, row: list[float]) -> Kind:
    return model.classes[int(model.probabilities(np.array([row], np.float32))[0].argmax())]


def test_a_sentence_the_mixed_reading_takes_for_personal_is_personal_whatever_its_note_says():
    model = classifier()
    assert kind_of(model, [1.0, 0.0]) == Kind.PROBLEM  # nothing personal: its reading in its note
    assert kind_of(model, [1.0, 1.0]) == Kind.PERSONAL  # read as a problem in its note, personal mixed
    assert kind_of(SentenceClassifier(model.weights, model.bias, CLASSES), [1.0, 1.0]) == Kind.PROBLEM


def test_a_sentence_only_its_note_takes_for_personal_is_decided_by_the_mixed_reading():
    in_note = np.array([[0.0, 4.0, 0.0]], np.float32)
    mixed = np.array([[0.0, 0.0, 2.0]], np.float32)
    model = SentenceClassifier(in_note, np.zeros(3, np.float32), CLASSES, (mixed, np.zeros(3, np.float32)))
    assert kind_of(model, [1.0]) == Kind.PROBLEM


def test_a_sentence_read_on_its_own_reads_the_same_whatever_its_neighbour_says():
    rng = np.random.default_rng(0)
    detail = rng.normal(size=DIMENSIONS).astype(np.float32)
    rows = [features([split(f"{before} His daughter just started violin.")],
                     np.stack([rng.normal(size=DIMENSIONS).astype(np.float32), detail]), {})[1]
            for before in ("Their kiln cracks a tenth of the tiles.", "The co-op still pays four months late!")]
    changed = set(np.flatnonzero(rows[0] != rows[1]).tolist())
    assert changed  # its reading in its note changes with its neighbour
    assert not changed & set(alone_columns(len(rows[0])).tolist())


def test_the_shipped_classifier_reads_personal_details_as_its_fit_chose():
    """Read on its own too where `python -m app.core.training` chose a mix (MiniLM's vectors: 0.5), in its note
    alone where it chose none (the kind encoder's vectors, since the thirty-first session)."""
    model = shipped_classifier()
    assert (model.mixed is not None) == bool(chosen_mix())
    assert model.mixed is None or model.mixed[0].shape == model.weights.shape
