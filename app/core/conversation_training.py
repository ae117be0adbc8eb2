"""Fit whether a note records a conversation (a call, a coffee, a meeting) from data/train_routine/notes.jsonl,
scored leave-one-style-out.

    python -m app.core.conversation_training   # prints the held-out F1 per style, writes data/conversation_words.json
"""

from __future__ import annotations

import sys

from app.config import DATA_DIR
from app.core.funnel import CONVERSATIONS
from app.core.words import fit_words

NOTES = DATA_DIR / "train_routine" / "notes.jsonl"


def main() -> int:
    return fit_words(CONVERSATIONS, NOTES, "conversation", "notes")


if __name__ == "__main__":
    sys.exit(main())
