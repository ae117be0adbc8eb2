"""Train the pair encoder: MiniLM's last layers retrained so that a problem lies near the stories that solved it.

    python -m app.core.encoder_training            # the held-out curve over epochs, then writes
                                                   # data/pair_encoder.safetensors (the chosen point)
    python -m app.core.encoder_training --curve    # the curve only

MiniLM places a problem and the story that solved it far apart when they share no words ("nobody turns up" and
"a deposit at booking"). The pair encoder is the same model with its last LAYERS retrained on our labelled pairs:
each labelled problem of data/train (every style) beside the story that solved it, and the told pairs of
data/answer_pairs, with every other story of the batch as a wrong answer (a contrastive loss, both ways). Only
those layers are shipped (float16, ~7 MB): app.store.onnx_graph builds the model with them in place of its own.

Held out by FOLDS (a quarter of the styles left out at a time, round robin by name): each left-out style's
labelled problems rank the contacts whose labelled stories the style holds by the encoder's similarity, and the
curve gives how often the right solver comes first and in the top three, the worst fifth of the styles first
(training.worst_sets), at each epoch of one run per fold (the learning rate warms up, then stays). The number of
epochs written is the curve's best worst fifth. pair_training reads each style through the encoder of its fold
(`fold_overlays`), so the pair scorer weighs the encoder as it reads writing it never saw.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from app.config import DATA_DIR
from app.core.training import TRAIN, read_jsonl, stories_of, style_sets, worst_sets
from app.store.embedder import PAIR_ENCODER, Embedder, default_model_path
from app.store.model_files import cache_dir
from models.contact import normalise_name

TOLD = DATA_DIR / "answer_pairs"
"""Problems and the stories that answered them, told apart from any note (data/answer_pairs/README.md)."""
LAYERS = 2
"""The last layers retrained and shipped: the full model retrained (six) ranked no better held out, and is 45 MB."""
EPOCHS = (1, 2, 3)
"""The curve's points: passes over the pairs."""
FOLDS = 4
BATCH = 32
LEARNING_RATE = 3e-5
HEAD_RATE = 1e-3
"""A head trained beside the layers (the kind encoder's, over the kinds) starts from nothing: it learns faster."""
SCALE = 20.0
"""Similarities are multiplied by this before the softmax over a batch (sentence-transformers' default)."""
MAX_TOKENS = 128
SEED = 0
NO_STORY = ("problem", "note", "intro")
"""The labelled passages a misread note may offer as a story (the curve's "misread")."""

Pair = tuple[str, str]


def style_pairs(folder: Path) -> list[Pair]:
    """A style's labelled (problem, story) passages, one for each solver of each match."""
    pairs = []
    for match in json.loads((folder / "truth.json").read_text())["matches"]:
        if "problem_text" in match:
            stories = stories_of(match)
            pairs += [(match["problem_text"], story) for story in stories.values()]
    return pairs


def told_pairs() -> list[Pair]:
    """The problems and stories of data/answer_pairs, told apart from any note."""
    return [(row["problem"], row["story"]) for path in sorted(TOLD.glob("*.jsonl"))
            for row in read_jsonl(path)]


def folds(styles: list[Path]) -> list[list[Path]]:
    return [styles[i::FOLDS] for i in range(FOLDS)]


Encode = Callable[[list[str]], np.ndarray]


def train(pairs: list[Pair], epochs: int) -> Iterator[tuple[dict[str, np.ndarray], Encode]]:
    """Retrain the last LAYERS on these pairs; after each epoch, their weights (named as in model.safetensors) and
    the model as it reads texts then (unit vectors)."""
    import torch

    def loss(embed: Callable, batch: list[Pair]):
        scores = embed([p for p, _ in batch]) @ embed([s for _, s in batch]).T * SCALE
        # A problem with two solvers stands twice in a batch: its other story is no wrong answer.
        twice = torch.tensor([[a != b and batch[a][0] == batch[b][0] for b in range(len(batch))]
                              for a in range(len(batch))])
        scores = scores.masked_fill(twice, -1e4)
        labels = torch.arange(len(batch))
        return (torch.nn.functional.cross_entropy(scores, labels)
                + torch.nn.functional.cross_entropy(scores.T, labels)) / 2

    return retrain(pairs, epochs, loss)


