"""Whether a message proposes a call: a logistic regression over its words, fitted from labelled messages
(`python -m app.core.offer_training`, data/offer_words.json). No model to load: a contacts import reads
thousands of messages in a blink."""

from __future__ import annotations

import json
import math
import re
from functools import cache

from app.config import DATA_DIR

WEIGHTS = DATA_DIR / "offer_words.json"
_WORD = re.compile(r"[^\W_]+|\?", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-cased words, numbers and question marks, with each adjacent pair as "a b" (what "a quick call"
    or "20 min" says that single words do not)."""
    words = [w if not w.isdigit() else "#" for w in _WORD.findall(text.casefold())]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


@cache
def _model() -> tuple[dict[str, float], float, float]:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    return data["weights"], data["bias"], data["cut_off"]


def offer_probability(text: str) -> float:
    weights, bias, _ = _model()
    seen = set(tokens(text))
    z = bias + sum(weights.get(t, 0.0) for t in seen)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def proposes_a_call(text: str) -> bool:
    """The message offers a call, a video chat or a coffee (at the fitted cut-off)."""
    return offer_probability(text) >= _model()[2]
