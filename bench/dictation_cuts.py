"""Where to cut dictation that has no punctuation: even runs of words (shipped) against cuts learned from our passages.

    python bench/dictation_cuts.py

A memo dictated without a comma or a full stop is one "sentence" to Kith. Over data/passages.json's `longest` words
it is cut into even runs of words (app.core.sentences.clauses), wherever the count falls, so a problem, a personal
detail and a to-do can share one piece. Here every note of every style in data/train is stripped of its
punctuation and case, as raw speech-to-text writes it, and a logistic regression over the words around each gap
(hashed: the words before and after, their pairs and the triple across the gap) learns where a labelled passage
starts. Held out style by style (fit on the other styles), for the notes longer than `longest` words:

- "even": the shipped cut;
- "learned, as many": as many cuts as the even runs make, at the likeliest gaps (pieces of at least `shortest`);
- "learned, p >= t": every gap whose probability is at least t, each style at the t the other styles choose.

Each labelled passage scores the best F1 (in words) of one piece against it, and each piece its purity (the share
of its words from one passage); F1 and purity are printed as worst fifth / mean of the styles (training.worst_sets).
This scores the pieces as cut, before Kith reads them and merges neighbours of one kind again, so more cuts cost
less than the purity column shows. Nothing here is shipped: the reading of every training style would change,
and with it every model fit on that reading.
"""

from __future__ import annotations

import json
import re
import sys

import numpy as np

from app.core.sentences import clause_cut, clauses
from app.core.training import TRAIN, style_sets, worst_sets

THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def raw_words(text: str) -> list[str]:
    """The text as speech-to-text without punctuation writes it: lower case, words only."""
    return re.sub(r"[^\w'\s]", " ", text.lower()).split()


def labelled_runs() -> list[tuple[str, list[str], np.ndarray]]:
    """Every labelled note as (style, its raw words, the passage each word belongs to)."""
    runs = []
    for folder in style_sets(TRAIN):
        for line in (folder / "labels.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            words: list[str] = []
            owner: list[int] = []
            for number, passage in enumerate(json.loads(line)["passages"]):
                told = raw_words(passage["text"])
                words += told
                owner += [number] * len(told)
            if len(words) > 1:
                runs.append((folder.name, words, np.asarray(owner)))
    return runs


def gap_features(words: list[str], i: int) -> list[str]:
    """What is read at the gap before word i."""
    def at(j: int) -> str:
        return words[j] if 0 <= j < len(words) else "<edge>"

    return [f"w0={at(i)}", f"w1={at(i + 1)}", f"m1={at(i - 1)}", f"m2={at(i - 2)}", f"b={at(i)}_{at(i + 1)}",
            f"pb={at(i - 1)}_{at(i)}", f"t={at(i - 1)}_{at(i)}_{at(i + 1)}"]


def even_cuts(words: list[str]) -> list[int]:
    """Where the shipped cut (app.core.sentences.clauses) splits these words, told with no punctuation."""
    return np.cumsum([len(piece.split()) for piece, _ in clauses(" ".join(words))])[:-1].tolist()


def likeliest_cuts(p: np.ndarray, shortest: int, wanted: int | None = None, at_least: float = 0.0) -> list[int]:
    """Gaps (word indices) by probability, best first, none nearer than shortest words to another or an edge: the
    first `wanted` of them, or all with probability at_least."""
    n = len(p) + 1
    chosen: list[int] = []
    for gap in np.argsort(-p, kind="stable"):
        cut = int(gap) + 1
        if (wanted is not None and len(chosen) >= wanted) or (wanted is None and p[gap] < at_least):
            break
        if shortest <= cut <= n - shortest and all(abs(cut - c) >= shortest for c in chosen):
            chosen.append(cut)
    return sorted(chosen)


def scored(owner: np.ndarray, cuts: list[int]) -> tuple[float, float]:
    """(each passage's best F1 against one piece, each piece's purity), means over the note."""
    bounds = [0, *cuts, len(owner)]
    pieces = [owner[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    f1 = [max(2 * np.sum(piece == k) / (len(piece) + np.sum(owner == k)) for piece in pieces)
          for k in np.unique(owner)]
    purity = [np.bincount(piece).max() / len(piece) for piece in pieces]
    return float(np.mean(f1)), float(np.mean(purity))


def row(label: str, by_style: dict[str, tuple[float, float]]) -> str:
    """One way's line: passage F1 and purity, each worst fifth / mean over the styles."""
    f1 = worst_sets(v[0] for v in by_style.values())
    purity = worst_sets(v[1] for v in by_style.values())
    return f"{label:<18} {f1[0]:>19.3f} / {f1[1]:.3f} {purity[0]:>17.3f} / {purity[1]:.3f}"


def main() -> None:
    from sklearn.feature_extraction import FeatureHasher  # needed to measure only
    from sklearn.linear_model import LogisticRegression

    longest, shortest = clause_cut()
    runs = labelled_runs()
    styles = sorted({style for style, _, _ in runs})
    hasher = FeatureHasher(2**18, input_type="string", alternate_sign=False)
    ways = ["even", "learned, as many", *(f"p >= {t}" for t in THRESHOLDS)]
    figures: dict[str, dict[str, tuple[float, float]]] = {way: {} for way in ways}
    for held in styles:
        train = [(words, owner) for style, words, owner in runs if style != held]
        x = hasher.transform([gap_features(w, i) for w, _ in train for i in range(1, len(w))])
        y = np.concatenate([o[1:] != o[:-1] for _, o in train])
        model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced").fit(x, y)
        found: dict[str, list[tuple[float, float]]] = {way: [] for way in ways}
        for style, words, owner in runs:
            if style != held or len(words) <= longest:
                continue
            p = model.predict_proba(hasher.transform([gap_features(words, i) for i in range(1, len(words))]))[:, 1]
            even = even_cuts(words)
            found["even"].append(scored(owner, even))
            found["learned, as many"].append(scored(owner, likeliest_cuts(p, shortest, wanted=len(even))))
            for t in THRESHOLDS:
                found[f"p >= {t}"].append(scored(owner, likeliest_cuts(p, shortest, at_least=t)))
        for way in ways:
            if found[way]:
                figures[way][held] = tuple(np.mean(found[way], axis=0))
        print(f"held out {held}: {len(found['even'])} notes over {longest} words", file=sys.stderr)
    print(f"{sum(len(w) > longest for _, w, _ in runs)} notes over {longest} words in {len(styles)} styles, "
          f"stripped of punctuation; pieces of at least {shortest} words")
    print(f"{'way':<18} {'passage F1 worst 5th / mean':>28} {'purity worst 5th / mean':>26}")
    for way in ways:
        print(row(way, figures[way]))
    thresholds = [f"p >= {t}" for t in THRESHOLDS]
    held_out = {s: figures[max(thresholds, key=lambda w: worst_sets(
        v[0] for other, v in figures[w].items() if other != s))][s] for s in figures["even"]}
    print(row("p >= t, held out", held_out) + "   (each style at the t the other styles choose by passage F1)")


if __name__ == "__main__":
    main()
