"""Word cues: features the sentence classifier weighs beside the embeddings (never rules of their own).

An embedding says what a sentence is about; these say how it is said: in the
past, as a success, as a failed attempt, as a to-do. They are what separates
"they tried X and it fell apart" from "X fixed it".
"""

from __future__ import annotations

import re

import numpy as np

from app.core.dates import due_date

_PLAIN = re.compile(r"[a-z0-9]+")
_SPLIT: dict[str, tuple[frozenset[str], re.Pattern[str] | None]] = {}
"""By a `_words` pattern's text: its alternatives that are plain words, and a pattern of the others without
re.I, for a lower-cased ASCII sentence (see cue_vector)."""


def _top_level(pattern: str) -> list[str]:
    """The alternatives of pattern outside any group."""
    parts, depth, start, escaped = [], 0, 0, False
    for i, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    return [*parts, pattern[start:]]


def _words(*patterns: str) -> re.Pattern[str]:
    # Where every word begins with a letter or digit, "^" adds nothing to the word boundary, and a pattern
    # that begins with a plain boundary is searched ~30% faster (a sentence's cues are ~60 searches).
    alternatives = [a for p in patterns for a in p.split("|")]  # also those inside groups: a stricter test
    start = r"\b" if all(a[:1].isalnum() or a[:2] in (r"\w", r"\d") for a in alternatives) else r"(?:^|\b)"
    compiled = re.compile(start + r"(?:" + "|".join(patterns) + r")(?:\b|$)", re.I)
    tops = [a for p in patterns for a in _top_level(p)]
    plain = frozenset(a for a in tops if _PLAIN.fullmatch(a))
    rest = [a for a in tops if a not in plain]
    _SPLIT[compiled.pattern] = (plain, re.compile(start + r"(?:" + "|".join(rest) + r")(?:\b|$)") if rest else None)
    return compiled


PAST = _words(r"used to", r"\w+ (?:years?|yrs?|months?|weeks?) (?:ago|back)", r"a (?:year|month) ago",
              r"last (?:year|spring|summer|autumn|fall|winter)", r"previously", r"back then", r"in the past",
              r"before (?:that|this)", r"at first", r"originally", r"was (?:at|around)", r"were (?:at|around)")
_CLEAR_SUCCESS = (r"turned (?:it |things )?around", r"solved", r"worked", r"works", r"cracked", r"nailed",
                  r"improved", r"under control", r"no more", r"no longer", r"anymore", r"thanks to", r"took off",
                  r"helped", r"success\w*", r"sorted", r"figured (?:it )?out", r"paid off", r"saved")
"""Words that report a success whatever moved."""
SUCCESS = _words(*_CLEAR_SUCCESS, r"fix(?:ed|es)?(?!-)", r"what worked", r"the key", r"went (?:from|down|up)",
                 r"dropped", r"fell", r"since (?:they|we|he|she|then)", r"finally", r"stopped",
                 r"got (?:it|them|their|the)", r"made (?:it|a)", r"changed (?:it|everything)", r"what changed",
                 r"(?:->|→)", r"\d+\s*%?\s*(?:->|→|to)\s*\d+", r"recovered", r"halved", r"doubled", r"tripled",
                 r"proud", r"succeeded", r"win", r"won", r"the answer was", r"the trick", r"the secret",
                 r"eliminated", r"disappeared", r"vanished", r"ended", r"cleared", r"(?:down|up|cut) (?:to|from|by)")
FAILURE = _words(r"tried", r"try(?:ing)? (?:to|out)", r"attempt(?:ed)?", r"didn'?t (?:work|help|stick|last)",
                 r"doesn'?t help", r"failed", r"fell apart", r"fell flat", r"scrapped", r"killed (?:it|the)",
                 r"reverted", r"shelved", r"fizzled", r"gave up", r"dropped (?:it|the idea)", r"backfired",
                 r"disaster", r"nothing changed", r"no change", r"went back to", r"switched back",
                 r"abandoned", r"died", r"cancell?ed", r"flop(?:ped)?", r"didn'?t go", r"hated it",
                 r"made (?:it|things) worse", r"only made", r"no real change", r"turned it off")
STRUGGLE = _words(r"can'?t", r"cannot", r"keeps?", r"struggl\w*", r"no idea", r"nobody", r"no one", r"hasn'?t",
                  r"haven'?t", r"not yet", r"no \w+ yet", r"worried", r"worries", r"problem", r"issue", r"pain",
                  r"nightmare", r"killing", r"drowning", r"stuck", r"unsolved", r"no fix", r"hard time", r"never",
                  r"too (?:many|much|long|slow)", r"always", r"chaos", r"mess", r"blame", r"frustrat\w*",
                  r"burn(?:ing|t)? ?out", r"los(?:e|ing|t)", r"quit", r"miss(?:es|ing)?", r"late", r"behind",
                  r"waste", r"hate", r"complain\w*", r"fight\w*", r"dread\w*", r"stress\w*", r"bottleneck",
                  r"doesn'?t know", r"don'?t know", r"unclear", r"broken", r"fail(?:s|ing)")
