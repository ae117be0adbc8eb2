"""The embedding model's ONNX graph, built straight from its safetensors weights: no torch.

The graph is a BERT encoder up to its last hidden state: inputs input_ids, attention_mask and
token_type_ids (int64 [batch, tokens]), output last_hidden_state (float32 [batch, tokens,
hidden]). It uses standard opset-17 operators only; ONNX Runtime fuses them (FusedMatMul,
BiasGelu …) when it optimises the graph, which `optimise` saves so that loading it later skips
that work. `build` stores the weights in the graph, as initializers, in one file; `optimise` puts them
in a file beside the graph, which ONNX Runtime maps into memory instead of parsing: a session loads in
~0.04 s instead of ~0.12 s.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from safetensors.numpy import load_file

from app.errors import KithError

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT = "last_hidden_state"
OPSET = 17
IR_VERSION = 8
"""The ONNX file format of opset 17, read by every ONNX Runtime since 1.12."""
MASKED = float(np.finfo(np.float32).min)
"""Added to the attention scores of padding tokens, so that softmax gives them no weight (as transformers does)."""


def build(model_dir: Path, target: Path, overlay: Path | None = None) -> None:
    """Write the BERT model in model_dir (config.json, model.safetensors) as an ONNX graph at target; with an
    overlay, a safetensors file of some of its weights retrained, those in place of the model's."""
    config = _config(model_dir)
    weights_file = model_dir / "model.safetensors"
    if not weights_file.is_file():
        raise KithError(f"no model.safetensors in {model_dir}", title="Model")
    weights = load_file(str(weights_file))
    if overlay is not None:
        weights.update(_overlaid(weights, load_file(str(overlay)), overlay))
    graph = _Builder(weights, heads=config["num_attention_heads"],
                     hidden=config["hidden_size"], eps=float(config.get("layer_norm_eps", 1e-12)))
    hidden = graph.embeddings()
    bias = graph.attention_bias()
    for layer in range(config["num_hidden_layers"]):
        hidden = graph.layer(hidden, bias, f"encoder.layer.{layer}")

    tokens = [helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "tokens"]) for name in INPUTS]
    output = helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, ["batch", "tokens", config["hidden_size"]])
    graph.nodes.append(helper.make_node("Identity", [hidden], [OUTPUT], name=OUTPUT))
    model = helper.make_model(helper.make_graph(graph.nodes, "bert", tokens, [output], graph.initializers),
                              opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION,
                              producer_name="kith")
    onnx.save(model, str(target))


def _overlaid(weights: dict[str, np.ndarray], retrained: dict[str, np.ndarray], overlay: Path) -> dict[str, np.ndarray]:
    """The retrained weights in float32, each checked to replace one of the model's of the same shape."""
    wrong = [key for key, value in retrained.items() if key not in weights or weights[key].shape != value.shape]
    if wrong:
        raise KithError(f"{overlay} does not fit this model ({len(wrong)} weights differ, e.g. {wrong[0]!r})",
                        title="Model")
    return {key: value.astype(np.float32) for key, value in retrained.items()}


def weights_beside(graph: Path) -> Path:
    """The file of an optimised graph's weights: beside it, named after it."""
    return graph.with_name(graph.name + ".data")


def optimise(raw: Path, target: Path, weights: Path | None = None) -> None:
    """Save ONNX Runtime's fully optimised graph of raw at target (for this machine's CPU), its weights in
    weights (a file in target's folder; default: `weights_beside(target)`). The graph names that file, so it
    must be given its final name here."""
    import onnxruntime as ort

    weights = weights or weights_beside(target)
    if weights.parent != target.parent:
        raise ValueError(f"the weights file {weights} must be in the graph's folder {target.parent}")
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.optimized_model_filepath = str(target)
    options.add_session_config_entry("session.optimized_model_external_initializers_file_name", weights.name)
    options.add_session_config_entry("session.optimized_model_external_initializers_min_size_in_bytes", "1024")
    options.log_severity_level = 3
    ort.InferenceSession(str(raw), options, providers=["CPUExecutionProvider"])


def _config(model_dir: Path) -> dict:
    """The model's config.json, refused unless it describes a BERT encoder this builder writes right."""
    try:
        config = json.loads((model_dir / "config.json").read_text())
    except (OSError, ValueError) as e:
        raise KithError(f"cannot read {model_dir / 'config.json'}: {e}", title="Model") from e
    problems = []
    if config.get("model_type") != "bert":
        problems.append(f"model type {config.get('model_type')!r} (only 'bert' is supported)")
    if config.get("hidden_act") != "gelu":
        problems.append(f"activation {config.get('hidden_act')!r} (only 'gelu' is supported)")
    if config.get("position_embedding_type", "absolute") != "absolute":
        problems.append(f"position embeddings {config['position_embedding_type']!r} (only 'absolute')")
    if config.get("is_decoder") or config.get("add_cross_attention"):
        problems.append("a decoder (only encoders are supported)")
    sizes = ("hidden_size", "num_attention_heads", "num_hidden_layers")
    if missing := [key for key in sizes if not isinstance(config.get(key), int) or config[key] <= 0]:
        problems.append(f"no usable {', '.join(missing)}")
    elif config["hidden_size"] % config["num_attention_heads"]:
        problems.append("a hidden size that is not a multiple of the number of attention heads")
    if problems:
        raise KithError(f"the model at {model_dir} has {'; '.join(problems)}", title="Model")
    return config


