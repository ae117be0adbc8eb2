"""The torch-free ONNX graph (app.store.onnx_graph) gives the vectors of sentence-transformers."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
from safetensors.numpy import save_file

from app.errors import KithError
from app.store import onnx_graph
from app.store.embedder import Embedder, _session, _tokenizer, default_model_path
from app.store.onnx_graph import build

TERSE = [
    "- churn up 4% QoQ\n- new CFO wants numbers by Fri",
    "thx, will send deck by thurs",
    "call back re: pricing",
    "intro → Priya (logistics)",
    "- budget frozen till Q3\n- pilot ok if < 5k",
    "met @ SaaStr, CTO, into Rust",
    "follow up 2wks",
    "* hiring 3 SREs\n* on-call is burning them out",
    "needs: SOC2, SSO, audit log",
    "ETA slipped again. vendor blames customs",
    "2 kids, marathon in Oct, hates cold calls",
    "pricing page confusing -> 40% drop at checkout",
    "owes me intro to Marco",
    "Q: who signs off? A: COO only",
    "ARR ~1.2M, 14 ppl, Lisbon",
]

DICTATED = [
    "ok so um the thing with her warehouse is, like, the pickers keep walking the whole floor for one order",
    "so yeah we talked for maybe an hour and the main thing I guess is that nobody owns the onboarding, "
    "like sales hands it off and then it just kind of sits there",
    "he was saying, and I'm paraphrasing here, that the board doesn't really get why churn matters "
    "when new logos are growing, which, I mean, fair, but also not really",
    "remind me to, uh, ask her about the thing with the insurance claims, the ones that bounce back "
    "because the codes are wrong, she mentioned it twice",
    "okay note to self she is the one from the bakery chain not the one from the brewery, the bakery one "
    "has the problem with flour prices and the night bakers",
    "anyway the gist is they tried three CRMs in two years and every time the reps just went back to spreadsheets",
    "she kind of laughed when I asked about the budget, said something like there is no budget there is only hope",
    "uh what else, oh right, they're moving offices in March so nothing happens before April basically",
    "so the clinic, right, they have like two front desk people and the phone just rings all day and "
    "patients can't get through so they show up in person which makes it worse",
    "I think he's frustrated but he didn't say it outright, more like sighing every time the ERP came up",
]

NON_NATIVE = [
    "He say the customers is not paying in time since the new system, they wait 90 days sometime more.",
    "We are having many problem with the delivery, the trucks they come late and nobody is informing us.",
    "She told me that her team is working since two years on this project but still is not finish.",
    "The management want that we make more sales but they don't give us the tools for make it.",
    "Is very difficult to find good people for the kitchen, they stay one month and after they go.",
    "I am agree with him that the software is too much complicate for the old workers.",
    "Our clients they prefer to pay with cash, so the accounting is every time a big mess.",
    "He explain me that the machine is broken since last week and the piece come from Germany.",
    "In my country we make the meeting first and after we decide, here is the opposite.",
    "They have no possibility to see the stock in real time, so they order always too much.",
]

MARKDOWN = [
    "## Problems\n- [ ] onboarding takes three weeks\n- [x] sent the deck",
    "# Meeting with Dana\n\n**Context:** met at the retail expo\n\n- [ ] send case study\n- [ ] intro to Lee",
    "### TODO\n1. [x] book flights\n2. [ ] ask about the pilot\n3. [ ] check references",
    "> \"We lose a day every time a pallet is mislabelled\"\n\n— warehouse lead, _paraphrased_",
    "| metric | value |\n|---|---|\n| churn | 6% |\n| NPS | 31 |",
    "- [ ] follow up on **pricing**\n  - [ ] annual vs monthly\n  - [x] discount for NGOs",
    "`invoice_sync` job fails nightly; see [ticket](https://example.com/t/123)",
    "**Pain:** manual reconciliation\n**Owner:** finance (Ruth)\n**Next:** demo on the 14th",
]

EMAILS = [
    "Hi Sam,\n\nThanks for the call yesterday! As promised, here's the article on no-shows.\n\nBest, Kim",
    "From: Jordan Lee <jordan@example.com>\nSent: Tuesday, 3 June 2025 09:14\nTo: me\nSubject: RE: pilot\n\n"
    "Hi,\n\nWe discussed internally and would like to start the pilot in July with the Leeds site only. "
    "Could you send over the data processing agreement?\n\nKind regards,\nJordan\n\n"
    "-- \nJordan Lee | Head of Operations | Example Ltd\nThis email and any attachments are confidential.",
    "Hey! Great meeting you at the conference. Let's grab coffee next week? Tue or Wed work for me. -Alex",
    "Dear Mr. Okafor,\n\nFurther to our conversation, I attach the revised quote. Please note that the "
    "prices are valid until the end of the month.\n\nYours sincerely,\nH. Brandt",
    "> On Mon, Ana wrote:\n> can we push to Friday?\n\nFriday works. Same link.\n\nSent from my iPhone",
]

PROSE = [
    "Looking back on the conversation, what struck me most was how calmly she described the year the "
    "plant nearly closed: orders halved, the bank on the phone every week, and the team she had built "
    "over a decade wondering whether to leave. " * 6,
    "The hospital runs on a patchwork of systems that were never meant to talk to each other. Admissions "
    "uses one database, the wards another, and pharmacy a third that still prints its labels on a dot-matrix "
    "printer in the basement. When a patient moves from the emergency department to a ward, a nurse copies "
    "the notes by hand into a second screen, and every copy is a chance for an allergy or a dose to go "
    "missing. The chief nurse told me they had two near misses last quarter that traced back to exactly "
    "this step. She does not want a new system; she has lived through three migrations and each one cost "
    "a year of overtime. What she wants is for the existing screens to share the few fields that matter: "
    "allergies, current medication, the name of the responsible consultant, and whether the family has "
    "been told. Her IT department says that is an integration project with a budget they do not have. The "
    "finance director says the budget exists if someone can show the cost of the near misses in money. "
    "Nobody has done that sum, because nobody owns the question, and so the nurses keep copying by hand, "
    "every shift, every ward, every day, while the committees meet about it once a month and adjourn.",
    "Farming co-operatives in the valley sell most of their apples to two supermarket chains, and the "
    "contracts are renegotiated every spring. The growers I met described the process as a ritual in which "
    "they arrive with cost figures and leave with a price lower than last year. Fertiliser, diesel and "
    "seasonal labour have all gone up; the price per kilo has not. Some have started pressing their own "
    "juice and selling at farmers' markets, which pays better but eats their weekends. One grower, whose "
    "family has worked the same slope for four generations, has begun tracking every hour and every cost "
    "in a notebook, because he suspects the co-operative's numbers are too optimistic. He would like a "
    "simple way to compare his orchard with the others without exposing his figures to the buyers. The "
    "co-operative's secretary agrees in principle but worries that members will quarrel if the numbers "
    "show who is subsidising whom. Meanwhile the younger members want to try direct sales online, and the "
    "older ones think that is a distraction from the real fight over the contract. Everyone agrees that "
    "the current arrangement cannot last another five years, and nobody agrees on what comes after it, "
    "which is why the meeting I attended ran two hours past its scheduled end and decided nothing at all.",
]

ODD = [
    "",
    " ",
    "logistics",
    "Kubernetes",
    "?",
    "...",
    "🙂",
    "123456789",
    "a",
    "ok",
    "URGENT!!!",
    "https://example.com/path?query=1&x=2",
    "tab\tseparated\tvalues",
    "café naïve résumé",
]

NON_LATIN = [
    "Ça marche — merci! Die Kinder sind in Berlin. 孩子们在柏林。",
    "我们的仓库每天都有很多订单延误。",
    "会議は来週の火曜日に延期されました。",
    "Клиенты жалуются, что доставка занимает слишком много времени.",
    "المشكلة الرئيسية هي نقص الموظفين في المستودع",
    "हमारे ग्राहक समय पर भुगतान नहीं करते हैं",
    "Η συνάντηση πήγε καλά, θα στείλω την προσφορά αύριο.",
    "다음 주에 다시 연락드리겠습니다.",
    "ΑΒΓ абв אבג",
]

LEADS = ["Note: ", "Met at the expo. ", "From the call: ", "(second meeting) ", "Re Dana — "]


def texts() -> list[str]:
    """A few hundred texts of every kind above: alone, with a lead-in, and in two sets of pairs."""
    base = TERSE + DICTATED + NON_NATIVE + MARKDOWN + EMAILS + PROSE + ODD + NON_LATIN
    led = [LEADS[i % len(LEADS)] + text for i, text in enumerate(base)]
    lines = [f"{a}\n{base[(i * 7 + 3) % len(base)]}" for i, a in enumerate(base)]
    runs = [f"{a} {base[(i * 11 + 5) % len(base)]}" for i, a in enumerate(base)]
    return list(dict.fromkeys(base + led + lines + runs))


@pytest.fixture(scope="module")
def folder() -> Path:
    return Path(default_model_path())


@pytest.fixture(scope="module")
def graph(folder, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("onnx-graph") / "bert.onnx"
    build(folder, target)
    return target


def encode(graph: Path, folder: Path, sentences: list[str], optimise: bool) -> np.ndarray:
    """Vectors from the embedder's own tokenizer, batching and pooling, running the given graph.

    optimise: as the embedder runs it (ONNX Runtime's optimised graph saved, loaded as is), else the plain graph.
    """
    if optimise:
        optimised = graph.with_name(graph.stem + "-optimised.onnx")
        if not optimised.exists():
            onnx_graph.optimise(graph, optimised)
        session = _session(optimised)
    else:
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        session = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
    embedder = Embedder(model=str(folder))
    embedder._tokenizer, embedder._max_tokens = _tokenizer(folder)
    embedder._session = session  # so encode() does not load (nor export) the cached model
    return embedder.encode(sentences)


def cosines(ours: np.ndarray, reference: np.ndarray) -> np.ndarray:
    return (ours * reference).sum(axis=1) / np.linalg.norm(ours, axis=1) / np.linalg.norm(reference, axis=1)


@pytest.mark.slow
def test_the_texts_cover_every_kind(folder):
    sentences = texts()
    assert len(sentences) >= 250 and "" in sentences and len(set(sentences)) == len(sentences)
    tokenizer, limit = _tokenizer(folder)
    assert limit == 256
    assert sum(bool(e.overflowing) for e in tokenizer.encode_batch(sentences)) >= 10  # truncated to 256 tokens


@pytest.fixture(scope="module")
def reference(folder) -> np.ndarray:
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(folder), device="cpu").encode(texts(), normalize_embeddings=True)


@pytest.mark.slow
@pytest.mark.parametrize("optimise", [False, True], ids=["plain", "optimised"])
def test_vectors_equal_sentence_transformers(graph, folder, reference, optimise):
    sentences = texts()
    ours = encode(graph, folder, sentences, optimise)
    cosine = cosines(ours, reference)
    assert cosine.min() >= 0.999, (cosine.min(), sentences[int(cosine.argmin())])
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


TINY = {"model_type": "bert", "hidden_act": "gelu", "hidden_size": 8, "num_attention_heads": 2,
        "num_hidden_layers": 2, "intermediate_size": 16, "vocab_size": 20, "max_position_embeddings": 12,
        "type_vocab_size": 2, "layer_norm_eps": 1e-12}


def tiny_model(folder: Path, prefix: str = "", **config) -> Path:
    """A random BERT of TINY's sizes, written as config.json and model.safetensors."""
    config = {**TINY, **config}
    hidden, inner = config["hidden_size"], config["intermediate_size"]
    shapes = {"embeddings.word_embeddings.weight": (config["vocab_size"], hidden),
              "embeddings.position_embeddings.weight": (config["max_position_embeddings"], hidden),
              "embeddings.token_type_embeddings.weight": (config["type_vocab_size"], hidden),
              "embeddings.LayerNorm.weight": (hidden,), "embeddings.LayerNorm.bias": (hidden,),
              "pooler.dense.weight": (hidden, hidden), "pooler.dense.bias": (hidden,)}  # not in the graph
    for layer in range(config["num_hidden_layers"] or 0):
        key = f"encoder.layer.{layer}"
        for name, out, into in [("attention.self.query", hidden, hidden), ("attention.self.key", hidden, hidden),
                                ("attention.self.value", hidden, hidden), ("attention.output.dense", hidden, hidden),
                                ("intermediate.dense", inner, hidden), ("output.dense", hidden, inner)]:
            shapes[f"{key}.{name}.weight"], shapes[f"{key}.{name}.bias"] = (out, into), (out,)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            shapes[f"{key}.{norm}.weight"] = shapes[f"{key}.{norm}.bias"] = (hidden,)
    random = np.random.default_rng(7)
    save_file({prefix + key: random.normal(size=shape).astype(np.float32) for key, shape in shapes.items()},
              str(folder / "model.safetensors"))
    (folder / "config.json").write_text(json.dumps(config))
    return folder


def run(graph: Path, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    session = ort.InferenceSession(str(graph), providers=["CPUExecutionProvider"])
    return session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]


def test_weights_with_or_without_the_bert_prefix_give_the_same_graph(tmp_path):
    (tmp_path / "plain").mkdir()
    (tmp_path / "prefixed").mkdir()
    build(tiny_model(tmp_path / "plain"), tmp_path / "plain.onnx")
    build(tiny_model(tmp_path / "prefixed", prefix="bert."), tmp_path / "prefixed.onnx")
    ids = np.array([[1, 5, 7, 2, 0], [1, 9, 2, 0, 0]], dtype=np.int64)
    mask = (ids > 0).astype(np.int64)
    hidden = run(tmp_path / "plain.onnx", ids, mask)
    assert hidden.shape == (2, 5, 8) and np.isfinite(hidden).all()
    assert np.array_equal(hidden, run(tmp_path / "prefixed.onnx", ids, mask))


def test_padding_does_not_change_the_vectors_of_the_tokens(tmp_path):
    build(tiny_model(tmp_path), tmp_path / "tiny.onnx")
    ids = np.array([[1, 5, 7, 2]], dtype=np.int64)
    alone = run(tmp_path / "tiny.onnx", ids, np.ones_like(ids))
    padded_ids = np.array([[1, 5, 7, 2, 0, 0, 0]], dtype=np.int64)
    padded = run(tmp_path / "tiny.onnx", padded_ids, (padded_ids > 0).astype(np.int64))
    assert np.allclose(alone, padded[:, :4], atol=1e-5)


@pytest.mark.parametrize("change, message", [
    ({"model_type": "roberta"}, "model type 'roberta'"),
    ({"hidden_act": "relu"}, "activation 'relu'"),
    ({"hidden_act": "gelu_new"}, "activation 'gelu_new'"),
    ({"position_embedding_type": "relative_key"}, "position embeddings 'relative_key'"),
    ({"num_attention_heads": 3}, "not a multiple"),
    ({"num_hidden_layers": None}, "no usable num_hidden_layers"),
])
def test_an_unsupported_model_is_refused_clearly(tmp_path, change, message):
    tiny_model(tmp_path, **change)
    with pytest.raises(KithError, match=message):
        build(tmp_path, tmp_path / "model.onnx")
    assert not (tmp_path / "model.onnx").exists()


def test_missing_files_and_weights_are_clear_errors(tmp_path):
    with pytest.raises(KithError, match="config.json"):
        build(tmp_path, tmp_path / "model.onnx")
    (tmp_path / "config.json").write_text(json.dumps(TINY))
    with pytest.raises(KithError, match="no model.safetensors"):
        build(tmp_path, tmp_path / "model.onnx")
    save_file({"embeddings.word_embeddings.weight": np.zeros((20, 8), dtype=np.float32)},
              str(tmp_path / "model.safetensors"))
    with pytest.raises(KithError, match="no 'embeddings.token_type_embeddings.weight'"):
        build(tmp_path, tmp_path / "model.onnx")


def test_an_overlay_puts_its_weights_in_place_of_the_models(tmp_path):
    from safetensors.numpy import load_file

    tiny_model(tmp_path)
    weights = load_file(str(tmp_path / "model.safetensors"))
    last = {k: v for k, v in weights.items() if k.startswith("encoder.layer.1.")}
    save_file(last, str(tmp_path / "same.safetensors"))
    save_file({k: v * 0.5 for k, v in last.items()}, str(tmp_path / "retrained.safetensors"))
    for name in ("base", "same", "retrained"):
        build(tmp_path, tmp_path / f"{name}.onnx", None if name == "base" else tmp_path / f"{name}.safetensors")
    ids = np.array([[1, 5, 7, 2]], dtype=np.int64)
    base, same, retrained = (run(tmp_path / f"{name}.onnx", ids, np.ones_like(ids))
                             for name in ("base", "same", "retrained"))
    assert np.array_equal(base, same)
    assert not np.allclose(base, retrained, atol=1e-3)


def test_an_overlay_that_does_not_fit_the_model_is_a_clear_error(tmp_path):
    tiny_model(tmp_path)
    save_file({"encoder.layer.1.output.dense.weight": np.zeros((3, 3), np.float32)}, str(tmp_path / "odd.safetensors"))
    with pytest.raises(KithError, match="does not fit this model"):
        build(tmp_path, tmp_path / "model.onnx", tmp_path / "odd.safetensors")
    assert not (tmp_path / "model.onnx").exists()


@pytest.mark.slow
@pytest.mark.parametrize("weights", ["pair_encoder.safetensors", "kind_encoder.safetensors"])
def test_a_retrained_encoder_gives_the_vectors_of_sentence_transformers_with_its_weights(folder, tmp_path, weights):
    import torch
    from safetensors.torch import load_file
    from sentence_transformers import SentenceTransformer

    from app.config import DATA_DIR
    from app.store.embedder import KIND_ENCODER, PAIR_ENCODER

    assert weights in (KIND_ENCODER, PAIR_ENCODER)
    overlay = DATA_DIR / weights
    model = SentenceTransformer(str(folder), device="cpu")
    retrained = {k: v.to(torch.float32) for k, v in load_file(str(overlay)).items()}
    missing, unexpected = model[0].auto_model.load_state_dict(retrained, strict=False)
    assert not unexpected and len(missing) > len(retrained)  # only the last layers are shipped
    sentences = texts()[:120]
    reference = model.encode(sentences, normalize_embeddings=True)
    ours = Embedder(cache=tmp_path, overlay=overlay).encode(sentences)
    cosine = cosines(ours, reference)
    assert cosine.min() >= 0.999, (cosine.min(), sentences[int(cosine.argmin())])
    assert cosines(Embedder(cache=tmp_path).encode(sentences), ours).mean() < 0.99  # it reads otherwise
