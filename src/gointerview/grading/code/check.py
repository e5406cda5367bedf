"""Grade a Go submission: build it with the hidden tests and the trusted harness under the
race detector, run the test binary, and decide from what the trusted side observed.

Two sandboxed phases, so that the candidate's code never runs where the hidden tests are:

1. build — the grading helper checks the candidate's files (imports from the exercise's
   allowlist, no cgo, no dangerous directives), then runs `compile` (candidate files +
   hidden tests, one package), `compile` (our generated test main) and `link`, against the
   archives `prepare` made. The compiler runs; the candidate's code does not.
2. run — only the test binary (execute-only: it cannot be read back), a writable directory
   for the race detector's log, a private size-limited /tmp. The harness inside reports
   over descriptors the supervisor opened, signed with a key it reads before any
   candidate code exists (content/exercises/internal/harness).

The verdict comes from: the signed report; the runtime's crash output; the race detector's
log file; the exit status and signal; the cgroup's memory and pids events; the supervisor's
own clock and output caps. What the binary prints is shown, never believed.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gointerview.exercises.catalog import GO_MOD
from gointerview.exercises.model import Exercise
from gointerview.grading.code.classify import BuildOutcome, RunEvidence, build_failure, classify
from gointerview.grading.code.gotest import declared_tests
from gointerview.grading.code.report import MAX_REPORT_BYTES, read_crash, read_report
from gointerview.grading.code.results import CodeResult
from gointerview.grading.code.sandbox import Limits, Mount, Runner
from gointerview.grading.code.submission import (  # re-exported for callers
    MAX_FILE_BYTES,
    MAX_FILES,
    SubmissionError,
    collect_submission,
)
from gointerview.grading.code.toolchain import (
    HARNESS_PATH,
    MODULE_PATH,
    Prepared,
    Toolchain,
)

__all__ = [
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "SubmissionError",
    "check_submission",
    "collect_submission",
]

BUILD_LIMITS = Limits(
    wall_seconds=120,
    cpu_seconds=300,
    memory_bytes=3 << 30,
    processes=256,
    file_size_bytes=512 << 20,
    tmp_bytes=256 << 20,
)
BINARY = "exercise.test"
RACE_EXIT = 66
# The race detector's settings, also used by the benchmark's plain `go test -race`. No pause
# at exit: the harness's final goroutine check already waits for stragglers.
GORACE = f"halt_on_error=0 atexit_sleep_ms=0 exitcode={RACE_EXIT}"
SHIM = "zz_gointerview_harness_test.go"
MAIN = "_gointerview_testmain.go"
RUN_DIR_PREFIX = "gointerview-run-"
HELPER = "/opt/gointerview/gradehelper"


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
    expected = prepared.tests.get(exercise.id) or [
        name for t in exercise.hidden_tests() for name in declared_tests(t.read_text("utf-8"))
    ]
    with run_directory(work_root, runner) as work:
        result = _check_in(
            exercise,
            files,
            work,
            expected=expected,
            runner=runner,
            toolchain=toolchain,
            prepared=prepared,
            test_timeout=test_timeout or exercise.meta.test_timeout_seconds,
        )
    result.duration_ms = round((time.monotonic() - start) * 1000, 1)
    result.go_version = prepared.goversion
    result.sandbox = runner.name
    return result


# ---------------------------------------------------------------- the run's directory


@dataclass
class RunDir:
    root: Path  # 0700, the supervisor's: report and crash files live here, never mounted
    src: Path  # sources for the build (read-only in the sandbox)
    out: Path  # the build's output (writable by the sandbox user)
    race: Path  # the race detector's log (writable by the sandbox user in the run)
    scratch: Path  # the run's /tmp when there is no sandbox to give it a tmpfs
    opened: list[int] = field(default_factory=list)


def _shm_root() -> Path:
    """Shared memory when the machine has it: nothing a run writes touches the disk, and
    what the sandbox writes is charged to its memory cgroup."""
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else Path(tempfile.gettempdir())


def sweep_stale_run_dirs(root: Path | None = None) -> None:
    """Remove run directories left by graders that died (their pid is in the name)."""
    base = root or _shm_root()
    with contextlib.suppress(OSError):
        for entry in base.iterdir():
            if not entry.name.startswith(RUN_DIR_PREFIX):
                continue
            pid = entry.name[len(RUN_DIR_PREFIX) :].split("-", 1)[0]
            if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                shutil.rmtree(entry, ignore_errors=True)


@contextlib.contextmanager
def run_directory(work_root: Path | None, runner: Runner) -> Iterator[RunDir]:
    base = work_root or _shm_root()
    root = Path(tempfile.mkdtemp(prefix=f"{RUN_DIR_PREFIX}{os.getpid()}-", dir=base))
    work = RunDir(root, root / "src", root / "out", root / "race", root / "scratch")
    try:
        for d in (work.src, work.out, work.race, work.scratch):
            d.mkdir()
        work.src.chmod(0o755)
        if runner.drop_to is not None:
            for d in (work.out, work.race, work.scratch):
                os.chown(d, *runner.drop_to)
            work.out.chmod(0o755)
        yield work
    finally:
        for fd in work.opened:
            with contextlib.suppress(OSError):
                os.close(fd)
        shutil.rmtree(root, ignore_errors=True)


# ---------------------------------------------------------------- generated sources


def harness_shim(package: str) -> str:
    """Makes the package under test import the harness, so the harness's init (which takes
    the key) runs before any of the candidate's."""
    return (
        "// Code generated by gointerview for one graded run. DO NOT EDIT.\n\n"
        f'package {package}\n\nimport _ "{HARNESS_PATH}"\n'
    )


