"""A fast, deterministic stand-in for the model, for layout tests only (words hashed into 384 dims; each word a
word-piece)."""

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

    def pair_encoder(self) -> Embedder:
        return self  # pairs read as any text is

    def query_encoder(self) -> Embedder:
        return self  # and queries

    def kind_encoder(self) -> Embedder:
        return self  # and sentences' kinds

    def encode_with_tokens(self, texts: list[str], batch_size: int = 64, *,
                           tokens: bool = True) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        pieces = []
        for row, text in enumerate(texts):
            slots = [int(hashlib.md5(w.encode()).hexdigest(), 16) for w in re.findall(r"\w+", text.lower())]
            words = np.zeros((len(slots), DIMENSIONS), dtype=np.float32)
            words[np.arange(len(slots)), [slot % DIMENSIONS for slot in slots]] = 1.0
            pieces.append((np.asarray([slot % 30_000 for slot in slots], dtype=np.int64), words))
            out[row] = words.sum(axis=0)
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
        return out, pieces
