"""The ONNX encoder gives sentence-transformers' vectors, without torch, from a cache made once."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from app.config import DATA_DIR
from app.store.embedder import Embedder, default_model_path

STYLES = [
    "ok so um the thing with her warehouse is, like, the pickers keep walking the whole floor for one order",
    "- churn up 4% QoQ\n- new CFO wants numbers by Fri",
    "He say the customers is not paying in time since the new system, they wait 90 days sometime more.",
    "## Problems\n- [ ] onboarding takes three weeks\n- [x] sent the deck",
    "Hi Sam,\n\nThanks for the call yesterday! As promised, here's the article on no-shows.\n\nBest, Kim",
    "Looking back on the conversation, what struck me most was how calmly she described the year the "
    "plant nearly closed: orders halved, the bank on the phone every week, and the team she had built "
    "over a decade wondering whether to leave. " * 6,  # longer than the model's 256 tokens: truncated alike
    "thx, will send deck by thurs",
    "Ça marche — merci! Die Kinder sind in Berlin. 孩子们在柏林。",
    "",
]


def corpus() -> list[str]:
    with (DATA_DIR / "sentences.tsv").open() as handle:
        rows = [row["text"] for row in csv.DictReader(handle, delimiter="\t")]
    return rows[::4] + STYLES  # a few hundred of our own sentences, every kind, and every style above


@pytest.mark.slow
def test_vectors_equal_sentence_transformers():
    texts = corpus()
    assert len(texts) >= 250
    ours = Embedder().encode(texts)
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(default_model_path(), device="cpu", local_files_only=True).encode(
        texts, normalize_embeddings=True, convert_to_numpy=True, batch_size=64)
    cosine = (ours * reference).sum(axis=1) / np.linalg.norm(reference, axis=1)
    assert cosine.min() >= 0.999, (cosine.min(), texts[int(cosine.argmin())])
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
def test_word_piece_vectors_equal_sentence_transformers_tokens():
    """Embedder.tokens: each word-piece's vector in context as sentence-transformers gives it, without [CLS], [SEP]."""
    texts = [t for t in STYLES if t][:5]
    ours = Embedder().tokens(texts)
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(default_model_path(), device="cpu", local_files_only=True)
    for text, (ids, vectors), reference in zip(texts, ours, model.encode(texts, output_value="token_embeddings"),
                                               strict=True):
        reference = np.asarray(reference)[1:-1]
        assert len(ids) == len(vectors) == len(reference) and ids.tolist() == model.tokenizer(text)["input_ids"][1:-1]
        cosine = (vectors * reference).sum(axis=1) / np.linalg.norm(reference, axis=1)
        assert cosine.min() >= 0.999, (cosine.min(), text)
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_one_pass_gives_the_vectors_and_the_word_pieces_of_two():
    """Understanding asks for both at once: they are what encode() and tokens() give apart, a text twice too."""
    texts = [*STYLES, STYLES[0]]
    embedder = Embedder()
    vectors, tokens = embedder.encode_with_tokens(texts)
    assert np.array_equal(vectors, embedder.encode(texts))
    for (ids, pieces), (alone_ids, alone) in zip(tokens, embedder.tokens(texts), strict=True):
        assert np.array_equal(ids, alone_ids) and np.allclose(pieces, alone, atol=1e-6)
    assert len(tokens[-1][0]) == len(tokens[0][0]) > 10 and len(tokens[STYLES.index("")][0]) == 0


def test_the_export_is_made_once_and_found_by_the_weights_hash(model_cache):
    def model_exports():  # the pair encoder's, with its retrained weights, are named "<model>+<overlay>"
        return sorted(p for p in (model_cache / "models").glob("*.onnx") if "+" not in p.name)

    Embedder().encode(["first use exports the model"])
    exported = model_exports()
    assert len(exported) == 1
    told: list[str] = []
    Embedder(notice=told.append).encode(["a second process finds it"])
    assert told == [] and model_exports() == exported


def test_a_model_folder_without_weights_is_one_clear_error(tmp_path):
    from app.errors import KithError

    with pytest.raises(KithError, match="no model weights"):
        Embedder(model=str(tmp_path)).encode(["x"])


def test_an_export_keeps_its_weights_beside_the_graph_and_replaces_an_older_one(tmp_path):
    from pathlib import Path

    from app.store.model_files import cached_model

    folder = Path(default_model_path())
    target = cached_model(folder, tmp_path)
    older = target.with_name(target.name.replace(target.name.rsplit("-v", 1)[1], "1.onnx"))
    older.write_bytes(b"an export by an older Kith")
    newer = target.with_name(target.name.replace(target.name.rsplit("-v", 1)[1], "99.onnx"))
    newer.write_bytes(b"an export by a newer Kith sharing the cache")
    told: list[str] = []
    vector = Embedder(cache=tmp_path, notice=told.append).encode(["the weights are mapped, not parsed"])
    assert len(told) == 1 and "once" in told[0]
    assert sorted(p.name for p in target.parent.iterdir() if p.suffix in (".onnx", ".data")) == sorted([
        target.name, f"{target.name}.data", newer.name])  # the newer Kith's export stays: it is still used
    assert target.stat().st_size < 1_000_000 < (target.parent / f"{target.name}.data").stat().st_size
    assert np.allclose(vector, Embedder().encode(["the weights are mapped, not parsed"]), atol=1e-6)


def test_a_pair_encoder_export_replaces_an_earlier_encoders_and_keeps_the_models(tmp_path):
    """A retrained pair encoder leaves no ~90 MB export of the last one behind (nor one named before exports were
    named by their weights' file); the model's own export and the query encoder's stay."""
    from pathlib import Path

    from app.store.embedder import PAIR_ENCODER, QUERY_ENCODER
    from app.store.model_files import cached_model

    folder = Path(default_model_path())
    own = cached_model(folder, tmp_path)
    target = cached_model(folder, tmp_path, DATA_DIR / PAIR_ENCODER)
    queries = cached_model(folder, tmp_path, DATA_DIR / QUERY_ENCODER)
    model, version = target.name.split("+")[0], target.name.rsplit("-v", 1)[1]
    earlier = target.with_name(f"{model}+pair_encoder-{'0' * 16}-v{version}")
    unnamed = target.with_name(f"{model}+{'1' * 16}-v{version}")
    for path, text in ((earlier, "an earlier pair encoder"), (unnamed, "an encoder's export named by hash alone"),
                       (own, "the model's own export"), (queries, "the query encoder's export")):
        path.write_bytes(text.encode())
    assert Embedder(cache=tmp_path, notice=lambda _: None).pair_vectors(["a deposit at booking"]).shape == (1, 384)
    assert sorted(p.name for p in target.parent.iterdir() if ".onnx" in p.name) == sorted(
        [own.name, queries.name, target.name, f"{target.name}.data"])