"""Split a free-form note into sentences, keeping what section each stands in.

People type notes as prose, as bullets, or as both, with headers such as
"Personal:" or "FU:". The splitter returns each sentence with the paragraph it
belongs to and the section hint its header gave, so the classifier can use both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SECTION_HINTS = {
    "personal": "personal",
    "private": "personal",
    "family": "personal",
    "personal stuff": "personal",
    "personal notes": "personal",
    "life": "personal",
    "fu": "followup",
    "f/u": "followup",
    "follow up": "followup",
    "follow-up": "followup",
    "followup": "followup",
    "follow-ups": "followup",
    "followups": "followup",
    "follow ups": "followup",
    "todo": "followup",
    "to do": "followup",
    "to-do": "followup",
    "next steps": "followup",
    "next step": "followup",
    "action": "followup",
    "actions": "followup",
    "action items": "followup",
    "me": "followup",
}

_HEADER = re.compile(
    r"^\s*(?:[-*•]\s*)?(?P<head>[A-Za-z/ -]{1,16}?)\s*(?::|\s[-–—]\s|\s?[-–—]\s)\s*(?P<rest>.*)$"
)
_BULLET = re.compile(r"^\s*(?:[-*•·▪‣]|\d{1,2}[.)]|\+)\s+")
_CHECKBOX = re.compile(r"^\s*(?:[-*+]\s*)?\[(?P<mark>[ xX✓✔]?)\]\s*")
_HEADING = re.compile(r"^\s*(?:#{1,6}\s+(?P<hash>.+?)\s*#*|(?:\*\*|__)(?P<bold>[^*_]{1,60}?):?(?:\*\*|__):?"
                      r"|(?P<colon>[A-Za-z][\w'’ /&-]{0,38}):)\s*$")
"""A line that only names a section: "## Challenges", "**Personal**", "What worked:"."""
_ABBREVIATIONS = {
    "e.g", "i.e", "vs", "etc", "approx", "dr", "mr", "mrs", "ms", "st", "jr", "sr", "inc", "ltd",
    "co", "no", "mt", "prof", "dept", "est", "fig", "cf", "al", "wk", "wks", "yr", "yrs", "hr",
    "hrs", "mo", "mos", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
}
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"')\]]*\s+")
_MAX_SENTENCE = 600
_DICTATED = re.compile(r"(?<!\ba)(?<!\bthe)\s+full stop\b[.,]?\s*(?=\S)", re.I)
_DICTATED_PARAGRAPH = re.compile(r"\s*\bnew paragraph\b[.,]?\s*", re.I)
"""Dictation that was written out instead of obeyed: "… full stop she runs …", "new paragraph"."""


@dataclass(frozen=True)
class Sentence:
    """One sentence of a note, where it stands, and its section's hint."""

    text: str
    paragraph: int
    position: int
    hint: str | None = None
    section: str | None = None
    """The heading of the section it stands under, as written ("What's working")."""
    done: bool | None = None
    """For a checkbox line, whether it is ticked; None for any other line."""


def section_hint(line: str) -> tuple[str | None, str]:
    """The section a line's header names, and the line without the header."""
    match = _HEADER.match(line)
    if match:
        head = " ".join(match["head"].lower().split())
        if head in SECTION_HINTS:
            return SECTION_HINTS[head], match["rest"]
    return None, line


def _split_line(line: str) -> list[str]:
    """Split one line into sentences at ., ! and ? that end a sentence."""
    parts: list[str] = []
    start = 0
    for boundary in _BOUNDARY.finditer(line):
        before = line[start : boundary.start()].rstrip("\"')]")
        word = re.split(r"[\s(]", before)[-1].rstrip(".!?…").lower() if before else ""
        if before.endswith(".") and (word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", word)):
            continue
        parts.append(line[start : boundary.start()])
        start = boundary.end()
    parts.append(line[start:])
    out: list[str] = []
    for part in parts:
        part = part.strip()
        while len(part) > _MAX_SENTENCE:
            cut = part.rfind(" ", 0, _MAX_SENTENCE)
            cut = cut if cut > 0 else _MAX_SENTENCE
            out.append(part[:cut].strip())
            part = part[cut:].strip()
        if re.search(r"\w", part):
            out.append(part)
    return out


def split(text: str) -> list[Sentence]:
    """Split a note into sentences; a header alone on its line names the following lines' section."""
    sentences: list[Sentence] = []
    paragraph = -1
    carried: str | None = None
    section: str | None = None
    sticky: str | None = None  # a Markdown heading's hint holds until the next heading
    text = _DICTATED_PARAGRAPH.sub("\n\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    for raw in _DICTATED.sub(". ", text).split("\n"):
        line = raw.strip()
        if not line:
            carried = None
            continue
        heading = _HEADING.match(line)
        if heading:
            section = next(g for g in heading.group("hash", "bold", "colon") if g).strip()
            carried = section_hint(section + ":")[0]
            sticky = None if heading["colon"] else carried
            continue
        checkbox = _CHECKBOX.match(line)
        done = None if checkbox is None else bool(checkbox["mark"].strip())
        line = line[checkbox.end():] if checkbox else line
        is_bullet = checkbox is not None or bool(_BULLET.match(line))
        line = _BULLET.sub("", line)
        hint, rest = section_hint(line)
        if hint is None and not is_bullet:
            carried = None
        paragraph += 1
        for piece in _split_line(rest):
            sub_hint, piece = section_hint(piece)
            if sub_hint and not piece.strip():
                continue
            sentences.append(Sentence(piece.strip(), paragraph, len(sentences), sub_hint or hint or carried or sticky,
                                      section, done))
    return sentences
