"""From a note's text to its items: split, classify each sentence in its note, merge, date the follow-ups."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from app.beside import Beside
from app.config import DATA_DIR
from app.core.dates import to_dos
from app.core.dictation import DICTATION
from app.core.kinds import WEIGHTS, SentenceClassifier, features, note_cues, shipped_classifier
from app.core.pieces import FITTED, Pieces, shipped_projection
from app.core.sentences import PASSAGES, Sentence, split
from app.store.embedder import KIND_ENCODER, PAIR_ENCODER, Embedder
from models import Item, Kind

PAIRED_KINDS = (Kind.PROBLEM, Kind.SOLUTION)
"""The kinds matching pairs, read by the pair encoder too."""
MERGED_KINDS = (Kind.PROBLEM, Kind.SOLUTION, Kind.PERSONAL)
"""Adjacent sentences of these kinds in one paragraph tell one story (or one personal detail): they become one
item. Personal sentences joined or apart: `python bench/personal_items.py`, held out style by style."""
KIND_ORDER = list(Kind)
"""The order of an item's probability of every kind (Understood.kinds, stored with the item)."""
READING_VERSION = 5
"""Bumped whenever the code that splits, reads or dates a note changes what it finds: notes read before are then
read again by `kith reindex` (app.core.rereading), as they are when a fitted file they are read with changes."""
READ_WITH = (WEIGHTS, DATA_DIR / KIND_ENCODER, PASSAGES, DICTATION, FITTED, DATA_DIR / PAIR_ENCODER)
"""The fitted files a note is read with: the sentence classifier and the kind encoder it reads, the clause cut and
where dictation without punctuation is cut, the word-pieces' projection, the pair encoder."""


@cache
def reading_version() -> str:
    """What a note's items were read with (stored with the note): the code's version and the fitted files'."""
    digest = hashlib.sha256()
    for path in READ_WITH:
        digest.update(path.read_bytes())
    return f"{READING_VERSION}:{digest.hexdigest()[:12]}"


@dataclass
class Understood:
    """A note's items and one embedding per item."""

    items: list[Item]
    embeddings: np.ndarray
    parts: list[np.ndarray | None]
    """For an item of several sentences, each sentence's embedding; None for one sentence."""
    kinds: np.ndarray
    """Each item's probability of every kind (models.Kind's order): the mean of its sentences'."""
    pieces: list[Pieces]
    """Each item's word-pieces in context, projected (app.core.pieces)."""
    paired: list[np.ndarray | None]
    """A problem's or a story's vector as the pair encoder reads its text (Embedder.pair_vectors); None for every
    other item, and for every item when the model is not the shipped one."""


def merge_runs(sentences: list[Sentence], kinds: list[Kind]) -> list[tuple[Kind, list[Sentence]]]:
    """Runs of one kind in one paragraph, for the kinds that tell a story; every other sentence alone."""
    groups: list[tuple[Kind, list[Sentence]]] = []
    for sentence, kind in zip(sentences, kinds, strict=True):
        if (groups and kind in MERGED_KINDS and groups[-1][0] == kind
                and groups[-1][1][-1].paragraph == sentence.paragraph):
            groups[-1][1].append(sentence)
        else:
            groups.append((kind, [sentence]))
    return groups


def mean_vector(vectors: np.ndarray) -> np.ndarray:
    """The direction of several sentences told as one: their mean, made unit length again."""
    mean = vectors.mean(axis=0)
    return (mean / max(float(np.linalg.norm(mean)), 1e-9)).astype(np.float32)


