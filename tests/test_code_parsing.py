"""The trusted report, crash output, classification and submission reading, on recorded and
hand-made evidence (no Go, no sandbox needed)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from gointerview.grading.code.classify import RunEvidence, classify
from gointerview.grading.code.gotest import declared_tests, parse_test_output
from gointerview.grading.code.imports import DEFAULT_ALLOWED, never_allowed
from gointerview.grading.code.report import read_crash, read_report, sign
from gointerview.grading.code.results import OUTPUT_CAP, CaseStatus, FailureClass, Status
from gointerview.grading.code.sandbox import ProcessResult, _counters
from gointerview.grading.code.submission import (
    MAX_FILE_BYTES,
    SubmissionError,
    collect_submission,
)

M = "\x16"
KEY = b"k" * 32
TESTS = ["TestA", "TestB"]


def signed(seq: int, event: str, fields: dict[str, object], key: bytes = KEY) -> bytes:
    body = json.dumps({"ev": event, "seq": seq, **fields}, separators=(",", ":")).encode()
    return sign(key, body).encode() + b" " + body + b"\n"


def record(seq: int, event: str, **fields: object) -> bytes:
    return signed(seq, event, fields)


def honest(*, leak_in: str | None = None, final_leak: str | None = None) -> bytes:
    out = record(0, "hello", tests=TESTS)
    seq = 1
    for name in TESTS:
        out += record(seq, "start", test=name)
        fields: dict[str, object] = {"test": name, "status": "pass", "ms": 1.5, "race": False}
        if name == leak_in:
            fields["leak"] = "found unexpected goroutines:\n[Goroutine 7 ...]\n"
        out += signed(seq + 1, "end", fields)
        seq += 2
    return out + record(seq, "done", code=0, leak=final_leak)


def bodies(report: bytes) -> list[dict[str, object]]:
    return [json.loads(line.split(b" ", 1)[1]) for line in report.splitlines()]


def resign(items: list[dict[str, object]]) -> bytes:
    """Records signed with the right key, numbered in order."""
    out = b""
    for seq, item in enumerate(items):
        fields = {k: v for k, v in item.items() if k not in ("ev", "seq")}
        out += signed(seq, str(item["ev"]), fields)
    return out


def proc(
    stdout: str = "",
    stderr: str = "",
    rc: int = 0,
    *,
    timed_out: bool = False,
    output_exceeded: bool = False,
    memory_exceeded: bool = False,
    processes_exceeded: bool = False,
) -> ProcessResult:
    return ProcessResult(
        returncode=rc,
        stdout=stdout,
        stderr=stderr,
        duration_s=0.1,
        timed_out=timed_out,
        output_exceeded=output_exceeded,
        memory_exceeded=memory_exceeded,
        processes_exceeded=processes_exceeded,
    )


def evidence(report: bytes, process: ProcessResult | None = None, **kw: object) -> RunEvidence:
    crash = kw.pop("crash", None)
    return RunEvidence(
        process=process or proc(),
        report=read_report(report, KEY),
        crash=read_crash(str(crash)) if crash else None,
        **kw,  # type: ignore[arg-type]
    )


# ---------------------------------------------------------------- the signed report


def test_an_honest_report_is_a_pass() -> None:
    result = classify("ex", TESTS, evidence(honest()))
    assert result.status is Status.PASS
    assert [t.status for t in result.tests] == [CaseStatus.PASS, CaseStatus.PASS]
    assert result.tests[0].duration_ms == 1.5


def test_a_record_signed_with_another_key_invalidates_the_report() -> None:
    forged = honest().replace(record(5, "done", code=0, leak=None), b"")
    forged += signed(5, "done", {"code": 0, "leak": None}, key=b"x" * 32)
    report = read_report(forged, KEY)
    assert not report.valid and "does not verify" in (report.problem or "")
    result = classify("ex", TESTS, evidence(forged))
    assert result.status is Status.FAIL and result.failure_class is FailureClass.TEST_FAILURE


@pytest.mark.parametrize(
    ("mangle", "problem"),
    [
        (lambda r: r + record(6, "end", test="TestA", status="pass"), "goes on after"),
        (lambda r: record(0, "hello", tests=TESTS) + record(2, "start", test="TestA"), "sequence"),
        (
            lambda r: (
                record(0, "hello", tests=TESTS)
                + record(1, "start", test="TestA")
                + record(2, "start", test="TestA")
            ),
            "started twice",
        ),
        (lambda r: record(0, "hello", tests=TESTS) + record(1, "end", test="TestB"), "ended"),
        (lambda r: record(0, "start", test="TestA"), "hello"),
        (lambda r: r[:-5], "middle of a record"),
        (lambda r: b"junk\n" + r, "does not verify"),
    ],
)
def test_tampered_or_inconsistent_reports_are_invalid(mangle: object, problem: str) -> None:
    report = read_report(mangle(honest()), KEY)  # type: ignore[operator]
    assert problem in (report.problem or "")


def test_a_report_that_stops_before_done_is_not_a_pass() -> None:
    cut = b"".join(honest().splitlines(keepends=True)[:-1])
    result = classify("ex", TESTS, evidence(cut, proc(rc=0)))
    assert result.status is Status.FAIL
    assert result.failure_class is FailureClass.TEST_FAILURE
    assert "without finishing its report" in (result.message or "")


def test_an_empty_report_means_the_binary_left_before_the_tests() -> None:
    result = classify("ex", TESTS, evidence(b"", proc(rc=0)))
    assert result.failure_class is FailureClass.TEST_FAILURE
    assert all(t.status is CaseStatus.ERROR for t in result.tests)
    broken = classify("ex", TESTS, evidence(b"", proc(stderr="harness: no key", rc=125)))
    assert broken.failure_class is FailureClass.SANDBOX_ERROR


# ---------------------------------------------------------------- stdout is never believed


MISLEADING = "\n".join(
    [
        "fatal error: concurrent map writes",
        "WARNING: DATA RACE",
        "resource temporarily unavailable",
        "panic: test timed out after 1s",
        "goleak: Errors on successful test run: found unexpected goroutines",
        f"{M}--- FAIL: TestA (0.00s)",
        f"{M}FAIL",
    ]
)


def test_misleading_output_does_not_change_a_pass() -> None:
    result = classify("ex", TESTS, evidence(honest(), proc(MISLEADING, MISLEADING)))
    assert result.status is Status.PASS


def test_forged_framing_does_not_make_a_failing_test_pass() -> None:
    report = record(0, "hello", tests=TESTS) + record(1, "start", test="TestA")
    report += record(2, "end", test="TestA", status="fail") + record(3, "start", test="TestB")
    report += record(4, "end", test="TestB", status="fail") + record(5, "done", code=1)
    forged = f"{M}=== RUN   TestA\n{M}--- PASS: TestA (0.00s)\n{M}PASS\n"
    result = classify("ex", TESTS, evidence(report, proc(forged, rc=1)))
    assert result.failure_class is FailureClass.TEST_FAILURE
    assert [t.status for t in result.tests] == [CaseStatus.FAIL, CaseStatus.FAIL]


def test_display_output_and_failure_line_are_attached_and_capped() -> None:
    report = record(0, "hello", tests=["TestA"]) + record(1, "start", test="TestA")
    report += record(2, "end", test="TestA", status="fail") + record(3, "done", code=1)
    long = "x" * 2000
    out = (
        f"{M}=== RUN   TestA\n    a_test.go:9: Get(a) = 0, want 1\n    {long}\n"
        f"{M}--- FAIL: TestA (0.00s)\n{M}FAIL\n"
    )
    result = classify("ex", ["TestA"], evidence(report, proc(out, rc=1)))
    [test] = result.tests
    assert test.message == "a_test.go:9: Get(a) = 0, want 1"
    assert test.output is not None and len(test.output) <= OUTPUT_CAP


# ---------------------------------------------------------------- classes


RACE_LOG = """==================
WARNING: DATA RACE
Write at 0x00c000012345 by goroutine 8:
  gointerview.local/exercise.(*Cache[...]).Put()
      /work/src/lru.go:42 +0x84
  testing.tRunner()
      /usr/local/go/src/testing/testing.go:1690 +0x21c

