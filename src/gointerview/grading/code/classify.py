"""Turn what the trusted side observed into a `CodeResult`.

The failure class comes only from structured signals, in this order:

1. the supervisor's limits: output cap, the cgroup's memory and pids events, CPU and file
   size signals, the harness's statfs of a full scratch tmpfs → `resource_limit`;
2. the race detector: its log file, a per-test race in the report, its exit code, or the
   runtime's crash in the map implementation → `race`;
3. the supervisor's clock or the harness's watchdog record, or a crash with no running
   goroutine (deadlock) → `timeout`;
4. the runtime's crash output → `panic`;
5. a test the report does not show passing, an invalid or incomplete report, a non-zero exit
   → `test_failure`;
6. goroutines the harness found after a test or after all of them → `leak`.

What the binary printed is used only to show a failing test's output and first failure line.
"""

from __future__ import annotations

import re
import signal
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gointerview.grading.code.build import BuildOutcome
from gointerview.grading.code.gotest import parse_test_output
from gointerview.grading.code.report import Crash, TestRecord, TrustedReport
from gointerview.grading.code.results import (
    CaseResult,
    CaseStatus,
    CodeResult,
    CompileError,
    FailureClass,
    Status,
    cap,
)
from gointerview.grading.code.sandbox import ProcessResult
from gointerview.grading.code.toolchain import HARNESS_PATH

_COMPILE_LINE = re.compile(r"^(?:\./)?([\w.\-/]+\.go):(\d+)(?::(\d+))?: (.+)$")
_RACE_BLOCK = re.compile(r"={18}\nWARNING: DATA RACE\n.*?\n={18}", re.DOTALL)
_LIMIT_SIGNALS = {
    signal.SIGXCPU: "CPU time limit exceeded",
    signal.SIGXFSZ: "file size limit exceeded",
}


# ---------------------------------------------------------------- build


def build_failure(
    exercise_id: str, outcome: BuildOutcome, own_files: set[str], expected: list[str]
) -> CodeResult:
    process = outcome.process

    def error(cls: FailureClass, message: str, **extra: Any) -> CodeResult:
        return CodeResult(
            exercise=exercise_id,
            status=Status.ERROR,
            failure_class=cls,
            message=cap(message, 2000),
            tests=_not_run(expected, "not built"),
            **extra,
        )

    limit = _process_limit(process)
    if limit:
        return error(FailureClass.RESOURCE_LIMIT, f"the build stopped: {limit}")
    if outcome.helper is None:
        return error(
            FailureClass.SANDBOX_ERROR,
            "the grading helper failed: " + (process.stderr.strip() or "no output"),
        )
    problems = outcome.helper.get("problems") or []
    if problems:
        errors = [
            CompileError(
                file=str(p.get("file", "?")),
                line=int(p.get("line") or 0),
                col=int(p["col"]) if p.get("col") else None,
                message=cap(str(p.get("msg", "")), 500),
            )
            for p in problems[:20]
        ]
        text = "\n".join(f"{e.file}:{e.line}: {e.message}" for e in errors[:10])
        return error(FailureClass.COMPILE_ERROR, text, compile_errors=errors)
    step = outcome.failed_step
    if step is None:
        return error(FailureClass.SANDBOX_ERROR, "the build produced no test binary")
    name, stderr = str(step.get("name")), str(step.get("stderr") or "")
    if step.get("signal"):
        return error(
            FailureClass.RESOURCE_LIMIT, f"the build stopped: {name} was killed by {step['signal']}"
        )
    if name in ("compile", "compile-main", "link"):
        errors = list(_compile_errors(stderr, own_files))
        text = "\n".join(f"{e.file}:{e.line}: {e.message}" for e in errors[:10])
        if not text:
            text = f"{'linking' if name == 'link' else 'compiling'} failed: {stderr.strip()}"
        return error(FailureClass.COMPILE_ERROR, text, compile_errors=errors)
    return error(FailureClass.SANDBOX_ERROR, f"the build failed at {name}: {stderr.strip()}")


def _process_limit(process: ProcessResult) -> str | None:
    if process.output_exceeded:
        return "output limit exceeded"
    if process.memory_exceeded:
        return "memory limit exceeded"
    if process.processes_exceeded:
        return "process/thread limit exceeded"
    if process.timed_out:
        return "time limit exceeded"
    sig = process.signal
    if sig in _LIMIT_SIGNALS:
        return _LIMIT_SIGNALS[signal.Signals(sig)]
    return None


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
                file=name,
                line=int(lineno),
                col=int(col) if col else None,
                message=cap(message, 500),
            )
        elif name.endswith(".go"):
            err = CompileError(
                file="(hidden tests)",
                line=0,
                message=cap(
                    f"the hidden tests do not compile against your code: {message} — keep "
                    "the signatures of the stub",
                    500,
                ),
            )
        else:
            continue
        key = (err.file, err.line, err.message)
        if key not in seen:
            seen.add(key)
            yield err


