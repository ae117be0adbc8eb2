"""Contact files as people export them (LinkedIn, vCard, Google CSV), recognised by their content and read whole.

Pure parsing: no database, no user interface. `read_contact_file` gives a ContactFile, None for a file of none
of these kinds, and raises KithError for a file that cannot be read at all; `write_vcards` writes contacts back out.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from models import ContactFile

from . import export
from .google import is_google, read_google_csv
from .linkedin import is_connections, is_invitations, is_messages, read_connections, read_invitations, read_messages
from .tables import Table, find_table
from .text import decode, read_bytes
from .vcard import is_vcard, read_vcards, write_vcards

__all__ = ["detect", "read_contact_file", "write_vcards"]

CSV_KINDS: dict[str, tuple[Callable[[set[str]], bool], Callable[[Table], ContactFile]]] = {
    "linkedin-connections": (is_connections, read_connections),
    "linkedin-invitations": (is_invitations, read_invitations),
    "linkedin-messages": (is_messages, read_messages),
    "google-csv": (is_google, read_google_csv),
}
"""Each CSV kind, known by the columns of its header row, and its reader."""
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def _open(path: Path) -> tuple[str, Callable[[], ContactFile]] | None:
    """The file's kind and how to read it whole; None when it is of no kind here."""
    if path.is_dir():
        files = export.folder_files(path)
    else:
        data = read_bytes(path)
        if not data.startswith(ZIP_MAGIC) and path.suffix.lower() != ".zip":
            return _open_text(decode(data))
        files = export.zip_files(path)
    return ("linkedin-export", lambda: export.read_export(files)) if export.is_export(files) else None


def _open_text(text: str) -> tuple[str, Callable[[], ContactFile]] | None:
    if is_vcard(text):
        return "vcard", lambda: read_vcards(text)
    located = find_table(text, {kind: is_header for kind, (is_header, _) in CSV_KINDS.items()})
    if located is None:
        return None
    kind, table = located
    return kind, lambda: CSV_KINDS[kind][1](table)


def detect(path: Path) -> str | None:
    """The kind of contact file at path (ContactFile.kind), found by content; None when it is none of them."""
    opened = _open(path)
    return opened[0] if opened else None


def read_contact_file(path: Path) -> ContactFile | None:
    """The people, invitations and messages a contact file holds, and the rows or cards left out (problems).

    None when the file is of none of these kinds; KithError when it cannot be read at all (missing, unreadable,
    a damaged zip).
    """
    opened = _open(path)
    return opened[1]() if opened else None
