"""CSV files as exporters write them: the header row somewhere near the top, each row known by its line."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from models import FileProblem

DELIMITERS = (",", ";", "\t")
"""Excel re-saves with the locale's separator."""
HEADER_SEARCH = 20
"""Records looked at for the header row: LinkedIn's preamble takes three lines."""


def column(cell: str) -> str:
    """A header cell as columns are looked up: case and spacing ignored."""
    return " ".join(cell.replace("\ufeff", "").split()).casefold()


@dataclass
class Row:
    """One record: where it starts in the file ("line 7", "Connections.csv line 7") and its cells by column."""

    where: str
    cells: dict[str, str]

    def get(self, *names: str) -> str:
        """The first of these columns that has a value, stripped; "" when none has."""
        for name in names:
            value = self.cells.get(name, "").strip()
            if value:
                return value
        return ""


@dataclass
class Table:
    """A CSV file from its header row on."""

    columns: list[str]
    reader: Any
    """A csv.reader, just past the header row."""
    file_name: str | None = None
    """Named in each row's `where` when the file is one of an export's."""
    problems: list[FileProblem] = field(default_factory=list)
    """Rows left out for their shape, and why reading stopped early, if it did."""

    def where(self, line: int) -> str:
        return f"{self.file_name} line {line}" if self.file_name else f"line {line}"

    def rows(self) -> Iterator[Row]:
        """The non-blank records after the header, numbered by the line they start on (1-based)."""
        previous = self.reader.line_num
        while True:
            try:
                cells = next(self.reader)
            except StopIteration:
                return
            except csv.Error as error:
                self.problems.append(FileProblem(where=self.where(previous + 1),
                                                 reason=f"cannot be read from here on ({error})"))
                return
            line, previous = previous + 1, self.reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(self.columns):  # a shifted row would put a company in a name, a date in a role
                self.problems.append(FileProblem(where=self.where(line), reason=f"{len(cells)} fields where the "
                                                 f"header has {len(self.columns)}; left out"))
                continue
            yield Row(self.where(line), dict(zip(self.columns, cells, strict=True)))


def find_table(text: str, kinds: dict[str, Callable[[set[str]], bool]]) -> tuple[str, Table] | None:
    """The first row near the top that one kind recognises as its header, and that kind; None when none does."""
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            for _, cells in zip(range(HEADER_SEARCH), reader, strict=False):
                columns = [column(cell) for cell in cells]
                for kind, is_header in kinds.items():
                    if is_header(set(columns)):
                        return kind, Table(columns, reader)
        except csv.Error:
            continue
    return None