def retrain(rows: list, epochs: int, loss: Callable, start: Path | None = None, head=None, rate: float = LEARNING_RATE
            ) -> Iterator[tuple[dict[str, np.ndarray], Encode]]:
    """Retrain MiniLM's last LAYERS (from the weights of `start`, else its own) on `rows`, in shuffled batches of
    BATCH, by `loss(embed, batch)` (embed: texts to unit vectors, with gradients) at learning rate `rate`, a torch
    `head` the loss reads trained beside them at HEAD_RATE (never shipped); after each epoch, their weights (named as
    in model.safetensors) and the model as it reads texts then (unit vectors)."""
    import torch
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(SEED)
    order = random.Random(SEED)
    model = SentenceTransformer(default_model_path(), device="cpu")
    model.max_seq_length = MAX_TOKENS
    encoder = model[0].auto_model
    if start is not None:
        from safetensors.numpy import load_file

        encoder.load_state_dict({k: torch.from_numpy(v.astype(np.float32)) for k, v in load_file(str(start)).items()},
                                strict=False)
    layers = encoder.config.num_hidden_layers
    trained = tuple(f"encoder.layer.{n}." for n in range(layers - LAYERS, layers))
    for name, weight in encoder.named_parameters():
        weight.requires_grad = name.startswith(trained)
    groups = [{"params": [w for w in encoder.parameters() if w.requires_grad], "lr": rate}]
    if head is not None:
        groups.append({"params": list(head.parameters()), "lr": HEAD_RATE})
    optimiser = torch.optim.AdamW(groups, weight_decay=0.01)
    warm = max(1, len(rows) // BATCH // 2)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda step: min(1.0, (step + 1) / warm))

    def embed(texts: list[str]):
        return torch.nn.functional.normalize(model(model.preprocess(texts))["sentence_embedding"], dim=-1)

    def encode(texts: list[str]) -> np.ndarray:
        return model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)

    rows = list(rows)
    for _ in range(epochs):
        model.train()
        order.shuffle(rows)
        for begin in range(0, len(rows), BATCH):
            step = loss(embed, rows[begin : begin + BATCH])
            optimiser.zero_grad()
            step.backward()
            optimiser.step()
            schedule.step()
        yield {name: weight.detach().numpy().copy() for name, weight in encoder.state_dict().items()
               if name.startswith(trained)}, encode


def save(weights: dict[str, np.ndarray], path: Path, **about: str) -> None:
    from safetensors.numpy import save_file

    path.parent.mkdir(parents=True, exist_ok=True)
    save_file({k: v.astype(np.float16) for k, v in weights.items()}, str(path), metadata=about)


Ranks = tuple[float, float, float, float]


def no_stories(folder: Path) -> list[tuple[str, str]]:
    """A style's labelled passages that are no story (NO_STORY), each with its contact."""
    return [(normalise_name(row["contact"]), p["text"]) for row in read_jsonl(folder / "labels.jsonl")
            for p in row["passages"]
            if p["kind"] in NO_STORY]


def ranks(folder: Path, encode: Encode) -> Ranks:
    """How often a style's labelled problem finds its solver first and in the top three, among the contacts whose
    labelled stories the style holds, by the similarity of the problem and each contact's closest story; then the
    same, misread: every contact's passages that are no story (NO_STORY) offered as stories beside theirs."""
    matches = [m for m in json.loads((folder / "truth.json").read_text())["matches"] if "problem_text" in m]
    stories: dict[str, set[str]] = {}
    for m in matches:
        for solver, story in stories_of(m).items():
            stories.setdefault(normalise_name(solver), set()).add(story)
    misread = {c: set(group) for c, group in stories.items()}
    for contact, text in no_stories(folder):
        misread.setdefault(contact, set()).add(text)
    texts = sorted({m["problem_text"] for m in matches} | {s for group in misread.values() for s in group})
    vectors = dict(zip(texts, encode(texts), strict=True))
    found = []
    for candidates in (stories, misread):
        first = top3 = 0
        for m in matches:
            asker, right = normalise_name(m["problem_contact"]), {normalise_name(b) for b in m["solution_contacts"]}
            best = {c: max(float(vectors[m["problem_text"]] @ vectors[s]) for s in group)
                    for c, group in candidates.items() if c != asker}
            order = sorted(best, key=lambda c: -best[c])
            first += order[0] in right
            top3 += bool(set(order[:3]) & right)
        found += [first / len(matches), top3 / len(matches)]
    return found[0], found[1], found[2], found[3]


