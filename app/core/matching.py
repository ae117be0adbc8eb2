"""Connect: a problem of one contact that another contact has already solved.

The question is asymmetric — does this solution answer that problem? — so only
problem items are compared with solution items, never whole notes, and two
people with the same unsolved problem (two problems) are never a match.

Scoring every problem against every solution is a matrix as large as their product:
at 100,000 items that is seconds and gigabytes. Word-pieces are compared only for a problem's closest
stories by sentence vectors (CANDIDATES), the rest of a pair's features for all. So the pairs that can ever be shown
(those at or above the fitted cut-off, the best KEEP of each problem and of each solution) are
scored when items are written (`refresh_pairs`, new items against everything of the
other kind) and stored, with each story's best few (which tell how near it lies to every problem: local
scaling lowers the pairs of a story near all of them, `locally_scaled`), their score and whether it is shown;
`find_matches` reads the shown ones, best first. Ranks among the stored pairs are the ranks among all pairs,
since scaling never raises a pair: anything that outranks a pair at or above the cut-off is itself at or above it.
"""

from __future__ import annotations

import hashlib
import json
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np
from pydantic import TypeAdapter

from app.config import DATA_DIR
from app.core.answer_map import digest as answer_map_digest
from app.core.answer_map import toward_answers
from app.core.overlap import WordIndex, document_idf, overlap
from app.core.pieces import Pieces, late_interaction
from app.store.db import Database
from models import Decision, Item, Kind, Match, MatchSide

SCORER = DATA_DIR / "pair_scorer.json"
FEATURES = ("meaning", "closest", "words", "problem_evidence", "solution_evidence", "answer", "problem_pieces",
            "story_pieces", "paired")
"""What the pair scorer weighs: the two items' similarity of meaning as wholes and at their closest
sentences, the rare words they share, how strongly each reads as an open problem and as
something that worked (the logit of its kind's probability), the story's similarity with the problem moved
toward how answers to such problems are told (app.core.answer_map), how closely each word-piece of the
problem finds one in the story and the story's in the problem (app.core.pieces), and their similarity as the pair
encoder reads them (MiniLM trained on our labelled pairs: app.core.encoder_training)."""
POOLED = 6
"""The first FEATURES, which every pair has; the rest, missing for an item stored before they were kept or a
colleague's shared story, are then estimated from the pooled similarities among them (PairScorer.impute,
pair_training.ESTIMATED_FROM)."""
CANDIDATES = 50
"""Solutions whose word-pieces are compared with each problem: its nearest ones by the pair scorer with the
word-pieces' features estimated (those at or above its candidate floor, kept with the problem). Word-pieces are
too costly to compare every pair of a large store; a pair beyond scores 0. Of the 877 true pairs of
pair_training's eight merged stores (79-112 contacts), 20 lie beyond the nearest 50 so chosen, 51 by the closest
sentences' similarity alone, 56 by the pair encoder's (the shipped scorer, which has seen those styles: docs/journal.md,
twenty-third session); `python bench/token_matching.py` prints how many lie beyond in each set."""
KEEP = 20
"""Stored candidates per problem and per solution (the best ones): far more than are ever shown."""
BLOCK = 256
"""New items scored at once when pairs are refreshed: bounds the memory of a large import."""
PRUNE_SCOPE = 2_000
"""Above this many new items, every stored pair is pruned at once rather than those of the new ones."""
SCORE_CLIP = 1e-4
"""How near 0 or 1 a pair's probability is taken when its logit is scaled: any nearer would flatten the best pairs a
story's nearness averages (evidence is clipped at 0.01)."""
PAIRS_VERSION = 8
"""Bumped whenever the features or their inputs change: stored pairs are then scored again (so they
are whenever the fitted scorer changes: its digest is part of the stored version)."""

_MATCHES = TypeAdapter(list[Match])
_SIDES_OF = TypeAdapter(list[MatchSide])
"""A long list of matches is built in two validations, each side once however many matches share it."""
Parts = tuple[list[int], np.ndarray]
"""Each sentence embedding of some items, with its item's id (one row a sentence)."""
PiecesOf = Callable[[list[int]], dict[int, Pieces]]
"""The word-pieces of the items of these ids (an item without them left out)."""


