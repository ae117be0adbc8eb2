"""Train the query encoder: MiniLM's last layers retrained so that a search query lies near the pair encoder's
reading of the problems and stories that answer it.

    python -m app.core.query_training            # the held-out curve over epochs, then writes
                                                 # data/query_encoder.safetensors (the chosen point)
    python -m app.core.query_training --curve    # the curve only

"Who got people to actually turn up" and "a deposit at booking" share no word, and a searcher remembers a trouble
in their own words, not the note's. The pair encoder (app.core.encoder_training) already reads each stored problem
and story so that a problem lies near the stories that solved it; the query encoder is the same model with its last
LAYERS retrained so that a query lies near the pair encoder's reading of the passages that answer it. The passages'
vectors stay as they are (nothing stored is read again): only the query's reading is learnt, against every passage
of the training pool at once (a softmax over all of them), the passages that answer it too left out of the wrong
answers. It starts from the pair encoder's weights.

What it learns from, all written by people who never saw an evaluation set:
- data/answer_pairs/queries: for each told pair of data/answer_pairs, a query for its story ("who found a way to
  get people to show up") and one for its problem ("who is struggling with no-shows"), in many forms (README there);
  a told passage of the same trouble answers it too;
- the queries of data/train's styles: each relevant person's labelled passage of the kind the query asks for
  (intent_training.answering_kind), when that kind is a problem or a story.

Held out by the pair encoder's FOLDS (a quarter of the styles left out at a time): each fold's query encoder is
trained without the fold's queries, against the passages as that fold's pair encoder reads them, and each left-out
style's queries rank the style's people by their closest problem or story. The curve gives nDCG@5, the worst fifth
of the styles first (training.worst_sets), at each epoch, beside MiniLM and the pair encoder reading the query; the
number of epochs written is the best worst fifth's. How much of a passage's meaning search reads this way is
search.Weights.paired, chosen by `python -m app.core.search_training --paired` with each fold's encoders.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.config import DATA_DIR
from app.core.encoder_training import (
    BATCH,
    FOLDS,
    LAYERS,
    LEARNING_RATE,
    MAX_TOKENS,
    SCALE,
    SEED,
    TOLD,
    Encode,
    fold_overlays,
    folds,
    retrain,
    save,
    shipped_epochs,
)
from app.core.intent_training import answering_kind
from app.core.training import read_jsonl, style_sets, worst_sets
from app.store.embedder import PAIR_ENCODER, QUERY_ENCODER, Embedder
from app.store.model_files import cache_dir
from models.contact import normalise_name

TOLD_QUERIES = TOLD / "queries"
"""Queries for the told pairs' stories and problems, one file per file of data/answer_pairs, line by line."""
EPOCHS = (1, 2, 3, 4, 5, 6)
PAIRED_KINDS = ("problem", "solution")
"""The labelled passages the pair encoder reads (a stored problem or story has its vector)."""
SHOWN = 5
"""Search's figure: nDCG of the first five people (kith_eval's)."""


@dataclass(frozen=True)
class Asked:
    """A query, a passage that answers it, and the other passages that answer it too (never a wrong answer)."""

    query: str
    passage: str
    also: frozenset[str] = frozenset()


def told_queries() -> list[Asked]:
    """Each told pair's story and problem, each with its query; a told passage of the same side and trouble answers
    it too."""
    asked = []
    for path in sorted(TOLD.glob("*.jsonl")):
        written = TOLD_QUERIES / path.name
        if not written.exists():
            continue
        rows = read_jsonl(path)
        by_line = {q["line"]: q for q in read_jsonl(written)}
        for number, row in enumerate(rows, 1):
            if number not in by_line:
                continue
            for side, key in (("story", "story_query"), ("problem", "problem_query")):
                same = frozenset(r[side] for r in rows if r["trouble"] == row["trouble"]) - {row[side]}
                asked.append(Asked(by_line[number][key], row[side], same))
    return asked


def style_queries(folder: Path, embedder: Embedder) -> list[Asked]:
    """A style's queries, each with every relevant person's labelled passage of the kind it asks for (their closest,
    by MiniLM), when that is a problem or a story; the other people's answer it too."""
    passages = [(normalise_name(row["contact"]), p["kind"], p["text"]) for row in read_jsonl(folder / "labels.jsonl")
                for p in row["passages"]]
    vectors = embedder.encode([text for _, _, text in passages])
    queries = json.loads((folder / "truth.json").read_text())["queries"]
    asked = []
    for query, vector in zip(queries, embedder.encode([q["query"] for q in queries]), strict=True):
        relevant = {normalise_name(c) for c in query["relevant_contacts"]}
        kind = answering_kind(vector, [(who, k) for who, k, _ in passages], vectors, relevant)
        if kind not in PAIRED_KINDS:
            continue
        answers = []
        for person in sorted(relevant):
            rows = [i for i, (who, k, _) in enumerate(passages) if who == person and k == kind]
            if rows:
                answers.append(passages[max(rows, key=lambda i: float(vectors[i] @ vector))][2])
        asked += [Asked(query["query"], text, frozenset(answers) - {text}) for text in answers]
    return asked


