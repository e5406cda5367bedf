"""Optional sentence embeddings: catch paraphrases the rubric's terms do not list.

`SentenceTransformerEmbedder` loads a sentence-transformers model by name or local path
(install the `embeddings` extra); it is imported lazily, so the offline default never pays
for it. Any object with an `embed(texts) -> vectors` method works (tests use a small double).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Protocol


class EmbedderError(Exception):
    pass


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    na, nb = math.sqrt(sum(x * x for x in a)), math.sqrt(sum(y * y for y in b))
    return dot / (na * nb) if na and nb else 0.0


class SentenceTransformerEmbedder:
    def __init__(self, model: str) -> None:
        self.model_name = model
        self.name = f"embedding:{model}"
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found]
            except ImportError as exc:
                raise EmbedderError(
                    "sentence-transformers is not installed: pip install 'gointerview[embeddings]'"
                ) from exc
            try:
                self._model = SentenceTransformer(self.model_name, local_files_only=True)
            except Exception as exc:  # the library raises many kinds; all mean "no model"
                raise EmbedderError(
                    f"cannot load embedding model {self.model_name!r}: {exc}"
                ) from exc
        return self._model

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        vectors = self._load().encode(list(texts), normalize_embeddings=True)
        return [list(map(float, v)) for v in vectors]
