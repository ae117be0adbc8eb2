"""The networker's routine in the store: people matched on import, the funnel, keeping in touch, birthdays,
duplicates and merge (no model needed: contacts and events only)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.duplicates import likely_duplicates, merge
from app.core.funnel import funnel, set_stage
from app.core.keeping import birthdays, losing_touch, next_birthday, parse_every, set_cadence, touch
from app.core.offers import proposes_a_call
from app.core.people import import_people
from app.errors import KithError
from app.store.db import Database
from models import ContactFile, Invitation, Item, Kind, Message, Person, Stage

TODAY = dt.date(2026, 12, 3)
ANA = "https://www.linkedin.com/in/ana-lima-7"


@pytest.fixture
def db(tmp_path) -> Database:
    return Database(tmp_path / "kith.db")


def export(**kwargs) -> ContactFile:
    people = [
        Person(where="line 5", name="Ana Lima", company="Brightwell", linkedin_url=ANA,
               connected_on=dt.date(2026, 11, 2)),
        Person(where="line 6", name="Dan Weber", company="Keller, Brandt & Partner",
               linkedin_url="https://www.linkedin.com/in/dweber", connected_on=dt.date(2026, 11, 3)),
        Person(where="line 7", name="Dan Weber", company="Orbit Freight",
               linkedin_url="https://www.linkedin.com/in/dan-weber-2", connected_on=dt.date(2026, 11, 25)),
    ]
    invitations = [
        Invitation(where="line 2", sent_at=dt.datetime(2026, 10, 30, 8, 5), outgoing=True, name="Ana Lima",
                   linkedin_url=ANA),
        Invitation(where="line 3", sent_at=dt.datetime(2026, 10, 30, 8, 7), outgoing=True, name="Ivo Marsh"),
    ]
    messages = [
        Message(where="line 2", conversation_id="c1", sent_at=dt.datetime(2026, 11, 3, 9), sender="Robin Ellis",
                recipients=["Ana Lima"], recipient_urls=[ANA], content="Thanks for connecting, Ana!"),
        Message(where="line 3", conversation_id="c1", sent_at=dt.datetime(2026, 11, 4, 9), sender="Robin Ellis",
                recipients=["Ana Lima"], recipient_urls=[ANA],
                content="Would you be open to a 20-minute virtual coffee next week?"),
    ]
    return ContactFile(**{"kind": "linkedin-export", "owner": "Robin Ellis", "people": people,
                          "invitations": invitations, "messages": messages, **kwargs})


def test_an_export_brings_people_stages_and_a_report_and_a_second_import_changes_nothing(db):
    first = import_people(db, export())
    assert (first.added, first.updated, first.skipped) == (4, 0, 0)
    contacts = {(c.name, c.company): c for c in db.contacts()}
    assert contacts[("Ana Lima", "Brightwell")].stage == Stage.OFFERED  # the invitation to coffee, not the thanks
    assert contacts[("Dan Weber", "Orbit Freight")].stage == Stage.CONNECTED
    assert contacts[("Ivo Marsh", None)].stage == Stage.INVITED  # never accepted
    assert len([c for c in db.contacts() if c.name == "Dan Weber"]) == 2  # told apart by their profiles
    assert "Robin Ellis" not in {c.name for c in db.contacts()}  # the user is not a contact
    again = import_people(db, export())
    assert (again.added, again.updated, again.skipped) == (0, 0, 4)
    assert len(db.contacts()) == 4 and len(db.events()) == len(set(db.events()))


def test_a_dry_run_reports_and_writes_nothing(db):
    report = import_people(db, export(), dry_run=True)
    assert report.added == 4 and db.contacts() == [] and db.events() == []


def test_the_brief_list_has_what_lists_show_and_leaves_the_rest_unread(db):
    import_people(db, export(people=[
        *export().people,
        Person(where="line 8", name='Zoë "Z" Ng 🚀', company="Ünïcode\\Co", tags=["café", "a\tb"],
               emails=["z@ng.example"], birthday="--02-29", connected_on=dt.date(2026, 11, 5))]))
    with db.transaction():
        db.insert_note(db.contact("Ivo Marsh").id, dt.date(2026, 11, 20), "Coffee with Ivo.", [], "d1")
    brief, whole = db.contacts(brief=True), db.contacts()
    assert brief[3].last_met == dt.date(2026, 11, 20)
    shown = {"id", "name", "company", "role", "location", "how_met", "tags", "last_met"}
    assert [c.model_dump(include=shown) for c in brief] == [c.model_dump(include=shown) for c in whole]
    assert [c.name for c in brief] == ["Ana Lima", "Dan Weber", "Dan Weber", "Ivo Marsh", 'Zoë "Z" Ng 🚀']
    zoe = whole[-1]
    assert zoe.tags == ["café", "a\tb"] and zoe.company == "Ünïcode\\Co" and zoe.emails == ["z@ng.example"]
    assert zoe.birthday == "--02-29" and zoe.connected_on == dt.date(2026, 11, 5)
    assert db.find_contact(zoe.name) == db.contact_by_id(zoe.id) == zoe == db.contacts_by_ids([zoe.id])[0]
    assert brief[-1].emails == [] and brief[-1].birthday is None and brief[-1].stage is None  # not read


def test_problems_are_reported_with_where_they_are(db):
    from models import FileProblem

    report = import_people(db, export(problems=[FileProblem(where="line 9", reason="no name")]))
    assert report.as_json()["problems"] == [{"where": "line 9", "reason": "no name"}]


def test_a_typed_contact_is_found_again_by_name_and_gains_the_export_fields(db):
    with db.transaction():
        db.ensure_contact("ana  lima")
    report = import_people(db, export())
    ana = db.contact("Ana Lima")
    assert report.added == 3 and ana.linkedin_url == ANA and ana.company == "Brightwell"


def test_the_funnel_counts_weeks_and_names_who_waits(db):
    import_people(db, export())
    report = funnel(db, TODAY, weeks=6)
    assert report["stages"] == {"invited": 4, "connected": 3, "offered": 1, "met": 0}
    by_week = {w["week"]: w for w in report["weeks"]}
    assert by_week["2026-W44"]["invited"] == 2 and by_week["2026-W45"]["connected"] == 2
    waiting = {(w["contact"], w["stage"]) for w in report["waiting"]}
    assert ("Dan Weber", "connected") in waiting and ("Ana Lima", "offered") in waiting  # a month, no answer
    set_stage(db, "Ana Lima", Stage.MET, TODAY)
    assert funnel(db, TODAY)["stages"]["met"] == 1


def test_a_call_offer_is_told_from_other_messages():
    assert proposes_a_call("Fancy a quick virtual coffee sometime next week?")
    assert proposes_a_call("Would you be open to a 20 min call? I'd love to hear how you run onboarding.")
    assert not proposes_a_call("Congrats on the new role!")
    assert not proposes_a_call("Thanks for connecting. Here's the article I mentioned.")


def test_a_cadence_reminds_when_due_and_a_touch_resets_it(db):
    import_people(db, export())
    assert parse_every("6w") == 42 and parse_every("3m") == 90 and parse_every("off") is None
    with pytest.raises(KithError):
        parse_every("often")
    set_cadence(db, name="Ana Lima", days=14)
    due = losing_touch(db, TODAY)
    assert [r.contact for r in due] == ["Ana Lima"] and due[0].due == dt.date(2026, 11, 18)
    touch(db, "Ana Lima", TODAY)
    assert losing_touch(db, TODAY) == []


def test_a_tag_cadence_covers_every_contact_with_the_tag(db):
    import_people(db, export(people=[Person(where="line 5", name="Mo Reyes", tags=["mentors"],
                                            connected_on=dt.date(2026, 6, 1))], invitations=[], messages=[]))
    set_cadence(db, tag="mentors", days=90)
    assert [r.contact for r in losing_touch(db, TODAY)] == ["Mo Reyes"]


def test_birthdays_this_week_with_and_without_a_year(db):
    import_people(db, ContactFile(kind="vcard", people=[
        Person(where="card 1", name="Lea Born", birthday="--12-07"),
        Person(where="card 2", name="Tom Year", birthday="1990-12-05"),
        Person(where="card 3", name="Far Away", birthday="--03-01")]))
    found = {r.contact: r for r in birthdays(db, TODAY)}
    assert set(found) == {"Lea Born", "Tom Year"}
    assert found["Lea Born"].due == dt.date(2026, 12, 7) and "turns 36" in found["Tom Year"].text
    assert db.contact("Lea Born").birthday == "--12-07"  # kept year-less
    assert next_birthday("--02-29", dt.date(2027, 3, 1)) == dt.date(2028, 2, 29)


def test_a_birthday_in_a_note_is_the_day_its_own_sentence_names(db):
    with db.transaction():
        contact = db.ensure_contact("Mira Holt")
        note = db.insert_note(contact, dt.date(2026, 11, 20), "…", [], "d-birthday")
        db.insert_item(note, contact, Item(kind=Kind.PERSONAL, position=0, date=dt.date(2026, 11, 20), text=(
            "Her son starts his apprenticeship on Dec 6. Her birthday is Dec 8, she wants no fuss.")), None)
    assert [(r.contact, r.due) for r in birthdays(db, TODAY)] == [("Mira Holt", dt.date(2026, 12, 8))]


def test_duplicates_are_told_by_the_whole_name_not_a_shared_surname(db):
    """Without companies the names alone decide: a typo is one person, two given names are two (the scorer
    before said 95% alike of Ingrid and Astrid Solberg)."""
    import_people(db, ContactFile(kind="vcard", people=[
        Person(where=f"card {n}", name=name) for n, name in enumerate(
            ("Ingrid Solberg", "Ingrid Solbreg", "Astrid Solberg", "Matteo Greco", "Giulia Greco"), start=1)]))
    assert [(p.a, p.b) for p in likely_duplicates(db)] == [("Ingrid Solberg", "Ingrid Solbreg")]


def test_duplicates_and_merge_keep_everything(db):
    import_people(db, export())
    with db.transaction():
        db.ensure_contact("Ana Lyma")
        db.insert_note(db.contact("Ana Lyma").id, TODAY, "Met at the fair.", [], "digest-1")
    pairs = {(p.a, p.b) for p in likely_duplicates(db)}
    assert ("Ana Lima", "Ana Lyma") in pairs
    assert not any(a == b == "Dan Weber" for a, b in pairs)  # two profiles: two people
    result = merge(db, "Ana Lima", "Ana Lyma")
    assert result == {"kept": "Ana Lima", "merged": "Ana Lyma", "notes_moved": 1}
    ana = db.contact("Ana Lima")
    assert ana.stage == Stage.MET and ana.last_met == TODAY and db.find_contact("Ana Lyma") is None


def test_a_stage_set_by_hand_survives_a_re_import_until_something_newer_happens(db):
    import_people(db, export())
    set_stage(db, "Ana Lima", Stage.CONNECTED, TODAY)  # the offer was a mistake
    import_people(db, export())
    assert db.contact("Ana Lima").stage == Stage.CONNECTED
    later = Message(where="line 9", conversation_id="c1", sent_at=dt.datetime(2026, 12, 4, 9), sender="Robin Ellis",
                    recipients=["Ana Lima"], recipient_urls=[ANA], content="Could we find 20 minutes for a call?")
    import_people(db, export(messages=[later]))
    assert db.contact("Ana Lima").stage == Stage.OFFERED


def test_received_invitations_are_not_counted_as_sent(db):
    received = Invitation(where="line 4", sent_at=dt.datetime(2026, 10, 29, 8), outgoing=False, name="Pia Lund")
    import_people(db, export(invitations=[*export().invitations, received]))
    report = funnel(db, TODAY, weeks=6)
    assert {w["week"]: w["invited"] for w in report["weeks"]}["2026-W44"] == 2
    assert report["invitations"] == {"sent": 2, "accepted": 1}
