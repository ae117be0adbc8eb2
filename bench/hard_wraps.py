"""The curve of `WRAP_WIDTH`, `WRAP_WIDEST` and `WRAP_RUN` (app.core.sentences.unwrapped): when a note is read as
wrapped at a width by an editor or a mail program, on our labelled styles (data/train and data/train_next; no
evaluation set is read).

    python bench/hard_wraps.py

None of our notes was wrapped by a program, so each is read three times: as written and typed one sentence a line,
where any line joined is a line typed on its own joined to the next (a false join), and wrapped as an editor wraps it
(Python's textwrap at WIDTHS, list items' lines indented under their text, one width a note in turn), where the note
is restored when its sentences and their paragraphs are what they are as written (a wrap left in). A note as written
is by far the common case, and reading it otherwise changes what a user already had, so the point is chosen by its
false joins first and its wraps left in second (on a tie, the one that joins least: more full lines, then a narrower
span of widths), and leave-one-style-out: for each style, the point the other styles choose, scored on it.
"""

from __future__ import annotations

import json
import re
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core import sentences  # noqa: E402

STYLES = [p for root in (ROOT / "data" / "train", ROOT / "data" / "train_next") for p in sorted(root.iterdir())
          if (p / "notes.jsonl").exists()]
WIDTHS = (60, 70, 72, 75, 80, 100)
"""Where editors and mail programs wrap: 72 for mail (and git), 70 Emacs's fill-column, 75 fmt's, 80 an editor's; 60
and 100 for narrower and wider habits."""
GRID = [(width, widest, run) for width in (30, 40, 50, 60) for widest in (80, 100, 120, 10_000) for run in (1, 2, 3, 4)]
_MARKER = re.compile(r"^\s*(?:[-*•+]\s+(?:\[[ xX]\]\s+)?|\d{1,2}[.)]\s+|>\s?)")


@contextmanager
def point(width: int, widest: int, run: int):
    kept = sentences.WRAP_WIDTH, sentences.WRAP_WIDEST, sentences.WRAP_RUN
    sentences.WRAP_WIDTH, sentences.WRAP_WIDEST, sentences.WRAP_RUN = width, widest, run
    try:
        yield
    finally:
        sentences.WRAP_WIDTH, sentences.WRAP_WIDEST, sentences.WRAP_RUN = kept


def wrapped(text: str, width: int) -> str:
    """The note as an editor wrapping at `width` leaves it: every line wrapped, a list item's lines under its text
    (a table's rows are left as they are)."""
    out: list[str] = []
    for line in text.split("\n"):
        if "\t" in line or " | " in line:
            out.append(line)
            continue
        marker = _MARKER.match(line)
        indent = " " * (marker.end() if marker else len(line) - len(line.lstrip()))
        out.extend(textwrap.wrap(line, width, subsequent_indent=indent, break_long_words=False,
                                 break_on_hyphens=False) or [line])
    return "\n".join(out)


def texts(text: str, contact: str) -> list[tuple[str, int]]:
    """The note's sentences and their paragraphs (a line's sentences are read together: joining lines changes how)."""
    return [(s.text, s.paragraph) for s in sentences.split(text, contact)]


def one_a_line(row: dict) -> str:
    """The note typed one sentence a line, as many people type: no line of it is wrapped."""
    return "\n".join(text for text, _ in texts(row["text"], row["contact"]))


def errors(style: Path) -> dict[tuple[int, int, int], tuple[int, int]]:
    """(false joins, wraps left in at any width) of a style's notes at each point of the grid; a note's false joins
    are counted as written and typed one sentence a line."""
    rows = [json.loads(line) for line in (style / "notes.jsonl").read_text().splitlines() if line.strip()]
    with point(10_000, 10_000, 1):  # never wrapped: the notes as written
        typed = [text for row in rows for text in (row["text"], one_a_line(row))]
        contacts = [row["contact"] for row in rows for _ in (0, 1)]
        written = [texts(text, contact) for text, contact in zip(typed, contacts, strict=True)]
    wraps = [(k, w) for k, row in enumerate(rows) for width in WIDTHS
             if (w := wrapped(row["text"], width)) != row["text"]]
    out = {}
    for width, widest, run in GRID:
        with point(width, widest, run):
            false = sum(texts(text, contact) != written[k]
                        for k, (text, contact) in enumerate(zip(typed, contacts, strict=True)))
            left = sum(texts(w, rows[k]["contact"]) != written[2 * k] for k, w in wraps)
        out[(width, widest, run)] = (false, left)
    return out


def main() -> None:
    table = {style.parent.name + "/" + style.name: errors(style) for style in STYLES}
    wraps = sum(sum(1 for w in WIDTHS if wrapped(row["text"], w) != row["text"])
                for style in STYLES for row in map(json.loads, filter(str.strip, (style / "notes.jsonl").open())))
    notes = sum(1 for style in STYLES for line in (style / "notes.jsonl").open() if line.strip())
    print(f"{notes} notes as written and as many typed one sentence a line, {wraps} wrapped (widths "
          f"{', '.join(map(str, WIDTHS))})")
    print(f"{'widths, run':20}{'false joins':>12}{'wraps left':>12}")
    for p in GRID:
        false, left = (sum(r[p][k] for r in table.values()) for k in (0, 1))
        print(f"{p[0]:>5}-{p[1]:<6}, {p[2]:<5}{false:>12}{left:>12}")

    def choice(names: list[str]) -> tuple[int, int, int]:
        false, left = ({p: sum(table[n][p][k] for n in names) for p in GRID} for k in (0, 1))
        return min(GRID, key=lambda p: (false[p], left[p], -p[2], p[1], -p[0]))

    held = [0, 0]
    for name, row in table.items():
        chosen = choice([n for n in table if n != name])
        held = [held[0] + row[chosen][0], held[1] + row[chosen][1]]
        print(f"  without {name}: {chosen} chosen, {row[chosen][0]} false joins, {row[chosen][1]} wraps left")
    shipped = (sentences.WRAP_WIDTH, sentences.WRAP_WIDEST, sentences.WRAP_RUN)
    print(f"chosen on every style: {choice(list(table))}; shipped {shipped}. Held out, every style at the point the "
          f"others choose: {held[0]} false joins, {held[1]} wraps left")


if __name__ == "__main__":
    main()
