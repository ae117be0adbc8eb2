"""A fast, deterministic stand-in for the model, for layout tests only (words hashed into 384 dims)."""

from __future__ import annotations

import hashlib
import re

import numpy as np

from app.store.embedder import DIMENSIONS, Embedder


class FakeEmbedder(Embedder):
    """Bag of hashed words: same text, same vector; no torch, no model."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def loaded(self) -> bool:
        return True

    def load(self) -> None:
        return None

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % DIMENSIONS] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
        return out