@dataclass
class Side:
    """Items of one kind as matching reads them: ids, owners, texts, vectors, sentence vectors."""

    ids: np.ndarray
    contacts: np.ndarray
    texts: list[str]
    vectors: np.ndarray
    evidence: np.ndarray
    """Each item's probability of its kind: how strongly it reads as an open problem, or as a success."""
    parts: Parts | None = None
    words: WordIndex | None = None
    """The texts' words, indexed with the idf of every stored problem and solution (stored sides only)."""
    unsaved: list[str] | None = None
    """A draft's problem and solution texts, not stored yet: its words weigh as they will once it is saved."""
    pieces: PiecesOf | None = None
    paired: np.ndarray | None = None
    """Each item's vector as the pair encoder reads it, a row of NaN for an item without one; None: none has."""
    best: np.ndarray | None = None
    """A story's best pair probabilities with problems other than those it is matched with here (the stored ones,
    when a draft's are), a row of up to the scorer's local_depth per story (a pair it lacks counts as 0): with them,
    how near it lies to every problem (`story_nearness`); None: it is matched here with every problem."""

    @classmethod
    def of(cls, items: list[Item], vectors: np.ndarray, parts: Parts | None = None,
           pieces: dict[int, Pieces] | None = None, paired: np.ndarray | None = None) -> Side:
        return cls(np.array([int(i.id or 0) for i in items], dtype=np.int64),
                   np.array([int(i.contact_id or 0) for i in items], dtype=np.int64),
                   [i.text for i in items], vectors, np.array([i.confidence for i in items], dtype=np.float32), parts,
                   pieces=None if pieces is None else held_pieces(pieces), paired=paired)

    @classmethod
    def stored(cls, db: Database, kind: Kind) -> Side:
        ids, contacts, texts, vectors, evidence, paired = db.match_inputs(kind)
        held = weakref.ref(db)  # the sides are cached by database: a strong reference would keep it forever
        return cls(ids, contacts, texts, vectors, evidence, db.parts([kind]),
                   pieces=lambda ids: held().pieces(ids), paired=paired)  # type: ignore[union-attr]

    @cached_property
    def part_groups(self) -> Groups:
        """The sentence rows of parts grouped by their item."""
        assert self.parts is not None
        return Groups(np.asarray(self.parts[0]))

    def indexed(self, idf: dict[str, float]) -> Side:
        return Side(self.ids, self.contacts, self.texts, self.vectors, self.evidence, self.parts,
                    WordIndex(self.texts, idf), self.unsaved, self.pieces, self.paired, self.best)

    def take(self, rows: np.ndarray) -> Side:
        parts = None
        if self.parts is not None:
            owners = np.asarray(self.parts[0])
            keep = np.isin(owners, self.ids[rows])
            parts = (owners[keep].tolist(), self.parts[1][keep])
        return Side(self.ids[rows], self.contacts[rows], [self.texts[r] for r in rows], self.vectors[rows],
                    self.evidence[rows], parts, unsaved=self.unsaved, pieces=self.pieces,
                    paired=None if self.paired is None else self.paired[rows],
                    best=None if self.best is None else self.best[rows])


def held_pieces(pieces: dict[int, Pieces]) -> PiecesOf:
    """A side's word-pieces held in memory (a draft's, a labelled set's), by item id."""
    return lambda ids: {i: pieces[i] for i in ids if i in pieces}


_SIDES: weakref.WeakKeyDictionary[Database, tuple[tuple[int, int], tuple[Side, Side]]] = (
    weakref.WeakKeyDictionary())


def stored_sides(db: Database) -> tuple[Side, Side]:
    """Every stored problem and solution, read once per change of the database (the app keeps them).

    The solutions' words are indexed with the idf of all stored problems and solutions.
    """
    version = db.version()
    cached = _SIDES.get(db)
    if cached is not None and cached[0] == version:
        return cached[1]
    problems, solutions = Side.stored(db, Kind.PROBLEM), Side.stored(db, Kind.SOLUTION)
    solutions = solutions.indexed(document_idf(problems.texts + solutions.texts))
    solutions.best = stored_best(db, solutions.ids)
    _SIDES[db] = (version, (problems, solutions))
    return problems, solutions


def stored_best(db: Database, ids: np.ndarray) -> np.ndarray:
    """These stories' best pair probabilities as kept with them when their pairs were last scored (Side.best)."""
    depth = shipped_scorer().local_depth
    return _best_rows(db.best_pairs(ids.tolist()) if depth else {}, ids, depth)


