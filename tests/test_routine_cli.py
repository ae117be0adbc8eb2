"""The routine from the command line: a LinkedIn export in, the funnel out, and a round trip through vCard and
JSON into an empty home (contacts only: no model needed)."""

from __future__ import annotations

import shutil

from app.config import DATA_DIR
from tests.conftest import Kith

EXPORT = DATA_DIR / "demo_linkedin"
FIELDS = ("name", "company", "role", "location", "linkedin_url", "emails", "phones", "birthday", "tags")


def kith_in(tmp_path, name: str) -> Kith:
    return Kith(tmp_path / name, tmp_path / f"{name}.log")


def test_import_a_linkedin_export_then_the_funnel_and_nothing_twice(tmp_path):
    kith = kith_in(tmp_path, "home")
    dry = kith.ok("import", str(EXPORT), "--dry-run", "--json").json()
    assert dry["kind"] == "linkedin-export" and dry["added"] > 100
    assert kith.ok("contacts", "--json").json() == []  # a dry run writes nothing
    first = kith.ok("import", str(EXPORT), "--json").json()
    assert first["added"] == dry["added"] and first["problems"] == []
    again = kith.ok("import", str(EXPORT), "--json").json()
    assert (again["added"], again["updated"]) == (0, 0)
    contacts = kith.ok("contacts", "--json").json()
    assert len(contacts) == first["added"]
    assert len([c for c in contacts if c["name"] == "Daniel Weber"]) == 2
    assert any(c["linkedin_url"] and "jürgen" in c["linkedin_url"] for c in contacts)  # decoded, joined once
    funnel = kith.ok("funnel", "--json").json()
    assert funnel["stages"]["invited"] >= funnel["stages"]["connected"] >= funnel["stages"]["offered"] > 0
    assert {w["stage"] for w in funnel["waiting"]} == {"connected", "offered"}


def test_a_dry_run_writes_nothing_not_even_a_new_home(tmp_path):
    from tests.conftest import tree_digest

    notes = tmp_path / "notes.jsonl"
    notes.write_text('{"contact": "Ana Lima", "date": "2026-11-02", "text": "Her team keeps missing deadlines."}\n')
    new = kith_in(tmp_path, "new")
    assert new.ok("import", str(EXPORT), "--dry-run", "--json").json()["added"] == 178
    assert new.ok("import", str(notes), "--dry-run", "--json").json()["added"] == 1
    assert "Nothing written (--dry-run)." in new.ok("import", str(EXPORT / "Connections.csv"), "--dry-run").out
    assert not new.home.exists()
    old = kith_in(tmp_path, "old")
    old.ok("import", str(EXPORT / "Connections.csv"))
    before = (sorted(p.name for p in old.home.iterdir()), tree_digest(old.home))
    dry = old.ok("import", str(EXPORT), "--dry-run", "--json").json()
    assert (dry["added"], dry["updated"]) == (70, 108)  # the invited who never connected; the connected gain events
    assert (sorted(p.name for p in old.home.iterdir()), tree_digest(old.home)) == before == (["kith.db"], before[1])


def test_a_zip_of_the_export_imports_the_same(tmp_path):
    archive = shutil.make_archive(str(tmp_path / "export"), "zip", EXPORT)
    folder, zipped = kith_in(tmp_path, "a"), kith_in(tmp_path, "b")
    assert folder.ok("import", str(EXPORT), "--json").json()["added"] == \
        zipped.ok("import", archive, "--json").json()["added"]


def test_round_trip_through_vcard_and_json_into_an_empty_home(tmp_path):
    source = kith_in(tmp_path, "source")
    source.ok("import", str(EXPORT))
    source.ok("cadence", "Amelia Hart", "6w")
    (tmp_path / "all.vcf").write_text(source.ok("export", "--format", "vcard").out)
    source.ok("export", "--format", "json", "-o", str(tmp_path / "all.json"))
    by_vcard, by_json = kith_in(tmp_path, "vcard"), kith_in(tmp_path, "json")
    assert by_vcard.ok("import", str(tmp_path / "all.vcf"), "--json").json()["kind"] == "vcard"
    by_json.ok("import", str(tmp_path / "all.json"))

    def people(kith: Kith) -> list[tuple]:
        return sorted(tuple(str(c[f]) for f in FIELDS) for c in kith.ok("contacts", "--json").json())

    assert people(by_vcard) == people(source) == people(by_json)
    assert by_vcard.ok("import", str(tmp_path / "all.vcf"), "--json").json()["added"] == 0  # changes nothing
    moved = {c["name"]: c for c in by_json.ok("contacts", "--json").json()}
    assert moved["Amelia Hart"]["cadence_days"] == 42 and moved["Amelia Hart"]["stage"] == "offered"
    assert by_json.ok("funnel", "--json").json()["stages"] == source.ok("funnel", "--json").json()["stages"]


