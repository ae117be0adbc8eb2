"""Train the kind encoder: MiniLM's last layers retrained so that a sentence's vector tells its kind.

    python -m app.core.kind_encoder_training           # the held-out curve over epochs, then writes
                                                       # data/kind_encoder.safetensors (the chosen point)
    python -m app.core.kind_encoder_training --curve   # the curve only

The sentence classifier (app.core.kinds) is a logistic regression on vectors of a sentence, its neighbours and its
heading. MiniLM places sentences by topic: whether one tells a trouble, a thing that worked or a failed attempt is a
small part of its vector. The kind encoder is MiniLM with its last LAYERS retrained, with a linear head over the
kinds (trained beside them, never shipped), on every labelled sentence of data/train and data/sentences.tsv, each
read on its own; the classifier reads its vectors in place of MiniLM's (features and fit unchanged). The items a
note becomes keep MiniLM's vectors: search and matching read those.

Held out by the pair encoder's folds (a quarter of the styles left out at a time): every sentence is read by the
encoder trained without its fold ("out of fold"), and the classifier, at the shipped C, is scored leave-one-style-out
on those readings (macro-F1, the worst fifth of the styles and the mean), at each epoch of one run per fold, MiniLM's
readings beside. The classifier is fit on out-of-fold readings too (training.Corpus.rows): it reads notes the encoder
never saw. The number of epochs written is the curve's best worst fifth.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from app.config import DATA_DIR
from app.core.encoder_training import BATCH, LAYERS, MAX_TOKENS, SCALE, SEED, Encode, folds, retrain, save
from app.core.training import SENTENCES, Corpus, chosen_c, leave_one_style_out, load_corpus, style_sets, worst_sets
from app.store.embedder import KIND_ENCODER, Embedder
from app.store.model_files import cache_dir
from models import Kind

EPOCHS = (1, 2)
"""The curve's points: passes over the labelled sentences."""
LEARNING_RATE = 5e-5
"""The layers' rate: the one measured (the pair encoder's 3e-5 and a curve over rates not yet run)."""
KINDS = [kind.value for kind in Kind]

Row = tuple[str, str]
"""A labelled sentence and its kind."""


def labelled_rows(corpus: Corpus, left_out: set[str]) -> list[Row]:
    """Every labelled sentence of the corpus (and its kind) but those of the styles left out."""
    return [(sentence.text, kind) for note, kinds, name in zip(corpus.notes, corpus.labels, corpus.sets, strict=True)
            if name not in left_out for sentence, kind in zip(note, kinds, strict=True)]


def train(rows: list[Row], epochs: int) -> Iterator[tuple[dict[str, np.ndarray], Encode]]:
    """Retrain the last LAYERS with a head over the kinds on these sentences (each kind weighed by its rarity, as
    the classifier is); after each epoch, their weights and the model as it reads texts then."""
    import torch

    torch.manual_seed(SEED)
    head = torch.nn.Linear(384, len(KINDS))
    counts = np.bincount([KINDS.index(kind) for _, kind in rows], minlength=len(KINDS))
    weight = torch.tensor(len(rows) / (len(KINDS) * np.maximum(counts, 1)), dtype=torch.float32)

    def loss(embed, batch: list[Row]):
        logits = head(embed([text for text, _ in batch]) * SCALE)
        return torch.nn.functional.cross_entropy(logits, torch.tensor([KINDS.index(k) for _, k in batch]),
                                                 weight=weight)

    return retrain(rows, epochs, loss, head=head, rate=LEARNING_RATE)


def digest(left_out: set[str], epochs: int) -> str:
    """What a fold's encoder is trained from: the settings and the labelled files of every style but those left out
    (not their sentences as split now: a script trying another split reads with the same encoders)."""
    hashed = hashlib.sha256(json.dumps([LAYERS, epochs, BATCH, LEARNING_RATE, SCALE, MAX_TOKENS, SEED]).encode())
    for folder in style_sets():
        if folder.name not in left_out:
            hashed.update((folder / "notes.jsonl").read_bytes() + (folder / "labels.jsonl").read_bytes())
    hashed.update(SENTENCES.read_bytes())
    return hashed.hexdigest()[:16]


def _fold_path(left_out: set[str], epochs: int, number: int) -> Path:
    return cache_dir() / "kind_encoder_folds" / f"{digest(left_out, epochs)}-kinds-fold{number}.safetensors"


