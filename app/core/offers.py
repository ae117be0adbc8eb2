"""Whether a message proposes a call: a logistic regression over its words, fitted from labelled messages
(`python -m app.core.offer_training`, data/offer_words.json)."""

from __future__ import annotations

from app.config import DATA_DIR
from app.core.words import WordModel

OFFERS = WordModel(DATA_DIR / "offer_words.json")


def proposes_a_call(text: str) -> bool:
    """The message offers a call, a video chat or a coffee (at the fitted cut-off)."""
    return OFFERS(text)
