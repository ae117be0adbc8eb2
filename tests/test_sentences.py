"""The splitter: sentences, bullets, section headers and abbreviations."""

from app.core.sentences import split


def test_prose_bullets_and_headers():
    text = ("Ana Lima - COO at Brightside.\n- team keeps missing deadlines. standups run 40 min\n"
            "Personal: two kids. loves sailing.\nFU: send the template tomorrow")
    got = [(s.text, s.hint) for s in split(text)]
    assert got == [
        ("Ana Lima - COO at Brightside.", None),
        ("team keeps missing deadlines.", None),
        ("standups run 40 min", None),
        ("two kids.", "personal"),
        ("loves sailing.", "personal"),
        ("send the template tomorrow", "followup"),
    ]


def test_a_header_alone_names_the_following_bullets():
    got = split("Personal:\n- dog called Rex\n- plays cello\n\nThey struggle with churn.")
    assert [(s.text, s.hint) for s in got] == [
        ("dog called Rex", "personal"), ("plays cello", "personal"), ("They struggle with churn.", None)]


def test_abbreviations_do_not_end_sentences():
    got = [s.text for s in split("Met Dr. Adeyinka at the expo, e.g. the fintech one. Then lunch.")]
    assert got == ["Met Dr. Adeyinka at the expo, e.g. the fintech one.", "Then lunch."]


def test_crlf_emoji_and_right_to_left_text_survive():
    got = [s.text for s in split("שלום עולם. 🎉 big win!\r\nمرحبا")]
    assert got == ["שלום עולם.", "🎉 big win!", "مرحبا"]