def fold_rows(corpus: Corpus) -> list[tuple[set[str], list[Row]]]:
    """Each fold's left-out styles (the pair encoder's folds), and the labelled sentences of the others."""
    return [(left, labelled_rows(corpus, left)) for left in ({s.name for s in out} for out in folds(style_sets()))]


def fold_overlays(epochs: int, corpus: Corpus | None = None) -> dict[str, Path]:
    """For every set of the corpus, the overlay of the encoder trained without its fold (trained once, then cached);
    data/sentences.tsv, in every fold's training, is read by the first fold's."""
    corpus = corpus or load_corpus()
    out: dict[str, Path] = {}
    for number, (left, rows) in enumerate(fold_rows(corpus)):
        path = _fold_path(left, epochs, number)
        if not path.exists():
            save(list(train(rows, epochs))[-1][0], path, epochs=str(epochs), fold=str(number))
        out.update(dict.fromkeys(left, path))
        out.setdefault("sentences", path)
    return out


def read_out_of_fold(corpus: Corpus | None = None, readers: dict[str, Embedder] | None = None
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The corpus's features, labels and sets as the classifier is fit on them: each note read by the kind encoder
    of the shipped settings trained without its fold (Corpus.rows; `readers` when already made: fold_readers)."""
    corpus = corpus or load_corpus()
    return corpus.rows(readers or fold_readers(corpus))


def readers_of(overlays: dict[str, Path]) -> dict[str, Embedder]:
    """Each set's kind encoder, one Embedder a fold (its model loaded once)."""
    made = {path: Embedder(overlay=path) for path in set(overlays.values())}
    return {name: made[path] for name, path in overlays.items()}


def fold_readers(corpus: Corpus | None = None) -> dict[str, Embedder]:
    """For every style, the kind encoder of the shipped settings trained without its fold: how a fitting script
    reads the kinds of a style's sentences with a classifier fit without it."""
    return readers_of(fold_overlays(shipped_epochs(), corpus))


def shipped_epochs() -> int:
    """The epochs the shipped kind encoder was trained for (recorded in it)."""
    from safetensors import safe_open

    with safe_open(str(DATA_DIR / KIND_ENCODER), "np") as shipped:
        return int(shipped.metadata()["epochs"])


def curve(corpus: Corpus) -> int:
    """Print the held-out curve over EPOCHS (each fold's encoder at each epoch kept where fold_overlays finds it),
    MiniLM's readings first; return the epochs of the best worst fifth."""
    c = chosen_c()
    every = fold_rows(corpus)
    for number, (left, rows) in enumerate(every):
        paths = [_fold_path(left, epochs, number) for epochs in EPOCHS]
        if not all(path.exists() for path in paths):
            for epochs, path, (weights, _) in zip(EPOCHS, paths, train(rows, max(EPOCHS)), strict=True):
                save(weights, path, epochs=str(epochs), fold=str(number))
        print(f"fold {number + 1} of {len(every)}: {len(rows)} sentences", flush=True)
    found: dict[int, dict[str, float]] = {}
    print(f"held out (the classifier at C {c:g}, each style left out, read out of fold): macro-F1")
    print(f"{'':<18}{'worst 5th':>10} {'mean':>6} {'worst':>6}")
    for label, epochs in (("MiniLM", None), *((f"{e} epochs", e) for e in EPOCHS)):
        x, y, sets = corpus.rows(None if epochs is None else readers_of(fold_overlays(epochs, corpus)))
        scores = leave_one_style_out(x, y, sets, c)
        if epochs is not None:
            found[epochs] = scores
        print(f"{label:<18}{worst_sets(scores.values())[0]:10.3f} {worst_sets(scores.values())[1]:6.3f} "
              f"{min(scores.values()):6.3f}", flush=True)
    return max(EPOCHS, key=lambda e: worst_sets(found[e].values()))


def main() -> int:
    corpus = load_corpus()
    epochs = curve(corpus)
    print(f"chosen: {epochs} epochs")
    if "--curve" in sys.argv[1:]:
        return 0
    rows = labelled_rows(corpus, set())
    target = DATA_DIR / KIND_ENCODER
    save(list(train(rows, epochs))[-1][0], target, epochs=str(epochs), layers=str(LAYERS), sentences=str(len(rows)))
    print(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB) from {len(rows)} labelled sentences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
