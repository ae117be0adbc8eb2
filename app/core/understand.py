"""From a note's text to its items: split, classify in context, merge, date the follow-ups."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np

from app.core import cues
from app.core.dates import due_date
from app.core.kinds import SentenceClassifier, shipped_classifier
from app.core.sentences import Sentence, split
from app.store.embedder import Embedder
from models import Item, Kind

MERGED_KINDS = (Kind.PROBLEM, Kind.SOLUTION)
"""Adjacent sentences of these kinds in one paragraph tell one story: they become one item."""
MIN_WORDS = 3
"""A problem or a solution takes at least this many words; "Sam #2." or "sigh." is a note."""
CONTEXT_KINDS = (Kind.PROBLEM, Kind.SOLUTION, Kind.NOTE, Kind.PERSONAL)
"""The kinds a sentence's paragraph decides between; a to-do is a to-do wherever it stands."""


@dataclass
class Understood:
    """A note's items and one embedding per item."""

    items: list[Item]
    embeddings: np.ndarray
    parts: list[np.ndarray | None]
    """For an item of several sentences, each sentence's embedding; None for one sentence."""


NEIGHBOUR_WEIGHT = 0.4
"""How much a sentence's kind leans on its neighbours: a story is told over several sentences."""
WHOLE_PARAGRAPH_WEIGHT = 0.5
"""How much a sentence's kind leans on its whole paragraph read as one text: a success story is
one paragraph, and its sentences are read as the story they belong to."""


def _is_fragment(text: str) -> bool:
    return len(re.findall(r"[^\W\d_]+", text)) < MIN_WORDS


def _smooth(sentences: list[Sentence], probs: np.ndarray) -> np.ndarray:
    """Blend each sentence's probabilities with its neighbours' in the same paragraph.

    Neighbours, not the whole paragraph: in long prose one paragraph can tell a problem
    and, further on, somebody's fix.
    """
    smoothed = probs.copy()
    for i, sentence in enumerate(sentences):
        near = [j for j in (i - 1, i + 1) if 0 <= j < len(sentences) and sentences[j].paragraph == sentence.paragraph]
        if near:
            smoothed[i] = (1 - NEIGHBOUR_WEIGHT) * probs[i] + NEIGHBOUR_WEIGHT * probs[near].mean(axis=0)
    return smoothed


def _lean_on_paragraph(probs: np.ndarray, paragraph_probs: np.ndarray, clf: SentenceClassifier) -> np.ndarray:
    """Share out each sentence's probability of the context kinds as its whole paragraph reads.

    Whether a sentence tells a problem, a success or small talk depends on the paragraph it
    stands in; its follow-up probability is its own.
    """
    context = [clf.index(k) for k in CONTEXT_KINDS]
    mass = probs[:, context].sum(axis=1, keepdims=True)
    share = paragraph_probs[:, context] / np.maximum(paragraph_probs[:, context].sum(axis=1, keepdims=True), 1e-9)
    leaned = probs.copy()
    leaned[:, context] = (1 - WHOLE_PARAGRAPH_WEIGHT) * probs[:, context] + WHOLE_PARAGRAPH_WEIGHT * mass * share
    return leaned


def _next_best(p: np.ndarray, clf: SentenceClassifier, *ruled_out: Kind) -> Kind:
    """The most likely kind of those not ruled out."""
    p = p.copy()
    p[[clf.index(kind) for kind in ruled_out]] = 0
    return clf.classes[int(p.argmax())]


