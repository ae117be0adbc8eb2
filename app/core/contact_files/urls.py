"""LinkedIn profile addresses, however a file spells them, in one form so they join."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit


def linkedin_profile_url(raw: str | None) -> str | None:
    """https://www.linkedin.com/in/<id>: decoded (NFC), no trailing slash, query or sub-page; None when not a profile.

    Connections.csv percent-encodes (j%C3%BCrgen) where Invitations.csv writes Unicode (jürgen): both give jürgen.
    """
    text = (raw or "").strip()
    if not text:
        return None
    if "://" not in text:
        text = "https://" + text.lstrip("/")
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if host != "linkedin.com" and not host.endswith(".linkedin.com"):
        return None
    segments = [s.strip() for s in unquote(parts.path).split("/") if s.strip()]
    if len(segments) < 2 or segments[0].lower() != "in":
        return None
    return "https://www.linkedin.com/in/" + unicodedata.normalize("NFC", segments[1])
