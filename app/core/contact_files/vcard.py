"""vCards (.vcf), read one card at a time so one bad card costs only itself; and written, as vCard 4.0."""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

import vobject
from vobject.base import VObjectError

from models import Contact, ContactFile, FileProblem, Person

from . import dates
from .text import clean_emails, clean_phones, plain, unique
from .urls import linkedin_profile_url

LISTS = {"N", "CATEGORIES"}
"""Properties whose commas separate values. In every other one a comma is text, escaped or not (vCard 2.1 and
many writers leave it bare), and vobject would cut the value at a bare one: they are escaped before parsing."""
BARE_COMMA = re.compile(r"(?<!\\)((?:\\\\)*),")
BINARY = {"PHOTO", "LOGO", "SOUND", "KEY"}
"""Left out before parsing: nothing Kith keeps, and the bulk (and most of the damage) of real files."""
GOOGLE_GROUPS = {"myContacts", "starred"}
"""Google's own groups, which its export writes as categories: not the user's tags."""
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
VCARD_START = re.compile(r"\s*BEGIN:VCARD[ \t\r]*$", re.IGNORECASE | re.MULTILINE)
LINE_BREAK = re.compile(r"\r\n|\r|\n")
FOLD_OCTETS = 75


def is_vcard(text: str) -> bool:
    """Whether the text starts (after blank lines) with BEGIN:VCARD."""
    return VCARD_START.match(text) is not None


def _cards(text: str) -> list[list[str]]:
    """The physical lines of each BEGIN:VCARD … END:VCARD block; a block cut short ends where the next begins."""
    cards: list[list[str]] = []
    current: list[str] | None = None
    for line in LINE_BREAK.split(text):
        marker = line.rstrip().upper()
        if marker == "BEGIN:VCARD":
            current = [line]
            cards.append(current)
        elif current is not None:
            current.append(line)
            if marker == "END:VCARD":
                current = None
    return cards


def _split(line: str) -> tuple[str, str]:
    """A content line's name-and-parameters and its value, at the first colon outside quotes."""
    quoted = False
    for i, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return line[:i], line[i + 1:]
    return line, ""


def _property(head: str) -> str:
    """The property's name without its group: item1.EMAIL;type=INTERNET → EMAIL."""
    return head.split(";")[0].rsplit(".", 1)[-1].upper()


def _quoted_printable(head: str) -> bool:
    return "QUOTED-PRINTABLE" in head.upper()


def _unfold(lines: list[str]) -> list[str]:
    """Logical lines: folded lines joined, vCard 2.1's quoted-printable soft breaks ("=" at the end) joined, and the
    unindented base64 lines of 2.1 photos kept with their property."""
    logical: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        head = _split(logical[-1])[0] if logical else ""
        if logical and line[0] in " \t":
            logical[-1] += line[1:]
        elif logical and _quoted_printable(head) and logical[-1].endswith("="):
            logical[-1] = logical[-1][:-1] + line
        elif logical and _property(head) in BINARY and ":" not in line:
            logical[-1] += line
        else:
            logical.append(line)
    return logical


def _decode_quoted_printable(line: str) -> str:
    """A vCard 2.1 quoted-printable line as plain vCard text, in its CHARSET (UTF-8 when not given).

    Done here rather than by vobject, which misses lower-case "encoding=quoted-printable" and drops the whole card
    when the bytes are not in the charset the card names."""
    head, value = _split(line)
    name, *params = head.split(";")
    charset = next((p.split("=", 1)[1] for p in params if p.upper().startswith("CHARSET=")), "utf-8")
    raw = quopri.decodestring(value.encode("utf-8"))
    try:
        text = raw.decode(charset)
    except (LookupError, UnicodeDecodeError):  # an unknown charset, or Latin-1 bytes labelled UTF-8
        text = raw.decode("utf-8") if raw.isascii() else raw.decode("cp1252", errors="replace")
    kept = [p for p in params if p.upper().partition("=")[0] not in ("QUOTED-PRINTABLE", "ENCODING", "CHARSET")]
    return ";".join([name, *kept]) + ":" + LINE_BREAK.sub(r"\\n", text)


def _card_text(lines: list[str]) -> str:
    """One card as vobject reads it: unfolded, quoted-printable decoded, bare commas of text escaped, binary
    properties left out."""
    kept = []
    for line in _unfold(lines):
        head = _split(line)[0]
        name = _property(head)
        if name in BINARY:
            continue
        if _quoted_printable(head):
            line = _decode_quoted_printable(line)
        head, value = _split(line)
        if value and name not in LISTS:
            line = head + ":" + BARE_COMMA.sub(r"\1\\,", value)
        kept.append(line)
    return "\r\n".join(kept) + "\r\n"


def _text(value: Any) -> str:
    """A value or component as one plain string (vobject gives a list for a name part with several values)."""
    if isinstance(value, list):
        return plain(" ".join(str(v) for v in value))
    return plain(str(value or ""))


def _lines(card: Any, name: str) -> list[Any]:
    return card.contents.get(name, [])


