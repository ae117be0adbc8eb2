"""Google Contacts' CSV export, in both header generations (Name/Given Name/Group Membership before 2024,
First Name/Labels since)."""

from __future__ import annotations

import re

from models import ContactFile, FileProblem, Person

from . import dates
from .tables import Row, Table
from .text import clean_emails, clean_phones, plain, split_multi, unique
from .urls import linkedin_profile_url

NUMBERED = re.compile(r"^(e-mail|phone|website|address) (\d+) - (value|city|region|country)$")
GOOGLE_COLUMNS = {"group membership", "labels", "organization name", "organization 1 - name"}


def is_google(columns: set[str]) -> bool:
    named = {"given name", "family name"} <= columns or {"first name", "last name"} <= columns or "name" in columns
    return named and bool(GOOGLE_COLUMNS & columns or any(NUMBERED.match(c) for c in columns))


def _numbers(row: Row, kind: str) -> list[int]:
    """The numbers of a kind's columns in this file: "Phone 1 - …", "Phone 2 - …" → [1, 2]."""
    return sorted({int(m.group(2)) for c in row.cells if (m := NUMBERED.match(c)) and m.group(1) == kind})


def _numbered(row: Row, kind: str, field: str) -> list[str]:
    """The values of "Phone 1 - Value", "Phone 2 - Value", … in order, each split at " ::: "."""
    return [part for n in _numbers(row, kind) for part in split_multi(row.get(f"{kind} {n} - {field}"))]


def _name(row: Row) -> str:
    """"Name" (the old export), else the name's parts, else the nickname or "File As"."""
    spelled = [row.get("name prefix"), row.get("given name", "first name"), row.get("additional name", "middle name"),
               row.get("family name", "last name"), row.get("name suffix")]
    return plain(row.get("name")) or plain(" ".join(spelled)) or plain(row.get("nickname", "file as"))


def _location(row: Row) -> str | None:
    """The first address's "city, country" (the region when there is no city)."""
    for n in _numbers(row, "address"):
        city, region, country = ((split_multi(row.get(f"address {n} - {field}")) or [""])[0]
                                 for field in ("city", "region", "country"))
        if city or region or country:
            return ", ".join(part for part in (city or region, country) if part)
    return None


def _tags(row: Row) -> list[str]:
    """Labels / Group Membership without Google's own groups ("* myContacts", "System Group: My Contacts")."""
    groups = split_multi(row.get("labels", "group membership"))
    return unique(g for g in groups if not g.startswith("*") and not g.startswith("System Group:"))


def read_google_csv(table: Table) -> ContactFile:
    """One Person per row; a row without any name is a problem."""
    found = ContactFile(kind="google-csv")
    for row in table.rows():
        name = _name(row)
        if not name:
            found.problems.append(FileProblem(where=row.where, reason="no name"))
            continue
        urls = (linkedin_profile_url(url) for url in _numbered(row, "website", "value"))
        found.people.append(Person(
            where=row.where, name=name,
            company=row.get("organization 1 - name", "organization name") or None,
            role=row.get("organization 1 - title", "organization title") or None,
            location=_location(row), linkedin_url=next((url for url in urls if url), None),
            emails=clean_emails(_numbered(row, "e-mail", "value")),
            phones=clean_phones(_numbered(row, "phone", "value")),
            birthday=dates.birthday(row.get("birthday")), tags=_tags(row),
        ))
    found.problems += table.problems
    return found
