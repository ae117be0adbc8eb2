"""Word-pieces in context: matching a problem and a story piece by piece, not only as wholes.

A pooled vector blurs a story's shop talk; MiniLM's vectors of each word-piece in its sentence keep it. Every
word-piece of a problem is matched to its closest in a story (and the story's to the problem's), weighed by how
rare it is: two features of the pair scorer (app.core.matching); a search reads a share of a hit's meaning the
same way, the query's word-pieces against the hit's (app.core.search). Each item keeps its sentences' word-pieces
projected to PROJECTED dimensions (about 5 KB an item, stored as float16). The projection and the rarity of
each word-piece are fit on our own training notes by app.core.pieces_training (data/pieces.npz).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from app.config import DATA_DIR
from app.core.sentences import split
from app.store.embedder import Embedder, Tokens

FITTED = DATA_DIR / "pieces.npz"
PROJECTED = 64
"""Dimensions each word-piece vector is projected to. `python bench/token_matching.py` prints the curve, our styles
held out (recall@3 worst fifth / precision at N worst fifth): 16: 0.490 / 0.126, 32: 0.539 / 0.151, 64: 0.551 /
0.164, 128: 0.551 / 0.167 (twice the bytes, the same recall)."""

Pieces = tuple[np.ndarray, np.ndarray]
"""An item's word-piece ids (int32) and their projected unit vectors (pieces × PROJECTED)."""


@dataclass(frozen=True)
class Projection:
    """The principal directions of word-piece vectors, and each word-piece's idf, fit on our notes."""

    mean: np.ndarray
    basis: np.ndarray
    """DIMENSIONS × PROJECTED."""
    idf: np.ndarray
    """Each word-piece id's inverse document frequency (a sentence is a document)."""

    @classmethod
    def load(cls, path=FITTED) -> Projection:
        with np.load(path) as data:
            return cls(data["mean"], data["basis"], data["idf"])

    def project(self, told: Sequence[Tokens]) -> Pieces:
        """An item's pieces: its sentences' word-pieces (each in context of its sentence), one after another."""
        ids = np.concatenate([i for i, _ in told]).astype(np.int32)
        z = (np.vstack([v for _, v in told]) - self.mean) @ self.basis
        unit = z / np.maximum(np.linalg.norm(z, axis=1, keepdims=True), 1e-9)
        return ids, unit.astype(np.float16).astype(np.float32)  # as stored: a draft scores as its saved note

    def weights(self, ids: np.ndarray) -> np.ndarray:
        return self.idf[np.minimum(ids, len(self.idf) - 1)]


@cache
def shipped_projection() -> Projection:
    return Projection.load()


def pieces_of(texts: list[str], embedder: Embedder, projection: Projection | None = None) -> list[Pieces]:
    """The word-pieces of items known by their texts alone (items stored before they were kept): each text's
    sentences as understanding splits them."""
    sentences = [[s.text for s in split(text)] or [text] for text in texts]
    told = iter(embedder.tokens([s for group in sentences for s in group]))
    projection = projection or shipped_projection()
    return [projection.project([next(told) for _ in group]) for group in sentences]


def late_interaction(problems: Sequence[Pieces | None], solutions: Sequence[Pieces | None], rows: np.ndarray,
                     cols: np.ndarray, projection: Projection | None = None) -> np.ndarray:
    """(pairs, 2) for the pairs (problems[rows[k]], solutions[cols[k]]): the idf-weighted mean of each problem
    word-piece's closest similarity in the story, and of each story word-piece's in the problem. NaN for a pair
    whose side has no pieces (an item stored before they were kept, a colleague's shared story)."""
    weigh = (projection or shipped_projection()).weights
    out = np.full((len(rows), 2), np.nan, np.float32)
    for i in np.unique(rows):
        p = problems[i]
        if p is None or not len(p[0]):
            continue
        at = np.flatnonzero(rows == i)
        found = [(k, solutions[j]) for k, j in zip(at.tolist(), cols[at].tolist(), strict=True)]
        found = [(k, s) for k, s in found if s is not None and len(s[0])]
        if not found:
            continue
        told = np.vstack([s[1] for _, s in found])
        starts = np.cumsum([0] + [len(s[0]) for _, s in found[:-1]])
        sims = p[1] @ told.T
        wp = weigh(p[0])
        ws = weigh(np.concatenate([s[0] for _, s in found]))
        to_story = np.maximum.reduceat(sims, starts, axis=1)  # problem pieces × stories
        to_problem = sims.max(axis=0) * ws  # every story piece's best in the problem, weighed
        keys = [k for k, _ in found]
        out[keys, 0] = (wp @ to_story) / wp.sum()
        out[keys, 1] = np.add.reduceat(to_problem, starts) / np.add.reduceat(ws, starts)
    return out
