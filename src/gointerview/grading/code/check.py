"""Grade a Go submission: build it with the hidden tests and the trusted harness under the
race detector, run the test binary, and decide from what the trusted side observed.

Two sandboxed phases, so that the candidate's code never runs where the hidden tests are:

1. build (build.py) — the grading helper checks the candidate's files (imports from the
   exercise's allowlist, no cgo, no dangerous directives), then runs `compile` (candidate
   files + hidden tests, one package), `compile` (our generated test main) and `link`,
   against the archives `prepare` made. The compiler runs; the candidate's code does not.
2. run — only the test binary (execute-only: it cannot be read back), a writable directory
   for the race detector's log, a private size-limited /tmp. The harness inside reports
   over descriptors the supervisor opened, signed with a key it reads before any
   candidate code exists (content/exercises/internal/harness).

The verdict comes from: the signed report; the runtime's crash output; the race detector's
log file; the exit status and signal; the cgroup's memory and pids events; the supervisor's
own clock and output caps. What the binary prints is shown, never believed.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
import time
from pathlib import Path

from gointerview.exercises.model import Exercise
from gointerview.grading.code.build import (
    BINARY,
    HELPER,
    BuildOutcome,
    RunDir,
    Target,
    seal_binary,
    start_build,
    sweep_stale_run_dirs,
)
from gointerview.grading.code.classify import RunEvidence, build_failure, classify
from gointerview.grading.code.gotest import declared_tests
from gointerview.grading.code.report import MAX_REPORT_BYTES, read_crash, read_report
from gointerview.grading.code.results import CodeResult
from gointerview.grading.code.sandbox import Limits, Mount, ProcessResult, Runner
from gointerview.grading.code.submission import (  # re-exported for callers
    MAX_FILE_BYTES,
    MAX_FILES,
    SubmissionError,
    collect_submission,
)
from gointerview.grading.code.toolchain import Prepared, Toolchain

__all__ = [
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "SubmissionError",
    "check_submission",
    "collect_submission",
    "finish_check",
    "sweep_stale_run_dirs",
    "target_for",
]

RACE_EXIT = 66
# The race detector's settings, also used by the benchmark's plain `go test -race`. No pause
# at exit: the harness's final goroutine check already waits for stragglers.
GORACE = f"halt_on_error=0 atexit_sleep_ms=0 exitcode={RACE_EXIT}"


def target_for(exercise: Exercise, prepared: Prepared) -> Target:
    """The build target of an exercise object (which may differ from what was prepared:
    tests use exercises with a widened allowlist)."""
    tests = prepared.tests.get(exercise.id) or [
        name for t in exercise.hidden_tests() for name in declared_tests(t.read_text("utf-8"))
    ]
    return Target(
        id=exercise.id,
        package=exercise.meta.package,
        files=tuple(exercise.meta.files),
        allowed_imports=tuple(exercise.allowed_imports),
        hidden=tuple(exercise.hidden_tests()),
        tests=tuple(tests),
        timeout=exercise.meta.test_timeout_seconds,
    )


def check_submission(
    exercise: Exercise,
    files: dict[str, bytes],
    *,
    runner: Runner,
    toolchain: Toolchain,
    test_timeout: int | None = None,
    work_root: Path | None = None,
) -> CodeResult:
    start = time.monotonic()
    prepared = toolchain.require()
    target = target_for(exercise, prepared)
    work = RunDir.create(work_root, runner)
    try:
        build = start_build(
            target, files, work, runner=runner, toolchain=toolchain, prepared=prepared
        ).wait()
        return finish_check(
            target,
            set(files),
            work,
            build,
            runner=runner,
            toolchain=toolchain,
            prepared=prepared,
            test_timeout=test_timeout,
            started=start,
        )
    finally:
        work.close()


def finish_check(
    target: Target,
    own_files: set[str],
    work: RunDir,
    build: ProcessResult,
    *,
    runner: Runner,
    toolchain: Toolchain,
    prepared: Prepared,
    test_timeout: int | None,
    started: float,
) -> CodeResult:
    """Everything after the build process ended: read its outcome, run, decide."""
    outcome = BuildOutcome.from_process(build)
    binary = work.out / BINARY
    if not outcome.ok or not seal_binary(binary, runner):
        result = build_failure(target.id, outcome, own_files, list(target.tests))
    else:
        evidence = _run(
            binary,
            work,
            runner=runner,
            toolchain=toolchain,
            test_timeout=test_timeout or target.timeout,
        )
        result = classify(target.id, list(target.tests), evidence)
        result.test_ms = round(evidence.process.duration_s * 1000, 1)
    result.build_ms = outcome.duration_ms
    result.duration_ms = round((time.monotonic() - started) * 1000, 1)
    result.go_version = prepared.goversion
    result.sandbox = runner.name
    return result


def _open_for_child(path: Path, work: RunDir) -> int:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | os.O_CLOEXEC, 0o600)
    work.opened.append(fd)
    return fd


def _read_capped(path: Path, cap: int) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return b""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        data = b""
        while len(data) <= cap and (chunk := os.read(fd, cap + 1 - len(data))):
            data += chunk
        return data
    finally:
        os.close(fd)


def _run(
    binary: Path, work: RunDir, *, runner: Runner, toolchain: Toolchain, test_timeout: int
) -> RunEvidence:
    key = secrets.token_bytes(32)
    m_bin = Mount(binary, f"/work/bin/{BINARY}")
    m_race = Mount(work.race, "/work/race", writable=True)
    m_helper = Mount(toolchain.helper, HELPER)
    race_prefix = f"{runner.path(m_race)}/race"
    scratch = runner.path(Mount(work.scratch, "/tmp"))  # the sandbox's tmpfs, or a host dir
    config = json.dumps(
        {
            "key": key.hex(),
            "timeout_ms": test_timeout * 1000,
            "race_log": race_prefix,
            "scratch": scratch,
        }
    ).encode()
    config_r, config_w = os.pipe()
    work.opened.append(config_r)
    try:
        os.write(config_w, config)
    finally:
        os.close(config_w)
    report_fd = _open_for_child(work.root / "report", work)
    crash_fd = _open_for_child(work.root / "crash", work)
    uid, gid = runner.drop_to or (-1, -1)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": "/tmp",
        "TMPDIR": scratch,
        "GORACE": f"{GORACE} log_path={race_prefix}",
        "GOTRACEBACK": "all",
        "GOINTERVIEW_HARNESS_FDS": f"{config_r},{report_fd},{crash_fd}",
    }
    process = runner.run(
        [
            runner.path(m_helper),
            "exec",
            str(uid),
            str(gid),
            runner.path(m_bin),
            "-test.v=test2json",
            "-test.paniconexit0",
            "-test.count=1",
        ],
        mounts=[m_bin, m_race, m_helper],
        cwd="/tmp",
        env=env,
        limits=Limits(wall_seconds=test_timeout + 10),
        pass_fds=(config_r, report_fd, crash_fd),
        exe=runner.path(m_bin),
        scratch=work.scratch,
    )
    race_log = b"".join(
        _read_capped(p, 256 << 10) for p in sorted(work.race.glob("race.*"))
    ).decode("utf-8", "replace")
    return RunEvidence(
        process=process,
        report=read_report(_read_capped(work.root / "report", MAX_REPORT_BYTES), key),
        crash=read_crash(_read_capped(work.root / "crash", 256 << 10).decode("utf-8", "replace")),
        race_log=race_log,
        race_exit=process.returncode == RACE_EXIT,
    )
