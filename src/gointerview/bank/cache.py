"""A cache of parsed bank files, so everyday commands do not re-parse 40-odd YAML files.

Parsing with positions (ruamel round-trip) takes about 5 s for the built-in bank; the parsed
files, pickled, load in a fraction of a second (the checks across files then take
milliseconds). A file's key covers everything its result depends on: the version, the bank
code itself, and the file's path, size and modification time — change any of them and it is
parsed again. The cache lives in the user's cache folder (GOINTERVIEW_CACHE_DIR overrides
it); a cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

import platformdirs

from gointerview import __version__

T = TypeVar("T")
KEEP = 500  # cached files kept, newest first


def cache_dir() -> Path:
    override = os.environ.get("GOINTERVIEW_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir("gointerview"))


@cache
def _code_stamp() -> str:
    """The version and the bank code as it is now: a change to either re-parses everything."""
    parts = [__version__]
    for path in sorted(Path(__file__).parent.glob("*.py")):
        stat = path.stat()
        parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)


def key_for(file: Path) -> str:
    digest = hashlib.sha256(_code_stamp().encode())
    try:
        stat = file.stat()
        digest.update(f"|{file}|{file.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    except OSError:
        digest.update(f"|{file}:missing".encode())
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