def digest(pairs: list[Pair], epochs: int) -> str:
    settings = (LAYERS, epochs, BATCH, LEARNING_RATE, SCALE, MAX_TOKENS, SEED)
    return hashlib.sha256(json.dumps([settings, sorted(pairs)]).encode()).hexdigest()[:16]


def _fold_path(pairs: list[Pair], epochs: int, number: int) -> Path:
    return cache_dir() / "pair_encoder_folds" / f"{digest(pairs, epochs)}-fold{number}.safetensors"


def fold_pairs(styles: list[Path]) -> list[tuple[list[Path], list[Pair]]]:
    """Each fold's left-out styles, and the pairs of the others (and the told pairs) to train its encoder on."""
    return [(left_out, [p for s in styles if s not in left_out for p in style_pairs(s)] + told_pairs())
            for left_out in folds(styles)]


def fold_overlays(epochs: int) -> dict[str, Path]:
    """For every style, the overlay of the encoder trained without its fold (trained once, then cached)."""
    out = {}
    for number, (left_out, pairs) in enumerate(fold_pairs(style_sets())):
        path = _fold_path(pairs, epochs, number)
        if not path.exists():
            save(list(train(pairs, epochs))[-1][0], path, epochs=str(epochs), fold=str(number))
        out.update({s.name: path for s in left_out})
    return out


def shipped_epochs() -> int:
    """The epochs the shipped pair encoder was trained for (recorded in it)."""
    from safetensors import safe_open

    with safe_open(str(DATA_DIR / PAIR_ENCODER), "np") as shipped:
        return int(shipped.metadata()["epochs"])


def curve() -> int:
    """Print the held-out curve over EPOCHS (each fold's encoder at each epoch kept where fold_overlays finds it);
    return the epochs of the best worst fifth among the stories (first, then top three)."""
    styles = style_sets()
    found: dict[int, dict[str, Ranks]] = {e: {} for e in EPOCHS}
    for number, (left_out, pairs) in enumerate(fold_pairs(styles)):
        paths = [_fold_path(pairs, epochs, number) for epochs in EPOCHS]
        if all(path.exists() for path in paths):  # trained before: each epoch's encoder read from the cache
            for epochs, path in zip(EPOCHS, paths, strict=True):
                found[epochs].update({s.name: ranks(s, Embedder(overlay=path).encode) for s in left_out})
        else:
            for epochs, path, (weights, encode) in zip(EPOCHS, paths, train(pairs, max(EPOCHS)), strict=True):
                found[epochs].update({s.name: ranks(s, encode) for s in left_out})
                save(weights, path, epochs=str(epochs), fold=str(number))
        print(f"fold {number + 1} of {FOLDS}: {len(pairs)} pairs", flush=True)
    shipped = Embedder()
    untrained = {s.name: ranks(s, shipped.encode) for s in styles}
    rows = {"MiniLM as shipped": untrained, **{f"{e} epochs": found[e] for e in EPOCHS}}
    print("held out (a quarter of the styles at a time): right solver first / in the top three, among the stories;"
          " then misread")
    print(f"{'':<18}" + "".join(f"{h:>17} {'mean':>6}" for h in ("first: worst 5th", "top 3: worst 5th") * 2))
    for label, by_style in rows.items():
        print(f"{label:<18}" + "".join(f"{worst_sets(v)[0]:17.3f} {np.mean(v):6.3f}"
                                       for v in ([r[k] for r in by_style.values()] for k in range(4))))
    return max(EPOCHS, key=lambda e: (worst_sets([v[0] for v in found[e].values()]),
                                      worst_sets([v[1] for v in found[e].values()])))


def main() -> int:
    epochs = curve()
    print(f"chosen: {epochs} epochs")
    if "--curve" in sys.argv[1:]:
        return 0
    pairs = [p for s in style_sets() for p in style_pairs(s)] + told_pairs()
    target = DATA_DIR / PAIR_ENCODER
    save(list(train(pairs, epochs))[-1][0], target, epochs=str(epochs), layers=str(LAYERS), pairs=str(len(pairs)))
    print(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB) from {len(pairs)} pairs in {len(style_sets())} "
          f"styles of {TRAIN} and {TOLD}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