def _not_run(names: list[str], why: str) -> list[CaseResult]:
    return [CaseResult(name=n, status=CaseStatus.ERROR, message=why) for n in names]


# ---------------------------------------------------------------- run


@dataclass
class RunEvidence:
    process: ProcessResult
    report: TrustedReport
    crash: Crash | None
    race_log: str = ""
    race_exit: bool = False


def classify(exercise_id: str, expected: list[str], ev: RunEvidence) -> CodeResult:
    report, process = ev.report, ev.process
    display = parse_test_output(process.stdout)
    tests = [_case(name, report, display) for name in expected]
    race_report = _race_report(ev.race_log)
    leaks = [t for t in report.tests.values() if t.leak]
    final_leak = report.done.leak if report.done else None
    leak_text = leaks[0].leak if leaks else final_leak
    leaked = cap(_trim_stacks(leak_text), 3000) if leak_text else None

    def verdict(cls: FailureClass, message: str) -> CodeResult:
        return CodeResult(
            exercise=exercise_id,
            status=Status.FAIL,
            failure_class=cls,
            message=cap(message, 1000),
            tests=tests,
            race_report=race_report,
            leaked_goroutines=leaked,
        )

    limit = _process_limit(process) if not process.timed_out else None
    if limit:
        return verdict(FailureClass.RESOURCE_LIMIT, f"{limit}: the run was stopped")
    if report.scratch_full:
        return verdict(FailureClass.RESOURCE_LIMIT, "the scratch space (/tmp) is full")
    if process.signal == signal.SIGKILL and not process.timed_out:
        return verdict(FailureClass.RESOURCE_LIMIT, "killed at the CPU time limit")
    raced = [t.name for t in report.tests.values() if t.race]
    crash = ev.crash
    if race_report or raced or ev.race_exit:
        where = f" in {', '.join(raced)}" if raced else ""
        return verdict(FailureClass.RACE, f"data race detected by the race detector{where}")
    if crash and crash.kind == "map":
        return verdict(FailureClass.RACE, "the runtime caught concurrent map access (fatal error)")
    if process.timed_out:
        return verdict(
            FailureClass.TIMEOUT, "the tests ran past the wall-clock limit and were killed"
        )
    crashed_in = list(report.tests)[-1] if report.tests else "a test"
    if crash and crash.kind == "bubble_leak":
        result = verdict(
            FailureClass.LEAK,
            f"{crashed_in} returned with goroutines still blocked in its synctest bubble "
            "(testing/synctest: main bubble goroutine has exited but blocked goroutines "
            "remain; stacks below)",
        )
        result.leaked_goroutines = cap(_trim_stacks(crash.bubble), 3000) or None
        return result
    if crash and crash.kind == "bubble_deadlock":
        return verdict(
            FailureClass.TIMEOUT,
            f"deadlock in {crashed_in}: every goroutine in its synctest bubble is blocked",
        )
    if report.timeout is not None:
        running = ", ".join(report.timeout.running) or "no test (between tests)"
        return verdict(
            FailureClass.TIMEOUT, f"the time limit was reached; still running: {running}"
        )
    if crash and crash.kind == "deadlock":
        return verdict(FailureClass.TIMEOUT, "deadlock: all goroutines are asleep")
    if crash:
        return verdict(FailureClass.PANIC, crash.header or _fatal_line(process.stderr))
    if not report.valid:
        if report.declared is None and not report.problem and process.returncode == 125:
            return CodeResult(
                exercise=exercise_id,
                status=Status.ERROR,
                failure_class=FailureClass.SANDBOX_ERROR,
                message=cap("the grading harness did not start: " + process.stderr.strip(), 1000),
                tests=tests,
            )
        why = report.problem or (
            f"the test binary exited (status {process.returncode}) before the tests started"
        )
        return verdict(FailureClass.TEST_FAILURE, why)
    if report.declared != expected:
        return CodeResult(
            exercise=exercise_id,
            status=Status.ERROR,
            failure_class=FailureClass.SANDBOX_ERROR,
            message="the test binary did not declare the hidden tests",
            tests=tests,
        )
    failed = [t.name for t in tests if t.status in (CaseStatus.FAIL, CaseStatus.SKIP)]
    unfinished = [t.name for t in tests if t.status is CaseStatus.ERROR]
    leaking = {t.name for t in leaks}
    if failed and not set(failed) <= leaking:
        failing = ", ".join(n for n in failed if n not in leaking)
        return verdict(FailureClass.TEST_FAILURE, f"failing: {failing}")
    if unfinished:
        return verdict(
            FailureClass.TEST_FAILURE,
            f"the test binary exited (status {process.returncode}) during "
            f"{unfinished[0]}, before reporting its result",
        )
    if leaks:
        leakers = ", ".join(t.name for t in leaks)
        return verdict(FailureClass.LEAK, f"goroutines leaked by {leakers} (stacks below)")
    if final_leak:
        return verdict(
            FailureClass.LEAK,
            "goroutines were still running after all tests passed (found after the last "
            "test; stacks below)",
        )
    if report.done is None:
        return verdict(
            FailureClass.TEST_FAILURE,
            f"the test binary exited (status {process.returncode}) without finishing its report",
        )
    if report.done.code != 0 or process.returncode != 0:
        return verdict(
            FailureClass.TEST_FAILURE,
            f"the tests reported status {report.done.code}, the binary exited with "
            f"{process.returncode}",
        )
    return CodeResult(
        exercise=exercise_id,
        status=Status.PASS,
        message=f"all {len(tests)} tests passed",
        tests=tests,
    )


