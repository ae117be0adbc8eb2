"""Files to text, and the cleaning every kind of contact file shares: names, e-mails, phones, tags."""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from app.errors import KithError

ZWJ = "\u200d"
ZWNJ = "\u200c"  # joins Persian and Indic letters: part of a name, never decoration


def read_bytes(path: Path) -> bytes:
    """The file's bytes; KithError with the reason when it cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise KithError(f"{path}: no such file") from None
    except OSError as error:
        raise KithError(f"{path}: cannot be read ({error.strerror or error})") from None


def decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM) or UTF-16 with a BOM; Windows-1252 for what older exporters wrote."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def plain(value: str | None) -> str:
    """Whitespace (tabs, newlines) collapsed to single spaces."""
    return " ".join((value or "").split())


def _pictographic(char: str) -> bool:
    """Emoji, symbols, skin tones, variation selectors and invisible format characters."""
    code = ord(char)
    return (unicodedata.category(char) in ("So", "Cc", "Cs", "Co", "Cf") and char not in (ZWNJ, ZWJ)
            or 0x1F3FB <= code <= 0x1F3FF or 0xFE00 <= code <= 0xFE0F or code == 0x20E3)


def readable_name(value: str | None) -> str:
    """A display name as people decorate it on LinkedIn, made plain: no emoji or symbols, fancy letters
    (𝐉𝐚𝐧𝐞, full-width) as ordinary ones (NFKC), whitespace collapsed."""
    text = plain(value)
    kept = []
    for i, char in enumerate(text):
        if char == ZWJ:  # kept between letters (Indic scripts), dropped where it glued emoji together
            neighbours = text[i - 1:i] + text[i + 1:i + 2]
            if len(neighbours) == 2 and not any(_pictographic(c) for c in neighbours):
                kept.append(char)
        elif not _pictographic(char):
            kept.append(char)
    return plain(unicodedata.normalize("NFKC", "".join(kept)))


def unique(values: Iterable[str]) -> list[str]:
    """Non-empty values, first occurrence kept, order kept."""
    return list(dict.fromkeys(v for v in values if v))


def clean_emails(values: Iterable[str]) -> list[str]:
    """Lower-cased, without "mailto:", deduplicated."""
    cleaned = (plain(v).lower() for v in values)
    return unique(v.removeprefix("mailto:") for v in cleaned)


def clean_phones(values: Iterable[str]) -> list[str]:
    """As written, whitespace collapsed, deduplicated."""
    return unique(plain(v) for v in values)


def split_multi(value: str | None) -> list[str]:
    """Google's several values in one cell: "a ::: b"."""
    return [part.strip() for part in (value or "").split(":::") if part.strip()]
