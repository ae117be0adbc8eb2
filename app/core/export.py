"""Export: everything the user owns, as JSON (re-importable) or Markdown (one file per person)."""

from __future__ import annotations

import re
from typing import Any

from app.core.recap import recap
from app.store.db import Database
from models import Kind


def export_data(db: Database) -> dict[str, Any]:
    """Contacts, notes, follow-ups and match decisions, as plain JSON-able data."""
    contacts = [c.model_dump(mode="json", exclude={"id"}) for c in db.contacts()]
    notes = [{"contact": n.contact, "date": n.date.isoformat(), "text": n.text, "tags": n.tags}
             for n in db.notes()]
    followups = [followup_json(i) for i in db.items(kinds=[Kind.FOLLOWUP])]
    decisions = []
    for (problem_id, solution_id), decision in sorted(db.decisions().items()):
        problem, solution = db.item(problem_id), db.item(solution_id)
        decisions.append({
            "decision": decision.value,
            "problem": {"contact": problem.contact, "text": problem.text, "date": str(problem.date)},
            "solution": {"contact": solution.contact, "text": solution.text, "date": str(solution.date)},
        })
    names = {c.id: c.name for c in db.contacts()}
    events = [{"contact": names[contact_id], "day": day.isoformat(), "kind": kind, "detail": detail}
              for contact_id, day, kind, detail in db.events()]
    return {"kith_export": 1, "contacts": contacts, "notes": notes, "followups": followups,
            "decisions": decisions, "events": events, "tag_cadence": db.tag_cadences()}


def followup_json(item: Any) -> dict[str, Any]:
    """A follow-up in the shape of the command-line contract."""
    return {"contact": item.contact, "text": item.text, "due": item.due.isoformat() if item.due else None,
            "done": item.done, "note_id": item.note_id, "date": item.date.isoformat(), "id": item.id,
            "kind": "followup"}


def slug(name: str) -> str:
    """A file name for a person."""
    return re.sub(r"[^\w]+", "-", name.casefold()).strip("-") or "contact"


def person_markdown(db: Database, name: str) -> str:
    """One person's page: their details, what Kith understood, and every note."""
    r = recap(db, name)
    c = r.contact
    lines = [f"# {c.name}", ""]
    for label, value in (("Company", c.company), ("Role", c.role), ("Location", c.location),
                         ("How we met", c.how_met), ("Tags", ", ".join(c.tags)), ("Last met", r.last_met)):
        if value:
            lines.append(f"- **{label}:** {value}")
    sections = (("Personal", r.personal), ("Problems", r.problems), ("What worked for them", r.solutions))
    for title, items in sections:
        if items:
            lines += ["", f"## {title}", ""] + [f"- {i.text} _({i.date})_" for i in items]
    if r.followups:
        lines += ["", "## Follow-ups", ""]
        lines += [f"- [{'x' if i.done else ' '}] {i.text}" + (f" (due {i.due})" if i.due else "")
                  for i in r.followups]
    lines += ["", "## Notes"]
    for day, text, _ in r.timeline:
        lines += ["", f"### {day}", "", text]
    return "\n".join(lines) + "\n"