def _kinds_in_context(sentences: list[Sentence], probs: np.ndarray, paragraph_probs: np.ndarray,
                      clf: SentenceClassifier) -> list[Kind]:
    """Each sentence's kind, from its own probabilities, its section, its neighbours and its paragraph."""
    kinds: list[Kind] = []
    in_context = _lean_on_paragraph(_smooth(sentences, probs), paragraph_probs, clf)
    for i, (sentence, p, own) in enumerate(zip(sentences, in_context, probs, strict=True)):
        kind = clf.classes[int(p.argmax())]
        if kind == Kind.NOTE and int(own.argmax()) == clf.index(Kind.PROBLEM) and any(
                cues.is_failed_attempt(sentences[j].text) for j in (i - 1, i + 1)
                if 0 <= j < len(sentences) and sentences[j].paragraph == sentence.paragraph):
            kind = Kind.PROBLEM  # a failed attempt beside it says the problem goes on
        text = sentence.text
        # A promise is about what comes next; a sentence that tells the past is no to-do.
        todo = bool(cues.IMPERATIVE.search(text)) or (bool(cues.PROMISE.search(text)) and not cues.PAST.search(text))
        if sentence.hint == "followup":
            kind = Kind.FOLLOWUP
        elif sentence.hint == "personal":
            kind = Kind.FOLLOWUP if (kind == Kind.FOLLOWUP and todo) else Kind.PERSONAL
        elif kind == Kind.FOLLOWUP and not todo and not cues.has_due_phrase(text):
            kind = _next_best(p, clf, Kind.FOLLOWUP)
        if (kind == Kind.PERSONAL and sentence.hint is None and cues.STRUGGLE.search(text)
                and not cues.FAMILY.search(text) and not cues.HEALTH.search(text)):
            # a struggle with nothing of their family or health in it is not about their life
            kind = _next_best(p, clf, Kind.PERSONAL, Kind.FOLLOWUP)
        if kind == Kind.PERSONAL and sentence.hint is None and sentence.position == 0 and cues.introduces(text):
            kind = Kind.NOTE  # "Jo Bell, head of ops at Acme": who they are at work, not a personal detail
        if (kind in (Kind.NOTE, Kind.SOLUTION) and sentence.hint is None and cues.WORSE.search(text)
                and not cues.STORY.search(text) and not cues.PAST.search(text)):
            kind = Kind.PROBLEM  # "sales dropped": what fell was good
        if (kind in (Kind.NOTE, Kind.PROBLEM) and sentence.hint is None and cues.STORY.search(text)
                and not cues.UNRESOLVED.search(text)):
            kind = Kind.SOLUTION
        if (kind == Kind.NOTE and sentence.hint is None and cues.ONGOING.search(text)
                and not (cues.ATTEMPT.search(text) and cues.is_failed_attempt(text))
                and not cues.is_only_an_idea(text)):
            kind = Kind.PROBLEM  # "still", "again", "continues": something that goes on
        if kind in (Kind.PROBLEM, Kind.SOLUTION) and _is_fragment(text):
            kind = Kind.NOTE
        if kind == Kind.SOLUTION and cues.tells_no_success(text):
            kind = Kind.NOTE
        kinds.append(kind)
    _stories_told_by_their_result(sentences, kinds)
    _extend_success_stories(sentences, kinds)
    return kinds


def _may_tell_success(sentence: Sentence) -> bool:
    """Outside a section, and not a problem still open, a measure gone wrong, a failed attempt or an idea."""
    text = sentence.text
    return (sentence.hint is None and not cues.UNRESOLVED.search(text) and not cues.WORSE.search(text)
            and not cues.tells_no_success(text))


def _stories_told_by_their_result(sentences: list[Sentence], kinds: list[Kind]) -> None:
    """What someone does, then what it brought ("… half of them turn into paid work"): a success story.

    A sentence that reports a good result makes the sentences before it in its paragraph the
    story of how it came about — what they do and the problem as it was — up to a personal
    detail, a follow-up, a fragment, a problem told as still open, a failed attempt or an idea.
    """
    def may_join(i: int) -> bool:
        return kinds[i] in (Kind.PROBLEM, Kind.SOLUTION, Kind.NOTE) and _may_tell_success(sentences[i])

    def tells_result(i: int) -> bool:
        text = sentences[i].text
        return (may_join(i) and bool(cues.GOOD_RESULT.search(text)) and not cues.WISH.search(text)
                and not cues.STRUGGLE.search(text))

    def part_of_story(i: int) -> bool:  # a problem told in the present with words of struggle is open
        text = sentences[i].text
        return may_join(i) and not _is_fragment(text) and (
            kinds[i] != Kind.PROBLEM or bool(cues.PAST.search(text) or cues.PAST_TENSE.search(text))
            or not cues.STRUGGLE.search(text))

    for r in range(len(sentences)):
        if not tells_result(r):
            continue
        start = r
        while (start > 0 and sentences[start - 1].paragraph == sentences[r].paragraph
               and part_of_story(start - 1)):
            start -= 1
        if start < r:
            kinds[start : r + 1] = [Kind.SOLUTION] * (r + 1 - start)