def _best_rows(found: dict, ids: np.ndarray, depth: int) -> np.ndarray:
    """Side.best of these stories from each one's best probabilities, best first (by id; 0 for those it lacks)."""
    best = np.zeros((len(ids), depth), np.float32)
    for row, story in enumerate(ids.tolist()):
        known = found.get(story, [])[:depth]
        best[row, : len(known)] = known
    return best


def stored_problems_best(problems: Side, solutions: Side) -> np.ndarray | None:
    """Side.best of stories not stored (a colleague's): their best pairs with these problems (the stored ones)."""
    depth = shipped_scorer().local_depth
    if not depth:
        return None
    if not len(problems.ids):
        return np.zeros((len(solutions.ids), 0), np.float32)
    return column_best(similarity(problems, solutions)[0], depth)


def column_best(sims: np.ndarray, k: int) -> np.ndarray:
    """Each story's (column's) k best pair probabilities, a row per story (fewer where there are fewer problems)."""
    return -np.sort(-sims, axis=0)[:k].T


def logit(p: np.ndarray, clip: float = 0.01) -> np.ndarray:
    """The log-odds of probabilities kept clip away from 0 and 1 (evidence: 0.01; a pair's score: 1e-4)."""
    p = np.clip(np.asarray(p, np.float64), clip, 1 - clip)
    return np.log(p / (1 - p))


def pair_features(problems: Side, solutions: Side) -> np.ndarray:
    """FEATURES of each problem against each solution: an array (features, problems, solutions); the
    word-pieces' two and the pair encoder's NaN for a pair whose side has none."""
    pooled = pooled_features(problems, solutions)
    rows, cols = np.indices(pooled.shape[1:]).reshape(2, -1)
    return np.concatenate([pooled, piece_features(problems, solutions, rows, cols, pooled.shape[1:]),
                           paired_feature(problems, solutions)])


def paired_feature(problems: Side, solutions: Side) -> np.ndarray:
    """The pair encoder's similarity of each problem and solution, in an array (1, problems, solutions); NaN for a
    pair whose side has no vector of it."""
    if problems.paired is None or solutions.paired is None:
        return np.full((1, len(problems.ids), len(solutions.ids)), np.nan, np.float32)
    return (problems.paired @ solutions.paired.T)[None].astype(np.float32)


def piece_features(problems: Side, solutions: Side, rows: np.ndarray, cols: np.ndarray,
                   shape: tuple[int, ...]) -> np.ndarray:
    """The word-pieces' features of the pairs (rows, cols), in an array (2, problems, solutions); NaN elsewhere."""
    out = np.full((2, *shape), np.nan, np.float32)
    if not len(rows):
        return out
    p_found = problems.pieces(problems.ids[np.unique(rows)].tolist()) if problems.pieces else {}
    s_found = solutions.pieces(solutions.ids[np.unique(cols)].tolist()) if solutions.pieces else {}
    out[:, rows, cols] = late_interaction([p_found.get(int(i)) for i in problems.ids],
                                          [s_found.get(int(i)) for i in solutions.ids], rows, cols).T
    return out


def pooled_features(problems: Side, solutions: Side) -> np.ndarray:
    """The first POOLED FEATURES of each problem against each solution: an array (POOLED, problems, solutions).

    A success story tells the problem as it was, what was done and the result: a problem is
    compared with the whole story and with its closest sentence — and, for a problem told over
    several sentences, each of them too. Shared words are weighed by the solutions' index, else by
    the idf of both sides. "answer": the story against the problem moved toward how its answers are told
    (app.core.answer_map).
    """
    meaning = problems.vectors @ solutions.vectors.T
    closest = meaning
    s_parts, p_parts = solutions.parts, problems.parts
    if s_parts is not None and len(s_parts[0]):  # parts, when given, hold every item's sentences
        stories = solutions.part_groups
        columns = np.searchsorted(stories.keys, solutions.ids)
        closest = np.maximum(meaning, stories.max_of(problems.vectors @ s_parts[1].T)[:, columns])
        if p_parts is not None and len(p_parts[0]):
            told = problems.part_groups
            by_sentence = stories.max_of(p_parts[1] @ s_parts[1].T)[:, columns]
            closest = np.maximum(closest, told.max_of(by_sentence.T).T[np.searchsorted(told.keys, problems.ids)])
    words = solutions.words.scores(problems.texts, problems.unsaved) if solutions.words is not None else overlap(
        problems.texts, solutions.texts)
    shape = meaning.shape
    return np.stack([meaning, closest, words, np.broadcast_to(logit(problems.evidence)[:, None], shape),
                     np.broadcast_to(logit(solutions.evidence)[None, :], shape),
                     toward_answers(problems.vectors) @ solutions.vectors.T]).astype(np.float32)


