"""Start the build of `gointerview exercise check` before the command line has loaded.

Loading the CLI (Typer, Rich, pydantic, the exercise catalogue) costs about a quarter of a
second of CPU — as much as compiling and linking the test binary. So `main` calls `start`
first: with the standard library and the pydantic-free grading modules only, it reads the
arguments, the prepared state and the candidate's files, and starts the build in the
sandbox on the other core. The `check` command then `take`s it only if it would have started
exactly the same build (same exercise, folder, files, data directory and runner); otherwise
the early build is killed and the command builds as usual. Nothing here decides anything:
it only moves the start of the same build earlier.
"""

from __future__ import annotations

import atexit
import json
import os
import time
import tomllib
from pathlib import Path

from gointerview.grading.code.build import EarlyBuild, RunDir, Target, start_build
from gointerview.grading.code.sandbox import make_runner
from gointerview.grading.code.submission import collect_submission
from gointerview.grading.code.toolchain import Toolchain

MARKER_FILE = ".gointerview.json"
_FLAGS = {"--json", "--unsafe-no-sandbox"}


_pending: EarlyBuild | None = None


def start(argv: list[str]) -> None:
    """Start the build if `argv` is a plain `exercise check`. Never raises: on any doubt it
    does nothing and the command runs as it always does."""
    global _pending
    try:
        _pending = _start(argv)
    except Exception:
        _pending = None
    if _pending is not None:
        atexit.register(_discard_pending)


def take(exercise_id: str, directory: Path, cache_root: Path, unsafe: bool) -> EarlyBuild | None:
    """The early build, if it is the one the command would start now."""
    global _pending
    pending, _pending = _pending, None
    if pending is None:
        return None
    if pending.key != (exercise_id, directory.resolve(), cache_root, unsafe):
        pending.discard()
        return None
    return pending


def _discard_pending() -> None:
    global _pending
    if _pending is not None:
        _pending.discard()
        _pending = None


def _start(argv: list[str]) -> EarlyBuild | None:
    parsed = _parse(argv)
    if parsed is None:
        return None
    directory, exercise_id, unsafe = parsed
    data_dir = _data_dir()
    if data_dir is None:
        return None
    toolchain = Toolchain.find(data_dir)
    prepared = toolchain.prepared()
    if prepared is None:
        return None
    if exercise_id is None:
        marker = directory / MARKER_FILE
        if marker.is_symlink() or not marker.is_file():
            return None
        exercise_id = str(json.loads(marker.read_text()[:4096])["exercise"])
    if exercise_id not in prepared.exercises:
        return None
    target = Target.prepared(exercise_id, prepared)
    files = collect_submission(list(target.files), directory)
    runner = make_runner(unsafe_no_sandbox=unsafe)
    at = time.monotonic()
    work = RunDir.create(None, runner)
    try:
        started = start_build(
            target, files, work, runner=runner, toolchain=toolchain, prepared=prepared
        )
    except BaseException:
        work.close()
        raise
    key = (exercise_id, directory.resolve(), toolchain.cache_root, unsafe)
    return EarlyBuild(key, target, files, work, started, runner, toolchain, prepared, at)


def _parse(argv: list[str]) -> tuple[Path, str | None, bool] | None:
    """`exercise check DIR [--exercise ID] [--json] [--unsafe-no-sandbox]`, nothing else."""
    if argv[:2] != ["exercise", "check"]:
        return None
    rest = argv[2:]
    directory: Path | None = None
    exercise_id: str | None = None
    unsafe = False
    i = 0
    while i < len(rest):
        arg = rest[i]
        if arg == "--exercise" and i + 1 < len(rest):
            exercise_id, i = rest[i + 1], i + 2
            continue
        if arg.startswith("--exercise="):
            exercise_id = arg.split("=", 1)[1]
        elif arg in _FLAGS:
            unsafe = unsafe or arg == "--unsafe-no-sandbox"
        elif arg.startswith("-") or directory is not None:
            return None
        else:
            directory = Path(arg)
        i += 1
    if directory is None or not directory.is_dir():
        return None
    return directory, exercise_id, unsafe


def _data_dir() -> Path | None:
    """Where the configuration puts the data directory, read the way gointerview.config
    does (environment first, then the config file, then the platform default); None when
    the file cannot be read (the command will say why)."""
    env = os.environ
    if env.get("GOINTERVIEW_DATA_DIR"):
        return Path(env["GOINTERVIEW_DATA_DIR"]).expanduser().absolute()
    import platformdirs

    path = (
        Path(env["GOINTERVIEW_CONFIG"]).expanduser()
        if env.get("GOINTERVIEW_CONFIG")
        else Path(platformdirs.user_config_dir("gointerview")) / "config.toml"
    )
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            return None
        if "data_dir" in data:
            return Path(str(data["data_dir"])).expanduser().absolute()
    return Path(platformdirs.user_data_dir("gointerview")).absolute()
