"""Two builds compared at one volume: how well another build ranks the pairs it shows, at this build's count.

    python bench/at_volume.py OTHER_TREE    # e.g. a worktree of a branch: git worktree add /tmp/other BRANCH

Each shared set is imported into a throw-away home by this tree and by OTHER_TREE (`python -m app.cli` with the
tree on PYTHONPATH; the pairs read as `bench/shown_pairs.py` reads them). This build's shown pairs are scored as
`kith_eval.py` scores them (precision, recall@3); then the other build's best pairs, as many as this build shows.
A change of the pair scorer changes both how pairs are ranked and how many are shown: this says which of the two
moved the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quality import SETS  # noqa: E402  (the same sets as the quality table)
from shown_pairs import shown  # noqa: E402  (the pairs a build shows, as kith_eval.py reads them)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "shared" / "eval"))
from kith_eval import norm  # noqa: E402  (names compared as the scorer compares them)

HERE = Path(__file__).resolve().parent.parent
RUN = [sys.executable, "-m", "app.cli"]
"""Kith run from the tree on PYTHONPATH (this one or the other)."""


def figures(pairs: list[tuple[str, str]], truth: dict) -> tuple[float, float]:
    """Precision and recall@3 of these pairs, as kith_eval.py scores the pairs shown."""
    true = {(norm(m["problem_contact"]), norm(s)) for m in truth["matches"] for s in m["solution_contacts"]}
    ranked: dict[str, list[str]] = {}
    for a, b in pairs:
        ranked.setdefault(a, []).append(b)
    recall3 = sum(any(norm(s) in ranked.get(norm(m["problem_contact"]), [])[:3] for s in m["solution_contacts"])
                  for m in truth["matches"]) / len(truth["matches"])
    return sum(p in true for p in pairs) / max(1, len(pairs)), recall3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="the other build's source tree")
    args = parser.parse_args()
    print(f"{'set':<10} {'shown':>6} {'precision':>10} {'recall@3':>9}   other build: {'of':>4} "
          f"{'precision':>10} {'recall@3':>9}")
    for name, folder in SETS.items():
        truth = json.loads((folder / "truth.json").read_text())
        notes = folder / "notes.jsonl"
        ours = shown(notes, RUN, PYTHONPATH=str(HERE))
        theirs = shown(notes, RUN, PYTHONPATH=str(args.other.resolve()))
        precision, recall3 = figures(ours, truth)
        other_precision, other_recall3 = figures(theirs[: len(ours)], truth)
        print(f"{name:<10} {len(ours):6d} {precision:10.3f} {recall3:9.3f}   {'':>12} {len(theirs):4d} "
              f"{other_precision:10.3f} {other_recall3:9.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
