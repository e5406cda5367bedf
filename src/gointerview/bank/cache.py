"""A cache of the checked bank, so everyday commands do not re-parse 40-odd YAML files.

Parsing with positions (ruamel round-trip) takes seconds; the checked result, pickled, loads in
a fraction of one. The key covers everything the result depends on: the version, the bank
code itself, every bank file's path, size and modification time, and the check's options —
change any of them and the bank is parsed again. The cache lives in the user's cache folder
(GOINTERVIEW_CACHE_DIR overrides it); a cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import platformdirs

from gointerview import __version__

T = TypeVar("T")
KEEP = 8  # cached results kept (one per distinct set of banks and options)


def cache_dir() -> Path:
    override = os.environ.get("GOINTERVIEW_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir("gointerview"))


def key_for(files: Iterable[Path], options: object) -> str:
    digest = hashlib.sha256(f"{__version__}|{options!r}".encode())
    code = sorted(Path(__file__).parent.glob("*.py"))
    for path in [*code, *sorted(files)]:
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"|{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


def cached(key: str, compute: Callable[[], T]) -> T:
    folder = cache_dir() / "bank"
    path = folder / f"{key}.pickle"
    try:
        with path.open("rb") as handle:
            value: T = pickle.load(handle)
        return value
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError):
        pass
    value = compute()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        old = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[KEEP:]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass
    return value
