"""Split a free-form note into sentences, keeping what section each stands in.

People type notes as prose, as bullets, or as both, with headers such as
"Personal:" or "FU:". The splitter returns each sentence with the paragraph it
belongs to and the section hint its header gave, so the classifier can use both.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from app.config import DATA_DIR
from app.core.dictation import shipped_cut

PASSAGES = DATA_DIR / "passages.json"
"""The clause cut-offs (see `clause_cut`): `python -m app.core.passage_training --write` writes its choice here. It
prefers a shorter cut than the 45 words shipped, which read the shared sets worse
(docs/journal.md, fifteenth session)."""

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
    r"^\s*(?:[-*•]\s*)?(?:\*\*|__)?(?P<head>[A-Za-z/ -]{1,16}?)\s*(?:\*\*|__)?(?::|\s[-–—]\s|\s?[-–—]\s)"
    r"(?:\*\*|__)?\s*(?P<rest>.*)$"
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
_DOTTED_LETTERS = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}")
"""Letters in ones or twos each followed by a dot ("a.m", "U.S", "P.S", "Ph.D", as a word reads without its last
dot): a sentence goes on after one when the next word starts small or with a digit ("at 9 a.m. tomorrow", "his U.S.
customers"), and after a time of day when the next word names a day or a month ("call at 3 p.m. Friday")."""
_TIME_OF_DAY = frozenset({"a.m", "p.m"})
_LIST_NUMBER = re.compile(r"\d{1,2}\.")
"""A number that only numbers the item after it, inside a line ("… after lunch. 2. Drivers quit …")."""
_DOTTED_DAY = re.compile(r"(?<![\w.])\d{1,2}\.\d{1,2}\.$")
"""A day written day first with dots ("on 17.12."): its last dot ends a sentence only before a capital."""
_CLAUSE = re.compile(r"(?<=[,;:–—])\s+|\s+(?=[–—]\s)")
"""Where a sentence may be cut into clauses: after a comma, semicolon, colon or dash."""
_QUOTED = re.compile(r"^(?:>\s?)+")
"""The quote marks of a pasted reply ("> > we tried…"): the words are the note's, the marks are not."""
_MAIL_FROM = re.compile(r"^(?:from|von|de|da|van)\s?:\s*\S", re.I)
_MAIL_FIELD = re.compile(r"^(?:sent|date|to|cc|bcc|subject|reply-to|gesendet|datum|an|betreff|envoy[ée]|[àa]|objet|"
                         r"enviado|fecha|para|asunto|inviato|oggetto|verzonden|aan|onderwerp)\s?:", re.I)
_MAIL_ATTRIBUTION = re.compile(r"^(?:on|am|le|el|il|op)\s.{4,160}(?:wrote|schrieb|a écrit|escribió|ha scritto|"
                               r"schreef)\s?:?$|^-{2,}\s*(?:original message|forwarded message)\s*-{2,}$", re.I)
"""A pasted e-mail's header block (From:, then Sent:/To:/Subject:…) and the line that introduces a quoted reply
("On Tue, 2 Dec 2025, Sam wrote:"): where the mail came from, not something said, so not read as sentences."""
_DICTATED = re.compile(r"(?<!\ba)(?<!\bthe)\s+full stop\b[.,]?\s*(?=\S)", re.I)
_DICTATED_PARAGRAPH = re.compile(r"\s*\bnew paragraph\b[.,]?\s*", re.I)
"""Dictation that was written out instead of obeyed: "… full stop she runs …", "new paragraph"."""
_CELL = re.compile(r"\t|\s+\|\s+")
_BARS = re.compile(r"\s*\|\s*")
_ROW = re.compile(r"\t|\s\|\s|^\|")
_LABEL = re.compile(r"[*_]*(?P<label>[^\W\d][\w'’ /&-]{0,38}?)[*_]*:?")
"""A row pasted from a spreadsheet or a table: its cells (split at tabs or at " | "; a Markdown row at every bar),
and a cell that only names what the next one holds ("Pains", "**Next step**"), as a heading would."""
_TIME = r"\d{1,2}(?::\d{2}){1,2}"
_NAME = r"[^\W\d_][\w.'’-]{0,24}(?:\s(?:[^\W\d_][\w.'’-]{0,24}|\d{1,2})){0,%d}"
TURN = re.compile(rf"^(?:[\[(]?(?P<at>{_TIME})[\])]?\s+)?(?P<who>{_NAME % 2})(?:\s*[\[(]{_TIME}[\])])?"
                  r"\s?:\s+(?P<said>\S.*)$")
"""A turn of a call typed as it went: a speaker's label, maybe after or before a time ("[03:10] Me: …", "(00:04:12)
Ana: …", "Ana (00:41): …", "Dr. Ana Ruiz: …", "Q: …", "Speaker 2: …")."""
_SPEAKER_LINES = (re.compile(rf"^\[?(?P<who>{_NAME % 3})\]?\s*(?:[-–|·]\s*)?[\[(]?{_TIME}[\])]?:?$"),
                  re.compile(rf"^[\[(]?{_TIME}[\])]?\s*(?:[-–|·]\s*)?(?P<who>{_NAME % 3}):?$"))
"""A line that only names who speaks next and when, above what they said, as transcription tools export a call
("Ana Ruiz  0:02", "Ana Ruiz - 00:14", "[00:14] Ana Ruiz")."""


class Turn(NamedTuple):
    """One line of a call typed or exported turn by turn: who spoke, when (if the line says), what they said, and
    whether the speaker was typed as the line's label (not named on a line above, as a tool exports a call)."""

    who: str
    at: str | None
    said: str
    typed: bool = True


_ENUMERATED = re.compile(r"^(?:\(?(?:[ivx]{1,4}|[a-h])[.)]|\d{1,2}(?:\.\d)+\.?|(?:step|item|point)\s\d{1,2}[.:)]?)"
                         r"(?:\s|$)", re.I)
"""A list item numbered in letters, Roman numerals or levels ("ii. …", "(b) …", "1.2 …", "Step 3: …")."""
_NEW_THOUGHT = re.compile(r"(?!I\b)[A-Z][a-z]")
_ENDS = (".", "!", "?", ":", ";")
"""A line that starts with a capitalised word, and the marks that end a sentence: a full line that ends one, or stands
above such a line ("… in 2019" / "Winter is dead …"), is no evidence that a note was wrapped (`unwrapped`)."""
_CUE_TIMING = re.compile(r"^(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{3}\s+-->\s+(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{3}\b")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)*\s+(?P<who>[^>]+)>(?P<said>[^<]*)(?:</v>)?")
_CUE_TAG = re.compile(r"</?(?:c|i|b|u|v|lang|ruby|rt)\b[^>]*>|<\d{1,2}:\d{2}(?::\d{2})?[.,]\d{3}>")
"""A subtitle cue's timing line ("00:01:02.500 --> 00:01:05.000", SRT's with commas), its speaker's voice tag and
its other tags (WebVTT, SRT)."""
_SENT_AT = re.compile(rf"^{_NAME % 3},?\s+\d{{1,2}}:\d{{2}}(?:\s?[ap]\.?m\.?)?$", re.I)
"""A pasted message's sender line: a name and a time of day ("You, 3:36 PM")."""
WRAP_WIDTH = 50
WRAP_WIDEST = 100
WRAP_RUN = 2
"""A note is read as wrapped at a width (`unwrapped`) when that width is WRAP_WIDTH to WRAP_WIDEST and its paragraphs
wrapped mid-sentence hold WRAP_RUN full lines. `python bench/hard_wraps.py` prints the curve on our styles, each note
as written, typed one sentence a line and wrapped at 60-100 columns, and chooses by the notes typed read otherwise
first, then the wraps left: at (50, 100, 2) no note of 2,060 typed is read otherwise and 2,533 of 5,947 wrapped ones
keep a wrap; at 1 full line 9 and 2,042 (21 with no widest width), at 3 0 and 2,837; 30 and 40 columns score as 50,
60 leaves 2,637. (50, 100, 2) is chosen with every style left out."""
ASKER_TURNS = 1
"""The asker of a call typed turn by turn (`call_turns`) has at least this many answered turns that are only
questions. `python bench/call_turns.py` prints the curve on our labelled styles (forms read as calls, calls missed,
my questions kept as items): 1, 2, 3, 4 give 4, 14, 36, 66 errors, and 1 is chosen with every style left out."""


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
    cut: str = ""
    """The comma, semicolon, colon or dash that ended it where a run-on sentence was cut into clauses (text is without
    it): the item a story's clauses make is told with its writer's punctuation."""


