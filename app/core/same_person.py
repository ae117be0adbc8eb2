"""Whether two contact records are one person: a logistic regression over how alike their names and
companies are, fitted from labelled pairs (`python -m app.core.same_person_training`,
data/same_person.json). An import joins a person to a contact of the same name only when it says so;
`kith duplicates` lists the pairs it calls likely; "did you mean" offers the name (or tag) it takes for the one
the user mistyped."""

from __future__ import annotations

import json
import math
import unicodedata
from functools import cache

from anyascii import anyascii
from rapidfuzz import fuzz

from app.config import DATA_DIR

WEIGHTS = DATA_DIR / "same_person.json"
FEATURES = ("name_sorted", "name_set", "first", "last", "first_prefix", "company", "no_company", "name_set_alone",
            "differing_words")
TITLES = {"dr", "mr", "mrs", "ms", "prof", "mba", "phd", "md", "jr", "sr"}


def fold(text: str | None) -> str:
    """In Latin letters (anyascii), lower case, no titles, emoji or punctuation: "Dr. José Núñez 🚀" → "jose
    nunez", "Дмитрий Иванов" → "dmitriy ivanov"."""
    if not text:
        return ""
    plain = anyascii(unicodedata.normalize("NFKC", text)).casefold()
    kept = "".join(ch if ch.isalnum() else " " for ch in plain)
    return " ".join(w for w in kept.split() if w not in TITLES)


def pair_features(a_name: str, a_company: str | None, b_name: str, b_company: str | None) -> list[float]:
    """Similarities in [0, 1]: whole names (sorted words, shared words), first and last words, whether one first
    word starts the other ("Alex" / "Alexander", "J" / "Jane"), companies (0.5 and no_company 1 when either
    has none), the shared words again when there is no company to tell them apart, and the words only one name
    has against those only the other has ("Uma" / "Vera" of two Kellers; 1 when one name holds the other's)."""
    a, b = fold(a_name), fold(b_name)
    aw, bw = a.split() or [""], b.split() or [""]
    ca, cb = fold(a_company), fold(b_company)
    missing = not ca or not cb
    shared = name_similarity(a, b)
    only_a, only_b = sorted(set(aw) - set(bw)), sorted(set(bw) - set(aw))
    differing = fuzz.ratio(" ".join(only_a), " ".join(only_b)) / 100 if only_a and only_b else 1.0
    return [fuzz.token_sort_ratio(a, b) / 100, shared,
            fuzz.ratio(aw[0], bw[0]) / 100, fuzz.ratio(aw[-1], bw[-1]) / 100,
            float(bool(aw[0]) and bool(bw[0]) and (aw[0].startswith(bw[0]) or bw[0].startswith(aw[0]))),
            0.5 if missing else fuzz.token_set_ratio(ca, cb) / 100, float(missing), shared * missing, differing]


def name_similarity(a: str, b: str) -> float:
    """How many words two folded names share (rapidfuzz token-set ratio, in [0, 1]; the sieve's measure)."""
    return fuzz.token_set_ratio(a, b) / 100


@cache
def _model() -> tuple[list[float], float, float, float]:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    if data["features"] != list(FEATURES):
        raise ValueError(f"{WEIGHTS} was fitted for other features; run python -m app.core.same_person_training")
    return data["weights"], data["bias"], data["cut_off"], data["sieve"]


def same_person_probability(a_name: str, a_company: str | None, b_name: str, b_company: str | None) -> float:
    weights, bias, _, _ = _model()
    z = bias + sum(w * x for w, x in zip(weights, pair_features(a_name, a_company, b_name, b_company), strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def cut_off() -> float:
    return _model()[2]


def same_person(a_name: str, a_company: str | None, b_name: str, b_company: str | None) -> bool:
    return same_person_probability(a_name, a_company, b_name, b_company) >= cut_off()


def sieve() -> float:
    """The name similarity (token-set ratio, percent) below which two records are not scored: the highest sieve
    that loses no held-out style anything (`python -m app.core.same_person_training` prints its curve); it keeps
    `kith duplicates` on 10,000 contacts to seconds."""
    return _model()[3]


def meant(typed: str, names: list[str]) -> list[str]:
    """The names the user may have meant by what they typed: every one that holds each of its words when two or more
    do ("Tomasz" → "Tomasz Nowak", "Tomasz Wiśniewski": never a guess between them), else the closest (`closest`)."""
    words = set(fold(typed).split())
    named = sorted({n for n in names if words and words <= set(fold(n).split())}, key=str.casefold)
    if len(named) > 1:
        return named
    close = closest(typed, names)
    return [close] if close else []


def said(names: list[str]) -> str:
    """Names for a message: "'A'", "'A', 'B'", "'A', 'B', 'C', 'D', 'E' and 2 more"."""
    return ", ".join(map(repr, names[:5])) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def closest(typed: str, choices: list[str]) -> str | None:
    """The choice the scorer most likely takes for what the user typed ("kojo" → "Kojo Ampofo", "mentor" →
    "mentors"), names alone, if it calls them one at its cut-off."""
    from rapidfuzz import process

    folded = fold(typed)
    near = process.extract(folded, [fold(c) for c in choices], scorer=fuzz.token_set_ratio, score_cutoff=sieve(),
                           limit=None)
    scored = [(same_person_probability(typed, None, choices[i], None), choices[i]) for _, _, i in near]
    best = max(scored, default=None)
    return best[1] if best and best[0] >= cut_off() else None
