"""Where a problem's answer lies: a linear map, fit on our labelled pairs, from a problem's vector toward the
vectors of the stories that answered such problems.

MiniLM puts a problem and the story that solved it far apart when they share no words ("people don't turn up"
and "a deposit at booking"). The map moves a problem toward how the answers to such problems are told: the
least-squares map from each labelled problem to its story, drawn toward leaving vectors as they are by
`strength` (the weight of ||W - I||^2, chosen by `python -m app.core.pair_training` held out style by style).
"""

from __future__ import annotations

import hashlib
from functools import cache

import numpy as np

from app.config import DATA_DIR

MAP = DATA_DIR / "answer_map.npz"


def fit(problems: np.ndarray, stories: np.ndarray, strength: float) -> np.ndarray:
    """The map W minimising ||problems W - stories||^2 + strength ||W - I||^2 (rows: labelled pairs)."""
    eye = np.eye(problems.shape[1])
    p, s = problems.astype(np.float64), stories.astype(np.float64)
    return np.linalg.solve(p.T @ p + strength * eye, p.T @ s + strength * eye).astype(np.float32)


def save(answer_map: np.ndarray, strength: float) -> None:
    np.savez(MAP, map=answer_map.astype(np.float16), strength=strength)


@cache
def digest() -> str:
    """The shipped map's file, hashed: stored pairs scored with another map are scored again."""
    return hashlib.sha256(MAP.read_bytes()).hexdigest()[:12]


@cache
def shipped_map() -> np.ndarray:
    with np.load(MAP) as data:
        return data["map"].astype(np.float32)


def shipped_strength() -> float:
    """The strength the shipped map was fit with (the fitting benches score held out at it)."""
    with np.load(MAP) as data:
        return float(data["strength"])


def toward_answers(vectors: np.ndarray, answer_map: np.ndarray | None = None) -> np.ndarray:
    """Problems' unit vectors moved by the map (the shipped one unless given), made unit again."""
    moved = vectors.astype(np.float32) @ (shipped_map() if answer_map is None else answer_map)
    return moved / np.maximum(np.linalg.norm(moved, axis=1, keepdims=True), 1e-12)
