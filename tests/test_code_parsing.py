"""Parsing test-binary output and classifying failures, on recorded output (no Go needed)."""

from __future__ import annotations

from gointerview.grading.code.check import classify
from gointerview.grading.code.gotest import declared_tests, parse_test_output
from gointerview.grading.code.results import OUTPUT_CAP, CaseStatus, FailureClass, Status
from gointerview.grading.code.sandbox import ProcessResult

M = "\x16"


def proc(
    stdout: str,
    stderr: str = "",
    rc: int = 0,
    *,
    timed_out: bool = False,
    output_exceeded: bool = False,
) -> ProcessResult:
    return ProcessResult(
        returncode=rc,
        stdout=stdout,
        stderr=stderr,
        duration_s=0.1,
        timed_out=timed_out,
        output_exceeded=output_exceeded,
    )


PASSING = (
    f"{M}=== RUN   TestA\n  a_test.go:3: hello\n{M}--- PASS: TestA (0.01s)\n"
    f"{M}=== RUN   TestB\n{M}=== RUN   TestB/sub\n{M}--- PASS: TestB/sub (0.00s)\n"
    f"{M}--- PASS: TestB (0.02s)\n{M}PASS\n"
)


def test_parses_marked_framing_with_subtests_in_order() -> None:
    run = parse_test_output(PASSING)
    assert list(run.tests) == ["TestA", "TestB", "TestB/sub"]
    assert run.tests["TestA"].action == "pass"
    assert run.tests["TestA"].duration_s == 0.01
    assert run.tests["TestA"].output == ["  a_test.go:3: hello"]
    assert [t.name for t in run.top_level] == ["TestA", "TestB"]
    assert run.final == "PASS"


def test_unmarked_framing_is_only_output() -> None:
    forged = "=== RUN   TestA\n--- PASS: TestA (0.00s)\nPASS\n"
    run = parse_test_output(forged)
    assert run.tests == {}
    assert run.final is None
    assert run.loose_output == forged.splitlines()


def test_all_expected_tests_passing_is_a_pass() -> None:
    result = classify("ex", proc(PASSING), ["TestA", "TestB"])
    assert result.status is Status.PASS
    assert [t.name for t in result.tests] == ["TestA", "TestB"]
    assert result.tests[0].duration_ms == 10.0


def test_a_missing_expected_test_is_not_a_pass() -> None:
    result = classify("ex", proc(PASSING), ["TestA", "TestB", "TestC"])
    assert result.status is Status.FAIL
    assert result.failure_class is FailureClass.TEST_FAILURE
    assert result.tests[2].status is CaseStatus.ERROR


def test_exit_zero_with_forged_output_is_not_a_pass() -> None:
    forged = "--- PASS: TestA (0.00s)\n--- PASS: TestB (0.00s)\nPASS\n"
    result = classify("ex", proc(forged), ["TestA", "TestB"])
    assert result.status is Status.FAIL
    assert all(t.status is CaseStatus.ERROR for t in result.tests)


def test_failure_message_and_capped_output() -> None:
    long = "x" * 2000
    out = (
        f"{M}=== RUN   TestA\n    a_test.go:9: Get(a) = 0, want 1\n    {long}\n"
        f"{M}--- FAIL: TestA (0.00s)\n{M}FAIL\n"
    )
    result = classify("ex", proc(out, rc=1), ["TestA"])
    assert result.failure_class is FailureClass.TEST_FAILURE
    [test] = result.tests
    assert test.status is CaseStatus.FAIL
    assert test.message == "a_test.go:9: Get(a) = 0, want 1"
    assert test.output is not None and len(test.output) <= OUTPUT_CAP


RACE = """==================
WARNING: DATA RACE
Write at 0x00c000012345 by goroutine 8:
  lru.(*Cache[...]).Put()
      /work/src/lru.go:42 +0x84
  lru.TestConcurrentUse.func1()
      /work/src/lru_test.go:120 +0x1a
  testing.tRunner()
      /usr/local/go/src/testing/testing.go:1690 +0x21c

Previous read at 0x00c000012345 by goroutine 9:
  lru.(*Cache[...]).Get()
      /work/src/lru.go:30 +0x64
==================
"""


def test_race_report_is_classified_and_trimmed() -> None:
    out = (
        f"{M}=== RUN   TestConcurrentUse\n    testing.go:1712: race detected during execution "
        f"of test\n{M}--- FAIL: TestConcurrentUse (0.01s)\n{M}FAIL\n"
    )
    result = classify("lru", proc(out, RACE, rc=1), ["TestConcurrentUse"])
    assert result.failure_class is FailureClass.RACE
    assert result.race_report is not None
    assert "lru.go:42" in result.race_report and "/work/src/" not in result.race_report
    assert "testing.tRunner" not in result.race_report and "+0x" not in result.race_report


def test_concurrent_map_writes_fatal_is_a_race() -> None:
    out = f"{M}=== RUN   TestA\nfatal error: concurrent map writes\n"
    result = classify("ex", proc(out, rc=2), ["TestA"])
    assert result.failure_class is FailureClass.RACE


def test_goleak_report_is_a_leak() -> None:
    leak = (
        "goleak: Errors on successful test run: found unexpected goroutines:\n"
        "[Goroutine 7 in state chan receive, with ttl.(*Cache).janitor on top of the stack:\n"
        "ttl.(*Cache).janitor()\n\t/work/src/ttl.go:50 +0x55\n]\n"
    )
    result = classify("ex", proc(PASSING + leak, rc=1), ["TestA", "TestB"])
    assert result.failure_class is FailureClass.LEAK
    assert result.leaked_goroutines is not None and "ttl.go:50" in result.leaked_goroutines


def test_timeouts_deadlocks_panics_and_limits() -> None:
    timeout = f"{M}=== RUN   TestA\npanic: test timed out after 3s\n"
    assert classify("e", proc(timeout, rc=2), ["TestA"]).failure_class is FailureClass.TIMEOUT
    dead = "fatal error: all goroutines are asleep - deadlock!\n"
    assert classify("e", proc(dead, rc=2), ["TestA"]).failure_class is FailureClass.TIMEOUT
    panic = f"{M}=== RUN   TestA\npanic: close of closed channel\n"
    result = classify("e", proc(panic, rc=2), ["TestA"])
    assert result.failure_class is FailureClass.PANIC
    assert result.message == "panic: close of closed channel"
    killed = proc("", rc=-9, timed_out=True)
    assert classify("e", killed, ["TestA"]).failure_class is FailureClass.TIMEOUT
    flood = proc("spam\n" * 10, rc=-9, output_exceeded=True)
    assert classify("e", flood, ["TestA"]).failure_class is FailureClass.RESOURCE_LIMIT


def test_test_functions_in_file_order() -> None:
    src = (
        "package x\nfunc TestB(t *testing.T) {}\nfunc helper(t *testing.T) {}\n"
        "func TestA(tt *testing.T) {}\nfunc BenchmarkX(b *testing.B) {}\n"
        "func Testlower(t *testing.T) {}\n"
    )
    assert declared_tests(src) == ["TestB", "TestA"]
