"""How matches hold up as the store grows: each shared set scored alone and inside a larger store.

    python bench/store_size.py                  # the installed `kith`, every shared set, alone, +2 and +6 sets
    python bench/store_size.py --extra 0 4      # other sizes (how many other sets' notes are added)

A user's store holds far more people than any evaluation set (13–42 contacts). Each shared set is imported
into a throw-away home with the notes of other sets beside it (the other shared sets and data/unseen, taken
in turn; their contacts renamed apart), and the pairs `kith matches --json` shows for the set's own contacts'
problems are scored as `kith_eval.py` scores them: recall@3 and precision of the pairs shown. A solver from
another set counts as wrong even when its story would help (nobody labelled it), and sets retell the same
kinds of trouble (missed bookings, late payers…), so the figures with more sets are a floor: their fall is an
upper bound of what a user would see. Figures worst set first, alone beside each larger store.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quality import SETS, UNSEEN  # noqa: E402  (the same sets as the quality table)
from shown_pairs import shown  # noqa: E402  (the pairs a store shows, as that bench reads them)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "shared" / "eval"))
from kith_eval import norm  # noqa: E402  (names compared as the scorer compares them)


def notes_of(folder: Path, prefix: str = "") -> list[dict]:
    notes = [json.loads(line) for line in (folder / "notes.jsonl").read_text().splitlines() if line.strip()]
    return [{**n, "contact": prefix + n["contact"]} for n in notes]


def shown_pairs(notes: list[dict], kith: str) -> list[tuple[str, str]]:
    """The contact pairs (asking, solving) a store of these notes shows, best first."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "notes.jsonl"
        path.write_text("".join(json.dumps(n) + "\n" for n in notes))
        return shown(path, kith)


def figures(pairs: list[tuple[str, str]], truth: dict, own: set[str]) -> tuple[float, float]:
    """Recall@3 and precision (shown) of the pairs asked by the set's own contacts, as kith_eval scores them."""
    true = {(norm(m["problem_contact"]), norm(s)) for m in truth["matches"] for s in m["solution_contacts"]}
    ranked: dict[str, list[str]] = defaultdict(list)
    emitted = [(a, b) for a, b in pairs if a in own]
    for a, b in emitted:
        ranked[a].append(b)
    recall3 = sum(any(norm(s) in ranked[norm(m["problem_contact"])][:3] for s in m["solution_contacts"])
                  for m in truth["matches"]) / len(truth["matches"])
    return recall3, sum(p in true for p in emitted) / len(emitted) if emitted else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kith", default=shutil.which("kith") or "kith")
    ap.add_argument("--extra", type=int, nargs="*", default=[0, 2, 6])
    args = ap.parse_args()
    pool = {**SETS, **UNSEEN}
    rows: dict[str, list[tuple[int, float, float]]] = {}
    for name, folder in SETS.items():
        others = [n for n in pool if n != name]
        start = list(pool).index(name)
        others = others[start:] + others[:start]  # each set takes the sets after it, in turn
        truth = json.loads((folder / "truth.json").read_text())
        own_notes = notes_of(folder)
        own = {norm(n["contact"]) for n in own_notes}
        for extra in args.extra:
            notes = own_notes + [n for j, other in enumerate(others[:extra])
                                 for n in notes_of(pool[other], f"Z{j} ")]
            contacts = len({n["contact"] for n in notes})
            rows.setdefault(name, []).append((contacts, *figures(shown_pairs(notes, args.kith), truth, own)))
        print(f"{name}: " + "  ".join(f"{c} contacts: recall@3 {r:.3f} precision {p:.3f}"
                                      for c, r, p in rows[name]), flush=True)
    print(f"\n{'set':<10}" + "".join(f"{f'+{e} sets r@3 / prec':>24}" for e in args.extra))
    for name in sorted(rows, key=lambda n: min(rows[n][0][1:])):
        print(f"{name:<10}" + "".join(f"{f'{r:.3f} / {p:.3f}':>24}" for _, r, p in rows[name]))
    for k, extra in enumerate(args.extra):
        print(f"worst at +{extra}: recall@3 {min(v[k][1] for v in rows.values()):.3f} "
              f"precision {min(v[k][2] for v in rows.values()):.3f}")


if __name__ == "__main__":
    main()
