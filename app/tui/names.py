"""Contact names for completion and filtering as you type, however many contacts there are.

Shared by the capture screen (the contact field) and the contacts screen (the filter).
Imported in the workers that read the contacts, never on the way to the first screen:
rapidfuzz and the models (pydantic) cost ~0.1-0.3 s to import.
"""

from __future__ import annotations

import datetime as dt
import heapq
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable

from rapidfuzz import fuzz, process
from rich.text import Text

from models import Contact
from models.contact import normalise_name

SUGGESTIONS = 6
"""Names offered by default (the capture screen's list under the contact field)."""
NEAR_MISS = 80
"""Least rapidfuzz partial-ratio (0-100) for a name that does not start as typed to be offered (typos);
three letters must appear as typed ("mar" finds Omar), fewer never fill the list."""


def fold(text: str) -> tuple[str, list[int] | None]:
    """text lower-cased and without accents, and where each folded character was in text (None: same place)."""
    if text.isascii():
        return text.lower(), None
    folded: list[str] = []
    where: list[int] = []
    for position, char in enumerate(text):
        for part in unicodedata.normalize("NFKD", char.casefold()):
            if not unicodedata.combining(part):
                folded.append(part)
                where.append(position)
    return "".join(folded), where


class NameIndex:
    """The contacts' names, ready for completion at every keystroke, however many there are.

    Names that start as typed come first, then names one of whose later words does ("bell" finds
    Marco Bellini); among them the most recently met first. When that makes fewer than
    SUGGESTIONS, names close to what was typed fill the list (typos: "marco belini").
    Case and accents are ignored. Built in a worker: sorting 10,000 names takes a moment.
    """

    END = chr(0x10FFFF)

    def __init__(self, contacts: Iterable[Contact]):
        recent_first = sorted(contacts, key=lambda c: c.last_met or dt.date.min, reverse=True)
        self.names = list(dict.fromkeys(c.name for c in recent_first))  # one entry for two people of one name
        self._known = {normalise_name(name) for name in self.names}
        folded = [fold(name) for name in self.names]
        self._folded = [text for text, _ in folded]
        self._where = [where for _, where in folded]
        self._starts = sorted((text, n) for n, text in enumerate(self._folded))
        self._words = sorted((text[p:], n, p) for n, text in enumerate(self._folded)
                             for p in range(1, len(text)) if text[p - 1] in " -" and text[p] not in " -")

    def __len__(self) -> int:
        return len(self.names)

    def known(self, typed: str) -> bool:
        """Whether typed is, give or take case and spaces, a contact's name."""
        return normalise_name(typed) in self._known

    def suggest(self, typed: str, limit: int = SUGGESTIONS) -> list[tuple[str, Text]]:
        """Up to limit names for what was typed, each with the part that matched highlighted."""
        query = " ".join(fold(typed)[0].split())
        if not query:
            return []
        found: dict[int, tuple[int, int]] = {}  # name → the matched span of its folded text
        for n, start in self._starting(self._starts, query, limit, found):
            found[n] = (start, start + len(query))
        for n, start in self._starting(self._words, query, limit - len(found), found):
            found[n] = (start, start + len(query))
        if len(found) < limit and len(query) >= 3:
            near = process.extract(query, self._folded, scorer=fuzz.partial_ratio, processor=None,
                                   limit=limit + len(found), score_cutoff=NEAR_MISS if len(query) > 3 else 100)
            for _, _, n in near:
                if n not in found and len(found) < limit:
                    span = fuzz.partial_ratio_alignment(query, self._folded[n])
                    found[n] = (span.dest_start, span.dest_end) if span else (0, 0)
        return [(self.names[n], self._highlight(n, *span)) for n, span in found.items()]

    def _starting(self, keys: list, query: str, limit: int, taken: dict) -> list[tuple[int, int]]:
        """The limit most recently met names with a key that starts with query: (name, where the key starts)."""
        if limit <= 0:
            return []
        hits = keys[bisect_left(keys, (query,)) : bisect_left(keys, (query + self.END,))]
        best: dict[int, int] = {}
        for key in hits:
            n = key[1]
            if n not in taken and n not in best:
                best[n] = key[2] if len(key) > 2 else 0
        return [(n, best[n]) for n in heapq.nsmallest(limit, best)]

    def _highlight(self, n: int, start: int, end: int) -> Text:
        name, where = self.names[n], self._where[n]
        text = Text(name)
        if end > start:
            if where is not None:
                start, end = where[start], where[end - 1] + 1
            text.stylize("reverse", start, end)
        return text