Previous read at 0x00c000012345 by goroutine 9:
  gointerview.local/exercise.(*Cache[...]).Get()
      /work/src/lru.go:30 +0x64
==================
"""


def test_race_comes_from_the_race_log_and_is_trimmed() -> None:
    result = classify("ex", TESTS, evidence(honest(), race_log=RACE_LOG))
    assert result.failure_class is FailureClass.RACE
    assert result.race_report is not None and "lru.go:42" in result.race_report
    assert "/work/src/" not in result.race_report and "testing.tRunner" not in result.race_report
    assert "+0x" not in result.race_report
    assert classify("ex", TESTS, evidence(honest(), race_exit=True)).failure_class is (
        FailureClass.RACE
    )


def test_a_race_during_a_test_names_it() -> None:
    items = bodies(honest())
    items[2]["race"] = True  # TestA's end
    result = classify("ex", TESTS, evidence(resign(items)))
    assert result.failure_class is FailureClass.RACE and "TestA" in (result.message or "")
    assert result.tests[0].status is CaseStatus.FAIL


CRASH_MAP = """
goroutine 26 [running]:
internal/runtime/maps.fatal({0x4af992?, 0x49aba0?})
	/usr/local/go/src/runtime/panic.go:1181 +0x18
gointerview.local/exercise.(*Stats).Add(...)
	/work/src/stats.go:12 +0x2b
