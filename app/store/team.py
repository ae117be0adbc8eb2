"""The team's shared stories on the index server: one collection every member of the team reads.

A story holds only what a colleague needs: the solution's text, who solved it, whose network they
are in, and its vectors for matching (MiniLM's and the pair encoder's, both read from the text alone).
Nothing else of a home (its notes, its contacts, its other items) is ever written here; a home's own
records stay in its own database.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.store.embedder import DIMENSIONS, pair_encoder_digest, paired_rows
from app.store.index import Connection

if TYPE_CHECKING:
    import numpy as np

DATABASE = "kith-team"
COLLECTION = "shared_stories"
PAGE = 1000


@dataclass(frozen=True)
class Story:
    """A colleague's shared story."""

    key: str
    """"<home id>-<item id>": whose home, which item."""
    text: str
    solver: str
    """Who solved it: the colleague's contact."""
    member: str
    """The colleague whose network the solver is in."""

    @property
    def home_id(self) -> str:
        return self.key.rsplit("-", 1)[0]


class TeamStories:
    """The shared stories of everyone on the server."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self.collection = connection.collection(connection.client(DATABASE), COLLECTION)

    @property
    def identity(self) -> str:
        """The collection's id: a new one means the server lost (or never had) the shared stories."""
        return str(self.collection.id)

    def put(self, home_id: str, stories: list[tuple[int, str, str, str]], vectors: np.ndarray,
            paired: list[np.ndarray | None]) -> None:
        """Share (item id, text, solver, member) of one home, with the items' vectors and pair encoder's vectors
        (None for an item read without one)."""
        if stories:
            metadatas = [{"solver": solver, "member": member} | ({} if pair is None else pair_metadata(pair))
                         for (_, _, solver, member), pair in zip(stories, paired, strict=True)]
            self.connection.call(lambda: self.collection.upsert(
                ids=[f"{home_id}-{item_id}" for item_id, *_ in stories], embeddings=vectors.tolist(),
                documents=[text for _, text, _, _ in stories], metadatas=metadatas))

    def remove(self, home_id: str, item_ids: list[int]) -> None:
        if item_ids:
            self.connection.call(lambda: self.collection.delete(ids=[f"{home_id}-{i}" for i in item_ids]))

    def everyone(self) -> tuple[list[Story], np.ndarray, np.ndarray]:
        """Every shared story with its vector and its pair encoder's vector (a row of NaN where it has none: a
        story shared by an older Kith)."""
        import numpy as np

        stories: list[Story] = []
        vectors: list[Any] = []
        paired: list[np.ndarray | None] = []
        while True:
            offset = len(stories)
            got = self.connection.call(lambda offset=offset: self.collection.get(
                include=["documents", "metadatas", "embeddings"], limit=PAGE, offset=offset))
            stories += [Story(key, text, meta["solver"], meta["member"])
                        for key, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)]
            vectors += list(got["embeddings"])
            paired += [pair_vector(meta) for meta in got["metadatas"]]
            if len(got["ids"]) < PAGE:
                break
        return stories, np.asarray(vectors, dtype=np.float32).reshape(len(stories), DIMENSIONS), paired_rows(paired)


PAIRED, PAIRED_WITH = "paired", "paired_with"
"""The metadata keys of a story's pair encoder vector (float32, base64: a metadata value is a string or a number)
and of the encoder that read it (embedder.pair_encoder_digest)."""


def pair_metadata(vector: np.ndarray) -> dict[str, str]:
    """A pair encoder's vector as a story's metadata holds it, with the encoder that read it."""
    import numpy as np

    return {PAIRED: base64.b64encode(np.asarray(vector, dtype=np.float32).tobytes()).decode("ascii"),
            PAIRED_WITH: pair_encoder_digest()}


def pair_vector(metadata: Mapping[str, object]) -> np.ndarray | None:
    """A story's pair encoder's vector from its metadata; None (its row NaN, estimated when scored) where there is
    none, another encoder read it (a colleague's Kith before or after a retrained one), or it is not one (a value
    written by something else)."""
    import numpy as np

    text = metadata.get(PAIRED)
    try:
        vector = np.frombuffer(base64.b64decode(str(text), validate=True), dtype=np.float32)
    except (binascii.Error, ValueError):
        vector = np.zeros(0, np.float32)
    if text is None or metadata.get(PAIRED_WITH) != pair_encoder_digest() or vector.shape != (DIMENSIONS,):
        return None
    return vector