class _Builder:
    """Collects the nodes and initializers of the graph; each method adds a piece and returns its output's name."""

    def __init__(self, weights: dict[str, np.ndarray], heads: int, hidden: int, eps: float):
        # BertModel's keys are "embeddings.…"; those of a model with a head (BertForMaskedLM …) "bert.embeddings.…".
        self.prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""
        self.weights = weights
        self.eps = eps
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self.one = self.constant("one", np.float32(1.0))
        self.half = self.constant("half", np.float32(0.5))
        self.sqrt2 = self.constant("sqrt2", np.float32(math.sqrt(2.0)))
        self.scale = self.constant("scale", np.float32(1.0 / math.sqrt(hidden // heads)))
        self.split_heads = self.constant("split_heads", np.array([0, 0, heads, hidden // heads], dtype=np.int64))
        self.join_heads = self.constant("join_heads", np.array([0, 0, hidden], dtype=np.int64))

    def op(self, op_type: str, *inputs: str, **attributes) -> str:
        name = f"{op_type}_{len(self.nodes)}"
        self.nodes.append(helper.make_node(op_type, list(inputs), [name], name=name, **attributes))
        return name

    def constant(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def weight(self, key: str, transpose: bool = False) -> str:
        """The weight named key as an initializer, in float32; a linear layer's [out, in] matrix transposed."""
        try:
            value = self.weights[self.prefix + key].astype(np.float32)
        except KeyError:
            raise KithError(f"the model weights have no {self.prefix + key!r}", title="Model") from None
        return self.constant(key, np.ascontiguousarray(value.T) if transpose else value)

    def linear(self, x: str, key: str) -> str:
        return self.op("Add", self.op("MatMul", x, self.weight(f"{key}.weight", transpose=True)),
                       self.weight(f"{key}.bias"))

    def layer_norm(self, x: str, key: str) -> str:
        return self.op("LayerNormalization", x, self.weight(f"{key}.weight"), self.weight(f"{key}.bias"),
                       axis=-1, epsilon=self.eps)

    def embeddings(self) -> str:
        """Word + token type + position embeddings of the tokens, normalised."""
        words = self.op("Gather", self.weight("embeddings.word_embeddings.weight"), "input_ids")
        types = self.op("Gather", self.weight("embeddings.token_type_embeddings.weight"), "token_type_ids")
        tokens = self.op("Shape", "input_ids", start=1, end=2)
        zero = self.constant("zero", np.array([0], dtype=np.int64))
        positions = self.op("Slice", self.weight("embeddings.position_embeddings.weight"), zero, tokens, zero)
        return self.layer_norm(self.op("Add", self.op("Add", words, types), positions), "embeddings.LayerNorm")

    def attention_bias(self) -> str:
        """[batch, 1, 1, tokens]: 0 for the tokens to attend to, MASKED for padding."""
        axes = self.constant("mask_axes", np.array([1, 2], dtype=np.int64))
        mask = self.op("Cast", self.op("Unsqueeze", "attention_mask", axes), to=TensorProto.FLOAT)
        return self.op("Mul", self.op("Sub", self.one, mask), self.constant("masked", np.float32(MASKED)))

    def heads(self, x: str, perm: list[int]) -> str:
        """[batch, tokens, hidden] split into heads, then transposed by perm."""
        return self.op("Transpose", self.op("Reshape", x, self.split_heads), perm=perm)

    def layer(self, x: str, bias: str, key: str) -> str:
        """One encoder layer: self-attention then feed-forward, each added to its input and normalised."""
        query = self.heads(self.linear(x, f"{key}.attention.self.query"), perm=[0, 2, 1, 3])
        keys = self.heads(self.linear(x, f"{key}.attention.self.key"), perm=[0, 2, 3, 1])
        values = self.heads(self.linear(x, f"{key}.attention.self.value"), perm=[0, 2, 1, 3])
        scores = self.op("Add", self.op("Mul", self.op("MatMul", query, keys), self.scale), bias)
        context = self.op("MatMul", self.op("Softmax", scores, axis=-1), values)
        context = self.op("Reshape", self.op("Transpose", context, perm=[0, 2, 1, 3]), self.join_heads)
        attended = self.op("Add", self.linear(context, f"{key}.attention.output.dense"), x)
        attended = self.layer_norm(attended, f"{key}.attention.output.LayerNorm")

        inner = self.linear(attended, f"{key}.intermediate.dense")
        erf = self.op("Erf", self.op("Div", inner, self.sqrt2))
        gelu = self.op("Mul", self.op("Mul", inner, self.op("Add", erf, self.one)), self.half)
        output = self.op("Add", self.linear(gelu, f"{key}.output.dense"), attended)
        return self.layer_norm(output, f"{key}.output.LayerNorm")
