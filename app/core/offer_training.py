"""Fit the call-offer classifier from data/train_routine/messages.jsonl, scored leave-one-style-out.

    python -m app.core.offer_training          # prints the held-out F1 per style, writes data/offer_words.json
"""

from __future__ import annotations

import sys

from app.config import DATA_DIR
from app.core.offers import OFFERS
from app.core.words import fit_words

MESSAGES = DATA_DIR / "train_routine" / "messages.jsonl"


def main() -> int:
    return fit_words(OFFERS, MESSAGES, "offer", "messages")


if __name__ == "__main__":
    sys.exit(main())
