"""Whether two contact records are one person: a logistic regression over how alike their names and
companies are, fitted from labelled pairs (`python -m app.core.same_person_training`,
data/same_person.json). An import joins a person to a contact of the same name only when it says so;
`kith duplicates` lists the pairs it calls likely."""

from __future__ import annotations

import json
import math
import unicodedata
from functools import cache

from anyascii import anyascii
from rapidfuzz import fuzz

from app.config import DATA_DIR

WEIGHTS = DATA_DIR / "same_person.json"
FEATURES = ("name_sorted", "name_set", "first", "last", "first_prefix", "company", "no_company")
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
    has none)."""
    a, b = fold(a_name), fold(b_name)
    aw, bw = a.split() or [""], b.split() or [""]
    ca, cb = fold(a_company), fold(b_company)
    missing = not ca or not cb
    return [fuzz.token_sort_ratio(a, b) / 100, fuzz.token_set_ratio(a, b) / 100,
            fuzz.ratio(aw[0], bw[0]) / 100, fuzz.ratio(aw[-1], bw[-1]) / 100,
            float(bool(aw[0]) and bool(bw[0]) and (aw[0].startswith(bw[0]) or bw[0].startswith(aw[0]))),
            0.5 if missing else fuzz.token_set_ratio(ca, cb) / 100, float(missing)]


@cache
def _model() -> tuple[list[float], float, float]:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    if data["features"] != list(FEATURES):
        raise ValueError(f"{WEIGHTS} was fitted for other features; run python -m app.core.same_person_training")
    return data["weights"], data["bias"], data["cut_off"]


def same_person_probability(a_name: str, a_company: str | None, b_name: str, b_company: str | None) -> float:
    weights, bias, _ = _model()
    z = bias + sum(w * x for w, x in zip(weights, pair_features(a_name, a_company, b_name, b_company), strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def cut_off() -> float:
    return _model()[2]


def same_person(a_name: str, a_company: str | None, b_name: str, b_company: str | None) -> bool:
    return same_person_probability(a_name, a_company, b_name, b_company) >= cut_off()
