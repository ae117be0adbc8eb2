"""The one-time export of a sentence-transformers model to ONNX (torch is imported here only).

Run once per set of weights, on first need: the exported graph is cached by the
weights' hash (see app.store.model_files) and every later process loads it with
ONNX Runtime alone. The graph is the transformer up to its last hidden state;
pooling and normalisation are done in numpy by the embedder.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT = "last_hidden_state"


def export(model_dir: Path, target: Path) -> None:
    """Write model_dir's transformer as an ONNX graph at target, optimised for this machine's CPU."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TQDM_DISABLE", "1")
    # torch + transformers cost ~10 s to import: only here, once per model.
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    sample = torch.ones((2, 8), dtype=torch.long)
    raw = target.with_name(target.name + ".raw")
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            LastHiddenState(model), (sample, sample, torch.zeros_like(sample)), str(raw), dynamo=False,
            input_names=list(INPUTS), output_names=[OUTPUT], opset_version=17,
            dynamic_axes={name: {0: "batch", 1: "tokens"} for name in (*INPUTS, OUTPUT)},
        )
    try:
        _optimise(raw, target)
    finally:
        raw.unlink(missing_ok=True)


def _optimise(raw: Path, target: Path) -> None:
    """Save ONNX Runtime's fully optimised graph, so loading it later skips the optimisation."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.optimized_model_filepath = str(target)
    options.log_severity_level = 3
    ort.InferenceSession(str(raw), options, providers=["CPUExecutionProvider"])
