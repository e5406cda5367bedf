"""Grade a Go submission: build it with the hidden tests under the race detector, run the test
binary, and turn what happened into a `CodeResult`.

Two sandboxed phases, so that the candidate's code never runs where the hidden tests are:
1. build — `go test -race -c` over the candidate's files, the hidden tests and our go.mod;
   the compiler runs, the candidate's code does not;
2. run — the test binary alone, `-test.v=test2json` (what `go test -json` uses), in an empty
   scratch directory; the hidden test sources are not mounted.
"""

from __future__ import annotations

import re
import shutil
import signal
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from gointerview.exercises.catalog import GO_MOD, GO_SUM
from gointerview.exercises.model import Exercise
from gointerview.grading.code.gotest import ParsedRun, declared_tests, parse_test_output
from gointerview.grading.code.results import (
    CaseResult,
    CaseStatus,
    CodeResult,
    CompileError,
    FailureClass,
    Status,
    cap,
)
from gointerview.grading.code.sandbox import Limits, Mount, ProcessResult, Runner
from gointerview.grading.code.toolchain import Toolchain

MAX_FILES = 20
MAX_FILE_BYTES = 256 * 1024
BUILD_LIMITS = Limits(wall_seconds=300, cpu_seconds=600, memory_bytes=4 << 30)
BINARY = "exercise.test"

_COMPILE_LINE = re.compile(r"^(?:\./)?([\w.\-/]+\.go):(\d+)(?::(\d+))?: (.+)$")
_RACE_BLOCK = re.compile(r"={18}\nWARNING: DATA RACE\n.*?\n={18}", re.DOTALL)


class SubmissionError(Exception):
    """The submission cannot be graded as given (missing file, too big): reported as data."""


def collect_submission(exercise: Exercise, directory: Path) -> dict[str, bytes]:
    """The candidate's Go files: every top-level non-test .go file; the required ones must be
    there. Their own *_test.go files are ignored (the hidden tests decide)."""
    if not directory.is_dir():
        raise SubmissionError(f"{directory} is not a directory")
    files = {
        p.name: p
        for p in sorted(directory.glob("*.go"))
        if not p.name.endswith("_test.go") and p.is_file()
    }
    missing = [name for name in exercise.meta.files if name not in files]
    if missing:
        raise SubmissionError(f"missing file(s) {', '.join(missing)} in {directory}")
    if len(files) > MAX_FILES:
        raise SubmissionError(f"too many .go files ({len(files)} > {MAX_FILES})")
    out = {}
    for name, path in files.items():
        data = path.read_bytes()
        if len(data) > MAX_FILE_BYTES:
            raise SubmissionError(f"{name} is larger than {MAX_FILE_BYTES // 1024} KiB")
        out[name] = data
    return out


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
    with tempfile.TemporaryDirectory(prefix="gointerview-run-", dir=work_root) as tmp:
        work = Path(tmp)
        result = _check_in(
            exercise,
            files,
            work,
            runner=runner,
            toolchain=toolchain,
            test_timeout=test_timeout or exercise.meta.test_timeout_seconds,
        )
    result.duration_ms = round((time.monotonic() - start) * 1000, 1)
    result.go_version = toolchain.version
    result.sandbox = runner.name
    return result


