"""Why the pairs Kith shows go wrong, on labelled sets no shipped model was fit on: a side of the wrong kind, a
story the problem's owner already tried (a labelled decoy), or a real problem and a real story of another trouble.

    python bench/wrong_kinds.py                  # the installed `kith`, data/train_next and data/unseen
    python bench/wrong_kinds.py --kith PATH      # another build (a script that runs it)
    python bench/wrong_kinds.py DIR...           # other labelled sets (notes.jsonl, labels.jsonl, truth.json)

Each set is imported into a throw-away home with the command line, as `bench/quality.py` does. Every contact pair
`kith matches --json` shows that its truth does not name is wrong; each side's item is looked up among its contact's
labelled passages (the one that holds the largest share of its words, at least pair_training.COVERED, as the pair
scorer's training tells a labelled item), and the pair is sorted by the first that fits: a side of the wrong kind
(the problem item not a labelled problem, or the story not a labelled solution), a labelled decoy, or another
trouble.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from app.core.pair_training import COVERED, covered  # noqa: E402
from app.core.training import read_jsonl  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "shared" / "eval"))
from kith_eval import norm  # noqa: E402  (names compared as the scorer compares them)

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ["shown", "right", "wrong kind", "decoy", "another trouble"]
DEFAULT = [p for folder in ("train_next", "unseen") for p in sorted((ROOT / "data" / folder).iterdir())
           if (p / "labels.jsonl").exists()]


def labelled_kind(passages: list[tuple[str, str]], text: str) -> str:
    """The kind of the labelled passage that holds the largest share of this item's words ("?": none holds
    COVERED)."""
    share, kind = max(((covered(text, passage), kind) for kind, passage in passages), default=(0.0, "?"))
    return kind if share >= COVERED else "?"


def shown_pairs(kith: str, folder: Path) -> list[dict]:
    home = tempfile.mkdtemp(prefix="kith-wrong-kinds-")
    try:
        env = dict(os.environ, KITH_HOME=home)
        subprocess.run([kith, "import", str(folder / "notes.jsonl")], env=env, capture_output=True, check=True)
        out = subprocess.run([kith, "matches", "--limit", "1000", "--json"], env=env, capture_output=True,
                             text=True, check=True).stdout
        return json.loads(out)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def sort_set(kith: str, folder: Path) -> dict[str, int]:
    """This set's shown contact pairs: how many, how many right, and each wrong one by its cause."""
    truth = json.loads((folder / "truth.json").read_text())
    right = {(norm(m["problem_contact"]), norm(s)) for m in truth["matches"] for s in m["solution_contacts"]}
    decoys = {pair for d in truth["decoys"] for pair in ((norm(d["a"]), norm(d["b"])), (norm(d["b"]), norm(d["a"])))}
    passages: dict[str, list[tuple[str, str]]] = {}
    for label in read_jsonl(folder / "labels.jsonl"):
        passages.setdefault(norm(label["contact"]), []).extend((p["kind"], p["text"]) for p in label["passages"])
    counts = dict.fromkeys(COLUMNS, 0)
    seen = set()
    for match in sorted(shown_pairs(kith, folder), key=lambda m: -m["score"]):
        problem, story = match["problem"], match["solution"]
        pair = (norm(problem["contact"]), norm(story["contact"]))
        if pair in seen:
            continue
        seen.add(pair)
        counts["shown"] += 1
        if pair in right:
            counts["right"] += 1
        elif (labelled_kind(passages.get(pair[0], []), problem["text"]) != "problem"
              or labelled_kind(passages.get(pair[1], []), story["text"]) != "solution"):
            counts["wrong kind"] += 1
        elif pair in decoys:
            counts["decoy"] += 1
        else:
            counts["another trouble"] += 1
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--kith", default="kith")
    args = parser.parse_args()
    print(f"{'set':<32}" + "".join(f"{c:>16}" for c in COLUMNS))
    total = dict.fromkeys(COLUMNS, 0)
    for folder in args.sets:
        counts = sort_set(args.kith, folder)
        total = {c: total[c] + counts[c] for c in COLUMNS}
        print(f"{folder.parent.name + '/' + folder.name:<32}" + "".join(f"{counts[c]:>16}" for c in COLUMNS),
              flush=True)
    print(f"{'all':<32}" + "".join(f"{total[c]:>16}" for c in COLUMNS))
    wrong = total["shown"] - total["right"]
    if wrong:
        print(f"of {wrong} wrong shown pairs: a side of the wrong kind {total['wrong kind'] / wrong:.0%}, a labelled "
              f"decoy {total['decoy'] / wrong:.0%}, another trouble {total['another trouble'] / wrong:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
