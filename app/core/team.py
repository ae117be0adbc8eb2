"""A team on one index server: stories a member shares, and a colleague's story answering my contacts' problems.

A member shares a story (a solution item) by hand; only its text, who solved it and whose network
they are in (with its vectors) go to the team's collection (app.store.team). Nothing else of a home
is ever sent there. A colleague's story is matched against my stored problems (`kith matches --team`)
and a draft's (the live panel) by the same fitted pair scorer as my own contacts' stories, at the
same cut-off.
"""

from __future__ import annotations

import time
import weakref

import numpy as np

from app.core.matching import Side, match_side, score_sides, stored_problems_best, stored_sides
from app.core.overlap import document_idf
from app.errors import KithError
from app.store.db import KEPT, SHARED, TO_SHARE, TO_WITHDRAW
from app.store.store import Store
from app.store.team import Story
from models import Item, Kind, TeamMatch, TeamSide

VOUCHED = 0.99
"""A shared story's evidence of having worked: its owner shared it as one that did (the classifier's
reading of it in its note stays in the owner's home)."""
STATES = {TO_SHARE: "to share", SHARED: "shared", KEPT: "kept", TO_WITHDRAW: "to withdraw"}
TEAM_FRESH = 60.0
"""Seconds the live panel keeps the colleagues' stories before asking the server again."""
_LIVE: weakref.WeakKeyDictionary[Store, tuple[float, tuple[Side, list[Story]] | None]] = weakref.WeakKeyDictionary()


def _on_server(store: Store) -> None:
    if not store.on_server:
        raise KithError("a team shares stories on its index server: set KITH_INDEX_URL and the token (README: For "
                        "a team)", title="Team")


def share(store: Store, item_id: int, *, withdraw: bool = False, member: str | None = None) -> Item:
    """Mark a story to be shared with the team (or withdrawn) and send it when the server can be reached."""
    _on_server(store)
    item = store.db.item(item_id)
    if item.kind != Kind.SOLUTION:
        raise KithError(f"#{item_id} is a {item.kind.value}, not a story of something that worked: only solutions "
                        "are shared", title="Team")
    if member is not None:
        if not member.strip():
            raise KithError("--as: give the name your colleagues know you by", title="Team")
        with store.db.transaction():
            store.db.set_meta("member_name", " ".join(member.split()))
    if not withdraw and store.db.meta("member_name") is None:
        raise KithError("say once how your colleagues know you: kith share ID --as 'Your Name'", title="Team")
    store.db.set_shared(item_id, not withdraw)
    store.sync_index()
    return item


def share_states(store: Store, contact_id: int | None = None) -> list[tuple[Item, str]]:
    """The stories shared (or waiting to be shared or withdrawn); with contact_id, every solution of that
    contact, kept ones too."""
    states = store.db.sharing()
    if contact_id is None:
        items = store.db.items(ids=[i for i, state in states.items() if state in (TO_SHARE, SHARED)])
    else:
        items = store.db.items(contact_id=contact_id, kinds=[Kind.SOLUTION])
    return [(item, STATES[states.get(item.id or 0, KEPT)]) for item in items]


def team_matches(store: Store, *, contact_id: int | None = None, limit: int = 20) -> list[TeamMatch]:
    """My contacts' problems that a colleague's shared story answers, best first."""
    _on_server(store)
    problems, _ = stored_sides(store.db)
    found = _colleagues(store, problems.texts)
    if found is None or not len(problems.ids):
        return []
    side, stories = found
    chosen = score_sides(problems, side, {}, contact_id=contact_id)[:limit]
    mine = {i.id: i for i in store.db.items(ids=[p for p, _, _ in chosen])}
    return [TeamMatch(score=score, problem=match_side(mine[p]), solution=TeamSide(
        member=stories[-s - 1].member, contact=stories[-s - 1].solver, text=stories[-s - 1].text))
        for p, s, score in chosen]


def colleagues(store: Store) -> tuple[Side, list[Story]] | None:
    """The colleagues' stories for the live panel: read at most every TEAM_FRESH seconds; None when there
    are none, or the server cannot be used now (the panel goes on with the user's own network)."""
    now = time.monotonic()
    cached = _LIVE.get(store)
    if cached is not None and now - cached[0] < TEAM_FRESH:
        return cached[1]
    problems = stored_sides(store.db)[0]
    try:
        found = _colleagues(store, problems.texts)
    except KithError:
        found = None
    if found is not None:  # how near each story lies to my stored problems, which a draft's join
        found[0].best = stored_problems_best(problems, found[0])
    _LIVE[store] = (now, found)
    return found


def _colleagues(store: Store, problem_texts: list[str]) -> tuple[Side, list[Story]] | None:
    """The stories other members shared, as a matching side (ids -1-index; solvers' contact ids below -1, never
    a contact of mine nor a draft's), with the stories themselves."""
    stories, vectors, paired = store.team().everyone()
    home_id = store.home_id()
    theirs = [n for n, story in enumerate(stories) if story.home_id != home_id]
    if not theirs:
        return None
    stories = [stories[n] for n in theirs]
    vectors, paired = vectors[theirs], paired[theirs]
    ids = -np.arange(1, len(stories) + 1, dtype=np.int64)
    solvers: dict[tuple[str, str], int] = {}
    contacts = np.array([-2 - solvers.setdefault((s.member, s.solver), len(solvers)) for s in stories],
                        dtype=np.int64)
    texts = [s.text for s in stories]
    side = Side(ids, contacts, texts, vectors, np.full(len(stories), VOUCHED, dtype=np.float32),
                (ids.tolist(), vectors), paired=paired).indexed(document_idf(problem_texts + texts))
    return side, stories