def _check_in(
    exercise: Exercise,
    files: dict[str, bytes],
    work: Path,
    *,
    runner: Runner,
    toolchain: Toolchain,
    test_timeout: int,
) -> CodeResult:
    src, out, scratch, gocache = (work / d for d in ("src", "out", "scratch", "gocache"))
    for d in (src, out, scratch):
        d.mkdir()
    shutil.copy(GO_MOD, src / "go.mod")
    shutil.copy(GO_SUM, src / "go.sum")
    for name, data in files.items():
        (src / name).write_bytes(data)
    hidden = exercise.hidden_tests()
    for test in hidden:
        shutil.copy(test, src / test.name)
    expected = [name for t in hidden for name in declared_tests(t.read_text(encoding="utf-8"))]

    m_src = Mount(src, "/work/src")
    m_out = Mount(out, "/work/out", writable=True)
    # a private copy-on-write view: whatever this run compiles (or tampers with) dies with it
    m_cache = Mount(gocache, "/work/gocache", writable=True, lower=toolchain.buildcache)
    # same path as at set-up, so the packages compiled then are cache hits now
    m_mod = Mount(toolchain.modcache, str(toolchain.modcache))
    m_root = Mount(toolchain.goroot, str(toolchain.goroot))
    m_scratch = Mount(scratch, "/work/scratch", writable=True)

    build_env = {
        "PATH": f"{runner.path(m_root)}/bin:/usr/bin:/bin",
        "HOME": "/tmp",
        "GOROOT": runner.path(m_root),
        "GOCACHE": runner.path(m_cache),
        "GOMODCACHE": runner.path(m_mod),
        "GOPATH": "/tmp/gopath",
        "GOFLAGS": "-mod=readonly",
        "GOPROXY": "off",
        "GOTOOLCHAIN": "local",
        "GOTELEMETRY": "off",
        "GOWORK": "off",
        "GOENV": "off",
        "CGO_ENABLED": "1",
        "GOTMPDIR": "/tmp",
    }
    binary = f"{runner.path(m_out)}/{BINARY}"
    build = runner.run(
        ["go", "test", "-race", "-c", "-o", binary, "."],
        mounts=[m_src, m_out, m_cache, m_mod, m_root],
        cwd=m_src,
        env=build_env,
        limits=BUILD_LIMITS,
    )
    build_ms = round(build.duration_s * 1000, 1)
    if build.returncode != 0 or not (out / BINARY).is_file():
        result = _build_failure(exercise, build, set(files), expected)
        result.build_ms = build_ms
        return result

    limits = Limits(wall_seconds=test_timeout + 15)
    m_bin = Mount(out, "/work/bin")
    run = runner.run(
        [
            f"{runner.path(m_bin)}/{BINARY}",
            "-test.v=test2json",
            "-test.paniconexit0",
            "-test.count=1",
            f"-test.timeout={test_timeout}s",
        ],
        mounts=[m_bin, m_scratch],
        cwd=m_scratch,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": "/tmp",
            "TMPDIR": "/tmp",
            "GORACE": "halt_on_error=0 atexit_sleep_ms=50",
            "GOTRACEBACK": "all",
        },
        limits=limits,
    )
    result = classify(exercise.id, run, expected)
    result.build_ms = build_ms
    result.test_ms = round(run.duration_s * 1000, 1)
    return result


def _build_failure(
    exercise: Exercise, build: ProcessResult, own_files: set[str], expected: list[str]
) -> CodeResult:
    if build.timed_out or build.limit_hit:
        return CodeResult(
            exercise=exercise.id,
            status=Status.ERROR,
            failure_class=FailureClass.RESOURCE_LIMIT,
            message="the build exceeded its time or resource limits",
            tests=_not_run(expected, "not built"),
        )
    errors = list(_compile_errors(build.stderr + "\n" + build.stdout, own_files))
    if not errors and ("go: " in build.stderr and "cannot find" in build.stderr):
        return CodeResult(
            exercise=exercise.id,
            status=Status.ERROR,
            failure_class=FailureClass.SANDBOX_ERROR,
            message=cap(build.stderr.strip(), 2000),
        )
    text = "\n".join(f"{e.file}:{e.line}: {e.message}" for e in errors[:10])
    return CodeResult(
        exercise=exercise.id,
        status=Status.ERROR,
        failure_class=FailureClass.COMPILE_ERROR,
        message=text or cap(build.stderr.strip(), 2000) or "the build failed",
        compile_errors=errors,
        tests=_not_run(expected, "not built"),
    )


def _compile_errors(text: str, own_files: set[str]) -> Iterable[CompileError]:
    """Errors in the candidate's files keep their file and line; errors the hidden tests hit
    (usually a changed signature) are reported without revealing the test source."""
    seen = set()
    for line in text.splitlines():
        m = _COMPILE_LINE.match(line.strip())
        if not m:
            continue
        path, lineno, col, message = m.groups()
        name = Path(path).name
        if name in own_files:
            err = CompileError(
                file=name, line=int(lineno), col=int(col) if col else None, message=message
            )
        elif name.endswith("_test.go"):
            err = CompileError(
                file="(hidden tests)",
                line=0,
                message=f"the hidden tests do not compile against your code: "
                f"{message} — keep the signatures of the stub",
            )
        else:
            continue
        key = (err.file, err.line, err.message)
        if key not in seen:
            seen.add(key)
            yield err


def _not_run(names: list[str], why: str) -> list[CaseResult]:
    return [CaseResult(name=n, status=CaseStatus.ERROR, message=why) for n in names]


# ---------------------------------------------------------------- classification

_LEAK = ("goleak: Errors on successful test run", "found unexpected goroutines")
_DEADLOCK = "fatal error: all goroutines are asleep - deadlock!"
_TIMEOUT = "panic: test timed out after"