def _name(card: Any) -> str:
    """FN; else the name N spells (family name first in Chinese, Japanese and Korean)."""
    for line in _lines(card, "fn"):
        if _text(line.value):
            return _text(line.value)
    for line in _lines(card, "n"):
        n = line.value
        given, family = _text(n.given), _text(n.family)
        if given and family and CJK.search(given + family):
            return family + given
        name = plain(" ".join(_text(part) for part in (n.prefix, n.given, n.additional, n.family, n.suffix)))
        if name:
            return name
    return ""


def _location(card: Any) -> str | None:
    """The first address's "locality, country" (the region when there is no locality)."""
    for line in _lines(card, "adr"):
        address = line.value
        parts = [_text(address.city) or _text(address.region), _text(address.country)]
        if any(parts):
            return ", ".join(part for part in parts if part)
    return None


def _company(card: Any) -> str | None:
    """ORG's first component (the organisation; the others are its units)."""
    for line in _lines(card, "org"):
        value = line.value[0] if isinstance(line.value, list) else line.value
        if _text(value):
            return _text(value)
    return None


def _birthday(card: Any) -> str | None:
    for line in _lines(card, "bday"):
        omit_year = line.params.get("X-APPLE-OMIT-YEAR", [None])[0]
        return dates.birthday(_text(line.value), omit_year)
    return None


def _person(card: Any, where: str) -> Person | None:
    """The Person a parsed card describes; None when it has no name."""
    name = _name(card)
    if not name:
        return None
    urls = (linkedin_profile_url(_text(line.value).replace("\\", ""))  # Google writes https\://
            for line in _lines(card, "url") + _lines(card, "x-socialprofile"))
    tags = (plain(tag) for line in _lines(card, "categories")
            for tag in (line.value if isinstance(line.value, list) else [line.value]))
    return Person(
        where=where, name=name, company=_company(card),
        role=next((_text(line.value) for line in _lines(card, "title") if _text(line.value)), None),
        location=_location(card), linkedin_url=next((url for url in urls if url), None),
        emails=clean_emails(_text(line.value) for line in _lines(card, "email")),
        phones=clean_phones(re.sub(r"(?i)^tel:", "", _text(line.value)) for line in _lines(card, "tel")),
        birthday=_birthday(card), tags=[tag for tag in unique(tags) if tag not in GOOGLE_GROUPS],
    )


def read_vcards(text: str) -> ContactFile:
    """Every card of a .vcf; a card that cannot be parsed, or has no name, is a problem ("card 3") and the rest
    import."""
    found = ContactFile(kind="vcard")
    for number, lines in enumerate(_cards(text), start=1):
        where = f"card {number}"
        if lines[-1].rstrip().upper() != "END:VCARD":
            found.problems.append(FileProblem(where=where, reason="no END:VCARD (cut short)"))
            continue
        try:
            person = _person(vobject.readOne(_card_text(lines)), where)
        except VObjectError as error:
            found.problems.append(FileProblem(where=where, reason=plain(str(error.msg))))
            continue
        except ValueError as error:
            found.problems.append(FileProblem(where=where, reason=plain(str(error))))
            continue
        if person is None:
            found.problems.append(FileProblem(where=where, reason="no name"))
        else:
            found.people.append(person)
    return found


def _escape(text: str) -> str:
    """A text value or component as vCard writes it (RFC 6350 3.4)."""
    return (text.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;"))


def _fold(line: str) -> str:
    """A content line folded at 75 octets, never inside a UTF-8 character."""
    pieces, piece, size = [], "", 0
    for char in line:
        octets = len(char.encode())
        if size + octets > FOLD_OCTETS:
            pieces.append(piece)
            piece, size = " ", 1
        piece += char
        size += octets
    pieces.append(piece)
    return "\r\n".join(pieces)


def _location_adr(location: str) -> str:
    """ADR with "locality, country" split at the last ", " when that gives back the same string; else all of it
    as the locality."""
    locality, _, country = location.rpartition(", ")
    if not (locality and country and locality == locality.strip() and country == country.strip()):
        locality, country = location, ""
    return f"ADR:;;;{_escape(locality)};;;{_escape(country)}"


def _card_lines(contact: Contact) -> list[str]:
    given, _, family = contact.name.rpartition(" ")
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"FN:{_escape(contact.name)}", f"N:{_escape(family)};{_escape(given)};;;"]
    if contact.company:
        lines.append(f"ORG:{_escape(contact.company)}")
    if contact.role:
        lines.append(f"TITLE:{_escape(contact.role)}")
    if contact.location:
        lines.append(_location_adr(contact.location))
    lines += [f"EMAIL:{_escape(email)}" for email in contact.emails]
    lines += [f"TEL;VALUE=text:{_escape(phone)}" for phone in contact.phones]
    if contact.birthday:  # basic format: 19900414, or --0414 without a year
        day = contact.birthday
        lines.append("BDAY:" + ("--" + day[2:].replace("-", "") if day.startswith("--") else day.replace("-", "")))
    if contact.linkedin_url:
        lines.append(f"URL:{quote(contact.linkedin_url, safe=':/')}")
    if contact.tags:
        lines.append("CATEGORIES:" + ",".join(_escape(tag) for tag in contact.tags))
    return [*lines, "END:VCARD"]


def write_vcards(contacts: Iterable[Contact]) -> str:
    """vCard 4.0 text for these contacts (CRLF, folded at 75 octets); read back, it gives the same people."""
    return "".join(_fold(line) + "\r\n" for contact in contacts for line in _card_lines(contact))
