"""A whole LinkedIn export, as the folder or the .zip LinkedIn sends: its files merged into one ContactFile."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from app.errors import KithError
from models import ContactFile, FileProblem

from .linkedin import (
    is_connections,
    is_invitations,
    is_messages,
    is_profile,
    read_connections,
    read_invitations,
    read_messages,
    read_profile_owner,
)
from .tables import find_table
from .text import decode, read_bytes

FILES = {"connections.csv": "connections", "invitations.csv": "invitations", "messages.csv": "messages",
         "profile.csv": "profile"}
"""The files Kith reads, by their name in any case; every other file of the export is left alone."""
READERS = {"connections": (is_connections, read_connections), "invitations": (is_invitations, read_invitations),
           "messages": (is_messages, read_messages)}
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError)
"""What a damaged, truncated, encrypted or oddly compressed archive raises."""

ExportFiles = dict[str, tuple[str, Callable[[], bytes]]]
"""Each file found, by FILES' value: its name as the export spells it, and how to read its bytes."""


def _pick(names: list[tuple[str, Callable[[], bytes]]]) -> ExportFiles:
    """The files Kith reads among (name, reader) pairs listed shallowest first."""
    found: ExportFiles = {}
    for name, read in names:
        key = FILES.get(name.casefold())
        if key and key not in found:
            found[key] = (name, read)
    return found


def folder_files(folder: Path) -> ExportFiles:
    """The export's files in a folder, at its top or one folder down (the shallowest of each name); {} when none."""
    try:
        top = list(folder.iterdir())
    except OSError as error:
        raise KithError(f"{folder}: cannot be read ({error.strerror or error})") from None
    paths = top + [path for sub in top if sub.is_dir() for path in sub.glob("*")]
    return _pick([(path.name, lambda path=path: read_bytes(path)) for path in paths if path.is_file()])


def _zip_reader(archive: Path, member: str) -> Callable[[], bytes]:
    def read() -> bytes:
        try:
            with zipfile.ZipFile(archive) as opened:
                return opened.read(member)
        except ZIP_ERRORS as error:
            raise KithError(f"{archive}: {member} cannot be read from the archive ({error})") from None
    return read


def zip_files(archive: Path) -> ExportFiles:
    """The export's files in a .zip, the shallowest of each name (they may sit in a top folder); {} when none."""
    try:
        with zipfile.ZipFile(archive) as opened:
            members = [m for m in opened.namelist() if not m.endswith("/")]
    except ZIP_ERRORS as error:
        raise KithError(f"{archive}: not a readable zip archive ({error})") from None
    paths = sorted(((m.replace("\\", "/").split("/"), m) for m in members),  # Windows tools write back-slashes
                   key=lambda found: len(found[0]))
    return _pick([(parts[-1], _zip_reader(archive, member)) for parts, member in paths])


def is_export(files: ExportFiles) -> bool:
    """Whether the files hold something to import (Profile.csv alone does not)."""
    return bool(files.keys() & READERS.keys())


def read_export(files: ExportFiles) -> ContactFile:
    """Connections, invitations and messages in one ContactFile; `where` names the file ("Connections.csv line 7").
    The owner is Profile.csv's name, else the sender of outgoing invitations."""
    found = ContactFile(kind="linkedin-export")
    for key, (is_header, read) in READERS.items():
        if key not in files:
            continue
        name, load = files[key]
        located = find_table(decode(load()), {key: is_header})
        if located is None:
            found.problems.append(FileProblem(where=name, reason="no header row as LinkedIn writes it"))
            continue
        table = located[1]
        table.file_name = name
        part = read(table)
        found.people += part.people
        found.invitations += part.invitations
        found.messages += part.messages
        found.problems += part.problems
        found.owner, found.owner_url = found.owner or part.owner, found.owner_url or part.owner_url
    if "profile" in files:
        located = find_table(decode(files["profile"][1]()), {"profile": is_profile})
        found.owner = (read_profile_owner(located[1]) if located else None) or found.owner
    if found.owner and not found.owner_url:
        found.owner_url = next((m.sender_url for m in found.messages if m.sender == found.owner and m.sender_url),
                               None)
    return found
