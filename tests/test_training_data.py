"""Kith's own labelled notes (data/train, data/unseen) hold together: every label in its note, every match named."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest

from app.config import DATA_DIR
from app.core.training import TRAIN, style_sets

KINDS = {"problem", "solution", "personal", "followup", "intro", "note"}
# The sets no model is fit on (data/train_next: written, measured, not yet fit on; data/unseen) hold together too.
SETS = style_sets(TRAIN) + style_sets(DATA_DIR / "train_next") + style_sets(DATA_DIR / "unseen")


def lines(path):
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_there_are_sets_in_many_styles():
    assert len(SETS) >= 6


@pytest.mark.parametrize("folder", SETS, ids=lambda p: p.name)
def test_every_passage_is_in_its_note_in_order(folder):
    for note, label in zip(lines(folder / "notes.jsonl"), lines(folder / "labels.jsonl"), strict=True):
        assert (note["contact"], note["date"]) == (label["contact"], label["date"])
        dt.date.fromisoformat(note["date"])
        cursor = 0
        for passage in label["passages"]:
            assert passage["kind"] in KINDS
            found = note["text"].find(passage["text"], cursor)
            assert found >= 0, passage["text"][:60]
            cursor = found + len(passage["text"])


@pytest.mark.parametrize("folder", SETS, ids=lambda p: p.name)
def test_every_match_names_a_problem_and_its_solutions(folder):
    passages: dict[tuple[str, str], set[str]] = {}
    for label in lines(folder / "labels.jsonl"):
        for passage in label["passages"]:
            passages.setdefault((label["contact"], passage["kind"]), set()).add(passage["text"])
    truth = json.loads((folder / "truth.json").read_text())
    assert truth["matches"] and truth["decoys"] and truth["queries"]
    for match in truth["matches"]:
        assert match["problem_text"] in passages[(match["problem_contact"], "problem")]
        stories = match.get("solution_texts") or {match["solution_contacts"][0]: match["solution_text"]}
        for solver, story in stories.items():
            assert solver in match["solution_contacts"]
            assert story in passages[(solver, "solution")]


def test_the_routine_sets_have_both_labels_in_every_style():
    """Read as their trainers read them (one loader serves both)."""
    from app.core.binary_fitting import labelled
    from app.core.conversation_training import NOTES
    from app.core.offer_training import MESSAGES
    from app.core.same_person_training import PAIRS

    for path, label in ((MESSAGES, "offer"), (NOTES, "conversation"), (PAIRS, "same")):
        rows, truth, styles = labelled(path, label)
        assert len(rows) == len(lines(path)) == len(truth) == len(styles)
        assert len(set(styles)) >= 5
        for style in set(styles):
            assert set(truth[styles == style]) == {True, False}, (path.name, style)


def test_the_cues_read_in_lower_case_answer_as_the_case_blind_patterns_do():
    """cue_vector searches the lower-cased sentence with patterns compiled without re.I (faster): on every
    sentence of our own, and on shouting and mixed scripts, the answers are those of the re.I patterns."""
    import json

    from app.config import DATA_DIR
    from app.core.cues import CUES, IMPERATIVE, cue_vector, has_due_phrase
    from app.core.sentences import split

    texts = [s.text for folder in sorted((DATA_DIR / "train").iterdir()) if (folder / "notes.jsonl").exists()
             for line in (folder / "notes.jsonl").read_text().splitlines() if line.strip()
             for s in split(json.loads(line)["text"])]
    with (DATA_DIR / "sentences.tsv").open() as handle:
        texts += [row["text"] for row in csv.DictReader(handle, delimiter="\t")]
    texts += ["TODO: SEND HER THE DECK BY FRIDAY", "We TRIED it and it FAILED.", "İstanbul office: no idea yet",
              "Die Kinder sind in Berlin — ÇA MARCHE, it WORKS now"]
    assert len(texts) > 4000
    for text in texts:
        expected = [1.0 if p.search(text) else 0.0 for p in (*CUES, IMPERATIVE)]
        assert cue_vector(text).tolist() == [*expected, 1.0 if has_due_phrase(text) else 0.0], text


def test_the_soonest_a_slashed_day_may_fall_covers_every_labelled_to_do():
    """dates.SOON bounds how far after the note a to-do's 6/24 may fall: it holds every wait between a note
    and its follow-up's due day in our labelled notes."""
    import datetime as dt
    import json

    from app.config import DATA_DIR
    from app.core.dates import SOON

    waits = [(dt.date.fromisoformat(f["due"]) - dt.date.fromisoformat(f["date"])).days
             for truth in sorted((DATA_DIR / "train").glob("*/truth.json"))
             for f in json.loads(truth.read_text())["followups"] if f.get("due")]
    assert len(waits) > 200
    assert max(waits) <= SOON < max(waits) + 14


