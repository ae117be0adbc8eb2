"""Recall: search by meaning and by exact words, answered with people and evidence."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, partial

import numpy as np

from app.beside import Beside
from app.config import DATA_DIR
from app.core.intent import asked_for, of_the_kind_asked, shipped_intent
from app.core.kinds import SentenceClassifier
from app.core.overlap import STOPWORDS
from app.core.pieces import late_interaction, shipped_projection
from app.errors import KithError
from app.store.embedder import Tokens
from app.store.store import Store
from models import Kind, SearchHit

CANDIDATES = 200
WEIGHTS = DATA_DIR / "search_weights.json"
"""How much the exact words add to meaning, what share of its score a sentence loses as it is unlikely to be
of the kind the query asks for (app.core.intent), how far a sentence read as a problem falls as much as the
query asks who solved something, and how much a person's further sentences nearly as relevant as their best
one add to it (a story dictated in pieces): fit by app.core.search_training."""
PER_CONTACT = 3
RELEVANCE_MARGIN = 0.3
"""Hits scoring this far below the best one are not worth reading. `python -m app.core.search_training`
prints its curve on our sets' queries (2026-12-04, the weights shipped): 0.2, 0.3, 0.45 give nDCG@5 of the worst
three sets 0.755, 0.804, 0.804 (the worst 0.739, 0.792, 0.792) with 4.6, 6.2, 7.0 people shown a query, of
whom 45%, 31%, 22% are relevant: 0.3 is the knee."""
SECONDARY_MARGIN = 0.12
"""A person's further sentences are shown (and add to their score) only when nearly as relevant as their
best one. Its curve (the same command, relevance 0.3): 0.06, 0.12, 0.2 give the worst three sets 0.791, 0.804,
0.782 (the worst 0.786, 0.792, 0.755)."""
NOTHING_CLOSE = DATA_DIR / "nothing_close.json"
"""The best hit's score under which nothing in the notes is close to the query (the nearest are shown all the
same, under a line that says so): fit by `python -m app.core.closeness_training` from our sets' queries and
queries no note answers."""
MAX_QUERY = 2000
COMMON_SHARE = 0.05
"""A word in more than this share of the items does not make an item a word-search candidate when the
query's rarer words find enough. `python bench/scale.py --common` prints the curve at 100,000 items: of the
shares that give every query the very hits of a full word search, 0.05 is the fastest (p95 35 ms, 46 ms
for none; 0.02: 32 ms, one query of 20 answered otherwise)."""


@dataclass(frozen=True)
class Weights:
    keyword: float
    kind: float
    unsolved: float
    support: float = 0.0
    pieces: float = 0.0
    """The share of a sentence's meaning read from its word-pieces against the query's (how closely each of the
    query's finds one in the sentence, weighed by rarity: app.core.pieces), the rest from its vector."""
    paired: float = 0.0
    """The share of a problem's or a story's meaning read by the query encoder against the pair encoder's reading of
    the item (app.core.query_training): "who got people to turn up" near "a deposit at booking". Other items keep
    their meaning."""


@cache
def shipped_weights() -> Weights:
    return Weights(**json.loads(WEIGHTS.read_text()))


@cache
def _floor() -> float:
    """NOTHING_CLOSE's floor (the file also keeps the search weights it was fit with)."""
    return float(json.loads(NOTHING_CLOSE.read_text())["floor"])


def closeness(hits: list[SearchHit]) -> float:
    """How close a search's best answer is (search()'s hits, best first): its score before the query encoder's share
    (a query the encoder was never taught, "who can explain black holes", lies nearer some problem than MiniLM puts
    it), 0 for no hit."""
    if not hits:
        return 0.0
    return hits[0].score if hits[0].closeness is None else hits[0].closeness


def nothing_close(hits: list[SearchHit]) -> bool:
    """Whether even the best hit of an unfiltered search (search()'s hits, best first) is too far from the query
    to be an answer (`closeness`). The floor was fit on searches of every kind and person: a search filtered by
    either scores otherwise, and is not judged."""
    return not hits or closeness(hits) < _floor()


def _word_search(store: Store, query: str) -> list[tuple[int, float]]:
    """The CANDIDATES items that best share the query's words (BM25).

    Function words ("who", "to", "their") and two-letter words are in most notes: in a large store, ranking every note
    that has one costs tens of milliseconds and says nothing. So the content words are searched
    first; only when they find fewer than CANDIDATES items (a small store, rare words) are the
    function words searched too — where that is cheap, and exactly as before.
    """
    words = re.findall(r"\w+", query)
    content = " ".join(w for w in words if len(w) > 2 and w.lower() not in STOPWORDS)
    if content != " ".join(words):
        found = _rarer_words_first(store, content)
        if len(found) >= CANDIDATES:
            return found
    return store.db.keyword_search(query, CANDIDATES)


def _rarer_words_first(store: Store, words: str) -> list[tuple[int, float]]:
    """The word search, where the items with one of the rarer words fill the CANDIDATES on their own
    ranked among those only, the common words adding to their scores.

    A word in more than COMMON_SHARE of all items ("week", "day" in a large store) would have every one
    of them ranked, ~2.5 µs each: 40 ms at 100,000 items, for items whose only link to the query is that
    word. Where the rarer words find fewer than CANDIDATES items (any small store), all are ranked.
    """
    shares = store.db.word_shares(words)
    rarer = [w for w, share in shares.items() if share <= COMMON_SHARE]
    if rarer and len(rarer) < len(shares):
        found = store.db.keyword_search(words, CANDIDATES, among=rarer)
        if len(found) >= CANDIDATES:
            return found
    return store.db.keyword_search(words, CANDIDATES)


def _with_pieces(store: Store, query: Tokens, dense: dict[int, float], share: float) -> dict[int, float]:
    """Each candidate's meaning, `share` of it read from its word-pieces against the query's (an item without
    them keeps its vector's)."""
    ids = list(dense)
    found = store.db.pieces(ids)
    told = shipped_projection().project([query])
    close = late_interaction([told], [found.get(i) for i in ids], np.zeros(len(ids), np.int64), np.arange(len(ids)))
    return {i: score if np.isnan(c) else (1 - share) * score + share * float(c)
            for (i, score), c in zip(dense.items(), close[:, 0].tolist(), strict=True)}


def _with_paired(store: Store, query: str, dense: dict[int, float], share: float) -> dict[int, float]:
    """Each candidate problem's and story's meaning, `share` of it read by the query encoder's reading of the query
    against the pair encoder's of the item (an item without its vector keeps its meaning; the encoder is loaded only
    when a candidate has one)."""
    found = store.db.paired_vectors(list(dense))
    encoder = store.embedder.query_encoder() if found else None
    if encoder is None:
        return dense
    told = encoder.encode([query])[0]
    scale, shift = encoder.calibration  # its similarities on MiniLM's scale, which the other items keep
    return {i: (1 - share) * score + share * (scale * float(found[i] @ told) + shift) if i in found else score
            for i, score in dense.items()}


def _person_score(hits: list[tuple[float, int, int]], support: float, secondary: float) -> float:
    """A person's best hit, plus `support` times how far each further hit shown (within `secondary` of
    the best) stands above that margin's floor: two sentences that answer rank above one."""
    floor = hits[0][0] - secondary
    return hits[0][0] + support * sum(score - floor for score, _, _ in hits[1:])


def search(store: Store, query: str, *, limit: int = 10, contact: str | None = None,
           kind: Kind | None = None, weights: Weights | None = None, intent: SentenceClassifier | None = None,
           margins: tuple[float, float] = (RELEVANCE_MARGIN, SECONDARY_MARGIN)) -> list[SearchHit]:
    """The evidence sentences answering query, grouped by person, best person first: a person scores by
    their best sentence and more when further sentences answer too; their first hit carries that score."""
    query = " ".join(query.split())
    if not query:
        raise KithError("the search query is empty")
    if len(query) > MAX_QUERY:
        raise KithError(f"the search query is too long ({len(query)} characters, at most {MAX_QUERY})")
    if limit < 1:
        raise KithError("--limit must be at least 1")
    contact_id = store.db.contact(contact).id if contact else None
    index = store.index()
    w = weights or shipped_weights()
    paired = w.paired if kind in (None, Kind.PROBLEM, Kind.SOLUTION) else 0.0  # only problems and stories have it
    if paired and (queries := store.embedder.query_encoder()) is not None:
        queries.load_soon()  # beside the word search and the query's encoding: `_with_paired` reads the query with it
    with Beside(_word_search, store, query) as words:  # the word search (SQLite), beside the encoder and the scan
        vectors, tokens = store.embedder.encode_with_tokens([query], tokens=bool(w.pieces))
        vector = vectors[0]
        dense = dict(index.query(vector, CANDIDATES, kind=kind, contact_id=contact_id, beside_word_search=True))
        asked = ({k: float(k == kind) for k in Kind} if kind is not None  # a kind chosen is the kind asked for
                 else asked_for(intent or shipped_intent(), vector))  # this too, while a long word search goes on
        facts = store.db.item_facts(list(dense))
        keyword = dict(words.result())
    extra = [i for i in keyword if i not in dense]
    if extra:
        dense.update(store.similarities(extra, vector))
        facts += store.db.item_facts(extra)
    if w.pieces:
        dense = _with_pieces(store, tokens[0], dense, w.pieces)
    ranked = partial(_ranked, facts=facts, keyword=keyword, asked=asked, kind=kind, contact_id=contact_id, w=w,
                     margins=margins)
    close = None
    if paired:
        alike = ranked(dense)  # the same ranking by the meaning every item is read with (`closeness`)
        close = alike[0][0] if alike else None
        dense = _with_paired(store, query, dense, paired)
    chosen = ranked(dense)[:limit]
    items = {i.id: i for i in store.db.items(ids=[item_id for _, item_id, _ in chosen])}
    return [SearchHit(contact=items[i].contact or "", text=items[i].text, kind=items[i].kind, date=items[i].date,
                      note_id=items[i].note_id, item_id=i, score=round(float(score), 4),
                      closeness=None if close is None or n else round(float(close), 4))
            for n, (score, i, _) in enumerate(chosen)]


def _ranked(dense: dict[int, float], *, facts: list, keyword: dict[int, float], asked: dict[Kind, float],
            kind: Kind | None, contact_id: int | None, w: Weights, margins: tuple[float, float]
            ) -> list[tuple[float, int, int]]:
    """The hits (score, item id, contact id), grouped by person, best person first: each item's meaning (`dense`)
    and shared words, less as far as it is unlikely to be of the kind asked for; a person's first hit carries the
    person's score."""
    top_keyword = max(keyword.values(), default=1.0) or 1.0
    relevance, secondary = margins
    unsolved = w.unsolved * asked[Kind.SOLUTION]
    candidates = []  # (score before the penalty, item id, contact id, kind)
    for item_id, item_contact, item_kind, certainty, kinds in facts:
        if (contact_id is None or item_contact == contact_id) and (kind is None or item_kind == kind):
            score = max(0.0, dense.get(item_id, 0.0) + w.keyword * keyword.get(item_id, 0.0) / top_keyword)
            # An item unlikely to be of the kind asked for (a person still stuck, to "who fixed…") loses a share.
            score *= 1 - w.kind * (1 - of_the_kind_asked(asked, item_kind, certainty, kinds))
            candidates.append((score, item_id, item_contact, item_kind))
    candidates.sort(key=lambda c: -c[0])
    scored: list[tuple[float, int, int]] = []  # (score, item id, contact id): full items only for the hits
    best = -float("inf")
    for score, item_id, item_contact, item_kind in candidates:
        if score < best - relevance:
            break  # the penalty only lowers scores: nothing further can come within the margin of the best
        if item_kind == Kind.PROBLEM:  # someone still stuck: not what a "who solved" asks for
            score -= unsolved
        best = max(best, score)
        scored.append((score, item_id, item_contact))
    scored.sort(key=lambda hit: (-round(hit[0], 6), hit[1]))
    scored = [hit for hit in scored if hit[0] >= best - relevance]
    per_contact: dict[int, list[tuple[float, int, int]]] = {}
    for hit in scored:
        bucket = per_contact.setdefault(hit[2], [])
        if len(bucket) < PER_CONTACT and (not bucket or hit[0] >= bucket[0][0] - secondary):
            bucket.append(hit)
    people = sorted(([(_person_score(hits, w.support, secondary), *hits[0][1:]), *hits[1:]]
                     for hits in per_contact.values()),
                    key=lambda hits: -hits[0][0])  # a person's first hit carries the person's score
    return [hit for bucket in people for hit in bucket]
