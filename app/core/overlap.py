"""The exact-word half of matching: the rare words a problem and a story share.

An embedding of a long story blurs the shop talk in it ("reps", "forecast", "deposit");
a word that two texts share and that few other items use is strong evidence that they
speak of the same thing.
"""

from __future__ import annotations

import math
import re

import numpy as np

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
    return out


def overlap(left: list[str], right: list[str]) -> np.ndarray:
    """Cosine similarity of each left text with each right text over idf-weighted words.

    The idf counts both lists: a word every story uses ("team", "client") weighs little.
    """
    left_terms, right_terms = [terms(t) for t in left], [terms(t) for t in right]
    documents = len(left) + len(right)
    frequency: dict[str, int] = {}
    for words in left_terms + right_terms:
        for word in words:
            frequency[word] = frequency.get(word, 0) + 1
    idf = {word: math.log((documents + 1) / (count + 0.5)) for word, count in frequency.items()}
    shared = sorted(set().union(*left_terms) & set().union(*right_terms))
    column = {word: i for i, word in enumerate(shared)}

    def matrix(all_terms: list[set[str]]) -> np.ndarray:
        out = np.zeros((len(all_terms), len(shared)), np.float32)
        for row, words in enumerate(all_terms):
            norm = math.sqrt(sum(idf[w] ** 2 for w in words)) or 1.0
            for word in words & column.keys():
                out[row, column[word]] = idf[word] / norm
        return out

    return matrix(left_terms) @ matrix(right_terms).T