def _case(name: str, report: TrustedReport, display: Any) -> CaseResult:
    record: TestRecord | None = report.tests.get(name)
    output = "\n".join(
        line
        for sub in display.tests.values()
        if sub.name == name or sub.name.startswith(name + "/")
        for line in sub.output
    ).strip()
    shown = cap(output) if output else None
    if record is None:
        return CaseResult(
            name=name, status=CaseStatus.ERROR, message="did not run (the binary stopped before it)"
        )
    duration = record.ms
    if record.status is None:
        still = report.timeout is not None and name in report.timeout.running
        why = (
            "still running at the time limit" if still else "did not finish (panic, exit or crash)"
        )
        return CaseResult(
            name=name, status=CaseStatus.ERROR, message=why, output=shown, duration_ms=duration
        )
    if record.status == "skip":
        return CaseResult(name=name, status=CaseStatus.SKIP, output=shown, duration_ms=duration)
    if record.status == "pass" and record.leak:
        return CaseResult(
            name=name,
            status=CaseStatus.FAIL,
            message="passed, but left goroutines running (leak; stacks below)",
            duration_ms=duration,
        )
    if record.race:
        return CaseResult(
            name=name,
            status=CaseStatus.FAIL,
            message="data race detected during this test (report below)",
            output=shown,
            duration_ms=duration,
        )
    if record.status == "pass":
        return CaseResult(name=name, status=CaseStatus.PASS, duration_ms=duration)
    return CaseResult(
        name=name,
        status=CaseStatus.FAIL,
        message=cap(_first_failure_line(output) or "failed", 300),
        output=shown,
        duration_ms=duration,
    )


def _first_failure_line(output: str) -> str | None:
    for line in output.splitlines():
        stripped = line.strip()
        if re.match(r"^[\w.\-]+_test\.go:\d+: ", stripped) or stripped.startswith("panic:"):
            return stripped
    return None


def _race_report(text: str) -> str | None:
    blocks = _RACE_BLOCK.findall(text)
    if not blocks:
        return cap(text.strip(), 3000) if text.strip() else None
    return cap(_trim_stacks(blocks[0]), 3000)


def _trim_stacks(text: str) -> str:
    """Keep what a person needs: drop frames inside the Go runtime, the testing package,
    goleak and our harness, and the +0x offsets; keep the candidate's frames and headers."""
    keep = []
    skip_next = False
    for line in text.splitlines():
        if skip_next:
            skip_next = False
            continue
        if line.strip().startswith(_INTERNAL_FRAMES):
            skip_next = True  # and its file:line
            continue
        keep.append(re.sub(r" \+0x[0-9a-f]+$", "", line.replace("/work/src/", "")))
    return "\n".join(keep)


_INTERNAL_FRAMES = (
    "testing.",
    "runtime.",
    "internal/",
    "go.uber.org/goleak",
    "main.main()",
    HARNESS_PATH,
)


def _fatal_line(stderr: str) -> str:
    """The runtime's `fatal error:` line, for display only (the class is already decided)."""
    lines = [line for line in stderr.splitlines() if line.startswith("fatal error: ")]
    return cap(lines[-1].strip(), 300) if lines else "the Go runtime stopped the program"
