"""Where the pairs Kith shows go wrong, set by set: what caps match precision.

    python bench/shown_pairs.py                  # the installed `kith`, every shared set
    python bench/shown_pairs.py --kith PATH      # another build (a script that runs it)

Each set is imported into a throw-away home with the command line, as `bench/quality.py` does, and the
contact pairs `kith matches --json` shows are sorted into: right; a further solver shown to a contact who
has a labelled match (and whether that solver's story is right for someone else); shown to a contact with
no labelled match. Then what showing only each contact's best solver would give: its precision, and
recall@3 (then recall@1).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quality import SETS  # noqa: E402  (the same sets as the quality table)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "shared" / "eval"))
from kith_eval import norm  # noqa: E402  (names compared as the scorer compares them)


def shown(notes: Path, kith: list[str], **env: str) -> list[tuple[str, str]]:
    """The contact pairs (asking, solving) a store of these notes (a JSON-lines file) shows, best first; `kith` is
    the command that runs Kith, `env` more of its environment. It runs in the store's folder, so that `python -m
    app.cli` finds the tree on PYTHONPATH, never one in the working folder."""
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, KITH_HOME=home, **env)
        subprocess.run([*kith, "import", str(notes)], env=env, cwd=home, check=True, capture_output=True)
        out = subprocess.run([*kith, "matches", "--limit", "10000", "--json"], env=env, cwd=home, check=True,
                             capture_output=True, text=True).stdout
    pairs: list[tuple[str, str]] = []
    for m in sorted(json.loads(out), key=lambda m: -m["score"]):
        pair = (norm(m["problem"]["contact"]), norm(m["solution"]["contact"]))
        if pair[0] != pair[1] and pair not in pairs:
            pairs.append(pair)
    return pairs


def breakdown(pairs: list[tuple[str, str]], truth: dict) -> dict[str, float]:
    true = {(norm(m["problem_contact"]), norm(s)) for m in truth["matches"] for s in m["solution_contacts"]}
    askers, solvers = {a for a, _ in true}, {b for _, b in true}
    counts = defaultdict(int)
    for a, b in pairs:
        if (a, b) in true:
            counts["right"] += 1
        elif a in askers:
            counts["further, right elsewhere" if b in solvers else "further"] += 1
        else:
            counts["no labelled match"] += 1
    best: dict[str, str] = {}
    for a, b in pairs:
        best.setdefault(a, b)
    counts["best only: precision"] = sum((a, b) in true for a, b in best.items()) / max(1, len(best))
    counts["best only: recall@1"] = sum(
        best.get(norm(m["problem_contact"])) in {norm(s) for s in m["solution_contacts"]} for m in truth["matches"]
    ) / len(truth["matches"])
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kith", default=shutil.which("kith") or "kith")
    ap.add_argument("--sets", nargs="*", default=list(SETS), choices=list(SETS))
    args = ap.parse_args()
    columns = ["right", "further, right elsewhere", "further", "no labelled match",
               "best only: precision", "best only: recall@1"]
    print(f"{'set':<10}" + "".join(f"{c:>26}" for c in columns))
    for name in args.sets:
        counts = breakdown(shown(SETS[name] / "notes.jsonl", [args.kith]),
                           json.loads((SETS[name] / "truth.json").read_text()))
        print(f"{name:<10}" + "".join(f"{counts[c]:>26.2f}" if isinstance(counts[c], float) else f"{counts[c]:>26}"
                                      for c in columns), flush=True)


if __name__ == "__main__":
    main()
