"""End to end through the real `kith` command: real model, real Chroma store, no network."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEMO, ROOT, SUPPORT, Kith, imported_demo, tree_digest


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Kith:
    """A home with the demo network imported once for the whole module."""
    return imported_demo(tmp_path_factory, "flow")


def test_import_is_idempotent_and_creates_contacts(demo):
    again = demo.ok("import", str(DEMO), "--json").json()
    assert again["added"] == 0 and again["skipped"] == 53
    names = {c["name"] for c in demo.ok("contacts", "--json").json()}
    assert len(names) == 28 and {"Marco Bellini", "Sana Qureshi"} <= names
    marco = next(c for c in demo.ok("contacts", "--json").json() if c["name"] == "Marco Bellini")
    assert marco["last_met"] == "2026-10-20"
    assert set(marco) >= {"name", "company", "role", "location", "tags", "last_met"}


def test_matches_pair_a_problem_with_someone_elses_solution(demo):
    matches = demo.ok("matches", "--limit", "100", "--json").json()
    pairs = {(m["problem"]["contact"], m["solution"]["contact"]) for m in matches}
    assert ("Marco Bellini", "Sana Qureshi") in pairs
    assert ("Fiona MacLeod", "Kwame Mensah") in pairs
    m = next(m for m in matches if m["problem"]["contact"] == "Marco Bellini")
    assert "no-show" in m["problem"]["text"].lower() and "deposit" in m["solution"]["text"].lower()
    assert set(m["problem"]) >= {"contact", "text", "note_id", "date"}
    assert [x["score"] for x in matches] == sorted((x["score"] for x in matches), reverse=True)


def test_same_unsolved_problem_and_failed_attempts_are_not_matches(demo):
    pairs = {frozenset((m["problem"]["contact"], m["solution"]["contact"]))
             for m in demo.ok("matches", "--limit", "1000", "--json").json()}
    assert frozenset(("Rebecca Stone", "Sven Lindqvist")) not in pairs  # both: night staff with no hot food
    assert frozenset(("Marco Bellini", "Priyanka Shah")) not in pairs  # a failed loyalty app, an idea
    assert frozenset(("Ahmed Hassan", "Lars Nilsen")) not in pairs  # both merely use Slack


def test_search_by_meaning_returns_people_with_evidence(demo):
    hits = demo.ok("search", "who stopped guests from not turning up to their reservations", "--json").json()
    assert hits[0]["contact"] == "Sana Qureshi"
    assert "deposit" in hits[0]["text"].lower()
    assert set(hits[0]) >= {"contact", "text", "kind", "date", "note_id", "score"}
    # Results come as people: each person's sentences together, people by their best score.
    runs = [h for i, h in enumerate(hits) if i == 0 or h["contact"] != hits[i - 1]["contact"]]
    assert len({h["contact"] for h in runs}) == len(runs)
    assert [h["score"] for h in runs] == sorted((h["score"] for h in runs), reverse=True)


def test_who_solved_answers_with_the_solver_not_the_person_still_stuck(kith):
    kith.ok("add", "--contact", "Ana Costa", "--date", "2026-10-01",
            "Driver turnover is still not fixed, two more quit in March and nobody knows why.")
    kith.ok("add", "--contact", "Ben Ode", "--date", "2026-10-02",
            "Drivers used to leave his haulage firm within months. Paying for the lorry licences of new hires "
            "turned that around.")
    # What the query asks for is read from its meaning, not from words such as "fixed" or "struggling".
    for query, first in (("who fixed driver turnover", "Ben Ode"), ("anyone found a way to keep drivers", "Ben Ode"),
                         ("who is struggling with driver turnover", "Ana Costa"),
                         ("who keeps losing drivers", "Ana Costa")):
        people = [h["contact"] for h in kith.ok("search", query, "--json").json()]
        assert people[0] == first, query


def test_a_person_two_of_whose_sentences_answer_ranks_above_one_with_only_one_of_them(kith):
    story = ("So at the kennels owners booked grooming and did not come.\n\n"
             "What fixed it was a deposit when you book the grooming slot, no-shows went right down.")
    kith.ok("add", "--contact", "Per Solo", "--date", "2026-10-01", story)
    kith.ok("add", "--contact", "Ola Berg", "--date", "2026-10-02",
            story + "\n\nSince then owners get a reminder text the day before, and almost all of them turn up.")
    hits = kith.ok("search", "who stopped customers missing appointments", "--json").json()
    firsts = [h for i, h in enumerate(hits) if i == 0 or h["contact"] != hits[i - 1]["contact"]]
    assert [h["contact"] for h in firsts] == ["Ola Berg", "Per Solo"]
    assert firsts[0]["text"] == firsts[1]["text"]  # the same best sentence: the second one decides
    assert firsts[0]["score"] > firsts[1]["score"]


def test_a_question_about_health_is_answered_with_personal_details_not_problems(kith):
    kith.ok("add", "--contact", "Ana Costa", "--date", "2026-10-01",
            "Two of her drivers are off hurt after a loading accident and nobody can cover their routes.")
    kith.ok("add", "--contact", "Cleo Marsh", "--date", "2026-10-02",
            "Personal: recovering from a torn knee ligament, physio twice a week.")
    people = [h["contact"] for h in kith.ok("search", "who is dealing with an injury", "--json").json()]
    assert people[0] == "Cleo Marsh"


def test_search_finds_rare_words_and_filters(demo):
    hits = demo.ok("search", "Vasaloppet", "--limit", "3", "--json").json()
    assert hits[0]["contact"] == "Sven Lindqvist"
    only = demo.ok("search", "dogs", "--kind", "personal", "--json").json()
    assert only and all(h["kind"] == "personal" for h in only)
    mine = demo.ok("search", "running", "--contact", "zara ahmed", "--json").json()
    assert mine and {h["contact"] for h in mine} == {"Zara Ahmed"}


def test_recap_has_what_to_read_before_a_call(demo):
    recap = demo.ok("recap", "fiona macleod", "--json").json()
    assert recap["contact"]["name"] == "Fiona MacLeod"
    assert recap["last_met"] == "2026-10-22"
    personal = " ".join(p["text"] for p in recap["personal"])
    assert "Munro" in personal and "bike shop" in personal
    assert all({"text", "date", "note_id"} <= set(p) for p in recap["personal"])
    assert any("attendance" in p["text"].lower() for p in recap["problems"])
    assert "Kwame Mensah" in {m["solution"]["contact"] for m in recap["could_help_them"]}
    dues = {f["due"] for f in recap["followups"]}
    assert "2026-09-18" in dues  # "by Friday", said on Wednesday 2026-09-16
    text = demo.ok("recap", "Fiona MacLeod").out
    assert "Fiona MacLeod" in text and "Munro" in text


def test_followups_follow_the_due_date_rules(demo):
    items = demo.ok("followups", "--all", "--json").json()
    due = {(f["contact"], f["due"]) for f in items}
    assert ("Grace Liu", "2026-09-17") in due  # in two weeks from 2026-09-03
    assert ("Sana Qureshi", "2026-09-30") in due  # end of the month
    assert ("Lars Nilsen", "2026-12-03") in due  # Dec 3
    assert ("Ethan Brooks", "2026-10-30") in due  # in a month
    beatriz = [f for f in items if f["contact"] == "Beatriz Santos" and "new year" in f["text"].lower()]
    assert all(f["due"] is None for f in beatriz)  # vague: never a made-up date
    assert all(set(f) >= {"contact", "text", "due", "done", "note_id", "date"} for f in items)


def test_a_vague_follow_up_under_fu_is_still_a_follow_up(demo):
    items = demo.ok("followups", "--all", "--json").json()
    assert [f["due"] for f in items if f["contact"] == "Beatriz Santos" and "new year" in f["text"].lower()] == [None]


def test_export_json_and_markdown(demo, tmp_path):
    data = demo.ok("export", "--format", "json").json()
    assert len(data["notes"]) == 53 and len(data["contacts"]) == 28
    assert set(data) >= {"contacts", "notes", "followups", "decisions"}
    folder = tmp_path / "people"
    demo.ok("export", "--format", "markdown", "-o", str(folder))
    pages = sorted(folder.glob("*.md"))
    assert len(pages) == 28
    assert "# Marco Bellini" in (folder / "marco-bellini.md").read_text()


def test_plain_search_and_matches_start_at_once_with_one_blank_line_between_each(demo):
    found = demo.ok("search", "who fixed late payments").out.splitlines()
    assert found[0].strip() and "" in found  # a person on the first line, a blank line only between people
    matches = demo.ok("matches", "--limit", "2").out.splitlines()
    assert matches[0].strip() and matches.count("") == 2  # between the pairs, and before what is left out


def test_matches_say_when_more_are_left_out_and_json_gives_just_the_limit(demo):
    assert demo.ok("matches", "--limit", "2").out.splitlines()[-1] == (
        "The best 2 shown; more with --limit (up to 10000).")
    assert "more with --limit" not in demo.ok("matches", "--limit", "10000").out
    assert len(demo.ok("matches", "--limit", "2", "--json").json()) == 2


def test_a_query_nothing_in_the_notes_answers_says_so_above_the_nearest(demo):
    far = demo.ok("search", "who can explain black holes").out.splitlines()
    assert far[0] == "Nothing in your notes is close to “who can explain black holes”. The nearest:"
    assert far[1] == "" and far[2].strip()  # then the nearest people, as ever
    near = demo.ok("search", "who fixed late payments").out
    assert "Nothing in your notes is close" not in near
    hits = demo.ok("search", "who can explain black holes", "--json").json()
    assert hits and all(set(hit) == {"contact", "text", "kind", "date", "note_id", "item_id", "score"} for hit in hits)
    filtered = demo.ok("search", "who can explain black holes", "--kind", "personal").out  # scores of one kind
    assert "Nothing in your notes is close" not in filtered


def test_the_nothing_close_floor_was_fit_with_the_shipped_search_weights():
    """Search's weights set its scores: a floor fit under other weights would say "nothing close" at the wrong
    scores (`python -m app.core.closeness_training` fits it again)."""
    from app.core.search import NOTHING_CLOSE, shipped_weights

    fitted = json.loads(NOTHING_CLOSE.read_text())
    assert fitted["weights"] == dataclasses.asdict(shipped_weights()) and 0 < fitted["floor"] < 1


def test_nothing_reached_the_network(demo):
    demo.ok("search", "who fixed late payments")
    assert demo.network_attempts() == []


# ----------------------------------------------------------------- error paths


def test_bad_json_line_is_named_and_nothing_is_written(demo, tmp_path):
    before = tree_digest(demo.home)
    bad = tmp_path / "bad.jsonl"
    good = json.dumps({"contact": "New Person", "date": "2026-10-01", "text": "they struggle with hiring"})
    bad.write_text(good + "\n{not json\n")
    result = demo("import", str(bad))
    assert result.code != 0
    assert ":2:" in result.err and len(result.err.strip().splitlines()) == 1
    assert tree_digest(demo.home) == before
    assert "New Person" not in {c["name"] for c in demo.ok("contacts", "--json").json()}


@pytest.mark.parametrize("args, message", [
    (("recap", "Nobody We Know"), "no contact named"),
    (("add", "--contact", "Marco Bellini", "   "), "empty"),
    (("search", "   "), "empty"),
    (("add", "--contact", "Marco Bellini", "--date", "someday", "hello"), "date"),
    (("matches", "--limit", "-3"), "limit"),
])
def test_bad_input_exits_non_zero_with_one_line(demo, args, message):
    before = tree_digest(demo.home)
    result = demo(*args)
    assert result.code != 0
    assert message in result.err.lower()
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert tree_digest(demo.home) == before


def test_add_from_stdin_is_understood(kith):
    kith.ok("add", "--contact", "Ana Lima", "--date", "2026-10-05",
            stdin="Her team keeps missing deadlines.\nSend her the planning template tomorrow.")
    follow = kith.ok("followups", "--all", "--json").json()
    assert follow[0]["contact"] == "Ana Lima" and follow[0]["due"] == "2026-10-06"


# ----------------------------------------------------------- no model, no UI

NO_MODEL = """
import sys
from app.cli import main
code = main(sys.argv[1:])
heavy = sorted(m for m in ("torch", "sentence_transformers", "transformers", "textual") if m in sys.modules)
print("HEAVY=" + ",".join(heavy), file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.parametrize("command", [["recap", "Fiona MacLeod"], ["matches"], ["followups", "--all"],
                                     ["contacts"], ["export"]])
def test_commands_without_new_embeddings_never_load_the_model(demo, command):
    env = dict(os.environ, KITH_HOME=str(demo.home), PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", NO_MODEL, *command], env=env, capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY=\n" in proc.stderr or proc.stderr.rstrip().endswith("HEAVY=")


def test_core_imports_without_textual_or_torch():
    code = ("import sys, app.core.capture, app.core.search, app.core.recap, app.core.matching, app.cli;"
            "print([m for m in ('textual', 'torch', 'sentence_transformers') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_telemetry_is_off_by_construction():
    code = ("from app.store.index import client_settings; "
            "print(client_settings('127.0.0.1', 8443, False, 'token').anonymized_telemetry)")
    env = dict(os.environ, ANONYMIZED_TELEMETRY="True")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env,
                         check=True)
    assert out.stdout.strip() == "False"


AUDIT = """
import sys
from app.cli import main
code = main(sys.argv[1:])
heavy = [m for m in ('torch', 'transformers', 'sentence_transformers', 'chromadb') if m in sys.modules]
print('HEAVY', heavy, code)
"""


@pytest.mark.parametrize("args", [
    ("add", "--contact", "Ana Lima", "Her team keeps missing deadlines. Send her the checklist by Friday."),
    ("search", "who fixed missed deadlines"),
    ("import", str(DEMO)),
    ("matches",),
    ("recap", "Ana Lima"),
], ids=["add", "search", "import", "matches", "recap"])
def test_the_commands_people_wait_on_never_import_torch(kith, args):
    """The model runs on ONNX Runtime: torch, transformers and sentence-transformers stay out of these."""
    kith.ok("add", "--contact", "Ana Lima", "She struggles to hire senior nurses.")
    env = dict(os.environ, KITH_HOME=str(kith.home), PYTHONPATH=os.pathsep.join([str(SUPPORT), str(ROOT)]))
    out = subprocess.run([sys.executable, "-c", AUDIT, *args], capture_output=True, text=True, cwd=ROOT, env=env,
                         check=True)
    assert out.stdout.strip().splitlines()[-1] == "HEAVY [] 0", out.stderr
    assert not Path(kith.home, "index").exists()  # on one machine the database's vectors are the index


def test_two_people_stuck_on_one_problem_are_no_match(kith):
    kith.ok("add", "--contact", "Pia Lund", "--date", "2026-10-01",
            "Pia runs a bike-repair shop. Half her booked repairs never turn up and the mechanics sit idle.")
    kith.ok("add", "--contact", "Tariq Aziz", "--date", "2026-10-02",
            "Tariq's physio practice loses a fifth of its slots to patients who don't come; reminder calls "
            "have not helped.")
    assert kith.ok("matches", "--json").json() == []


def test_a_story_that_answers_two_people_s_one_trouble_is_offered_to_both(kith):
    """One trouble recurs across a network: the story that answers it is not taken for a memo near every problem."""
    kith.ok("add", "--contact", "Ysolde Quarn", "--date", "2026-11-02",
            "Ysolde tunes pianos across the county, mostly in private homes. Her pain: clients are not in when she "
            "arrives for the booked slot, so she drives an hour each way for nothing, two or three times a week. Her "
            "son just started at art school in Glasgow.")
    kith.ok("add", "--contact", "Keegan Dufresne", "--date", "2026-11-05",
            "Keegan runs a mobile bike-fitting van. Same trouble as lots of home-visit trades: customers forget the "
            "appointment and aren't home, the van sits outside their door and the afternoon is lost. Loves trail "
            "running.")
    kith.ok("add", "--contact", "Tamsyn Oakes", "--date", "2026-11-09",
            "Tamsyn has a window-cleaning round with four crews. What worked for her: customers used to be out when "
            "the crew turned up, about one visit in six wasted. Now every customer gets a text the evening before "
            "asking them to reply yes, and new customers pay a small card deposit when they book. Wasted visits went "
            "down to almost none within two months.")
    kith.ok("add", "--contact", "Thessaly Ebbe", "--date", "2026-11-16",
            "Thessaly manages a climbing gym. Their problem is staff: the young instructors leave after one season "
            "and she has to train new ones every spring.")
    pairs = {(m["problem"]["contact"], m["solution"]["contact"]) for m in kith.ok("matches", "--json").json()}
    assert {("Ysolde Quarn", "Tamsyn Oakes"), ("Keegan Dufresne", "Tamsyn Oakes")} <= pairs
    assert not any("Thessaly Ebbe" in pair for pair in pairs)


def test_home_given_before_the_command_is_the_home_used(demo, tmp_path):
    """`kith --home DIR add …` writes to DIR, not to $KITH_HOME or the default store (nor the reverse order)."""
    other = tmp_path / "other"
    demo.ok("--home", str(other), "add", "--contact", "Zed Okafor", "Wants the rota article.")
    assert (other / "kith.db").exists()
    listed = {c["name"] for c in demo.ok("contacts", "--home", str(other), "--json").json()}
    assert listed == {"Zed Okafor"}
    assert "Zed Okafor" not in {c["name"] for c in demo.ok("contacts", "--json").json()}


def test_one_item_is_said_as_one(demo, tmp_path):
    home = str(tmp_path / "single")
    out = demo.ok("add", "--home", home, "--contact", "Una Byrne", "Her bakery opens a second shop in May.").out
    assert out.rstrip().endswith("1 item understood.")
    assert "Last met: " in (recap := demo.ok("recap", "Una Byrne", "--home", home).out) and "(1 note)" in recap


def test_a_new_contact_close_to_a_known_name_is_saved_and_the_merge_offered(kith):
    """`kith add` is for scripts too: a new name is a new contact, but one a slip away from a known name says how to
    join the two."""
    kith.ok("add", "--contact", "Nora Feld", "--date", "2026-12-01", "Her delivery vans sit idle every afternoon.")
    slip = kith.ok("add", "--contact", "Nora Fled", "--date", "2026-12-02", "The vans are still idle.")
    assert slip.err.strip() == ("kith: 'Nora Fled' is a new contact; if it is 'Nora Feld', "
                                "`kith merge 'Nora Feld' 'Nora Fled'` joins them")
    assert {c["name"] for c in kith.ok("contacts", "--json").json()} == {"Nora Feld", "Nora Fled"}
    other = kith.ok("add", "--contact", "Jonas Weber", "--date", "2026-12-02", "Met Jonas at a bakery fair.")
    assert other.err.strip() == ""
