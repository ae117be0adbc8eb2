"""Fit the word-piece projection and rarity (data/pieces.npz) from our own labelled notes.

    python -m app.core.pieces_training      # ~2 minutes: every sentence of data/train through the encoder

No labels are used: the principal directions of the word-pieces' vectors in context (PROJECTED of them,
centred on their mean) over a sample of SAMPLE, and each word-piece's idf with a sentence as a document.
A word-piece our notes never use weighs as the rarest.
"""

from __future__ import annotations

import sys

import numpy as np

from app.core.pieces import FITTED, PROJECTED, Projection
from app.core.training import load_corpus
from app.store.embedder import Embedder

SAMPLE = 50_000
"""Word-piece vectors the principal directions are computed from (a seeded sample)."""


def fit(embedder: Embedder, dimensions: int = PROJECTED) -> Projection:
    sentences = [s.text for note in load_corpus().notes for s in note]
    told = embedder.tokens(sentences)
    vectors = np.vstack([v for _, v in told])
    mean = vectors.mean(axis=0)
    sample = vectors[np.random.default_rng(0).permutation(len(vectors))[:SAMPLE]] - mean
    basis = np.linalg.svd(sample, full_matrices=False)[2][:dimensions].T
    vocabulary = embedder.vocabulary_size()
    documents = np.zeros(vocabulary, np.int64)
    for ids, _ in told:
        documents[np.unique(ids)] += 1
    idf = np.log((len(told) + 1) / (documents + 0.5))
    return Projection(mean.astype(np.float32), basis.astype(np.float32), idf.astype(np.float32))


def main() -> int:
    projection = fit(Embedder())
    np.savez_compressed(FITTED, mean=projection.mean, basis=projection.basis, idf=projection.idf)
    print(f"wrote {FITTED}: {projection.basis.shape[1]} directions, idf of {len(projection.idf)} word-pieces "
          f"({int((projection.idf < projection.idf.max()).sum())} seen in our notes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