"""
CRASH_DEADLOCK = """
goroutine 1 [chan receive]:
main.main()
	/work/src/_gointerview_testmain.go:24 +0xc5
"""
CRASH_PANIC = """panic: close of closed channel [recovered, repanicked]

goroutine 7 [running]:
testing.tRunner.func1.2({0x5f0c20, 0x6a7e10})
	/usr/local/go/src/testing/testing.go:1974 +0x419
panic({0x5f0c20?, 0x6a7e10?})
	/usr/local/go/src/runtime/panic.go:860 +0x13a
gointerview.local/exercise.(*Pool).Close(...)
	/work/src/pool.go:80 +0x2b
"""
CRASH_BUBBLE = """panic: deadlock: main bubble goroutine has exited but blocked goroutines remain \
[recovered, repanicked]

goroutine 4 [running]:
testing.tRunner.func1.2({0x684e40, 0xc000016378})
	/usr/local/go/src/testing/testing.go:1974 +0x419
panic({0x684e40?, 0xc000016378?})
	/usr/local/go/src/runtime/panic.go:860 +0x13a
internal/synctest.Run(0xc00010e280)
	/usr/local/go/src/runtime/synctest.go:251 +0x2f4

goroutine 22 [chan receive (durable), synctest bubble 1]:
gointerview.local/exercise.(*Cache).janitor(0xc000082020)
	/work/src/cache.go:45 +0x9e