def test_main(tests: list[str]) -> str:
    """The test binary's main: what `go test` generates, with each test handed to the
    harness instead of straight to testing.MainStart."""
    listed = "".join(f'\t{{"{name}", _test.{name}}},\n' for name in tests)
    return (
        "// Code generated by gointerview for one graded run. DO NOT EDIT.\n\n"
        "package main\n\n"
        "import (\n"
        '\t"testing"\n'
        '\t"testing/internal/testdeps"\n\n'
        f'\t_test "{MODULE_PATH}"\n'
        f'\tharness "{HARNESS_PATH}"\n'
        ")\n\n"
        f"var tests = []testing.InternalTest{{\n{listed}}}\n\n"
        "func init() {\n"
        f'\ttestdeps.ModulePath = "{MODULE_PATH}"\n'
        f'\ttestdeps.ImportPath = "{MODULE_PATH}"\n'
        "}\n\n"
        "func main() {\n"
        "\tharness.Main(tests, func(ts []testing.InternalTest) *testing.M {\n"
        "\t\treturn testing.MainStart(testdeps.TestDeps{}, ts, nil, nil, nil)\n"
        "\t})\n"
        "}\n"
    )


# ---------------------------------------------------------------- the two phases


def _check_in(
    exercise: Exercise,
    files: dict[str, bytes],
    work: RunDir,
    *,
    expected: list[str],
    runner: Runner,
    toolchain: Toolchain,
    prepared: Prepared,
    test_timeout: int,
) -> CodeResult:
    outcome = _build(
        exercise,
        files,
        work,
        expected=expected,
        runner=runner,
        toolchain=toolchain,
        prepared=prepared,
    )
    if not outcome.ok:
        result = build_failure(exercise.id, outcome, set(files), expected)
        result.build_ms = outcome.duration_ms
        return result
    binary = work.out / BINARY
    if not _seal_binary(binary, runner):
        result = build_failure(exercise.id, outcome, set(files), expected)
        result.build_ms = outcome.duration_ms
        return result
    evidence = _run(binary, work, runner=runner, toolchain=toolchain, test_timeout=test_timeout)
    result = classify(exercise.id, expected, evidence)
    result.build_ms = outcome.duration_ms
    result.test_ms = round(evidence.process.duration_s * 1000, 1)
    return result


def _build(
    exercise: Exercise,
    files: dict[str, bytes],
    work: RunDir,
    *,
    expected: list[str],
    runner: Runner,
    toolchain: Toolchain,
    prepared: Prepared,
) -> BuildOutcome:
    for name, data in files.items():
        (work.src / name).write_bytes(data)
    hidden = []
    for test in exercise.hidden_tests():
        shutil.copyfile(test, work.src / test.name)
        hidden.append(test.name)
    (work.src / SHIM).write_text(harness_shim(exercise.meta.package))
    (work.src / MAIN).write_text(test_main(expected))
    shutil.copyfile(GO_MOD, work.src / "go.mod")

    m_src = Mount(work.src, "/work/src")
    m_out = Mount(work.out, "/work/out", writable=True)
    shared = [
        Mount(toolchain.pkg_dir, "/opt/gointerview/pkg"),
        Mount(prepared.tools, "/opt/gointerview/tools"),
        Mount(toolchain.helper, HELPER),
    ]
    uid, gid = runner.drop_to or (-1, -1)
    spec = {
        "uid": uid,
        "gid": gid,
        "tools": runner.path(shared[1]),
        "src": runner.path(m_src),
        "out": runner.path(m_out),
        "candidate": sorted(files),
        "hidden": [*hidden, SHIM],
        "main": MAIN,
        "package": exercise.meta.package,
        "import_path": MODULE_PATH,
        "allowed_imports": exercise.allowed_imports,
        "pkg": runner.path(shared[0]),
        "lang": prepared.lang,
        "goversion": prepared.goversion,
        "link_flags": [
            f"-X=runtime.godebugDefault={prepared.godebug}",
            "-X",
            "testing.testBinary=1",
        ],
        "binary": f"{runner.path(m_out)}/{BINARY}",
        "max_output_bytes": 64 << 10,
        "concurrency": min(4, os.cpu_count() or 1),
    }
    (work.src / "spec.json").write_text(json.dumps(spec))
    for p in work.src.iterdir():
        p.chmod(0o644)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": "/tmp",
        "TMPDIR": "/tmp",
        "GOROOT": str(prepared.goroot),
        **prepared.build_env,
    }
    process = runner.run(
        [runner.path(shared[2]), "build", f"{runner.path(m_src)}/spec.json"],
        mounts=[m_src, m_out, *shared],
        cwd=runner.path(m_src),
        env=env,
        limits=BUILD_LIMITS,
        scratch=work.scratch,
    )
    return BuildOutcome.from_process(process)


def _seal_binary(binary: Path, runner: Runner) -> bool:
    """The linked binary, made execute-only for the sandbox user: it holds the compiled
    hidden tests, and the running code must not read them back."""
    try:
        info = binary.lstat()
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        return False
    if runner.drop_to is not None:
        os.chown(binary, 0, 0, follow_symlinks=False)
        binary.chmod(0o711)
    return True


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
