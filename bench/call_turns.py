"""The curve of `ASKER_TURNS` (app.core.sentences): how many answered turns of only questions make the asker of a call
typed turn by turn, on our labelled styles (data/train and data/train_next; no evaluation set is read).

    python bench/call_turns.py

For each value, on each style: its notes read as calls in a style whose writers were asked for no call typed turn by
turn (a form's fields taken for speakers would be, "Role: owner" read as "owner"; the few counted are calls pasted
into a summary or a message, counted all the same); in the styles that are calls typed turn by turn (CALL_STYLES),
the notes with turns of two speakers not read as calls, and the turns of only questions by anyone but the contact
kept as items ("Me: and outside work?").

The value is chosen leave-one-style-out: for each style, the value with the fewest errors (the three counts summed)
on the other styles, scored on it.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core import sentences  # noqa: E402
from app.core.sentences import call_turns, is_the_contact, mail_headers, note_lines, turns  # noqa: E402

STYLES = [p for root in (ROOT / "data" / "train", ROOT / "data" / "train_next") for p in sorted(root.iterdir())
          if (p / "labels.jsonl").exists()]
VALUES = (1, 2, 3, 4)
CALL_STYLES = {"chat_threads", "transcript_excerpts", "interview_turns", "questionnaire_answers"}
"""The styles whose writers were asked for calls or chats typed turn by turn (their briefs in data/*/README.md)."""


@contextmanager
def turns_of(value: int):
    kept = sentences.ASKER_TURNS
    sentences.ASKER_TURNS = value
    try:
        yield
    finally:
        sentences.ASKER_TURNS = kept


def errors(style: Path) -> dict[int, tuple[int, int, int]]:
    """(forms read as calls, calls missed, questions kept) of a style at each value."""
    rows = [json.loads(line) for line in (style / "notes.jsonl").read_text().splitlines() if line.strip()]
    is_calls = style.name in CALL_STYLES
    out = {}
    for value in VALUES:
        forms = missed = kept = 0
        with turns_of(value):
            for row in rows:
                lines = note_lines(row["text"])
                headers = mail_headers(lines)
                left_out, said = call_turns(lines, row["contact"], headers)
                found, _ = turns(lines, headers)
                read = bool(left_out or said)
                forms += read and not is_calls
                missed += is_calls and not read and len({t.who for t in found.values()}) >= 2 and len(found) >= 3
                kept += is_calls and sum(t.said.rstrip().endswith("?") and at not in left_out
                                         and not is_the_contact(t.who, row["contact"]) for at, t in found.items())
        out[value] = (forms, missed, kept)
    return out


def main() -> None:
    table = {style.parent.name + "/" + style.name: errors(style) for style in STYLES}
    table = {name: row for name, row in table.items() if any(sum(row[v]) for v in VALUES)}
    print(f"{'style':36}" + "".join(f"{f'{v}: forms missed kept':>24}" for v in VALUES))
    for name, row in table.items():
        print(f"{name:36}" + "".join(f"{row[v][0]:>12}{row[v][1]:>6}{row[v][2]:>6}" for v in VALUES))
    total = {v: sum(sum(row[v]) for row in table.values()) for v in VALUES}
    print("errors, all styles: " + ", ".join(f"{v}: {total[v]}" for v in VALUES))
    held_out = 0
    for name, row in table.items():
        others = {v: sum(sum(r[v]) for n, r in table.items() if n != name) for v in VALUES}
        chosen = min(VALUES, key=lambda v: (others[v], v))
        held_out += sum(row[chosen])
        print(f"  without {name}: {chosen} chosen, {sum(row[chosen])} errors on it")
    print(f"held out, every style at the value the others choose: {held_out} errors (shipped {sentences.ASKER_TURNS}: "
          f"{total[sentences.ASKER_TURNS]})")


if __name__ == "__main__":
    main()