def section_hint(line: str) -> tuple[str | None, str]:
    """The section a line's header names, and the line without the header."""
    match = _HEADER.match(line)
    if match:
        head = " ".join(match["head"].lower().split())
        if head in SECTION_HINTS:
            return SECTION_HINTS[head], match["rest"]
    return None, line


_NOT_WORDS_AROUND = re.compile(r"^\W+|\W+$")


def heading_hint(name: str) -> str | None:
    """The section hint a heading or a row's label names ("Personal", "Next steps", "🗓 Next steps"), if any."""
    return section_hint(_NOT_WORDS_AROUND.sub("", name) + ":")[0]


def _split_line(line: str) -> list[tuple[str, str]]:
    """Split one line into sentences at ., ! and ? that end a sentence: (text, the punctuation a clause cut
    took off its end)."""
    parts: list[str] = []
    start = 0
    for boundary in _BOUNDARY.finditer(line):
        before = line[start : boundary.start()].rstrip("\"')]")
        word = re.split(r"[\s(]", before)[-1].rstrip(".!?…").lower() if before else ""
        if before.endswith(".") and (word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", word)):
            continue
        following = line[boundary.end() : boundary.end() + 1]
        if _DOTTED_DAY.search(before) and following.islower():
            continue
        if _DOTTED_LETTERS.fullmatch(word) and (following.islower() or following.isdigit() or (
                word in _TIME_OF_DAY and _names_a_day(line, boundary.end()))):
            continue
        if not _LIST_NUMBER.fullmatch(line[start : boundary.start()]):
            parts.append(line[start : boundary.start()])
        start = boundary.end()
    parts.append(line[start:])
    out: list[tuple[str, str]] = []
    for part in parts:
        out.extend(p for p in clauses(part.strip()) if re.search(r"\w", p[0]))
    return out


def _names_a_day(line: str, at: int) -> bool:
    """Whether a weekday's or a month's name starts at `at` (app.core.dates, imported only when a time of day asks:
    `kith matches` reads sentences and never needs the dates)."""
    from app.core.dates import DAY_NAME

    return bool(DAY_NAME.match(line, at))


_trying: list[tuple[int, int]] = []
"""A cut being tried by the fitting script instead of the fitted one (see `trying`)."""


@cache
def _fitted_cut() -> tuple[int, int]:
    fitted = json.loads(PASSAGES.read_text())
    return int(fitted["longest"]), int(fitted["shortest"])


def clause_cut() -> tuple[int, int]:
    """(longest, shortest): a sentence of more than `longest` words is read as clauses of at least
    `shortest` words, as dictation runs on for a whole call (data/passages.json, or the cut a fitting script
    is trying)."""
    return _trying[-1] if _trying else _fitted_cut()


@contextmanager
def trying(cut: tuple[int, int]) -> Iterator[None]:
    """Split with this cut meanwhile (for `python -m app.core.passage_training`)."""
    _trying.append(cut)
    try:
        yield
    finally:
        _trying.pop()


def clauses(sentence: str) -> list[tuple[str, str]]:
    """A run-on sentence as its clauses (at its commas, semicolons and dashes, none shorter than the
    shortest); a clause still longer than the longest — dictation without a comma — where a new passage likely
    starts (app.core.dictation).
    Each with the punctuation the cut took off its end."""
    longest, shortest = clause_cut()
    if len(sentence.split()) <= longest:
        return [(sentence, "")]
    pieces: list[str] = []
    current = ""
    for clause in _CLAUSE.split(sentence):
        current = f"{current} {clause}" if current else clause
        if len(current.split()) >= shortest:
            pieces.append(current)
            current = ""
    if current:
        if pieces:
            pieces[-1] += " " + current
        else:
            pieces.append(current)
    out: list[str] = []
    for piece in pieces:
        out.extend(shipped_cut().cut(piece, shortest) if len(piece.split()) > longest else [piece])
    told = [(piece.rstrip(",;:–— "), piece) for piece in out[:-1]]
    return [(bare, piece[len(bare) :].strip()) for bare, piece in told] + [(out[-1], "")]


def _cells(line: str) -> list[tuple[str, str | None]]:
    """A line's cells, each with the label cell before it: one cell, unlabelled, unless the line is a row.

    A cell names the next one when it looks like a label and a section hint knows it ("Personal", "FU"), or the
    next one does not look like a label ("Pains | lost a keg, twice"), or it stands where such labels stand in
    its row (every other cell): "Jane Doe | CEO | Acme" has none, and no cell's words are lost to a label.
    A list's bullet or checkbox before a tab belongs to the line, not to a cell of its own.
    """
    if not _ROW.search(line):
        return [(line, None)]
    marker = _CHECKBOX.match(line) or _BULLET.match(line)
    lead = marker.end() if marker else 0
    rest = line[lead:]
    if lead and not _ROW.search(rest):
        return [(line, None)]
    cells = [c.strip() for c in (_BARS.split(rest.strip("| ")) if rest.startswith("|") else _CELL.split(rest))]
    worded = [bool(re.search(r"\w", c)) for c in cells]
    if sum(worded) < 2:
        return [(line, None)]
    # a label names the cell right after it, which must hold words; "evident" labels show where labels stand
    named = [_LABEL.fullmatch(c) if k + 1 < len(cells) and worded[k + 1] else None for k, c in enumerate(cells)]
    evident = [bool(n) and bool(heading_hint(n["label"]) or not _LABEL.fullmatch(cells[k + 1]))
               for k, n in enumerate(named)]
    sure = {k % 2 for k, e in enumerate(evident) if e}
    out: list[tuple[str, str | None]] = []
    label = None
    for k, cell in enumerate(cells):
        if not worded[k]:
            continue
        if label is None and named[k] and (k % 2 in sure if len(sure) == 1 else evident[k]):
            label = named[k]["label"].strip()
            continue
        out.append((cell, label))
        label = None
    if lead:
        out[0] = (line[:lead] + out[0][0], out[0][1])
    return out


def turns(lines: list[str], headers: set[int]) -> tuple[dict[int, Turn], set[int]]:
    """The lines that are turns of a call, and the lines that only name who speaks next (`_SPEAKER_LINES`) when the
    same speaker is named so twice at least (an agenda's "Standup 9:30" names no speaker): the lines of words right
    under such a line, up to a blank line, are turns of its speaker. An inline label of three words is a speaker's
    when every word is capitalised ("Dr. Ana Ruiz:", not "Lunch with Tom:"). Only a time before an inline label counts
    as the turn's time: a time after a name or on a speaker's line may be an agenda's. headers: a pasted e-mail's
    header lines (`mail_headers`), which are no turns."""
    heads = {at: head["who"] for at in range(len(lines)) if at not in headers and (head := _speaker_line(lines, at))}
    named = Counter(heads.values())
    speakers = {at: who for at, who in heads.items() if named[who] > 1}
    found: dict[int, Turn] = {}
    speaker: Turn | None = None
    for at, line in enumerate(lines):
        if at in speakers:
            speaker = Turn(speakers[at], None, "", typed=False)
        elif at in headers or not line:
            speaker = None
        elif (match := TURN.match(line)) and (len(match["who"].split()) < 3 or match["who"].istitle()):
            found[at], speaker = Turn(match["who"], match["at"], match["said"]), None
        elif speaker and _goes_on(line):
            found[at] = speaker._replace(said=line)
        else:
            speaker = None
    return found, set(speakers)


def _speaker_line(lines: list[str], at: int) -> re.Match[str] | None:
    """Whether line `at` only names who speaks next, right above what they said (a line of words, no turn)."""
    said = lines[at + 1] if at + 1 < len(lines) else ""
    if not said or TURN.match(said) or any(pattern.match(said) for pattern in _SPEAKER_LINES):
        return None
    return next((m for pattern in _SPEAKER_LINES if (m := pattern.match(lines[at]))), None)


def call_turns(lines: list[str], contact: str | None, headers: set[int]) -> tuple[set[int], dict[int, str]]:
    """A call typed or exported turn by turn ("Q: …", "[03:10] Ana: …", "Speaker 2: …", "Ana Ruiz  0:02" above what
    she said: `turns`; a speaker speaks again after another did, which a form's fields never do, or two speak and the
    turns are timed or one is the contact): the lines left out, its prompts (the questions that only ask for the
    answer after them) and the lines that only name a speaker, and what its other turns say without their speaker.

    The asker is the speaker with the most turns that are nothing but questions (and reactions of one word: "Ouch.
    Did you try reminders?") and that someone else answers
    (ASKER_TURNS at least, more than anyone else's), never the note's contact (`is_the_contact`); and only when the
    answers say at least as much as the questions: a contact asking for help ("Them: do you know a good accountant
    for bakeries?" answered "Yes, try Bob Lee.") asks in more words than the answers. The asker's answered questions
    that name no day are prompts: "Q: Anything you've tried?" tells nothing about the contact, so it is no sentence
    (nor a heading: "tried" would lean the answer towards what worked, though it is as often a failed attempt), where
    "Want me to send you the template by Friday?" is a promise. A speaker's label and the time before it are not what
    was said; a typed label that names a section stays ("Me:" saying what I will do, "TODO:"), as the section's hint
    (a tool's "Me  0:10" above a line only says who spoke).
    headers: the lines of a pasted e-mail's header blocks (`mail_headers`), whose "From:" and "Sent:" are no
    speakers."""
    found, named = turns(lines, headers)
    order = [turn.who for turn in found.values()]
    taking = [who for k, who in enumerate(order) if k == 0 or who != order[k - 1]]
    talking = len(set(order)) > 1 and (any(turn.at for turn in found.values())
                                       or any(is_the_contact(who, contact) for who in set(order)))
    if len(taking) == len(set(taking)) and not talking:
        return set(), {}
    asked = {i: turn for i, turn in found.items() if turn.said.rstrip().endswith("?")
             and not is_the_contact(turn.who, contact)
             and all(part.rstrip().endswith("?") or _a_reaction(part) for part, _ in _split_line(turn.said))}
    after = dict(zip(found, list(found)[1:], strict=False))
    answered = {i: found[after[i]] for i, turn in asked.items() if i in after and found[after[i]].who != turn.who}
    counts = Counter(asked[i].who for i in answered).most_common(2)
    alone = counts and counts[0][1] >= ASKER_TURNS and (len(counts) == 1 or counts[1][1] < counts[0][1])
    asker = counts[0][0] if alone else None
    mine = [i for i in answered if asked[i].who == asker]
    if sum(len(answered[i].said.split()) for i in mine) < sum(len(asked[i].said.split()) for i in mine):
        mine = []  # answered in fewer words than asked: requests for help, not prompts
    prompts = {i for i in mine if not _names_a_deadline(asked[i].said)}
    said = {i: f"{turn.who}: {turn.said}" if turn.typed and heading_hint(turn.who) else turn.said
            for i, turn in found.items() if i not in prompts}
    return prompts | named, said


def _a_reaction(part: str) -> bool:
    """A word said beside a question, no more ("Ouch.", "Wow!", "Sure."): what it tells is the asker's, not the
    contact's. A figure is an answer, not a reaction ("5000. Is that ok for you?")."""
    return len(part.split()) == 1 and not any(ch.isdigit() for ch in part)


def _names_a_deadline(said: str) -> bool:
    """Whether a turn names a day ahead, as a promise does (app.core.dates, imported only when a call asks)."""
    import datetime as dt

    from app.core.dates import due_date

    return due_date(said, dt.date(2001, 1, 1), exact=False) is not None


def is_the_contact(who: str, contact: str | None) -> bool:
    """Whether a speaker's label names the note's contact: the whole name, one of its names, or its initials."""
    if not contact:
        return False
    names = contact.casefold().replace("-", " ").split()
    label = who.casefold().rstrip(".")
    return label == contact.casefold() or label in names or (len(names) > 1 and label == "".join(n[0] for n in names))


def mail_headers(lines: list[str]) -> set[int]:
    """The lines of a pasted e-mail's header blocks: a "From:" line and the fields right after it (Sent:, To:…)."""
    headers: set[int] = set()
    for at, line in enumerate(lines):
        if _MAIL_FROM.match(line) or (at - 1 in headers and _MAIL_FIELD.match(line)):
            headers.add(at)
    return headers


def note_lines(text: str) -> list[str]:
    """A note's lines as the splitter reads them: dictated "new paragraph" and "full stop" obeyed, a pasted reply's
    quote marks dropped, lines wrapped by an editor or a mail program joined again (`unwrapped`), subtitles read as
    turns (`subtitle_lines`)."""
    text = _DICTATED_PARAGRAPH.sub("\n\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return unwrapped(subtitle_lines(without_front_matter(_DICTATED.sub(". ", text).split("\n"))))


_FRONT_MATTER_KEY = re.compile(r"^(?P<key>[a-z][\w-]*)\s*:\s*(?P<value>.*)$")
_FRONT_MATTER_ITEM = re.compile(r"^\s*-\s")


def without_front_matter(lines: list[str]) -> list[str]:
    """The lines after a note's front matter (a notes app's "---", "title: …", "tags:", "  - coffee", "---" above the
    note), which says what the note is, not what was heard: keys in small letters that name no section, a list only
    under a key with no value. A rule above anything else ("Role: owner", "- send Ana the deck", "Me: …") is kept."""
    if not lines or lines[0].strip() != "---":
        return lines
    end = next((k for k, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
    if end is None:
        return lines
    keyed = listing = False  # listing: under a key with no value, where a list may stand
    for line in lines[1:end]:
        key = _FRONT_MATTER_KEY.match(line)
        if key and heading_hint(key["key"]) is None:
            keyed, listing = True, not key["value"].strip()
        elif not ((listing and _FRONT_MATTER_ITEM.match(line)) or not line.strip()):
            return lines
    return lines[end + 1 :] if keyed else lines


def subtitle_lines(lines: list[str]) -> list[str]:
    """A call pasted as subtitles (WebVTT or SRT, as Zoom, Teams and Meet let a transcript be downloaded): each cue's
    text as a line, "<v Ana Ruiz>…" as "Ana Ruiz: …", without the "WEBVTT" header, the cue numbers, timings and tags;
    a speaker's cues in a row are one turn (a cue often ends mid-sentence). The lines around the cues are kept."""
    if not any(_CUE_TIMING.match(line.strip()) for line in lines):
        return lines
    out: list[str] = []
    who: str | None = None  # the speaker of the turn out[-1] holds, "" for a cue of nobody named
    at = 0
    while at < len(lines):
        line = lines[at].strip()
        following = lines[at + 1].strip() if at + 1 < len(lines) else ""
        if line.upper().startswith("WEBVTT") or (line and _CUE_TIMING.match(following)):
            at += 1  # the header, or a cue's number or name above its timing
            continue
        if not _CUE_TIMING.match(line):
            if line and who is not None:
                out.append("")  # the lines after the cues are a paragraph of their own
            if line or who is None:
                out.append(lines[at])
                who = None
            at += 1
            continue
        cue: list[str] = []
        at += 1
        while at < len(lines) and lines[at].strip():
            cue.append(lines[at].strip())
            at += 1
        said = _CUE_TAG.sub("", _VOICE.sub(r"\g<who>: \g<said>", " ".join(cue))).strip()
        turn = TURN.match(said)
        speaker = turn["who"] if turn else ""
        if said and who == speaker and out:
            out[-1] = f"{out[-1]} {turn['said'] if turn else said}"
        elif said:
            out.append(said)
            who = speaker
    return out


def _goes_on(line: str) -> bool:
    """Whether a line may carry on the line above it: words, not a list item, heading, turn, row, mail field or
    message's sender and time (an untimed label in small letters, "firm: nobody left", is words a wrap put first)."""
    turn = TURN.match(line)
    return bool(line) and not (_BULLET.match(line) or _CHECKBOX.match(line) or _HEADING.match(line)
                               or _ENUMERATED.match(line) or _SENT_AT.match(line)
                               or (turn and (turn["at"] or not turn["who"][0].islower())) or _ROW.search(line)
                               or _MAIL_FROM.match(line) or _MAIL_FIELD.match(line) or _MAIL_ATTRIBUTION.match(line)
                               or any(p.match(line) for p in _SPEAKER_LINES) or section_hint(line)[0])


def unwrapped(raw: list[str]) -> list[str]:
    """The lines, stripped of indents and quote marks, with the lines an editor or a mail program wrapped at a width
    joined again.

    A program that wraps at a width leaves no line of several words longer than it, and moves a word to the next
    line only when it would not fit: a line is full when the next line's first word would take it past the width,
    here the note's longest line of several words no longer than WRAP_WIDEST (a table's rows aside), WRAP_WIDTH at
    least. So in a paragraph it wrapped every line but the last is full, and mostly breaks mid-sentence: a full line
    that ends a sentence, or stands above a capitalised word, may as well be typed, a thought a line. A note is
    wrapped when its paragraphs whose every line but the last is full and breaks mid-sentence hold WRAP_RUN such
    lines; then every full line goes on into the next, unless that one starts something of its own (`_goes_on`) or
    is quoted otherwise. A line indented as far as the text of the list item above it goes on with the item only
    when the item's line is full (else it is a line of its own under it). `python bench/hard_wraps.py` fits the
    constants."""
    lines = [_QUOTED.sub("", line.strip()).strip() for line in raw]
    quoted = [m[0].count(">") if (m := _QUOTED.match(line.strip())) else 0 for line in raw]
    widths = [len(line.rstrip()) for line in raw]
    follows = [k + 1 < len(lines) and bool(lines[k]) and not _HEADING.match(lines[k]) and _goes_on(lines[k + 1])
               and quoted[k] == quoted[k + 1] for k in range(len(lines))]
    width = max((widths[k] for k, line in enumerate(lines)
                 if " " in line and not _ROW.search(line) and widths[k] <= WRAP_WIDEST), default=0)
    if width < WRAP_WIDTH:
        return lines
    full = [follows[k] and widths[k] + 1 + len(lines[k + 1].split()[0]) > width >= widths[k]
            for k in range(len(lines))]
    mid_sentence = [full[k] and not lines[k].endswith(_ENDS) and not _NEW_THOUGHT.match(lines[k + 1])
                    for k in range(len(lines))]
    evidence, start = 0, 0
    for k in range(len(lines)):  # paragraphs: lines each followed by one that goes on
        if not follows[k]:
            if k > start and all(mid_sentence[start:k]):
                evidence += k - start
            start = k + 1
    under = [False] * len(lines)  # a line indented as far as the text of the full list item above: the item goes on
    for k in range(1, len(lines)):
        item = under[k - 1] or _CHECKBOX.match(raw[k - 1]) or _BULLET.match(raw[k - 1])
        text_at = len(raw[k - 1]) - len(raw[k - 1].lstrip()) if under[k - 1] else item.end() if item else 0
        under[k] = bool(item) and full[k - 1] and 0 < len(raw[k]) - len(raw[k].lstrip()) == text_at
    wrapped = evidence >= WRAP_RUN
    if not (wrapped or any(under)):
        return lines
    out: list[str] = []
    for k, line in enumerate(lines):
        if under[k] or (wrapped and k and full[k - 1]):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def split(text: str, contact: str | None = None) -> list[Sentence]:
    """Split a note (about `contact`, when known) into sentences; a header alone on its line names the following lines'
    section, and a call's question that only prompts the answer after it is left out (`call_turns`)."""
    sentences: list[Sentence] = []
    paragraph = -1
    carried: str | None = None
    section: str | None = None
    sticky: str | None = None  # a Markdown heading's hint holds until the next heading
    lines = note_lines(text)
    headers = mail_headers(lines)
    left_out, said = call_turns(lines, contact, headers)
    lines = [said.get(at, line) for at, line in enumerate(lines)]
    for at, line in enumerate(lines):
        if not line:
            carried = None
            continue
        if at in headers or at in left_out or (at not in said and _MAIL_ATTRIBUTION.match(line)):
            continue
        heading = None if at in said else _HEADING.match(line)  # "Ana: Pricing:" is said, no heading
        if heading:
            section = next(g for g in heading.group("hash", "bold", "colon") if g).strip()
            carried = heading_hint(section)
            sticky = None if heading["colon"] else carried
            continue
        for cell, label in _cells(line):
            checkbox = _CHECKBOX.match(cell)
            done = None if checkbox is None else bool(checkbox["mark"].strip())
            cell = cell[checkbox.end():] if checkbox else cell
            is_bullet = checkbox is not None or bool(_BULLET.match(cell))
            cell = _BULLET.sub("", cell)
            hint, rest = section_hint(cell)
            if hint is None and not is_bullet:
                carried = None
            labelled = heading_hint(label) if label else None
            paragraph += 1
            for piece, cut in _split_line(rest):
                sub_hint, piece = section_hint(piece)
                if sub_hint and not piece.strip():
                    continue
                told = sub_hint or hint or labelled or carried or sticky
                sentences.append(Sentence(piece.strip(), paragraph, len(sentences), told, label or section, done, cut))
    return sentences