def understand_many(notes: list[tuple[str, dt.date]], embedder: Embedder,
                    classifier: SentenceClassifier | None = None, pair_encoder: Embedder | None = None,
                    kind_encoder: Embedder | None = None,
                    contacts: Sequence[str | None] | None = None) -> list[Understood]:
    """Understand several notes with one batched pass of the encoder over their sentences.

    An item of several sentences is embedded as the mean of its sentences' vectors: no text is
    encoded twice by the model. The same pass gives each sentence's word-pieces in context. The classifier reads
    the sentences and headings as the kind encoder gives them (the embedder's unless given; the model's own vectors
    for another model than the shipped one). Then every problem and story is read once by the pair encoder (the
    embedder's unless given), in one batch (`read_pairs`). contacts: each note's contact, when known (a call typed
    turn by turn is read knowing which speaker is the contact: app.core.sentences).
    """
    clf = classifier or shipped_classifier()
    split_notes = [split(text, contact) for (text, _), contact in zip(notes, contacts or [None] * len(notes),
                                                                         strict=True)]
    flat = [s.text for sentences in split_notes for s in sentences]
    heads = sorted({s.section for sentences in split_notes for s in sentences if s.section})
    with Beside(note_cues, split_notes, name="kith-cues") as cues:  # regular expressions, beside the encoder
        encoded, tokens = embedder.encode_with_tokens(flat + heads)
    projection = shipped_projection()
    vectors = encoded[: len(flat)]
    in_kind_order = [clf.classes.index(kind) for kind in KIND_ORDER]
    reader = kind_encoder or embedder.kind_encoder()
    kinds_read = encoded if reader is None or not flat else reader.encode(flat + heads)
    probs = clf.probabilities(features(split_notes, kinds_read[: len(flat)],
                                       dict(zip(heads, kinds_read[len(flat) :], strict=True)), cues.result()))
    results: list[Understood] = []
    offset = 0
    for (_, date), sentences in zip(notes, split_notes, strict=True):
        n = len(sentences)
        note_probs = probs[offset : offset + n]
        kinds = [clf.classes[int(p.argmax())] for p in note_probs]
        items: list[Item] = []
        rows: list[np.ndarray] = []
        parts: list[np.ndarray | None] = []
        kinds_of: list[np.ndarray] = []
        pieces: list[Pieces] = []
        for kind, group in merge_runs(sentences, kinds):
            joined = " ".join([*(s.text + s.cut for s in group[:-1]), group[-1].text])
            members = [offset + s.position for s in group]
            chances = probs[members][:, in_kind_order].mean(axis=0)
            vector = mean_vector(vectors[members]) if len(group) > 1 else vectors[members[0]]
            part = vectors[members] if len(group) > 1 else None
            told = projection.project([tokens[m] for m in members])
            # A to-do naming two deadlines in two clauses is two follow-ups, read from the one sentence.
            ticked = kind == Kind.FOLLOWUP and all(s.done for s in group)  # "- [x] send Ana the deck": done
            for text, due in to_dos(joined, date) if kind == Kind.FOLLOWUP else [(joined, None)]:
                kinds_of.append(chances)
                items.append(Item(kind=kind, text=text, position=group[0].position, date=date,
                                  confidence=float(chances[KIND_ORDER.index(kind)]), due=due, done=ticked))
                rows.append(vector)
                parts.append(part)
                pieces.append(told)
        matrix = np.stack(rows) if rows else np.zeros((0, vectors.shape[1]), np.float32)
        results.append(Understood(items, matrix, parts,
                                  np.stack(kinds_of) if kinds_of else np.zeros((0, len(Kind)), np.float32), pieces,
                                  [None] * len(items)))
        offset += n
    encoder = pair_encoder or embedder.pair_encoder()
    if encoder is not None:
        read_pairs(results, encoder)
    return results


def read_pairs(results: list[Understood], encoder: Embedder) -> None:
    """Give every problem and story its vector as the pair encoder reads it, in one pass over all the notes."""
    at = [(result, row) for result in results for row, item in enumerate(result.items) if item.kind in PAIRED_KINDS]
    if not at:
        return
    vectors = encoder.encode([result.items[row].text for result, row in at])
    for (result, row), vector in zip(at, vectors, strict=True):
        result.paired[row] = vector


def understand(text: str, date: dt.date, embedder: Embedder, contact: str | None = None) -> Understood:
    """Understand one note (about `contact`, when known)."""
    return understand_many([(text, date)], embedder, contacts=[contact])[0]