def test_a_note_after_tomorrow_and_an_unknown_file_are_one_line_errors(tmp_path):
    kith = kith_in(tmp_path, "home")
    future = kith("add", "--contact", "Ana Lima", "--date", "2099-01-01", "We talked about hiring.")
    assert future.code == 1 and "after tomorrow" in future.err and len(future.err.splitlines()) == 1
    for said in ("next friday", "in 3 days"):  # said in words, a day to come is named as one, not as unreadable
        ahead = kith("add", "--contact", "Ana Lima", "--date", said, "We talked about hiring.")
        assert ahead.code == 1 and "is still to come" in ahead.err and len(ahead.err.splitlines()) == 1
    (tmp_path / "random.csv").write_text("a,b,c\n1,2,3\n")
    unknown = kith("import", str(tmp_path / "random.csv"))
    assert unknown.code == 1 and len(unknown.err.strip().splitlines()) == 1
    assert kith.ok("contacts", "--json").json() == []


def test_version():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "app.cli", "--version"], capture_output=True, text=True).stdout
    assert out.startswith("kith ")


def test_an_introduction_moves_step_by_step_with_drafts_and_shows_on_both_recaps(tmp_path):
    kith = kith_in(tmp_path, "home")
    kith.ok("add", "--contact", "Ines Roth", "--date", "2026-11-02",
            "Her support team drowns in repeat tickets about password resets.")
    kith.ok("add", "--contact", "Karl Obi", "--date", "2026-11-03",
            "What cut their repeat password-reset tickets in half was a self-service reset page.")
    preview = kith.ok("intro", "Ines Roth", "Karl Obi", "--json").json()
    assert preview["step"] == "" and "Hi Ines" in preview["draft"] and preview["next"] == ["asked-a"]
    assert kith.ok("intros", "--json").json() == []  # looking at the draft records nothing
    kith.ok("intro", "Ines Roth", "Karl Obi", "--step", "asked-a")
    refused = kith("intro", "Ines Roth", "Karl Obi", "--step", "introduced")
    assert refused.code == 1 and "next: a-yes, a-no" in refused.err
    to_solver = kith.ok("intro", "Ines Roth", "Karl Obi", "--step", "a-yes", "--json").json()["draft"]
    assert "Hi Karl" in to_solver and "password resets" not in to_solver  # not told her problem before both agree
    for step in ("asked-b", "b-yes", "introduced", "helped"):
        kith.ok("intro", "Ines Roth", "Karl Obi", "--step", step)
    ledger = kith.ok("intros", "--json").json()
    assert [i["step"] for i in ledger] == ["helped"] and len(ledger[0]["history"]) == 6
    for name in ("Ines Roth", "Karl Obi"):
        assert kith.ok("recap", name, "--json").json()["intros"][0]["step"] == "helped"


def test_my_own_problem_is_matched_like_anyones_and_a_birthday_in_a_note_is_a_reminder(tmp_path):
    import datetime as dt

    kith = kith_in(tmp_path, "home")
    kith.ok("add", "--contact", "me", "I keep struggling to get clients to pay my invoices on time.")
    kith.ok("add", "--contact", "Lior Pan", "--date", "yesterday",
            "What finally fixed her late-paying clients was sending invoices with a two-week due date and "
            "an automatic reminder.")
    matches = kith.ok("matches", "--contact", "me", "--json").json()
    assert [(m["problem"]["contact"], m["solution"]["contact"]) for m in matches] == [("me", "Lior Pan")]
    assert kith.ok("funnel", "--json").json()["stages"]["met"] == 1  # the user is not in their own funnel
    soon = dt.date.today() + dt.timedelta(days=2)
    kith.ok("add", "--contact", "Lior Pan", f"Her birthday is on {soon:%B} {soon.day}, she's planning a hike.")
    reminders = [f for f in kith.ok("followups", "--json").json() if f["kind"] == "birthday"]
    assert [(r["contact"], r["due"]) for r in reminders] == [("Lior Pan", soon.isoformat())]