"""
# the same text, but raised by the submission itself: the frame that called panic is its own
CRASH_FAKE_BUBBLE = CRASH_BUBBLE.replace(
    "internal/synctest.Run(0xc00010e280)", "gointerview.local/exercise.New(0xc00010e280)"
)


@pytest.mark.parametrize(
    ("crash", "kind"),
    [
        (CRASH_MAP, "map"),
        (CRASH_DEADLOCK, "deadlock"),
        (CRASH_PANIC, "panic"),
        (CRASH_BUBBLE, "bubble_leak"),
        (CRASH_FAKE_BUBBLE, "panic"),
        ("", None),
    ],
)
def test_crash_output_is_read_by_structure(crash: str, kind: str | None) -> None:
    found = read_crash(crash)
    assert (found.kind if found else None) == kind


def test_classes_from_crashes_limits_and_the_watchdog() -> None:
    started = record(0, "hello", tests=TESTS) + record(1, "start", test="TestA")

    def cls(**kw: object) -> FailureClass | None:
        return classify("ex", TESTS, evidence(started, **kw)).failure_class  # type: ignore[arg-type]

    assert cls(crash=CRASH_MAP, process=proc(rc=2)) is FailureClass.RACE
    assert cls(crash=CRASH_DEADLOCK, process=proc(rc=2)) is FailureClass.TIMEOUT
    assert cls(crash=CRASH_PANIC, process=proc(rc=2)) is FailureClass.PANIC
    assert cls(crash=CRASH_BUBBLE, process=proc(rc=2)) is FailureClass.LEAK
    assert cls(process=proc(rc=-9, timed_out=True)) is FailureClass.TIMEOUT
    assert cls(process=proc(rc=-9, output_exceeded=True)) is FailureClass.RESOURCE_LIMIT
    assert cls(process=proc(rc=137, memory_exceeded=True)) is FailureClass.RESOURCE_LIMIT
    assert cls(process=proc(rc=2, processes_exceeded=True)) is FailureClass.RESOURCE_LIMIT
    assert cls(process=proc(rc=128 + 24)) is FailureClass.RESOURCE_LIMIT  # SIGXCPU
    assert cls(process=proc(rc=1)) is FailureClass.TEST_FAILURE
    timeout = started + record(2, "timeout", running=["TestA"], stacks="goroutine 1 [select]:")
    result = classify("ex", TESTS, evidence(timeout, proc(rc=124)))
    assert result.failure_class is FailureClass.TIMEOUT and "TestA" in (result.message or "")
    assert result.tests[0].message == "still running at the time limit"


def test_a_leak_names_the_test_or_says_after_all_tests() -> None:
    per_test = classify("ex", TESTS, evidence(honest(leak_in="TestB"), proc(rc=1)))
    assert per_test.failure_class is FailureClass.LEAK
    assert "TestB" in (per_test.message or "")
    assert [t.status for t in per_test.tests] == [CaseStatus.PASS, CaseStatus.FAIL]
    assert per_test.leaked_goroutines
    after = classify("ex", TESTS, evidence(honest(final_leak="[Goroutine 9 ...]"), proc(rc=1)))
    assert after.failure_class is FailureClass.LEAK
    assert "after all tests" in (after.message or "")
    assert all(t.status is CaseStatus.PASS for t in after.tests)


def test_scratch_full_is_a_resource_limit() -> None:
    items = bodies(honest())
    items[2]["scratch_full"] = True
    result = classify("ex", TESTS, evidence(resign(items)))
    assert result.failure_class is FailureClass.RESOURCE_LIMIT and "scratch" in (
        result.message or ""
    )


# ---------------------------------------------------------------- display parsing


PASSING = (
    f"{M}=== RUN   TestA\n  a_test.go:3: hello\n{M}--- PASS: TestA (0.01s)\n"
    f"{M}=== RUN   TestB\n{M}=== RUN   TestB/sub\n{M}--- PASS: TestB/sub (0.00s)\n"
    f"{M}--- PASS: TestB (0.02s)\n{M}PASS\n"
)


def test_parses_marked_framing_with_subtests_in_order() -> None:
    run = parse_test_output(PASSING)
    assert list(run.tests) == ["TestA", "TestB", "TestB/sub"]
    assert run.tests["TestA"].output == ["  a_test.go:3: hello"]
    assert [t.name for t in run.top_level] == ["TestA", "TestB"]
    assert run.final == "PASS"


def test_test_functions_in_file_order() -> None:
    src = (
        "package x\nfunc TestB(t *testing.T) {}\nfunc helper(t *testing.T) {}\n"
        "func TestA(tt *testing.T) {}\nfunc BenchmarkX(b *testing.B) {}\n"
        "func Testlower(t *testing.T) {}\n"
    )
    assert declared_tests(src) == ["TestB", "TestA"]


def test_cgroup_counters() -> None:
    assert _counters("low 0\nhigh 0\nmax 3\noom_kill 1\nbad\n") == {
        "low": 0,
        "high": 0,
        "max": 3,
        "oom_kill": 1,
    }


# ---------------------------------------------------------------- imports policy


def test_the_allowlist_and_what_can_never_be_allowed() -> None:
    assert "sync" in DEFAULT_ALLOWED and "os" not in DEFAULT_ALLOWED
    for path in ("C", "unsafe", "syscall", "os/exec", "embed", "plugin", "internal/race"):
        assert never_allowed(path), path
    for path in ("testing/synctest", "debug/elf", "golang.org/x/sys/unix", "example.com/x"):
        assert never_allowed(path), path
    for path in ("os", "net/http", "reflect", "runtime/debug"):
        assert not never_allowed(path), path


# ---------------------------------------------------------------- reading a submission


def test_collects_go_files_and_ignores_tests_and_hidden_names(tmp_path: Path) -> None:
    (tmp_path / "lru.go").write_text("package lru\n")
    (tmp_path / "extra.go").write_text("package lru\n")
    (tmp_path / "lru_test.go").write_text("package lru\n")
    (tmp_path / "_ignored.go").write_text("package lru\n")
    (tmp_path / "PROMPT.md").write_text("# hi\n")
    assert set(collect_submission(["lru.go"], tmp_path)) == {"lru.go", "extra.go"}


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda d: (d / "lru.go").symlink_to("/etc/hostname"), "symbolic link"),
        (lambda d: os.mkfifo(d / "lru.go"), "not a regular file"),
        (lambda d: (d / "lru.go").mkdir(), "not a regular file"),
        (lambda d: (d / "lru.go").write_bytes(b"x" * (MAX_FILE_BYTES + 1)), "larger than"),
        (lambda d: (d / "fast.s").write_text("TEXT ·f(SB),0,$0\n"), "assembly"),
        (lambda d: (d / "x.syso").write_bytes(b"\x7fELF"), "assembly"),
        (lambda d: (d / "bad name.go").write_text("package lru\n"), "plain file names"),
        (lambda d: None, "missing file"),
    ],
)
def test_refuses_what_it_must_not_read(tmp_path: Path, setup: object, message: str) -> None:
    if message not in ("missing file", "symbolic link", "not a regular file", "larger than"):
        (tmp_path / "lru.go").write_text("package lru\n")
    setup(tmp_path)  # type: ignore[operator]
    with pytest.raises(SubmissionError, match=message):
        collect_submission(["lru.go"], tmp_path)


def test_hard_links_are_refused(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").write_text("package lru\n")
    os.link(tmp_path / "elsewhere", tmp_path / "lru.go")
    with pytest.raises(SubmissionError, match="hard links"):
        collect_submission(["lru.go"], tmp_path)


def test_a_missing_directory_is_named(tmp_path: Path) -> None:
    with pytest.raises(SubmissionError, match="does not exist"):
        collect_submission(["lru.go"], tmp_path / "nope")
