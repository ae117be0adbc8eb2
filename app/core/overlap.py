"""The exact-word half of matching: the rare words a problem and a story share.

An embedding of a long story blurs the shop talk in it ("reps", "forecast", "deposit");
a word that two texts share and that few other items use is strong evidence that they
speak of the same thing.
"""

from __future__ import annotations

import math
import re
from collections import ChainMap
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from models import Item

STOPWORDS = frozenset(
    "the and but for with from into onto over under about after before again also all any are was were been "
    "being have has had having not nor now then than that this these those them they their there here what "
    "which who whom whose when where why how can could would should will shall may might must does did doing "
    "done just very really still only even much more most some such own same other each every both few many "
    "its his her hers him she our ours you your yours mine out off per via yet too thing things stuff lot "
    "lots get gets got getting make makes made one two three said says told tho though because since while "
    "until unless although whether".split()
)
_WORD = re.compile(r"[a-z]{3,}")
_SUFFIXES = (("ings", ""), ("ing", ""), ("ies", "i"), ("ed", ""), ("es", ""), ("s", ""))


def terms(text: str) -> set[str]:
    """The content words of text, lower-cased, with common endings cut ("closed", "closing", "close" agree;
    so do "reply" and "replies")."""
    return set(_terms(text))


SAME_PASSAGE = 0.5
"""Two texts read one passage of a note (read apart or as one by two versions of Kith) when more than this share
of the shorter's content words are the other's: a sentence read apart from its old story, two old ones read as one."""


def passage_overlap(a: str, b: str) -> float:
    """The share of the shorter text's content words that the other holds (0 when either has none)."""
    first, second = _terms(a), _terms(b)
    return len(first & second) / min(len(first), len(second)) if first and second else 0.0


def closest_passage(text: str, items: Iterable[Item]) -> Item | None:
    """Of these items, the one that reads most the same passage as text (above SAME_PASSAGE), else None."""
    share, best = max(((passage_overlap(i.text, text), i) for i in items), key=lambda pair: pair[0],
                      default=(0.0, None))
    return best if share > SAME_PASSAGE else None


@lru_cache(maxsize=100_000)
def _terms(text: str) -> frozenset[str]:
    out = set()
    for word in _WORD.findall(text.lower()):
        if word in STOPWORDS:
            continue
        for suffix, replacement in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)] + replacement
                break
        if word.endswith("e") and len(word) > 4:
            word = word[:-1]
        out.add(word[:-1] + "i" if word.endswith("y") and len(word) > 3 else word)
    return frozenset(out)


class Idf(dict[str, float]):
    """Each word's inverse document frequency over a corpus of `texts` texts, whose word counts it keeps."""

    def __init__(self, values: dict[str, float], texts: int | None = None, counts: dict[str, int] | None = None):
        super().__init__(values)
        self.texts = texts
        self.counts = counts or {}

    def with_texts(self, texts: list[str]) -> Idf:
        """The idf of these texts' words as it will be once the texts are stored: a draft's pairs then score
        as the same note's will once it is saved (its new words weighed 0 scored them higher). Only these
        words: the rest of the corpus moves too little to matter."""
        if self.texts is None or not texts:
            return self  # without the corpus's size, as it is
        added: dict[str, int] = {}
        for text in texts:
            for word in _terms(text):
                added[word] = added.get(word, 0) + 1
        total = self.texts + len(texts)
        return Idf({w: _idf(total, self.counts.get(w, 0) + n) for w, n in added.items()}, total)


def _idf(texts: int, count: int) -> float:
    return math.log((texts + 1) / (count + 0.5))


def document_idf(texts: list[str]) -> Idf:
    """Each word's inverse document frequency over texts: a word every story uses weighs little."""
    frequency: dict[str, int] = {}
    for text in texts:
        for word in _terms(text):
            frequency[word] = frequency.get(word, 0) + 1
    return Idf({word: _idf(len(texts), count) for word, count in frequency.items()}, len(texts), frequency)


class WordIndex:
    """Texts' idf-weighted words, unit length per text, by word: scores new texts against all of them at once."""

    def __init__(self, texts: list[str], idf: dict[str, float]):
        self.idf = idf if isinstance(idf, Idf) else Idf(idf)
        self.size = len(texts)
        postings: dict[str, tuple[list[int], list[float]]] = {}
        norms: list[float] = []
        for row, text in enumerate(texts):
            words = _terms(text)
            norm = math.sqrt(sum(self.idf.get(w, 0.0) ** 2 for w in words)) or 1.0
            for word in words:
                rows, weights = postings.setdefault(word, ([], []))
                rows.append(row)
                weights.append(self.idf.get(word, 0.0) / norm)
            norms.append(norm)
        self.norms = np.asarray(norms, dtype=np.float32)
        self.postings = {w: (np.asarray(r, dtype=np.int64), np.asarray(v, dtype=np.float32))
                         for w, (r, v) in postings.items()}

    def scores(self, texts: list[str], unsaved: list[str] | None = None) -> np.ndarray:
        """Cosine similarity of each text with each indexed text, over the shared words.

        unsaved: texts (among them, or all of them) not in the corpus yet. Their words, on both sides, weigh
        as they will once the texts are stored, so a draft's pairs score as the saved note's will (weighing
        its new words 0 scored them higher); the corpus's other words move too little to matter.
        """
        idf: Mapping[str, float] = self.idf
        norms = None  # the indexed texts' norms, when the unsaved texts change them
        changed = self.idf.with_texts(unsaved) if unsaved else self.idf
        if changed is not self.idf:
            grown = np.square(self.norms)
            for word, value in changed.items():
                if word in self.postings:
                    grown[self.postings[word][0]] += value**2 - self.idf.get(word, 0.0) ** 2
            norms, idf = np.sqrt(np.maximum(grown, 1e-12)), ChainMap(changed, self.idf)
        out = np.zeros((len(texts), self.size), np.float32)
        for row, text in enumerate(texts):
            words = _terms(text)
            norm = math.sqrt(sum(idf.get(w, 0.0) ** 2 for w in words)) or 1.0
            for word in words:
                if word in self.postings:
                    rows, weights = self.postings[word]
                    if norms is not None:
                        weights = idf.get(word, 0.0) / norms[rows]
                    out[row, rows] += weights * (idf.get(word, 0.0) / norm)
        return out


def overlap(left: list[str], right: list[str], idf: dict[str, float] | None = None) -> np.ndarray:
    """Cosine similarity of each left text with each right text over idf-weighted words.

    The idf counts both lists unless given (over a larger corpus).
    """
    return WordIndex(right, document_idf(left + right) if idf is None else idf).scores(left)
