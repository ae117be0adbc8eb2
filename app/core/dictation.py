"""Where to cut dictation that has no punctuation: a logistic regression over the words around each gap.

A memo dictated without a comma or a full stop is one run of words; read whole, a problem, a personal detail and a
to-do would be one item of one kind. The model reads each gap between two words by the words on either side (the
two before, the two after, the pair after it, the pair and the triple across it; lower case, hashed with CRC-32)
and gives the probability that a new passage starts there. A run is cut at every gap at least `threshold` likely,
no piece shorter than the shortest clause (data/passages.json). Fit from our labelled notes, stripped of
punctuation and case, by `python -m app.core.dictation_training --write`, which prints the curve held out style by
style; predicting is a sum of a few weights per gap.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from app.config import DATA_DIR

DICTATION = DATA_DIR / "dictation_cuts.npz"
_NOT_SPOKEN = re.compile(r"[^\w']+")


def spoken(word: str) -> str:
    """A written word as speech-to-text writes it: lower case, no punctuation."""
    return _NOT_SPOKEN.sub("", word.lower())


def gap_features(words: list[str], i: int) -> list[str]:
    """What is read at the gap before words[i] (words as `spoken` gives them)."""
    def at(j: int) -> str:
        return words[j] if 0 <= j < len(words) else "<edge>"

    return [f"w0={at(i)}", f"w1={at(i + 1)}", f"m1={at(i - 1)}", f"m2={at(i - 2)}", f"b={at(i)}_{at(i + 1)}",
            f"pb={at(i - 1)}_{at(i)}", f"t={at(i - 1)}_{at(i)}_{at(i + 1)}"]


def hashed(features: list[str], buckets: int) -> list[int]:
    """Each feature's column: its CRC-32 (the same in every process, unlike Python's hash) modulo buckets."""
    return [zlib.crc32(f.encode("utf-8")) % buckets for f in features]


def gap_columns(words: list[str], buckets: int) -> list[list[int]]:
    """The hashed features of every gap of a run of `spoken` words, the gap before words[1] first."""
    return [hashed(gap_features(words, i), buckets) for i in range(1, len(words))]


def cuts_at(p: np.ndarray, shortest: int, at_least: float) -> list[int]:
    """The word indices to cut a run before: its gaps (p[i] is the gap before word i + 1) at least at_least likely,
    likeliest first, none nearer than shortest words to another cut or to an end of the run."""
    n = len(p) + 1
    chosen: list[int] = []
    for gap in np.argsort(-p, kind="stable"):
        if p[gap] < at_least:
            break
        cut = int(gap) + 1
        if shortest <= cut <= n - shortest and all(abs(cut - c) >= shortest for c in chosen):
            chosen.append(cut)
    return sorted(chosen)


@dataclass(frozen=True)
class DictationCut:
    """The fitted gap model: the weight of each hashed column that has one (columns sorted), a bias, the number of
    columns hashed into, and the probability a gap is cut at."""

    columns: np.ndarray
    weights: np.ndarray
    bias: float
    buckets: int
    threshold: float

    @classmethod
    def load(cls, path: Path = DICTATION) -> DictationCut:
        with np.load(path) as data:
            return cls(data["columns"], data["weights"].astype(np.float32), float(data["bias"]), int(data["buckets"]),
                       float(data["threshold"]))

    def probabilities(self, words: list[str]) -> np.ndarray:
        """The probability that a passage starts at each gap of these `spoken` words."""
        if len(words) < 2:
            return np.zeros(0, np.float32)
        wanted = np.asarray(gap_columns(words, self.buckets))
        at = np.minimum(np.searchsorted(self.columns, wanted), len(self.columns) - 1)
        weights = np.where(self.columns[at] == wanted, self.weights[at], 0.0)
        return 1 / (1 + np.exp(-(weights.sum(axis=1) + self.bias)))

    def cut(self, text: str, shortest: int) -> list[str]:
        """A run of words as the pieces its likely passage starts cut it into."""
        words = text.split()
        bounds = [0, *cuts_at(self.probabilities([spoken(w) for w in words]), shortest, self.threshold), len(words)]
        return [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]


@cache
def shipped_cut() -> DictationCut:
    """The gap model fit on Kith's own labelled notes (data/dictation_cuts.npz)."""
    return DictationCut.load()
