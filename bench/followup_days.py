"""Follow-ups' due days on our own labelled sets, as `kith_eval.py` scores them, set by set.

    python bench/followup_days.py                  # each to-do as Kith reads it (dates.to_dos)
    python bench/followup_days.py --one-per-to-do  # each to-do sentence one follow-up, dated by its first day

Every note of data/train's styles and data/unseen's sets is read by the shipped classifier (which has seen the
training styles: this measures the dates, not the kinds) and each set's follow-ups are scored against its
truth.json: dated follow-ups found with their day for their contact, vague ones not given a made-up day.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.core import understand
from app.core.capture import read_notes_file
from app.core.dates import due_date
from app.store.embedder import Embedder
from models import Kind

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT.parent / "shared" / "eval"))
from kith_eval import score  # noqa: E402  (follow-ups scored as the scorer scores them)

SETS = [p for root in (ROOT / "data" / "train", ROOT / "data" / "unseen") for p in sorted(root.iterdir())
        if (p / "truth.json").exists()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--one-per-to-do", action="store_true", help="read each to-do sentence as one follow-up")
    args = ap.parse_args()
    if args.one_per_to_do:
        understand.to_dos = lambda text, base: [(text, due_date(text, base))]
    embedder = Embedder()
    found = dated = kept = vague = read = 0
    print(f"{'set':34} {'due days':>9} {'vague kept':>11} {'follow-ups':>11}")
    for folder in SETS:
        notes = read_notes_file(folder / "notes.jsonl")  # as `kith import` reads them
        truth = json.loads((folder / "truth.json").read_text())
        results = understand.understand_many([(n.text, n.date) for n in notes], embedder)
        followups = [(n.contact, i.due.isoformat() if i.due else None)
                     for n, r in zip(notes, results, strict=True) for i in r.items if i.kind == Kind.FOLLOWUP]
        figures = score({"pairs": [], "searches": {}, "personal": {c: [] for c in truth["personal"]},
                         "followups": followups, "timings": {}}, truth)
        n_dated = sum(1 for f in truth["followups"] if f.get("due"))
        n_vague = len(truth["followups"]) - n_dated
        found += round(figures["followup_due_accuracy"] * n_dated)
        kept += round(figures.get("followup_vague_kept_vague", 1.0) * n_vague)
        dated, vague, read = dated + n_dated, vague + n_vague, read + len(followups)
        print(f"{folder.parent.name + '/' + folder.name:34} {figures['followup_due_accuracy']:9.3f} "
              f"{figures.get('followup_vague_kept_vague', 1.0):11.3f} {len(followups):11d}")
    print(f"all: {found} of {dated} dated follow-ups found with their day, {kept} of {vague} vague ones kept vague, "
          f"{read} follow-ups read")


if __name__ == "__main__":
    main()