def classify(exercise_id: str, run: ProcessResult, expected: list[str]) -> CodeResult:
    parsed = parse_test_output(run.stdout)
    everything = run.stdout + "\n" + run.stderr
    tests = _test_results(parsed, expected)
    race = _race_report(everything)
    leak = _leak_report(everything)

    def verdict(cls: FailureClass, message: str) -> CodeResult:
        return CodeResult(
            exercise=exercise_id,
            status=Status.FAIL,
            failure_class=cls,
            message=message,
            tests=tests,
            race_report=race,
            leaked_goroutines=leak,
        )

    cpu_killed = run.returncode in (-signal.SIGXCPU, -signal.SIGKILL) and not run.timed_out
    if run.output_exceeded:
        return verdict(FailureClass.RESOURCE_LIMIT, "output limit exceeded: the run was stopped")
    if run.memory_exceeded:
        return verdict(FailureClass.RESOURCE_LIMIT, "memory limit exceeded")
    if run.processes_exceeded or "resource temporarily unavailable" in everything:
        return verdict(FailureClass.RESOURCE_LIMIT, "process/thread limit exceeded")
    if race or "race detected during execution of test" in everything:
        return verdict(FailureClass.RACE, "data race detected by the race detector")
    if "concurrent map writes" in everything or "concurrent map read and map write" in everything:
        return verdict(FailureClass.RACE, "the runtime caught concurrent map access (fatal error)")
    if run.timed_out or _TIMEOUT in everything:
        return verdict(FailureClass.TIMEOUT, _timeout_message(everything))
    if _DEADLOCK in everything:
        return verdict(FailureClass.TIMEOUT, "deadlock: all goroutines are asleep")
    if cpu_killed:
        return verdict(FailureClass.RESOURCE_LIMIT, "CPU time limit exceeded")
    if leak:
        return verdict(FailureClass.LEAK, "goroutines were still running after the tests ended")
    panic = _panic_line(everything)
    if panic:
        return verdict(FailureClass.PANIC, panic)
    failed = [t for t in tests if t.status is not CaseStatus.PASS]
    if failed or run.returncode != 0 or parsed.final != "PASS":
        names = ", ".join(t.name for t in failed) or "the test binary"
        message = (
            f"failing: {names}"
            if failed
            else (f"the test binary exited with status {run.returncode} before reporting success")
        )
        return verdict(FailureClass.TEST_FAILURE, message)
    passed = sum(1 for t in tests if t.status is CaseStatus.PASS)
    return CodeResult(
        exercise=exercise_id, status=Status.PASS, message=f"all {passed} tests passed", tests=tests
    )


def _test_results(parsed: ParsedRun, expected: list[str]) -> list[CaseResult]:
    results = []
    for name in expected:
        test = parsed.tests.get(name)
        if test is None:
            results.append(
                CaseResult(
                    name=name,
                    status=CaseStatus.ERROR,
                    message="did not run (the binary stopped before it)",
                )
            )
            continue
        status = {"pass": CaseStatus.PASS, "fail": CaseStatus.FAIL, "skip": CaseStatus.SKIP}.get(
            test.action, CaseStatus.ERROR
        )
        output = "\n".join(
            line
            for sub in parsed.tests.values()
            if sub.name == name or sub.name.startswith(name + "/")
            for line in sub.output
        ).strip()
        message = _first_failure_line(output) if status is not CaseStatus.PASS else None
        if status is CaseStatus.ERROR:
            message = "did not finish (panic, timeout or crash)"
        results.append(
            CaseResult(
                name=name,
                status=status,
                message=message,
                output=cap(output) if output else None,
                duration_ms=round(test.duration_s * 1000, 1)
                if test.duration_s is not None
                else None,
            )
        )
    return results


def _first_failure_line(output: str) -> str | None:
    for line in output.splitlines():
        stripped = line.strip()
        if re.match(r"^[\w.\-]+_test\.go:\d+: ", stripped) or stripped.startswith("panic:"):
            return stripped
    return None


def _race_report(text: str) -> str | None:
    blocks = _RACE_BLOCK.findall(text)
    if not blocks:
        return None
    return cap(_trim_stacks(blocks[0]), 3000)


def _leak_report(text: str) -> str | None:
    for marker in _LEAK:
        at = text.find(marker)
        if at >= 0:
            return cap(_trim_stacks(text[at:]), 3000)
    return None


def _trim_stacks(text: str) -> str:
    """Keep what a person needs: drop frames inside the Go runtime and testing package and the
    +0x offsets; keep the candidate's frames and the headers."""
    keep = []
    skip_next = False
    for line in text.splitlines():
        if skip_next:
            skip_next = False
            continue
        frame = line.strip()
        if frame.startswith(("testing.", "runtime.", "go.uber.org/goleak", "main.main()")):
            skip_next = True  # and its file:line
            continue
        keep.append(re.sub(r" \+0x[0-9a-f]+$", "", line.replace("/work/src/", "")))
    return "\n".join(keep)


def _panic_line(text: str) -> str | None:
    for line in text.splitlines():
        if line.startswith(("panic: ", "fatal error: ")):
            return line.strip()
    return None


def _timeout_message(text: str) -> str:
    for line in text.splitlines():
        if line.startswith(_TIMEOUT):
            return line.strip()
    return "the tests ran past the time limit and were stopped"
