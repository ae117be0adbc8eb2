"""`kith demo` opened long after the demo was written still looks like a network in use this week."""

from __future__ import annotations

import datetime as dt

from app.config import Settings
from app.core.demo import read_demo
from app.core.notebook import Added, Notebook
from tests.tui.pilot import SIZE, settle

A_YEAR_ON = dt.date(2027, 11, 17)


def test_the_demo_moves_by_whole_weeks_to_the_week_before_today():
    shipped = read_demo()
    moved = shipped.as_of(A_YEAR_ON)
    assert A_YEAR_ON - dt.timedelta(days=7) <= moved.latest() < A_YEAR_ON
    steps = {(after.date - before.date).days for before, after in zip(shipped.notes, moved.notes, strict=True)}
    steps |= {(after.sent_at - before.sent_at).days
              for before, after in zip(shipped.export.messages, moved.export.messages, strict=True)}
    steps |= {(after.sent_at - before.sent_at).days
              for before, after in zip(shipped.export.invitations, moved.export.invitations, strict=True)}
    steps |= {(after.connected_on - before.connected_on).days
              for before, after in zip(shipped.export.people, moved.export.people, strict=True) if before.connected_on}
    assert len(steps) == 1 and steps.pop() % 7 == 0  # one move for all, so a Tuesday stays a Tuesday
    assert [n.text for n in moved.notes] == [n.text for n in shipped.notes]
    assert shipped.as_of(shipped.latest() + dt.timedelta(days=3)).latest() == shipped.latest()  # fresh: unmoved


def test_the_demo_opened_a_year_on_has_this_weeks_routine(tmp_path, real_embedder):
    notebook = Notebook(Settings(home=tmp_path / "home"), real_embedder)
    try:
        added = notebook.import_demo(A_YEAR_ON)
        assert [a.what for a in added] == ["people", "notes"] and all(a.count for a in added)
        today = notebook.today(A_YEAR_ON)
        recent = today.weeks[-4:]
        assert sum(week["invited"] for week in recent) >= 10, recent  # the funnel's last weeks are not empty
        assert today.waiting, "connected people waiting for a coffee invite"
        dues = [f.due for f in notebook.followups() if f.due and not f.done]
        assert dues and max(dues) >= A_YEAR_ON - dt.timedelta(days=30)  # follow-ups of recent calls, not of last year
        overdue = [d for d in dues if d < A_YEAR_ON]
        assert overdue and min(overdue) >= A_YEAR_ON - dt.timedelta(days=14), overdue  # a week's, not a season's
        assert any(f.done for f in notebook.followups())  # the older ones ticked off
    finally:
        notebook.close()


async def test_the_title_bar_says_demo_and_the_counts_come_once_as_a_notice(make, monkeypatch):
    """The counts of the demo's import are news once, not a title that goes stale as notes are added."""
    monkeypatch.setattr(Notebook, "import_demo", lambda self, today: [Added(40, "people"), Added(60, "notes")])
    app = make(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.sub_title == "ready · demo network"
        assert any(n.message == "Loaded the demo network: 40 people, 60 notes." for n in app._notifications)
