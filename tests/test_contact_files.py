"""Contact files as people really export them: LinkedIn (files, folder, zip), vCards from five exporters, Google CSVs.

Every fixture under tests/fixtures/contact_files is invented (people, companies, addresses).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from app.core.contact_files import detect, read_contact_file, write_vcards
from app.errors import KithError
from models import Contact, ContactFile

FIXTURES = Path(__file__).parent / "fixtures" / "contact_files"
EXPORT = FIXTURES / "linkedin_export"
UTC = dt.UTC


def read(name: str) -> ContactFile:
    found = read_contact_file(FIXTURES / name)
    assert found is not None, f"{name} was not recognised"
    return found


def by_name(found: ContactFile) -> dict:
    return {p.name: p for p in found.people}


def problems(found: ContactFile) -> list[tuple[str, str]]:
    return [(p.where, p.reason) for p in found.problems]


# LinkedIn Connections.csv


def test_connections_with_the_preamble_import_every_row_numbered_by_file_line():
    found = read("connections_preamble.csv")
    assert found.kind == "linkedin-connections"
    assert [(p.where, p.name) for p in found.people] == [
        ("line 5", "Ilse Vandermeer"), ("line 6", "Tomasz Wierzbicki"), ("line 7", "Odile Fournier"),
        ("line 8", "Kenji Arakawa")]
    ilse = found.people[0]
    assert (ilse.company, ilse.role, ilse.connected_on) == (
        "Tulpbloem Analytics", "Data Engineer", dt.date(2024, 10, 9))
    assert ilse.linkedin_url == "https://www.linkedin.com/in/ilse-vandermeer-7c1d2e"
    assert found.problems == []


def test_connections_empty_emails_are_no_emails_and_the_one_given_is_lower_cased():
    people = by_name(read("connections_preamble.csv"))
    assert people["Odile Fournier"].emails == ["odile.fournier@example.fr"]
    assert [p.emails for n, p in people.items() if n != "Odile Fournier"] == [[], [], []]


def test_connections_profile_urls_lose_trailing_slash_and_query():
    people = by_name(read("connections_preamble.csv"))
    assert people["Odile Fournier"].linkedin_url == "https://www.linkedin.com/in/odilefournier"
    assert people["Kenji Arakawa"].linkedin_url == "https://www.linkedin.com/in/kenji-arakawa-55"
    assert (people["Kenji Arakawa"].company, people["Kenji Arakawa"].role) == (None, None)


def test_connections_without_the_url_column():
    found = read("connections_no_url.csv")
    assert found.kind == "linkedin-connections"
    bea, samir = found.people
    assert (bea.where, bea.name, bea.emails, bea.company, bea.role, bea.linkedin_url, bea.connected_on) == (
        "line 5", "Beatrix Holloway", ["bea.holloway@example.net"], "Holloway Ropeworks", "Owner", None,
        dt.date(2017, 8, 12))
    assert (samir.name, samir.company, samir.emails) == ("Samir Bensalem", "Medina Logistics", [])


def test_connections_resaved_by_excel_with_crlf_and_short_dates():
    assert b"\r\n" in (FIXTURES / "connections_excel.csv").read_bytes()  # the fixture is what Excel writes
    found = read("connections_excel.csv")
    assert [(p.where, p.name, p.connected_on) for p in found.people] == [
        ("line 2", "Greta Lindqvist", dt.date(2026, 2, 6)), ("line 3", "Emeka Obi", dt.date(2019, 11, 28)),
        ("line 4", "Paula Brandt", dt.date(2024, 10, 9))]
    assert found.people[0].role == "CTO"  # the last column before the date, no "\r" left on anything


def test_connections_blank_rows_are_problems_and_the_rest_imports():
    found = read("connections_blank_row.csv")
    assert [(p.where, p.name) for p in found.people] == [("line 2", "Hana Kovac"), ("line 6", "Marek Dvorak")]
    assert problems(found) == [("line 3", "no name"), ("line 7", "no name")]


def test_connections_quoted_fields_keep_their_commas():
    rosa, adaeze = read("connections_quoted_commas.csv").people
    assert (rosa.company, rosa.role, rosa.connected_on) == (
        "Quintero, Ruiz & Asociados", "Partner, Litigation", dt.date(2023, 3, 1))
    assert (adaeze.name, adaeze.company, adaeze.role) == (
        "Adaeze Okafor, PhD", "Lumen Labs, Inc.", 'Head of "Applied" Research')


def test_connections_names_lose_tabs_stray_spaces_and_emoji():
    found = read("connections_emoji.csv")
    assert [p.name for p in found.people] == ["Ana Lima", "Kwame Mensah", "Kavitha Sundaram", "Zoë Graf", "Ben Carter"]
    assert found.people[2].linkedin_url == "https://www.linkedin.com/in/kavitha-sundaram"


def test_percent_encoded_connection_url_joins_the_unicode_invitation_url():
    connections = by_name(read("connections_percent_url.csv"))
    invitations = {i.name: i for i in read("invitations.csv").invitations}
    jurgen = connections["Jürgen Müller"]
    assert jurgen.linkedin_url == "https://www.linkedin.com/in/jürgen-müller-4b2a1"
    assert invitations["Jürgen Müller"].linkedin_url == jurgen.linkedin_url
    assert connections["Søren Østergaard"].linkedin_url == "https://www.linkedin.com/in/søren-østergaard"


def test_two_connections_with_one_name_are_two_people():
    first, second = read("connections_same_name.csv").people
    assert first.name == second.name == "Maria Santos"
    assert (first.linkedin_url, first.company) == ("https://www.linkedin.com/in/maria-santos-lisboa", "Tejo Bank")
    assert (second.linkedin_url, second.company) == ("https://www.linkedin.com/in/maria-santos-porto-2", "Douro Wines")


def test_connections_resaved_by_excel_with_semicolons(tmp_path):
    resaved = tmp_path / "Connections.csv"
    resaved.write_text("First Name;Last Name;URL;Email Address;Company;Position;Connected On\r\n"
                       "Greta;Lindqvist;https://www.linkedin.com/in/greta-lindqvist-3f;;Fjord, Robotics;CTO;"
                       "6-Feb-26\r\n")
    (greta,) = read_contact_file(resaved).people
    assert (greta.name, greta.company, greta.connected_on) == (
        "Greta Lindqvist", "Fjord, Robotics", dt.date(2026, 2, 6))


def test_a_damaged_csv_keeps_the_rows_before_the_damage(tmp_path):
    damaged = tmp_path / "Connections.csv"
    damaged.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                       "Hana,Kovac,,,Sava Systems,Analyst,02 Feb 2022\n"
                       'Marek,"Dvorak' + "x" * 200_000 + "\n")
    found = read_contact_file(damaged)
    assert [p.name for p in found.people] == ["Hana Kovac"]
    assert [p.where for p in found.problems] == ["line 3"]
    assert found.problems[0].reason.startswith("cannot be read from here on")


# LinkedIn Invitations.csv and messages.csv


def test_invitations_name_the_other_person_and_the_owner():
    found = read("invitations.csv")
    assert found.kind == "linkedin-invitations"
    assert (found.owner, found.owner_url) == ("Noor Haddad", "https://www.linkedin.com/in/noor-haddad")
    assert [(i.where, i.name, i.outgoing, i.sent_at) for i in found.invitations] == [
        ("line 2", "Jürgen Müller", True, dt.datetime(2026, 2, 12, 11, 44)),
        ("line 3", "Linnea Berg", False, dt.datetime(2026, 1, 3, 21, 5)),
        ("line 4", "Felipe Araujo", True, dt.datetime(2025, 12, 30, 0, 15))]
    linnea = found.invitations[1]
    assert (linnea.linkedin_url, linnea.message) == ("https://www.linkedin.com/in/linnea-berg", None)
    assert found.invitations[0].message == "Hi Jürgen, great talk on bridge loads at the Hamburg meetup!"
    assert problems(found) == [("line 5", "the date 'yesterday' is not a date")]


def test_invitations_without_url_columns():
    found = read("invitations_no_urls.csv")
    assert (found.kind, found.owner, found.owner_url) == ("linkedin-invitations", "Noor Haddad", None)
    assert [(i.name, i.outgoing, i.sent_at, i.linkedin_url) for i in found.invitations] == [
        ("Felipe Araujo", True, dt.datetime(2024, 7, 4, 15, 30), None),
        ("Chidi Nwosu", False, dt.datetime(2024, 8, 19, 10, 2), None)]
    assert found.invitations[0].message == "Loved your post on cold-chain logistics"


def test_messages_multiline_several_recipients_extra_columns_and_drafts_left_out():
    found = read("messages.csv")
    assert found.kind == "linkedin-messages"
    assert [(m.where, m.sender) for m in found.messages] == [
        ("line 2", "Noor Haddad"), ("line 7", "Jürgen Müller"), ("line 8", "Noor Haddad"), ("line 11", "Felipe Araujo")]
    first, _, group, unpaired = found.messages
    assert first.content == ("Hi Jürgen,\n\nthanks for the slides. Could we talk about the Elbe crossing, "
                             "the one with the 300 m span?\n\nNoor")
    assert (first.subject, first.conversation_id) == ("Bridge loads", "2-ZmVkY2JhOTg3")
    assert first.sent_at == dt.datetime(2026, 2, 14, 9, 31, 7, tzinfo=UTC)
    assert first.recipient_urls == ["https://www.linkedin.com/in/jürgen-müller-4b2a1"]
    assert group.recipients == ["Linnea Berg", "Felipe Araujo"]
    assert group.recipient_urls == ["https://www.linkedin.com/in/linnea-berg",
                                    "https://www.linkedin.com/in/felipe-araujo-1"]
    assert unpaired.recipients == ["Noor Haddad", "LinkedIn Member"]
    assert unpaired.recipient_urls == []  # one URL is missing: none rather than one given to the wrong person
    assert all("draft" not in m.content for m in found.messages)
    assert problems(found) == [("line 10", "no sender")]


def test_messages_of_an_older_export_are_read_by_column_name():
    (message,) = read("messages_old.csv").messages
    assert (message.sender, message.sender_url, message.recipients, message.subject) == (
        "Chidi Nwosu", "https://www.linkedin.com/in/chidi-nwosu", ["Noor Haddad"], "Intro")
    assert message.content == "Hello Noor,\nAda suggested we talk about warehouse sensors."
    assert message.sent_at == dt.datetime(2023, 5, 2, 14, 10, 44, tzinfo=UTC)


# A whole LinkedIn export


def check_export(found: ContactFile, connections: str, messages: str) -> None:
    assert found.kind == "linkedin-export"
    assert (found.owner, found.owner_url) == ("Noor Haddad", "https://www.linkedin.com/in/noor-haddad")
    assert [(p.where, p.name) for p in found.people] == [
        (f"{connections} line 5", "Jürgen Müller"), (f"{connections} line 6", "Linnea Berg"),
        (f"{connections} line 8", "Felipe Araujo")]
    assert [i.name for i in found.invitations] == ["Otto Brenner", "Jürgen Müller"]
    assert [(m.sender, m.content) for m in found.messages] == [("Jürgen Müller", "Gern!\nThursday at 10?")]
    assert problems(found) == [(f"{connections} line 7", "no name"),
                               (f"{messages} line 4", "the date 'not a date' is not a date")]


def test_export_folder_merges_its_files_and_ignores_the_others():
    check_export(read("linkedin_export"), "Connections.csv", "messages.csv")


def test_export_zip_reads_like_the_folder(tmp_path):
    archive = tmp_path / "Basic_LinkedInDataExport_02-14-2026.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(EXPORT.rglob("*")):
            zipped.write(path, path.relative_to(EXPORT).as_posix())
    assert read_contact_file(archive) == read_contact_file(EXPORT)


def test_export_zip_file_names_in_any_case_at_the_top(tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("old/2019/Connections.csv", "First Name,Last Name,Connected On\nOld,Backup,01 Jan 2019\n")
        for path in (EXPORT / "Basic_LinkedInDataExport_02-14-2026").glob("*.csv"):
            zipped.write(path, path.name.upper())
    check_export(read_contact_file(archive), "CONNECTIONS.CSV", "MESSAGES.CSV")


def test_export_owner_comes_from_profile(tmp_path):
    for name in ("Profile.csv", "Connections.csv"):
        shutil.copyfile(EXPORT / "Basic_LinkedInDataExport_02-14-2026" / name, tmp_path / name)
    found = read_contact_file(tmp_path)
    assert (found.kind, found.owner, found.owner_url) == ("linkedin-export", "Noor Haddad", None)
    assert [p.name for p in found.people] == ["Jürgen Müller", "Linnea Berg", "Felipe Araujo"]


# vCards


def test_vcard_from_apple():
    found = read("apple.vcf")
    greta, rosa = found.people
    assert (greta.where, greta.name, greta.company, greta.role) == (
        "card 1", "Greta Lindqvist", "Fjord Robotics", "CTO")
    assert greta.emails == ["greta@fjord-robotics.example", "greta.l@example.se"]
    assert greta.phones == ["+46 70 123 45 67"]
    assert greta.location == "Göteborg, Sweden"
    assert greta.birthday == "--03-09"  # Apple's placeholder year 1604 means "no year"
    assert greta.linkedin_url == "https://www.linkedin.com/in/greta-lindqvist-3f"
    assert greta.tags == ["Robotics", "Conference 2026"]
    assert rosa.company == "Quintero, Ruiz & Asociados Abogados Especialistas en Derecho Mercantil Internacional"
    assert (rosa.linkedin_url, rosa.birthday) == ("https://www.linkedin.com/in/rosa-quintero-88", "1984-11-02")
    assert found.problems == []


def test_vcard_from_google_with_its_three_birthday_styles():
    found = read("google.vcf")
    assert [(p.name, p.birthday) for p in found.people] == [
        ("Emeka Obi", "--04-14"), ("Paula Brandt", "1990-04-14"), ("Marek Dvorak", "1985-12-31")]
    emeka = found.people[0]
    assert emeka.linkedin_url == "https://www.linkedin.com/in/emeka-obi"
    assert emeka.tags == ["Design"]  # not Google's own "myContacts"
    assert found.people[1].tags == []


def test_vcard_from_android_in_quoted_printable():
    found = read("android.vcf")
    anna, pedro, jose, renee = found.people
    assert (anna.name, anna.company) == ("Анна Иванова", "Северсталь")  # FN has a soft line break
    assert anna.phones == ["+7 912 555-01-23", "+7 495 555 0000"]
    assert anna.emails == ["anna.ivanova@example.ru"]
    assert (pedro.where, pedro.name, pedro.phones) == ("card 2", "Henrique Prates", ["+55 11 95555-0000"])
    assert (jose.where, jose.name) == ("card 3", "José María Peña")  # parameters in lower case
    assert (renee.name, renee.company) == ("Renée Faßbender", "Mühlenwerk Faßbender")  # Latin-1 labelled UTF-8
    assert renee.phones == ["+49 40 555 0123"]  # after a photo whose base64 lines are not indented
    assert found.problems == []


def test_vcard_from_outlook_with_bare_parameters():
    (bea,) = read("outlook.vcf").people
    assert bea.name == "Beatrix Holloway"
    assert (bea.company, bea.role) == ("Holloway Ropeworks, Ltd.", "Owner, Head Rigger")  # bare commas are text
    assert bea.phones == ["(555) 010-4477", "(555) 010-9911"]
    assert bea.emails == ["bea.holloway@example.net"]
    assert bea.location == "Bristol, Harbourside, United Kingdom"
    assert bea.linkedin_url == "https://www.linkedin.com/in/beatrix-holloway"


def test_vcard_4_with_a_data_uri_photo():
    found = read("vcard4.vcf")
    (odile,) = found.people
    assert (odile.name, odile.birthday, odile.location) == ("Odile Fournier", "--02-29", "Lyon, France")
    assert (odile.phones, odile.emails) == (["+33-6-12-34-56-78"], ["odile@atelier-fournier.example"])
    assert (odile.linkedin_url, odile.tags) == ("https://www.linkedin.com/in/odilefournier", ["Ceramics", "Lyon"])
    assert found.problems == []


def test_vcard_names_from_n_from_fn_none_and_non_latin():
    found = read("names.vcf")
    assert [(p.where, p.name) for p in found.people] == [
        ("card 1", "Dr. Tomasz Wierzbicki"), ("card 2", "Chiamaka Obi"), ("card 4", "王小明"),
        ("card 5", "فاطمة الزهراء"), ("card 6", "Дмитрий Соколов")]
    assert found.people[2].company == "深圳光电"
    assert problems(found) == [("card 3", "no name")]


def test_vcard_a_bad_card_among_good_ones_costs_only_itself():
    found = read("bad_card.vcf")
    assert [(p.where, p.name) for p in found.people] == [("card 1", "Hana Kovac"), ("card 3", "Marek Dvorak")]
    assert [where for where, _ in problems(found)] == ["card 2", "card 4"]
    assert "this line has no colon" in found.problems[0].reason
    assert found.problems[1].reason == "no END:VCARD (cut short)"


# Google Contacts CSV


def test_google_csv_old_header():
    found = read("google_old.csv")
    assert found.kind == "google-csv"
    chidi, ines = found.people
    assert (chidi.where, chidi.name, chidi.company, chidi.role) == (
        "line 2", "Chidi Nwosu", "Nwosu Sensors, Ltd.", "Founder")
    assert chidi.emails == ["chidi@nwosu-sensors.example", "chidi.nwosu@example.com"]
    assert chidi.phones == ["+234 803 555 0199", "+234 1 555 0000"]
    assert (chidi.birthday, chidi.location, chidi.tags) == ("--04-14", "Lagos, Nigeria", ["Suppliers"])
    assert chidi.linkedin_url == "https://www.linkedin.com/in/chidi-nwosu"
    assert (ines.where, ines.name, ines.birthday, ines.tags) == ("line 5", "Ines Maria Carvalho", "1988-07-30", [])
    assert problems(found) == [("line 6", "no name")]


def test_google_csv_new_header():
    found = read("google_new.csv")
    assert found.kind == "google-csv"
    linnea, yusuf, henk = found.people
    assert (linnea.name, linnea.company, linnea.role, linnea.location) == (
        "Linnea Berg", "Skog Studio", "Illustrator", "Stockholm, Sweden")
    assert (linnea.emails, linnea.phones, linnea.birthday) == (["linnea@example.se"], ["+46 70 555 12 34"], "--11-23")
    assert linnea.tags == ["Friends", "Stockholm trip"]
    assert linnea.linkedin_url == "https://www.linkedin.com/in/linnea-berg"
    assert (yusuf.name, yusuf.company, yusuf.emails, yusuf.tags) == (
        "Dr. Emre Kaplan", "Boğaziçi Med", ["emre@kaplan.example"], ["Doctors"])
    assert (henk.where, henk.name, henk.phones, henk.tags) == ("line 5", "Opa Henk", ["+31 6 5555 0101"], ["Family"])
    assert problems(found) == [("line 4", "no name")]


# Kinds, and files that cannot be read


@pytest.mark.parametrize(("fixture", "kind"), [
    ("connections_preamble.csv", "linkedin-connections"), ("invitations.csv", "linkedin-invitations"),
    ("messages.csv", "linkedin-messages"), ("google_new.csv", "google-csv"), ("google_old.csv", "google-csv"),
    ("outlook.vcf", "vcard")])
def test_the_kind_comes_from_the_content_not_the_name(tmp_path, fixture, kind):
    renamed = tmp_path / "download (1).txt"
    shutil.copyfile(FIXTURES / fixture, renamed)
    assert detect(renamed) == kind
    assert read_contact_file(renamed).kind == kind


def test_files_of_no_known_kind_give_none(tmp_path):
    (tmp_path / "notes.jsonl").write_text('{"contact": "Ana Lima", "text": "met at the fair"}\n')
    (tmp_path / "empty.csv").write_bytes(b"")
    with zipfile.ZipFile(tmp_path / "photos.zip", "w") as zipped:
        zipped.writestr("holiday/readme.txt", "no contacts here")
    assert read_contact_file(FIXTURES / "unknown_kind.csv") is None
    assert read_contact_file(EXPORT / "Basic_LinkedInDataExport_02-14-2026" / "Profile.csv") is None
    for name in ("notes.jsonl", "empty.csv", "photos.zip"):
        assert read_contact_file(tmp_path / name) is None, name


def test_a_corrupt_zip_cannot_be_read(tmp_path):
    whole = tmp_path / "whole.zip"
    with zipfile.ZipFile(whole, "w") as zipped:
        zipped.write(EXPORT / "Basic_LinkedInDataExport_02-14-2026" / "Connections.csv", "Connections.csv")
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(whole.read_bytes()[:150])
    not_a_zip = tmp_path / "export.zip"
    not_a_zip.write_bytes(b"\x00\x01 this was never an archive")
    for path in (truncated, not_a_zip):
        with pytest.raises(KithError, match="not a readable zip archive"):
            read_contact_file(path)
    damaged = bytearray(whole.read_bytes())
    start = damaged.index(b"Notes:")  # stored uncompressed: the listing is intact, the contents are not
    damaged[start:start + 6] = b"Nxtes:"
    (tmp_path / "damaged.zip").write_bytes(bytes(damaged))
    with pytest.raises(KithError, match="Connections.csv cannot be read from the archive"):
        read_contact_file(tmp_path / "damaged.zip")


def test_a_missing_file_cannot_be_read(tmp_path):
    with pytest.raises(KithError, match="no such file"):
        read_contact_file(tmp_path / "Connections.csv")


def test_parsing_needs_no_database_nor_interface():
    code = ("import sys, app.core.contact_files; "
            "print([m for m in sys.modules if m.startswith(('textual', 'app.store', 'app.tui'))])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parent.parent).stdout
    assert out.strip() == "[]"


# Writing vCards


ROUND_TRIP = [
    Contact(name="Анна Иванова", company="Северсталь; Череповец, Россия", role="Инженер, ведущий",
            location="Череповец, Россия", emails=["anna@example.ru", "a.ivanova@example.com"],
            phones=["+7 912 555-01-23"], birthday="--04-14", tags=["металл, сталь", "друзья;семья"],
            linkedin_url="https://www.linkedin.com/in/анна-иванова-7"),
    Contact(name="王小明", company="Smith, Jones; Partners", role="CEO", location="Berlin,Germany",
            birthday="1990-02-28", linkedin_url="https://www.linkedin.com/in/jürgen-müller-4b2a1"),
    Contact(name="فاطمة الزهراء بنت محمد بن عبد الله الهاشمية القرشية", location="São Paulo, SP, Brazil",
            phones=["+55 11 95555-0000", "(11) 3333-4444"], tags=["Conference 2026"]),
    Contact(name="Okafor, Adaeze", role="Chief Everything Officer, Keeper of the Kettle, Organiser of the Annual "
                                         "Summer Picnic, Treasurer of the Allotment Society and Honorary Secretary of "
                                         "the Friends of the Municipal Library"),
]
FIELDS = ("name", "company", "role", "location", "linkedin_url", "emails", "phones", "birthday", "tags")


def test_written_vcards_read_back_as_the_same_people(tmp_path):
    path = tmp_path / "kith.vcf"
    path.write_text(write_vcards(ROUND_TRIP), encoding="utf-8", newline="")
    found = read_contact_file(path)
    assert (found.kind, found.problems) == ("vcard", [])
    assert [p.model_dump(include=set(FIELDS)) for p in found.people] == [
        c.model_dump(include=set(FIELDS)) for c in ROUND_TRIP]


def test_written_vcards_are_version_4_crlf_folded_at_75_octets():
    text = write_vcards(ROUND_TRIP)
    assert text.count("BEGIN:VCARD\r\nVERSION:4.0\r\n") == len(ROUND_TRIP)
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert max(len(line.encode()) for line in lines) <= 75
    assert any(line.startswith(" ") for line in lines)  # the long Arabic name and role were folded
    assert "BDAY:--0414" in lines and "BDAY:19900228" in lines


def test_a_row_of_the_wrong_shape_or_an_impossible_date_is_named(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                    "Ines,Varga,https://www.linkedin.com/in/ines-varga,,Tallo,Buyer,03 Nov 2026\n"
                    "Half a row with,too few fields\n"
                    "Odo,Renn,https://www.linkedin.com/in/odo-renn,,Pell,Chef,31 Feb 2026\n", encoding="utf-8")
    found = read_contact_file(path)
    assert [p.name for p in found.people] == ["Ines Varga", "Odo Renn"]
    assert found.people[1].connected_on is None
    reasons = {p.where: p.reason for p in found.problems}
    assert "fields where the header has 7" in reasons["line 3"] and "not a date" in reasons["line 4"]