@dataclass(frozen=True)
class PairScorer:
    """A logistic regression over FEATURES, and the cut-offs chosen with it, fit by app.core.pair_training."""

    weights: tuple[float, ...]
    bias: float
    cut_off: float
    """The probability at or above which a pair may be shown."""
    solvers: int
    """How many solving contacts a problem may show (its best ones)."""
    per_contact: int | None
    """How many solving contacts a contact's problems may show in all (their best ones); None: no bound."""
    margin: float | None
    """How far below the contact's best pair a further solver may score and still be shown (a near tie shows
    both; a clear best shows it alone); None: no margin. A draft's live panel measures it from the draft's own
    best pair, not the contact's stored ones: it answers who solved this problem."""
    digest: str
    impute: tuple[tuple[float, ...], ...]
    """For each feature after the POOLED ones, a linear estimate from those (their weights, then a constant)."""
    local_k: int = 0
    """Local scaling (`locally_scaled`): how many of a story's best pairs (after its local_skip best) tell how near it
    lies to every problem; 0: none."""
    local_weight: float = 0.0
    """How much of that nearness (a logit) each of the story's pairs loses."""
    local_skip: int = 0
    """How many of a story's best pairs its nearness passes over (the problems it answers best), so that a story
    answering two people's one trouble is not taken for a story near every problem."""

    @property
    def local_depth(self) -> int:
        """How many of a story's best pairs are kept to tell its nearness: local_skip, then local_k."""
        return self.local_skip + self.local_k if self.local_k else 0

    def __post_init__(self) -> None:
        if len(self.weights) != len(FEATURES) or len(self.impute) != len(FEATURES) - POOLED:
            raise ValueError(f"a pair scorer weighs {len(FEATURES)} features and estimates {len(FEATURES) - POOLED}")

    @classmethod
    def load(cls, path=SCORER) -> PairScorer:
        raw = path.read_bytes()
        data = json.loads(raw)
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path} was fit on other features: run `python -m app.core.pair_training`")
        return cls(tuple(data["weights"]), data["bias"], data["cut_off"], data["solvers"], data["per_contact"],
                   data["margin"], hashlib.sha256(raw).hexdigest()[:12], tuple(map(tuple, data["impute"])),
                   data.get("local_k", 0), data.get("local_weight", 0.0), data.get("local_skip", 0))

    def probability(self, features: np.ndarray) -> np.ndarray:
        """Of FEATURES (first axis); a missing feature after the pooled ones (NaN) is estimated from those."""
        features = np.array(features, np.float32)  # a copy: the caller's stays as it was
        for k, estimate in enumerate(self.impute):
            guess = np.tensordot(np.asarray(estimate[:-1], np.float32), features[:POOLED], axes=1) + estimate[-1]
            features[POOLED + k] = np.where(np.isnan(features[POOLED + k]), guess, features[POOLED + k])
        logit = np.tensordot(np.asarray(self.weights, np.float32), features, axes=1) + self.bias
        return 1 / (1 + np.exp(-logit))


@cache
def shipped_scorer() -> PairScorer:
    return PairScorer.load()


def story_nearness(best: np.ndarray, k: int, skip: int = 0) -> np.ndarray:
    """How near each story lies to every problem: the mean logit of its k best pairs' probabilities after its skip
    best (rows of best, in any order; a pair it lacks counts as 0) where above zero, else 0."""
    best = np.asarray(best, np.float64)
    if not k or not len(best):
        return np.zeros(len(best))
    top = -np.sort(-np.pad(best, ((0, 0), (0, max(0, skip + k - best.shape[1])))), axis=1)[:, skip : skip + k]
    return np.maximum(logit(top, SCORE_CLIP).mean(axis=1), 0.0)


def locally_scaled(sims: np.ndarray, nearness: np.ndarray, weight: float) -> np.ndarray:
    """Pairs' probabilities with each logit lowered by weight times its story's nearness (`story_nearness`).

    A story that lies near every problem (a "hub": in a store of long, alike notes, a memo that tells a little of
    everything) outscores the story that answers a problem. Lowering a pair by how well its story fits its best
    problems (local scaling, CSLS) keeps the story's best pairs on top and lets the right story win elsewhere; a
    story near no problem is never raised. The scorer's local_k, local_weight and local_skip are fit with its point
    (app.core.pair_training).
    """
    sims = np.asarray(sims)
    if not weight or not sims.size:
        return sims
    lowered = logit(sims, SCORE_CLIP) - weight * nearness
    return np.where((sims > 0) & (nearness > 0), 1 / (1 + np.exp(-lowered)), sims).astype(sims.dtype)