def test_the_written_queries_ask_for_every_kind_in_every_style():
    """data/queries.tsv, which the query-intent model always learns from: the four kinds a search asks for
    (follow-ups are `kith followups`), each in every way of typing, no query twice."""
    from app.core.intent_training import QUERIES

    with QUERIES.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert len(rows) > 300
    assert {row["kind"] for row in rows} <= KINDS - {"intro", "followup"}
    assert len({row["text"].lower() for row in rows}) == len(rows)
    for kind in ("solution", "problem", "personal", "note"):
        assert len({row["style"] for row in rows if row["kind"] == kind}) >= 5, kind


def test_every_told_pair_is_a_problem_and_its_story_in_one_of_many_styles():
    from app.core.pair_training import TOLD

    rows = [row for path in sorted(TOLD.glob("*.jsonl")) for row in lines(path)]
    assert len(rows) >= 500
    assert all(set(row) == {"trouble", "style", "problem", "story"} for row in rows)
    assert all(row["problem"].strip() and row["story"].strip() and row["problem"] != row["story"] for row in rows)
    styles = {row["style"] for row in rows}
    assert len(styles) >= 8 and all(sum(row["style"] == s for row in rows) >= 30 for s in styles)


def test_every_told_pair_has_a_query_for_its_story_and_one_for_its_problem_mostly_in_other_words():
    """The query encoder learns to find a passage from what a searcher remembers: each told pair's two queries are
    there, line by line, and most share no content word with the passage they look for."""
    from app.core.encoder_training import TOLD
    from app.core.overlap import terms
    from app.core.query_training import TOLD_QUERIES

    apart = 0
    for path in sorted(TOLD.glob("*.jsonl")):
        rows, queries = lines(path), lines(TOLD_QUERIES / path.name)
        assert [q["line"] for q in queries] == list(range(1, len(rows) + 1))
        for row, q in zip(rows, queries, strict=True):
            assert q["story_query"].strip() and q["problem_query"].strip() and q["story_query"] != q["problem_query"]
            apart += sum(not terms(q[f"{side}_query"]) & terms(row[side]) for side in ("story", "problem"))
        assert len(rows) == len(queries)
    assert apart >= 0.5 * 2 * sum(len(lines(path)) for path in TOLD.glob("*.jsonl"))


def test_each_written_personal_fact_is_told_in_several_styles_and_most_queries_for_it_use_other_words():
    """data/personal_queries teaches that "who has grandkids" finds "her grandson's christening": each fact is told
    three times or more, in as many styles, and most queries share no content word with the detail."""
    from app.core.overlap import terms

    apart = total = 0
    for path in sorted((DATA_DIR / "personal_queries").glob("*.jsonl")):
        rows = lines(path)
        assert all(set(r) == {"fact", "style", "detail", "query"} for r in rows), path.name
        for fact in {r["fact"] for r in rows}:
            told = [r for r in rows if r["fact"] == fact]
            assert len(told) >= 3 and len({r["style"] for r in told}) == len(told), (path.name, fact)
        apart += sum(not terms(r["query"]) & terms(r["detail"]) for r in rows)
        total += len(rows)
    assert total >= 600 and apart >= 0.5 * total


def test_every_match_of_our_styles_names_its_kind_of_trouble_and_many_kinds_recur_across_styles():
    from app.core.pair_training import TROUBLES

    labelled = json.loads(TROUBLES.read_text())
    for folder in style_sets(TRAIN):
        kinds = labelled["styles"][folder.name]
        assert len(kinds) == len(json.loads((folder / "truth.json").read_text())["matches"]), folder.name
        assert set(kinds) <= set(labelled["vocabulary"])
    styles_of = {k: {s for s, kinds in labelled["styles"].items() if k in kinds} for k in labelled["vocabulary"]}
    assert sum(len(styles) > 1 for styles in styles_of.values()) > len(styles_of) / 2