def train(asked: list[Asked], read: Encode, start: Path, epochs: int) -> Iterator[tuple[dict[str, np.ndarray],
                                                                                         Encode]]:
    """Retrain the last LAYERS (from the weights of `start`) so that each query lies near its passage as `read`
    reads it, against every passage of `asked` as a wrong answer but those that answer it too; after each epoch,
    their weights and the model as it reads texts then (unit vectors)."""
    import torch

    texts = sorted({a.passage for a in asked} | {t for a in asked for t in a.also})
    at = {text: row for row, text in enumerate(texts)}
    targets = torch.from_numpy(np.asarray(read(texts), np.float32))

    def loss(embed: Callable, batch: list[Asked]):
        scores = embed([a.query for a in batch]) @ targets.T * SCALE
        also = torch.zeros_like(scores, dtype=torch.bool)
        for row, a in enumerate(batch):
            also[row, [at[t] for t in a.also]] = True
        return torch.nn.functional.cross_entropy(scores.masked_fill(also, -1e4),
                                                 torch.tensor([at[a.passage] for a in batch]))

    return retrain(asked, epochs, loss, start)


def scale_of(asked: list[Asked], encode: Encode, read: Encode, plain: Encode) -> dict[str, str]:
    """How the query encoder's similarities (`encode` for queries, `read` for passages) compare with MiniLM's
    (`plain`) over every query and passage of `asked`: the scale and shift that give them MiniLM's mean and spread.
    Search mixes the two; items the encoder does not read keep MiniLM's similarity alone."""
    queries, passages = sorted({a.query for a in asked}), sorted({a.passage for a in asked})
    told = encode(queries) @ read(passages).T
    meant = plain(queries) @ plain(passages).T
    scale = float(meant.std() / told.std())
    return {"scale": f"{scale:.5f}", "shift": f"{float(meant.mean()) - scale * float(told.mean()):.5f}"}


def calibrated(path: Path, asked: list[Asked], read: Encode, plain: Encode) -> None:
    """Give the query encoder at `path` its scale and shift (`scale_of`), kept with its weights."""
    from safetensors import safe_open
    from safetensors.numpy import load_file

    with safe_open(str(path), "np") as held:
        about = dict(held.metadata())
    if "scale" in about:
        return
    save(load_file(str(path)), path, **about, **scale_of(asked, Embedder(overlay=path).encode, read, plain))


def ndcg(folder: Path, asked: list[Asked], query_vectors: Callable[[list[str]], np.ndarray], read: Encode) -> float:
    """A style's queries (`style_queries`) ranking the style's people by their closest labelled problem or story as
    `read` reads it, the query as `query_vectors` reads it: the mean nDCG@SHOWN (every person answering it
    relevant)."""
    passages = [(normalise_name(row["contact"]), p["text"]) for row in read_jsonl(folder / "labels.jsonl")
                for p in row["passages"] if p["kind"] in PAIRED_KINDS]
    people = sorted({who for who, _ in passages})
    owner = np.array([people.index(who) for who, _ in passages])
    vectors = read([text for _, text in passages])
    owners_of = {text: who for who, text in passages}
    questions = sorted({a.query for a in asked})
    relevant = {q: {people.index(owners_of[t]) for a in asked if a.query == q for t in (a.passage, *a.also)}
                for q in questions}
    found = []
    for q, told in zip(questions, query_vectors(questions), strict=True):
        closeness = vectors @ told
        best = np.full(len(people), -np.inf)
        np.maximum.at(best, owner, closeness)
        first = np.argsort(-best)[:SHOWN]
        dcg = sum(1 / math.log2(rank + 2) for rank, who in enumerate(first) if who in relevant[q])
        found.append(dcg / sum(1 / math.log2(rank + 2) for rank in range(min(SHOWN, len(relevant[q])))))
    return float(np.mean(found))


def digest(asked: list[Asked], start: Path, epochs: int) -> str:
    weights = hashlib.sha256(start.read_bytes()).hexdigest()
    settings = (LAYERS, epochs, BATCH, LEARNING_RATE, SCALE, MAX_TOKENS, SEED, weights)
    rows = sorted((a.query, a.passage, sorted(a.also)) for a in asked)
    return hashlib.sha256(json.dumps([settings, rows]).encode()).hexdigest()[:16]