def test_only_a_note_of_a_conversation_moves_someone_to_met(tmp_path):
    """A message, a missed call or news of someone is no meeting: the funnel waits for the call's note."""
    import datetime as dt

    from app.core.funnel import iso_week

    kith = kith_in(tmp_path, "home")
    kith.ok("import", str(EXPORT))

    def paul() -> tuple[str, list[str], int]:
        contact = next(c for c in kith.ok("contacts", "--json").json() if c["name"] == "Paul Jennings")
        funnel = kith.ok("funnel", "--json").json()
        waits = [w["stage"] for w in funnel["waiting"] if w["contact"] == "Paul Jennings"]
        return contact["stage"], waits, funnel["weeks"][-1]["met"]

    assert paul() == ("connected", ["connected"], 0)
    kith.ok("add", "--contact", "Paul Jennings", "Paul emailed: can't do Thursday, could we try next week?")
    kith.ok("add", "--contact", "Paul Jennings", "Tried to call Paul, no answer, left a voicemail.")
    assert paul() == ("connected", ["connected"], 0)
    kith.ok("add", "--contact", "Paul Jennings", "Coffee with Paul at the station. His team of six keeps missing "
            "release dates; he wants to talk to someone who fixed that.")
    assert paul() == ("met", [], 1)
    assert kith.ok("funnel", "--json").json()["weeks"][-1]["week"] == iso_week(dt.date.today())


def test_a_note_that_introduces_the_contact_fills_their_empty_details(tmp_path):
    kith = kith_in(tmp_path, "home")
    kith.ok("add", "--contact", "Jo Bell", "Jo Bell, head of ops at Northwind. They struggle with rota planning.")
    jo = kith.ok("contacts", "--json").json()[0]
    assert (jo["role"], jo["company"]) == ("head of ops", "Northwind")
    kith.ok("add", "--contact", "Kavitha Sundaram",
            "- Kavitha Sundaram, COO at a dental clinic chain in Leeds\n- no-shows")
    kith.ok("add", "--contact", "Aoife Byrne", "Aoife: summer hiring sorted with a student scheme.")
    kith.ok("add", "--contact", "Dev Malhotra", "Dev Malhotra, owns a farm outside Pune with a vegetable box scheme.")
    found = {c["name"]: (c["role"], c["company"]) for c in kith.ok("contacts", "--json").json()}
    assert found["Kavitha Sundaram"] == ("COO", "a dental clinic chain in Leeds")  # a bullet's intro line too
    assert found["Aoife Byrne"] == found["Dev Malhotra"] == (None, None)  # what someone did is not who they are


def test_a_cadence_for_a_tag_no_one_has_is_one_line_and_sets_nothing(tmp_path):
    kith = kith_in(tmp_path, "home")
    cards = tmp_path / "mentors.vcf"
    cards.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Mo Reyes\nCATEGORIES:mentors\nEND:VCARD\n")
    kith.ok("import", str(cards))
    for tag, every in (("mentor", "30d"), ("Mentors", "6w"), ("nobody", "off")):
        refused = kith("cadence", "--tag", tag, every)
        assert refused.code == 1 and len(refused.err.strip().splitlines()) == 1
        assert f"no contact is tagged {tag!r}" in refused.err
    assert "did you mean 'mentors'?" in kith("cadence", "--tag", "mentor", "30d").err
    assert kith.ok("contacts", "--json").json()[0]["cadence_days"] is None
    assert kith.ok("cadence", "--tag", "mentors", "30d", "--json").json()["contacts"] == 1
    assert [f["contact"] for f in kith.ok("followups", "--json").json()] == ["Mo Reyes"]  # never in touch: due
    kith.ok("cadence", "--tag", "mentors", "off")
    assert kith.ok("followups", "--json").json() == []


def test_a_mistyped_name_is_answered_with_the_closest_one(tmp_path):
    kith = kith_in(tmp_path, "home")
    kith.ok("import", str(EXPORT))
    missed = kith("touch", "kwame")
    assert missed.code == 1 and "did you mean 'Kwame Mensah'?" in missed.err
    far = kith("touch", "Zoltan Kiss")
    assert far.code == 1 and "did you mean" not in far.err and len(far.err.strip().splitlines()) == 1
    kith.ok("add", "--contact", "Kwame Osei", "Met at the port logistics fair.")
    two = kith("recap", "kwame")  # a first name two contacts share: both offered, neither guessed
    assert two.code == 1 and "did you mean 'Kwame Mensah', 'Kwame Osei'?" in two.err
    added = kith.ok("add", "--contact", "Kwame", "Asked about cold storage.")  # saved, and both named as maybe him
    assert "if it is one of 'Kwame Mensah', 'Kwame Osei'" in added.err