IMPERATIVE = re.compile(
    r"^\s*(?:fu:?\s*|todo:?\s*|to do:?\s*|me:\s*)?(?:pls |please |i should |i need to |need to |must |"
    r"i must |i have to |have to |i'?ve got to |we must |we have to |we need to |remember to |don'?t forget to )?"
    r"(?:send|intro|introduce|email|e-mail|ping|check|follow|f/u|share|book|"
    r"remind|ask|call(?!\s+(?:with|w)\b)|look|draft|set|schedule|find|connect|get back|put|review|text|"
    r"mail|invite|circle|reach|"
    r"catch up|write|forward|buy|order|prepare|dm|message|reply|respond|congratulate|thank|wish|confirm)\b",
    re.I,
)
"""How a to-do starts: a verb, bare or after "need to", "pls"… "Call" before "with" or "w/" is the noun, the call
that was had ("Call with Sam today.")."""
PROMISE = _words(r"promised", r"i'?ll", r"will send", r"will share", r"will intro\w*", r"owe", r"todo", r"to do",
                 r"next steps?", r"remember to", r"need to (?:send|get|reply|call|email|follow)", r"f/u", r"fu",
                 r"follow[- ]?up", r"he'?ll send", r"she'?ll send", r"they'?ll send", r"asap", r"remind me")
FAMILY = _words(r"wife", r"husband", r"partner", r"son", r"sons", r"daughters?", r"kids?", r"children", r"baby",
                r"twins?", r"mom", r"mum", r"dad", r"mother", r"father", r"parents", r"married", r"wedding",
                r"engaged", r"dog", r"cat", r"cats", r"puppy", r"grew up", r"born in", r"moved (?:to|from)",
                r"lives in", r"hobby", r"loves", r"birthday", r"pregnant", r"expecting", r"girlfriend",
                r"boyfriend", r"brother", r"sister", r"grand\w+", r"honeymoon", r"vacation", r"holiday",
                r"marathon", r"plays", r"fan of", r"surgery", r"injur\w+", r"recovering", r"sick")
_ONGOING = (r"still", r"continues", r"again", r"worse", r"no owner", r"not yet", r"nothing to show", r"too early",
            r"keeps? (?:getting|coming)")
UNRESOLVED = _words(*_ONGOING, r"but (?:the|it|they|people)")
CONSIDER = _words(r"thinking about", r"talking about", r"considering", r"wonders?", r"might", r"curious",
                  r"maybe", r"toying with", r"not sure", r"someday", r"interested in", r"exploring",
                  r"plans? to", r"planning to")
THIRD_PARTY = _words(r"a friend", r"her friend", r"his friend", r"competitor", r"another company", r"apparently",
                     r"heard that", r"read that", r"someone else")

STYLE_WORDS = tuple(_words(w) for w in (
    # time and aspect: a story of the past, a state that goes on
    r"used to", r"ago", r"now", r"these days", r"since", r"before", r"after", r"once", r"when", r"still",
    r"yet", r"again", r"already", r"anymore|any more|no longer", r"finally", r"every", r"always", r"last",
    r"next", r"will|'ll", r"was|were", r"is|are|'s|'re", r"has|have|had",
    # how it went: the words of a result, good or bad
    r"good|great|solid|fine|smooth\w*|calm|happy|love[sd]?", r"better|best|easier|faster", r"worse|worst",
    r"bad|awful|terrible|brutal|nightmare|horrible|painful", r"mess\w*|chaos|chaotic|broken",
    r"proud|win|won|success\w*", r"fix(?:ed|es|ing)?(?!-)|solv\w*|sort(?:ed|s)|cracked|nailed|handled?",
    r"cut|dropped|fell|halved|reduced|down", r"rose|doubled|tripled|up|grew|jumped",
    r"stopped|ended|gone|disappeared|vanished", r"started|introduced|built|set up|switched|moved|replaced|added",
    r"tried|attempt\w*|pilot\w*|trial\w*", r"worr\w*|stress\w*|tired|frustrat\w*|dread\w*|afraid|scared",
    # negation, wanting, reporting
    r"no|not|n't|never|nobody|nothing|none|zero", r"want\w*|need\w*|should|hope\w*",
    r"says?|said|told|complain\w*", r"thinks?|feels?",
    # who and how much
    r"i|me|my", r"we|our", r"they|their|them", r"he|she|his|her", r"\d", r"%|->|→",
))

CUES = (PAST, SUCCESS, FAILURE, STRUGGLE, UNRESOLVED, PROMISE, FAMILY, CONSIDER, THIRD_PARTY, *STYLE_WORDS)


_CASED = (*CUES, IMPERATIVE)
_FAST = [_SPLIT.get(p.pattern, (frozenset(), re.compile(p.pattern, p.flags & ~re.I))) for p in _CASED]
"""_CASED as read in a lower-cased ASCII sentence: a pattern's plain words are looked up among the sentence's
words, the rest searched without re.I. The same answers (a test holds them level on every sentence of our
own), in a third of the time: an import reads ~60 cues a sentence. Other text keeps re.I (lower() can
lengthen it: "İ")."""
_WORD = re.compile(r"\w+")


def cue_vector(text: str) -> np.ndarray:
    """The cue features of one sentence, each 0 or 1: CUES, IMPERATIVE, a due phrase."""
    if text.isascii():
        lowered = text.lower()
        words = set(_WORD.findall(lowered))
        values = [1.0 if not words.isdisjoint(plain) or (rest is not None and rest.search(lowered)) else 0.0
                  for plain, rest in _FAST]
    else:
        values = [1.0 if pattern.search(text) else 0.0 for pattern in _CASED]
    values.append(1.0 if has_due_phrase(text) else 0.0)
    return np.asarray(values, dtype=np.float32)


def has_due_phrase(text: str) -> bool:
    import datetime as dt

    return due_date(text, dt.date(2001, 1, 1), to_do=False, exact=False) is not None