def _fold_path(asked: list[Asked], start: Path, epochs: int, number: int) -> Path:
    # named apart from the pair encoder's folds: an export is replaced by its own fold's only (model_files)
    return cache_dir() / "query_encoder_folds" / f"{digest(asked, start, epochs)}-queries-fold{number}.safetensors"


def fold_queries(embedder: Embedder) -> list[tuple[list[Path], list[Asked], Path]]:
    """Each fold's left-out styles, the queries of the others (and the told ones) to train its encoder on, and the
    pair encoder trained without the fold (which reads its passages, and which it starts from)."""
    styles = style_sets()
    overlays = fold_overlays(shipped_epochs())
    own = {s.name: style_queries(s, embedder) for s in styles}
    told = told_queries()
    return [(left_out, [a for s in styles if s not in left_out for a in own[s.name]] + told,
             overlays[left_out[0].name]) for left_out in folds(styles)]


def fold_encoders(epochs: int, embedder: Embedder) -> dict[str, tuple[Path, Path]]:
    """For every style, the pair encoder and the query encoder trained without its fold (trained once, cached)."""
    out = {}
    for number, (left_out, asked, pairs) in enumerate(fold_queries(embedder)):
        path = _fold_path(asked, pairs, epochs, number)
        read = Embedder(overlay=pairs).encode
        if not path.exists():
            save(list(train(asked, read, pairs, epochs))[-1][0], path, epochs=str(epochs), fold=str(number))
        calibrated(path, asked, read, embedder.encode)
        out.update({s.name: (pairs, path) for s in left_out})
    return out


def shipped_query_epochs() -> int:
    from safetensors import safe_open

    with safe_open(str(DATA_DIR / QUERY_ENCODER), "np") as shipped:
        return int(shipped.metadata()["epochs"])


def curve(embedder: Embedder) -> int:
    """Print the held-out curve over EPOCHS (each fold's encoder at each epoch kept where fold_encoders finds it);
    return the epochs of the best worst fifth."""
    rows: dict[str, dict[str, float]] = {"MiniLM": {}, "pair encoder": {}, **{f"{e} epochs": {} for e in EPOCHS}}
    for number, (left_out, asked, pairs) in enumerate(fold_queries(embedder)):
        read = Embedder(overlay=pairs)
        tests = {s: style_queries(s, embedder) for s in left_out}
        for s, own in tests.items():
            rows["MiniLM"][s.name] = ndcg(s, own, embedder.encode, embedder.encode)
            rows["pair encoder"][s.name] = ndcg(s, own, read.encode, read.encode)
        paths = [_fold_path(asked, pairs, e, number) for e in EPOCHS]
        if all(p.exists() for p in paths):
            trained = [(e, Embedder(overlay=p).encode) for e, p in zip(EPOCHS, paths, strict=True)]
        else:
            trained = []
            for e, p, (weights, encode) in zip(EPOCHS, paths, train(asked, read.encode, pairs, max(EPOCHS)),
                                               strict=True):
                save(weights, p, epochs=str(e), fold=str(number))
                rows[f"{e} epochs"].update({s.name: ndcg(s, own, encode, read.encode) for s, own in tests.items()})
        for e, encode in trained:  # read from the cache
            rows[f"{e} epochs"].update({s.name: ndcg(s, own, encode, read.encode) for s, own in tests.items()})
        print(f"fold {number + 1} of {FOLDS}: {len(asked)} queries", flush=True)
    print("held out (a quarter of the styles at a time): nDCG@5 of each style's problem and story queries, ranking its "
          "people by their closest labelled problem or story as the fold's pair encoder reads it")
    print(f"{'query read by':<16} {'worst 5th':>9} {'mean':>6}")
    for label, by_style in rows.items():
        print(f"{label:<16} {worst_sets(by_style.values())[0]:9.3f} {np.mean(list(by_style.values())):6.3f}")
    return max(EPOCHS, key=lambda e: worst_sets(rows[f"{e} epochs"].values()))


def main() -> int:
    embedder = Embedder()
    epochs = curve(embedder)
    print(f"chosen: {epochs} epochs")
    if "--curve" in sys.argv[1:]:
        return 0
    asked = [a for s in style_sets() for a in style_queries(s, embedder)] + told_queries()
    start = DATA_DIR / PAIR_ENCODER
    target = DATA_DIR / QUERY_ENCODER
    read = Embedder(overlay=start).encode
    save(list(train(asked, read, start, epochs))[-1][0], target, epochs=str(epochs), layers=str(LAYERS),
         queries=str(len(asked)))
    calibrated(target, asked, read, embedder.encode)
    print(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB) from {len(asked)} queries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
