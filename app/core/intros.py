"""Introductions with double opt-in: ask the one with the problem, then the solver, introduce, and learn
whether it helped; a ledger of who helped whom."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from app.core.matching import find_matches
from app.errors import KithError
from app.store.db import Database
from models import Decision, Match

STEPS = ("asked-a", "a-yes", "a-no", "asked-b", "b-yes", "b-no", "introduced", "helped", "not-helped")
NEXT = {
    "": ("asked-a",),
    "asked-a": ("a-yes", "a-no"),
    "a-yes": ("asked-b",),
    "asked-b": ("b-yes", "b-no"),
    "b-yes": ("introduced",),
    "introduced": ("helped", "not-helped"),
}
"""The steps that may follow each step ("": not started; a "no", helped and not-helped end an introduction)."""
SAYS = {
    "asked-a": "asked {a} whether they'd like an introduction",
    "a-yes": "{a} said yes",
    "a-no": "{a} said no, thanks",
    "asked-b": "asked {b} whether they'd talk to {a}",
    "b-yes": "{b} said yes",
    "b-no": "{b} said no, thanks",
    "introduced": "introduced {a} and {b}",
    "helped": "{b} helped {a}",
    "not-helped": "the introduction did not help {a}",
}


@dataclass
class Intro:
    problem_contact: str
    solver: str
    step: str
    history: list[dict] = field(default_factory=list)
    match: Match | None = None

    def as_json(self) -> dict:
        return {"problem_contact": self.problem_contact, "solver": self.solver, "step": self.step,
                "history": self.history}

    @property
    def done(self) -> bool:
        return self.step not in NEXT

    @property
    def next_steps(self) -> tuple[str, ...]:
        return NEXT.get(self.step, ())

    def history_text(self) -> str:
        """What happened, in words, day by day: "2026-12-03 asked Ana whether…; 2026-12-04 Ana said yes"."""
        return "; ".join(f"{h['date']} {self.describe(h['step'])}" for h in self.history)

    def describe(self, step: str | None = None) -> str:
        first = lambda name: name.split()[0]  # noqa: E731
        return SAYS[step or self.step].format(a=first(self.problem_contact), b=first(self.solver))


def intros(db: Database, contact_id: int | None = None) -> list[Intro]:
    """Every introduction (or one contact's, either side), oldest first."""
    return [Intro(r["problem_contact"], r["solver"], r["step"], json.loads(r["history"]))
            for r in db.intros(contact_id)]


def best_match(db: Database, problem_contact_id: int, problem_contact: str, solver: str) -> Match | None:
    """The best match of the first contact's problems with the second's solutions, if Kith found one."""
    found = [m for m in find_matches(db, contact_id=problem_contact_id, limit=10_000)
             if m.problem.contact == problem_contact and m.solution.contact == solver]
    return max(found, key=lambda m: m.score, default=None)


def advance(db: Database, problem_contact: str, solver: str, step: str | None, today: dt.date) -> Intro:
    """Move the introduction of these two along to step, or (step None) say where it is, recording nothing: the
    user says a message was sent once it was. A step that cannot follow the current one is refused with the
    ones that can."""
    a, b = db.contact(problem_contact), db.contact(solver)
    assert a.id is not None and b.id is not None
    if a.id == b.id:
        raise KithError("an introduction needs two different people")
    match = best_match(db, a.id, a.name, b.name)
    row = next((r for r in db.intros(a.id) if r["solver_contact_id"] == b.id), None)
    intro = (Intro(a.name, b.name, row["step"], json.loads(row["history"]), match) if row
             else Intro(a.name, b.name, "", [], match))
    current = intro.step
    if step is None:
        return intro
    if step not in STEPS:
        raise KithError(f"not a step: {step!r} (one of {', '.join(STEPS)})")
    if step == current:
        return intro
    allowed = NEXT.get(current, ())
    if step not in allowed:
        where = f"it is at {current}" if current else "it has not started"
        raise KithError(f"the introduction of {a.name} to {b.name} cannot go to {step}: {where}; "
                        f"next: {', '.join(allowed) or 'nothing (it is closed)'}")
    intro.step = step
    intro.history.append({"step": step, "date": today.isoformat()})
    with db.transaction():
        db.save_intro(a.id, b.id, step, intro.history, match.problem.item_id if match else None,
                      match.solution.item_id if match else None)
        if step == "introduced" and match is not None:
            db.decide(match.problem.item_id, match.solution.item_id, Decision.INTRODUCED)
        if step in ("introduced", "helped", "not-helped"):
            for contact_id in (a.id, b.id):
                db.add_event(contact_id, today, "touch", f"introduction: {step}")
    return intro


def draft(intro: Intro) -> str:
    """The message to send at the introduction's next step: to the one with the problem, to the solver, or
    to both."""
    a, b = intro.problem_contact, intro.solver
    first_a, first_b = a.split()[0], b.split()[0]
    # Without a match Kith found, brackets mark what the user writes in before sending.
    problem = f"“{intro.match.problem.text}”" if intro.match else "[the problem, in their words]"
    solution = f"“{intro.match.solution.text}”" if intro.match else "[what worked for them]"
    # The notes are the user's own words about each person: each message quotes them for the user to put in
    # their own words. Double opt-in: the one with the problem is asked first without the solver's name or
    # story (the solver has not said yes yet), and the solver is told whom they would meet only after that
    # person said yes.
    if intro.step in ("", "asked-a"):
        return (f"Hi {first_a},\n\nSince our call I keep thinking about what you told me (my note: {problem}).\n\n"
                "I know someone who has been through something very close and found what worked for them.\n\n"
                "Would you like me to introduce you? If so, I'll check with them first. No pressure either way.\n")
    if intro.step in ("a-yes", "asked-b"):
        return (f"Hi {first_b},\n\nSomeone in my network, {a}, is dealing with something you've already solved "
                f"(my note from our call: {solution}).\n\nWould you be open to a short call with {first_a}? "
                f"Happy to introduce you if so, and no worries if not.\n")
    return (f"Hi {first_a} and {first_b},\n\nI'd like to introduce you two. {first_a} is working through "
            f"{problem}; {first_b} has been through it ({solution}).\n\n"
            f"I think a 20-minute call would be worth it for both of you. I'll let you take it from here.\n")


def ledger(db: Database) -> list[Intro]:
    """Who helped whom: the introductions that helped."""
    return [i for i in intros(db) if i.step == "helped"]