def _extend_success_stories(sentences: list[Sentence], kinds: list[Kind]) -> None:
    """A success story is told over several sentences: the problem as it was, what they did, the result.

    From each solution sentence the story extends to its neighbours in the same paragraph
    that tell the past problem or the result, or that stand between two of its sentences —
    never over a failed attempt, an idea not yet tried, a problem still open, or a personal or
    follow-up section, and over a fragment ("Sam #2.") only when it stands between two of its sentences.
    """
    def joinable(i: int) -> bool:
        return kinds[i] in (Kind.PROBLEM, Kind.NOTE, Kind.PERSONAL) and _may_tell_success(sentences[i])

    stories = {s.paragraph for s, kind in zip(sentences, kinds, strict=True)
               if kind == Kind.SOLUTION and cues.STORY.search(s.text)}
    changed = True
    while changed:
        changed = False
        for i in range(len(sentences)):
            if not joinable(i):
                continue
            same = sentences[i].paragraph
            before = i > 0 and sentences[i - 1].paragraph == same and kinds[i - 1] == Kind.SOLUTION
            after = (i + 1 < len(sentences) and sentences[i + 1].paragraph == same
                     and kinds[i + 1] == Kind.SOLUTION)
            text = sentences[i].text
            told_as_story = bool(cues.PAST.search(text) or cues.SUCCESS.search(text)) or (
                same in stories and kinds[i] != Kind.PERSONAL)
            if (before and after) or ((before or after) and told_as_story and not _is_fragment(text)):
                kinds[i] = Kind.SOLUTION
                changed = True


def _merge(sentences: list[Sentence], kinds: list[Kind]) -> list[tuple[Kind, list[Sentence]]]:
    groups: list[tuple[Kind, list[Sentence]]] = []
    for sentence, kind in zip(sentences, kinds, strict=True):
        if (groups and kind in MERGED_KINDS and groups[-1][0] == kind
                and groups[-1][1][-1].paragraph == sentence.paragraph):
            groups[-1][1].append(sentence)
        else:
            groups.append((kind, [sentence]))
    return groups


def _paragraphs(split_notes: list[list[Sentence]]) -> list[tuple[str, list[int]]]:
    """Each paragraph of several sentences, as one text, with its sentences' rows in the flat list."""
    out: list[tuple[str, list[int]]] = []
    offset = 0
    for sentences in split_notes:
        groups: dict[int, list[Sentence]] = {}
        for sentence in sentences:
            if sentence.hint is None:
                groups.setdefault(sentence.paragraph, []).append(sentence)
        for group in groups.values():
            if len(group) > 1:
                out.append((" ".join(s.text for s in group), [offset + s.position for s in group]))
        offset += len(sentences)
    return out


def understand_many(notes: list[tuple[str, dt.date]], embedder: Embedder,
                    classifier: SentenceClassifier | None = None) -> list[Understood]:
    """Understand several notes with two batched passes of the encoder."""
    clf = classifier or shipped_classifier()
    split_notes = [split(text) for text, _ in notes]
    flat = [s.text for sentences in split_notes for s in sentences]
    paragraphs = _paragraphs(split_notes)
    vectors = embedder.encode(flat + [text for text, _ in paragraphs])
    vectors, p_vectors = vectors[: len(flat)], vectors[len(flat) :]
    probs = clf.probabilities(flat, vectors) if flat else np.zeros((0, len(clf.classes)))
    paragraph_probs = probs.copy()
    if paragraphs:
        whole = clf.probabilities([text for text, _ in paragraphs], p_vectors)
        for row, (_, members) in zip(whole, paragraphs, strict=True):
            paragraph_probs[members] = row
    results: list[Understood] = []
    pending: list[tuple[int, int, str]] = []
    offset = 0
    for (_, date), sentences in zip(notes, split_notes, strict=True):
        n = len(sentences)
        kinds = _kinds_in_context(sentences, probs[offset : offset + n], paragraph_probs[offset : offset + n], clf)
        items: list[Item] = []
        rows: list[np.ndarray] = []
        parts: list[np.ndarray | None] = []
        for kind, group in _merge(sentences, kinds):
            joined = " ".join(s.text for s in group)
            first = group[0].position
            confidence = float(np.mean([probs[offset + s.position, clf.index(kind)] for s in group]))
            items.append(Item(kind=kind, text=joined, position=first, date=date, confidence=confidence,
                              due=due_date(joined, date) if kind == Kind.FOLLOWUP else None))
            rows.append(vectors[offset + first])
            parts.append(vectors[[offset + s.position for s in group]] if len(group) > 1 else None)
            if len(group) > 1:
                pending.append((len(results), len(items) - 1, joined))
        matrix = np.stack(rows) if rows else np.zeros((0, vectors.shape[1]), np.float32)
        results.append(Understood(items, matrix, parts))
        offset += n
    known = {text: vector for (text, _), vector in zip(paragraphs, p_vectors, strict=True)}
    fresh = sorted({text for _, _, text in pending} - known.keys())
    if fresh:  # a story that fills its paragraph was encoded already
        known.update(zip(fresh, embedder.encode(fresh), strict=True))
    for note, item, text in pending:
        results[note].embeddings[item] = known[text]
    return results


def understand(text: str, date: dt.date, embedder: Embedder) -> Understood:
    """Understand one note."""
    return understand_many([(text, date)], embedder)[0]
