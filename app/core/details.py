"""Contact details a note's introduction line gives: "Jo Bell, head of ops at Northwind"."""

from __future__ import annotations

import re

from models.contact import normalise_name

_ROLE_AT = re.compile(r"^\s*(?P<role>[^,.;:()\n]{2,60}?)\s+(?:at|@)\s+(?P<company>[^,.;:()\n]{2,60})",
                      re.IGNORECASE)
"""Not "with": "sorted with a student scheme", "a farm with a box scheme" name no employer."""
_SEPARATOR = re.compile(r"^\s*(?:,|\s[-–—]\s|\s*\()\s*")
"""Not a colon: "Aoife: summer hiring sorted…" is what someone said or did, not who they are."""
_MARKER = re.compile(r"^\s*(?:[-*•]|#+|\d+[.)])\s+")
"""A bullet, a numbered item's number or a Markdown heading's hashes before the line's first word."""


def introduction_details(name: str, text: str) -> dict[str, str]:
    """Role and company from a first line (a bullet's or heading's marker aside) that starts with the contact's
    name (or first name) and goes on "<role> at <company>"; nothing when the line does not read that way."""
    first_line = _MARKER.sub("", text.strip().splitlines()[0]) if text.strip() else ""
    full, first = normalise_name(name), normalise_name(name).split(" ")[0]
    lowered = first_line.casefold()
    for prefix in (full, first):
        if lowered.startswith(prefix) and not lowered[len(prefix):len(prefix) + 1].isalnum():
            rest = first_line[len(prefix):]
            separator = _SEPARATOR.match(rest)
            if separator is None:
                return {}
            found = _ROLE_AT.match(rest[separator.end():])
            if found is None:
                return {}
            return {"role": found["role"].strip(), "company": found["company"].strip()}
    return {}