def similarity(problems: Side, solutions: Side, scorer: PairScorer | None = None,
               floors: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """How likely each solution answers each problem (0–1), by the fitted pair scorer, 0 for a pair below its
    problem's candidate floor; and the floors (given, else nearest_floor among these solutions: then all of them)."""
    pooled = pooled_features(problems, solutions)
    paired = paired_feature(problems, solutions)
    scorer = scorer or shipped_scorer()
    near = _nearness(problems, solutions, pooled, paired, scorer)
    floors = nearest_floor(near) if floors is None else floors
    rows, cols = np.nonzero((near >= floors[:, None]) & np.isfinite(near))
    features = np.concatenate([pooled, piece_features(problems, solutions, rows, cols, pooled.shape[1:]), paired])
    out = np.zeros(pooled.shape[1:], np.float32)
    out[rows, cols] = scorer.probability(features[:, rows, cols])
    return out, floors


def _nearness(problems: Side, solutions: Side, pooled: np.ndarray | None = None, paired: np.ndarray | None = None,
              scorer: PairScorer | None = None) -> np.ndarray:
    """How near each pair is, by which a problem's candidates are chosen: the pair scorer's probability with the
    word-pieces' features (the costly ones) estimated; -inf for a contact's own story (never a candidate)."""
    pooled = pooled_features(problems, solutions) if pooled is None else pooled
    paired = paired_feature(problems, solutions) if paired is None else paired
    no_pieces = np.full((2, *pooled.shape[1:]), np.nan, np.float32)
    near = (scorer or shipped_scorer()).probability(np.concatenate([pooled, no_pieces, paired]))
    return np.where(problems.contacts[:, None] == solutions.contacts[None, :], -np.inf, near)


def nearest_floor(near: np.ndarray) -> np.ndarray:
    """Each problem's candidate floor among all the solutions of `near` (`_nearness`): the nearness of its
    CANDIDATES-th nearest, -inf when it has no more than that. A story at or above it is scored."""
    if near.shape[1] <= CANDIDATES:
        return np.full(near.shape[0], -np.inf, np.float32)
    at = near.shape[1] - CANDIDATES
    return np.partition(near, at, axis=1)[:, at]


class Groups:
    """Columns grouped by owner (sorted once): the largest value of each group's columns, row by row."""

    def __init__(self, owners: np.ndarray):
        self.order = np.argsort(owners, kind="stable")
        self.keys, self.starts = np.unique(owners[self.order], return_index=True)

    def max_of(self, values: np.ndarray) -> np.ndarray:
        return np.maximum.reduceat(values[:, self.order], self.starts, axis=1)


def _rank_within(group: np.ndarray, member: np.ndarray, score: np.ndarray) -> np.ndarray:
    """For each pair, the rank (0 = best) of its member among its group's members, by each member's best score."""
    order = np.lexsort((-score, member, group))
    g, m, s = group[order], member[order], score[order]
    first = np.ones(len(g), dtype=bool)
    first[1:] = (g[1:] != g[:-1]) | (m[1:] != m[:-1])
    groups, best = g[first], s[first]  # one row per (group, member): its best score
    by_best = np.lexsort((-best, groups))
    starts = np.ones(len(by_best), dtype=bool)
    starts[1:] = groups[by_best][1:] != groups[by_best][:-1]
    position = np.arange(len(by_best))
    rank = np.empty(len(by_best), dtype=np.int64)
    rank[by_best] = position - np.maximum.accumulate(np.where(starts, position, 0))
    out = np.empty(len(group), dtype=np.int64)
    out[order] = rank[np.cumsum(first) - 1]
    return out


def shown(problem: np.ndarray, solution: np.ndarray, p_contact: np.ndarray, s_contact: np.ndarray,
          sims: np.ndarray, scorer: PairScorer | None = None) -> np.ndarray:
    """Which candidate pairs Kith stands behind: at or above the scorer's cut-off, and the solver
    among the problem's best few (both fit by cross-validation across writing styles)."""
    if not len(sims):
        return np.zeros(0, dtype=bool)
    scorer = scorer or shipped_scorer()
    return (sims >= scorer.cut_off) & (_rank_within(problem, s_contact, sims) < scorer.solvers)


def _one_per_solver(pairs_best_first: Iterable[tuple[int, int, int, int, float]],
                    decisions: dict[tuple[int, int], Decision], per_contact: int | None,
                    limit: int | None = None, margin: float | None = None) -> list[tuple[int, int, int, int, float]]:
    """(problem, solution, problem contact, solution contact, score): one pair per problem and solving
    contact (their best sentence not dismissed as "not a fit": a dismissed pair does not come back), and
    for each contact with a problem no more than per_contact solving contacts (its best ones), a further one only
    when its pair scores no more than margin below the contact's best pair (a solver shown for one problem is
    shown for the others too), in the order given, up to limit."""
    chosen: list[tuple[int, int, int, int, float]] = []
    seen: set[tuple[int, int]] = set()
    helping: dict[int, set[int]] = {}
    best: dict[int, float] = {}
    for pair in pairs_best_first:
        problem, solution, p_contact, s_contact, score = pair
        if (problem, s_contact) in seen or decisions.get((problem, solution)) == Decision.NOT_A_FIT:
            continue
        solvers = helping.setdefault(p_contact, set())
        further = s_contact not in solvers  # a solver not shown to this contact yet
        if further and margin is not None and round(best.setdefault(p_contact, score) - score, 4) > margin:
            continue
        if further and per_contact is not None and len(solvers) >= per_contact:
            continue
        solvers.add(s_contact)
        seen.add((problem, s_contact))
        chosen.append(pair)
        if limit is not None and len(chosen) >= limit:
            break
    return chosen


def _involving(pairs: list[tuple[int, int, int, int, float]], contact_id: int | None) -> list[tuple[int, int, float]]:
    """(problem, solution, score) of the pairs where the contact is either side (every pair for None)."""
    return [(p, s, score) for p, s, pc, sc, score in pairs if contact_id is None or contact_id in (pc, sc)]


def match_side(item: Item) -> MatchSide:
    assert item.id is not None and item.note_id is not None and item.date is not None
    return MatchSide(contact=item.contact or "", text=item.text, note_id=item.note_id, item_id=item.id,
                     date=item.date)


def _select(problem, solution, p_contact, s_contact, sims, decisions, contact_id, scorer):
    rows = np.flatnonzero(shown(problem, solution, p_contact, s_contact, sims, scorer))
    scored = sorted(zip(problem[rows].tolist(), solution[rows].tolist(), p_contact[rows].tolist(),
                        s_contact[rows].tolist(), [round(x, 4) for x in sims[rows].tolist()], strict=True),
                    key=lambda p: (-p[4], p[0], p[1]))
    return _involving(_one_per_solver(scored, decisions, scorer.per_contact, margin=scorer.margin), contact_id)


def score_sides(problems: Side, solutions: Side, decisions: dict[tuple[int, int], Decision],
                contact_id: int | None = None, scorer: PairScorer | None = None) -> list[tuple[int, int, float]]:
    """(problem id, solution id, score) of the pairs shown among these, best first."""
    scorer = scorer or shipped_scorer()
    sims = similarity(problems, solutions, scorer)[0]
    if scorer.local_k:  # each story's best pairs: these and those with the problems outside
        best = column_best(sims, scorer.local_depth)
        if solutions.best is not None:
            best = np.hstack([solutions.best, best])
        sims = locally_scaled(sims, story_nearness(best, scorer.local_k, scorer.local_skip)[None, :],
                              scorer.local_weight)
    rows, cols = np.nonzero((sims >= scorer.cut_off) & (problems.contacts[:, None] != solutions.contacts[None, :]))
    return _select(problems.ids[rows], solutions.ids[cols], problems.contacts[rows], solutions.contacts[cols],
                   sims[rows, cols], decisions, contact_id, scorer)


def score_pairs(problems: list[Item], p_vecs: np.ndarray, solutions: list[Item], s_vecs: np.ndarray, *,
                s_parts: Parts | None = None, p_parts: Parts | None = None, pieces: dict[int, Pieces] | None = None,
                p_paired: np.ndarray | None = None, s_paired: np.ndarray | None = None,
                decisions: dict[tuple[int, int], Decision] | None = None,
                contact_id: int | None = None, scorer: PairScorer | None = None) -> list[Match]:
    """Score these problems against these solutions (pieces: the word-pieces of any of them, by id; paired: their
    pair encoder's vectors, row by row), best first."""
    chosen = score_sides(Side.of(problems, p_vecs, p_parts, pieces, p_paired),
                         Side.of(solutions, s_vecs, s_parts, pieces, s_paired), decisions or {}, contact_id, scorer)
    by_id = {int(i.id or 0): i for i in [*problems, *solutions]}
    return [Match(score=score, problem=match_side(by_id[p]), solution=match_side(by_id[s]),
                  decision=(decisions or {}).get((p, s))) for p, s, score in chosen]


def pairs_version() -> str:
    """What stored pairs were scored with: the features' version, the fitted scorer and the answer map."""
    return f"{PAIRS_VERSION}:{shipped_scorer().digest}:{answer_map_digest()}"


def find_matches(db: Database, *, contact_id: int | None = None, limit: int | None = None) -> list[Match]:
    """The problem–solution pairs across contacts that Kith stands behind, best first.

    One pair per problem and solving contact (their best sentence), a contact's problems shown their
    best few solvers, those near the contact's best pair (the scorer's margin). Pairs the user marked
    "not a fit" are left out. With contact_id, the pairs of the whole list where that contact is either side.
    Read from the pairs marked shown when they were scored, best first, until limit.
    """
    if db.meta("pairs_version") != pairs_version():
        refresh_pairs(db)  # a store written by an older Kith: scored again once
    decisions = db.decisions()
    scorer = shipped_scorer()
    if contact_id is None:
        chosen = _involving(_one_per_solver(db.shown_pairs(), decisions, scorer.per_contact, limit, scorer.margin),
                            None)
    else:
        asking = sorted({contact_id, *db.problem_contacts_helped_by(contact_id)})
        chosen = _involving(_one_per_solver(db.shown_pairs(asking), decisions, scorer.per_contact,
                                            margin=scorer.margin), contact_id)[:limit]
    rows = db.match_sides(sorted({p for p, _, _ in chosen} | {s for _, s, _ in chosen}))
    sides = dict(zip(rows, _SIDES_OF.validate_python(list(rows.values())), strict=True))  # one per item
    return _MATCHES.validate_python([{"score": score, "problem": sides[p], "solution": sides[s],
                                      "decision": decisions.get((p, s))} for p, s, score in chosen])


def refresh_pairs(db: Database, new_ids: Iterable[int] | None = None) -> int:
    """Score new items against everything of the other kind and store the pairs that may be shown.

    new_ids None scores every pair again (`kith reindex`, a new scoring version). So does a store whose pairs another
    version scored (a newer Kith's first note): scoring only the new items would stamp the old pairs as current. Runs
    inside the caller's transaction; returns how many pairs were stored.
    """
    if new_ids is not None and db.meta("pairs_version") != pairs_version():
        new_ids = None
    problems, solutions = stored_sides(db)
    with db.transaction():
        if new_ids is None:
            db.clear_pairs()
            new_p = np.arange(len(problems.ids))
            old_p = np.zeros(0, dtype=np.int64)
            new_s = np.zeros(0, dtype=np.int64)
        else:
            fresh = np.fromiter(new_ids, dtype=np.int64)
            is_new_p = np.isin(problems.ids, fresh)
            new_p, old_p = np.flatnonzero(is_new_p), np.flatnonzero(~is_new_p)
            new_s = np.flatnonzero(np.isin(solutions.ids, fresh))
        stored = 0
        for start in range(0, len(new_p), BLOCK):  # new problems against every solution
            block = problems.take(new_p[start : start + BLOCK])
            sims, floors = similarity(block, solutions)
            db.set_candidate_floors(zip(floors.tolist(), block.ids.tolist(), strict=True))
            stored += _store_block(db, block, solutions, sims)
        if len(old_p) and len(new_s):  # the old problems against the new solutions
            new = solutions.take(new_s).indexed(solutions.words.idf if solutions.words else {})
            for start in range(0, len(old_p), BLOCK):
                stored += _old_problems_block(db, problems.take(old_p[start : start + BLOCK]), solutions, new)
        touched_p = problems.ids[new_p].tolist()
        touched_s = solutions.ids[new_s].tolist()
        scorer = shipped_scorer()
        if new_ids is None or len(touched_p) + len(touched_s) > PRUNE_SCOPE:
            db.prune_pairs(KEEP, scorer.cut_off, scorer.local_depth)
        else:
            db.prune_pairs(KEEP, scorer.cut_off, scorer.local_depth, problem_ids=touched_p, solution_ids=touched_s)
        _mark_shown(db, None if new_ids is None or len(touched_p) + len(touched_s) > PRUNE_SCOPE
                    else (touched_p, touched_s))
        db.set_meta("pairs_version", pairs_version())
    return stored


def _mark_shown(db: Database, touched: tuple[list[int], list[int]] | None) -> None:
    """Score again and decide again which stored pairs are shown: all, or those the touched items change.

    A pair's score depends on its story's best pairs (`locally_scaled`), and whether it is shown on every pair of
    its problem: so the pairs of every problem paired with a touched item's stories are decided again. Each of
    those stories keeps its best pairs' similarities, which the live panel reads (`stored_sides`): reading them from
    every pair would take a second at 100,000 items.
    """
    if touched is None:
        found = db.pairs()
    else:
        near = db.pairs(problem_ids=touched[0], solution_ids=touched[1])  # the new pairs
        stories = db.pairs(solution_ids=np.unique(near[1]).tolist())  # their stories' pairs
        found = db.pairs(problem_ids=np.union1d(near[0], stories[0]).tolist())
    scorer = shipped_scorer()
    stories = np.unique(found[1])
    best = {}
    if scorer.local_k:
        best = db.best_similarities(stories.tolist(), scorer.local_depth)
        db.set_best_pairs((story, np.asarray(best.get(story, []))) for story in stories.tolist())  # stored_sides
    nearness = story_nearness(_best_rows(best, stories, scorer.local_depth), scorer.local_k, scorer.local_skip)
    scores = locally_scaled(found[4], nearness[np.searchsorted(stories, found[1])], scorer.local_weight)
    db.set_shown(zip(shown(*found[:4], scores).astype(int).tolist(), scores.tolist(), found[0].tolist(),
                     found[1].tolist(), strict=True))


def _old_problems_block(db: Database, problems: Side, solutions: Side, new: Side) -> int:
    """Old problems against new stories: a problem whose candidate floor a new story reaches (or that has none)
    has it found again among every story, so that which pairs are compared never depends on the order in which
    notes came (a reindex compares the same ones, but for stories since deleted)."""
    known = db.candidate_floors(problems.ids.tolist())
    floors = np.array([known.get(int(i), np.nan) for i in problems.ids], np.float32)
    reached = ~(_nearness(problems, new) < floors[:, None]).all(axis=1)  # a NaN floor (none kept) is reached too
    if not reached.any():
        return 0
    moved = problems.take(np.flatnonzero(reached))
    floors = nearest_floor(_nearness(moved, solutions))
    db.set_candidate_floors(zip(floors.tolist(), moved.ids.tolist(), strict=True))
    return _store_block(db, moved, new, similarity(moved, new, floors=floors)[0])


def _store_block(db: Database, problems: Side, solutions: Side, sims: np.ndarray) -> int:
    """Store the pairs of these scores (problems × solutions) that may be shown."""
    sims[problems.contacts[:, None] == solutions.contacts[None, :]] = -1.0
    if sims.shape[1] > KEEP:  # only a problem's best KEEP can be stored for it
        top = np.argpartition(-sims, KEEP - 1, axis=1)[:, :KEEP]
        mask = np.zeros_like(sims, dtype=bool)
        np.put_along_axis(mask, top, True, axis=1)
        # ...and each solution's best KEEP among these problems
        top_col = np.argpartition(-sims, min(KEEP, sims.shape[0]) - 1, axis=0)[: KEEP]
        np.put_along_axis(mask, top_col, True, axis=0)
        sims = np.where(mask, sims, -1.0)
    stored = sims >= shipped_scorer().cut_off
    k = min(shipped_scorer().local_depth, sims.shape[0])
    if k:  # and each story's best few, which tell how near it lies to every problem (`story_nearness`)
        best = np.zeros_like(stored)
        np.put_along_axis(best, np.argpartition(-sims, k - 1, axis=0)[:k], True, axis=0)
        stored |= best & (sims > 0)
    rows, cols = np.nonzero(stored)
    db.add_pairs(zip(problems.ids[rows].tolist(), solutions.ids[cols].tolist(), problems.contacts[rows].tolist(),
                     solutions.contacts[cols].tolist(), sims[rows, cols].astype(float).tolist(), strict=True))
    return len(rows)
