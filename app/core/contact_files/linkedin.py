"""LinkedIn's own CSV files: Connections.csv, Invitations.csv, messages.csv and the owner's Profile.csv."""

from __future__ import annotations

from models import ContactFile, FileProblem, Invitation, Message, Person

from . import dates
from .tables import Table
from .text import clean_emails, readable_name
from .urls import linkedin_profile_url


def is_connections(columns: set[str]) -> bool:
    return {"first name", "last name", "connected on"} <= columns


def is_invitations(columns: set[str]) -> bool:
    return {"from", "to", "sent at"} <= columns


def is_messages(columns: set[str]) -> bool:
    return {"from", "to", "date", "content"} <= columns


def is_profile(columns: set[str]) -> bool:
    return {"first name", "last name"} <= columns


def read_connections(table: Table) -> ContactFile:
    """Connections.csv: one Person per row (two rows with one name are two people); rows without a name are
    problems."""
    found = ContactFile(kind="linkedin-connections")
    for row in table.rows():
        name = readable_name(f"{row.get('first name')} {row.get('last name')}")
        if not name:
            found.problems.append(FileProblem(where=row.where, reason="no name"))
            continue
        connected = dates.connected_on(row.get("connected on"))
        if connected is None and row.get("connected on"):
            found.problems.append(FileProblem(where=row.where, reason=f"Connected On {row.get('connected on')!r} is "
                                              "not a date; imported without it"))
        found.people.append(Person(
            where=row.where, name=name, company=row.get("company") or None, role=row.get("position") or None,
            linkedin_url=linkedin_profile_url(row.get("url")),
            emails=clean_emails([row.get("email address")]), connected_on=connected,
        ))
    found.problems += table.problems
    return found


def read_invitations(table: Table) -> ContactFile:
    """Invitations.csv: each invitation names the other person; the owner is who sends the outgoing ones."""
    found = ContactFile(kind="linkedin-invitations")
    for row in table.rows():
        direction = row.get("direction").upper()
        sent = dates.sent_at(row.get("sent at"))
        if direction not in ("OUTGOING", "INCOMING"):
            reason = f"direction {row.get('direction')!r} is neither OUTGOING nor INCOMING"
            found.problems.append(FileProblem(where=row.where, reason=reason))
            continue
        if sent is None:
            found.problems.append(FileProblem(where=row.where, reason=f"the date {row.get('sent at')!r} is not a date"))
            continue
        outgoing = direction == "OUTGOING"
        me, other = ("from", "to") if outgoing else ("to", "from")
        name = readable_name(row.get(other))
        if not name:
            found.problems.append(FileProblem(where=row.where, reason="no name"))
            continue
        urls = {"from": row.get("inviterprofileurl"), "to": row.get("inviteeprofileurl")}
        found.invitations.append(Invitation(where=row.where, sent_at=sent, outgoing=outgoing, name=name,
                                            linkedin_url=linkedin_profile_url(urls[other]),
                                            message=row.get("message") or None))
        found.owner = found.owner or readable_name(row.get(me)) or None
        found.owner_url = found.owner_url or linkedin_profile_url(urls[me])
    found.problems += table.problems
    return found


def read_messages(table: Table) -> ContactFile:
    """messages.csv: one Message per row, drafts left out; columns are found by name, whatever the export's age.

    recipient_urls pair one to one with recipients, or are empty when the row's two lists do not pair (a URL
    missing or not a profile's): a URL is never given to the wrong person."""
    found = ContactFile(kind="linkedin-messages")
    for row in table.rows():
        if row.get("is message draft").lower() in ("yes", "true"):
            continue
        sender = readable_name(row.get("from"))
        sent = dates.message_date(row.get("date"))
        if not sender:
            found.problems.append(FileProblem(where=row.where, reason="no sender"))
            continue
        if sent is None:
            found.problems.append(FileProblem(where=row.where, reason=f"the date {row.get('date')!r} is not a date"))
            continue
        recipients = [readable_name(name) for name in row.get("to").split(",")]
        urls = [linkedin_profile_url(url) for url in row.get("recipient profile urls").split(",")]
        paired = len(urls) == len(recipients) and all(urls) and all(recipients)
        found.messages.append(Message(
            where=row.where, conversation_id=row.get("conversation id") or None, sent_at=sent, sender=sender,
            sender_url=linkedin_profile_url(row.get("sender profile url")),
            recipients=[name for name in recipients if name], recipient_urls=urls if paired else [],
            subject=row.get("subject") or None, content=row.get("content"),
        ))
    found.problems += table.problems
    return found


def read_profile_owner(table: Table) -> str | None:
    """The owner's name from Profile.csv's first row."""
    for row in table.rows():
        return readable_name(f"{row.get('first name')} {row.get('last name')}") or None
    return None
