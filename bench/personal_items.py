"""Whether adjacent personal sentences of one paragraph should be one item, held out style by style.

    python bench/personal_items.py

Each training style is read by a sentence classifier fit without it (as the pair scorer's sets are), once with
personal sentences each their own item and once with a paragraph's adjacent personal sentences joined, as a
story's are. A contact's personal items are then scored by `kith_eval.py` as a recap is: recall (every keyword
of a labelled detail in what is shown) and precision (shown items holding a keyword of one). The worst sets
(training.worst_sets) decide, never the mean. The measure cannot see two details joined that a reader would
keep apart (an item holding any keyword counts), nor what joining costs search (the mean of the sentences meets a
query, not the one that answers it): those are measured by `bench/quality.py`.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

from app.core import understand
from app.core.kind_encoder_training import fold_readers, read_out_of_fold
from app.core.kinds import SentenceClassifier
from app.core.training import chosen_c, fit_without, load_corpus, read_jsonl, style_sets, worst_sets
from app.store.embedder import Embedder
from models import Kind
from models.contact import normalise_name

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "shared" / "eval"))
from kith_eval import score  # noqa: E402  (a recap scored as the scorer scores it)


def personal_scores(folder: Path, embedder: Embedder, classifier: SentenceClassifier, kinds: Embedder
                    ) -> tuple[float, float]:
    """Personal recall and precision of a style read by this classifier (reading this kind encoder), as
    `kith_eval.py` scores a recap."""
    notes = read_jsonl(folder / "notes.jsonl")
    truth = json.loads((folder / "truth.json").read_text())
    read = understand.understand_many([(n["text"], dt.date.fromisoformat(n["date"])) for n in notes], embedder,
                                      classifier, kind_encoder=kinds)
    shown: dict[str, list[str]] = defaultdict(list)
    for note, result in zip(notes, read, strict=True):
        shown[normalise_name(note["contact"])] += [i.text for i in result.items if i.kind == Kind.PERSONAL]
    recap = {contact: shown.get(normalise_name(contact), []) for contact in truth["personal"]}
    figures = score({"pairs": [], "searches": {}, "personal": recap, "followups": [], "timings": {}}, truth)
    return figures["personal_recall"], figures["personal_precision"]


def main() -> None:
    embedder = Embedder()
    corpus = load_corpus()
    readers = fold_readers(corpus)
    x, y, sets = read_out_of_fold(corpus, readers)
    c = chosen_c()
    merged = understand.MERGED_KINDS
    apart = tuple(k for k in merged if k != Kind.PERSONAL)
    variants = {"apart": apart, "joined": (*apart, Kind.PERSONAL)}
    rows: dict[str, dict[str, tuple[float, float]]] = defaultdict(dict)
    try:
        for folder in style_sets():
            classifier = fit_without(x, y, sets, folder.name, c)
            for name, kinds in variants.items():
                understand.MERGED_KINDS = kinds
                rows[name][folder.name] = personal_scores(folder, embedder, classifier, readers[folder.name])
    finally:
        understand.MERGED_KINDS = merged
    names = sorted(rows["apart"])
    print(f"{'style':24}" + "".join(f"{v + ' R / P':>22}" for v in variants))
    for n in names:
        print(f"{n:24}" + "".join(f"{rows[v][n][0]:>14.3f} / {rows[v][n][1]:.3f}" for v in variants))
    for v in variants:
        f1 = [2 * r * p / (r + p) if r + p else 0.0 for r, p in rows[v].values()]
        worst_r = worst_sets(r for r, _ in rows[v].values())[0]
        worst_p = worst_sets(p for _, p in rows[v].values())[0]
        print(f"{v}: personal F1 worst fifth {worst_sets(f1)[0]:.3f} (mean {np.mean(f1):.3f}); "
              f"recall worst fifth {worst_r:.3f}, precision worst fifth {worst_p:.3f}")


if __name__ == "__main__":
    main()
