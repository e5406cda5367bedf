"""Hostile submissions against the real sandbox (issue #12). Each ends with the right failure
class, leaks nothing (no hidden test source, no host secret, no run directory, cgroup or
process left behind), and the next honest run is unaffected. Needs Go, gcc and bubblewrap
(CI installs them).

Most attacks are tried twice: as submitted (the import allowlist or the file checks stop
them before anything runs), and against a *permissive* copy of the exercise whose allowlist
lets the dangerous packages through, which shows that the layers behind the allowlist (the
signed report, the sandbox, the limits) hold on their own.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gointerview.exercises.catalog import builtin_catalog
from gointerview.exercises.model import Exercise
from gointerview.exercises.service import grade_directory, overlay
from gointerview.grading.code.results import CaseStatus, CodeResult, FailureClass, Status
from gointerview.grading.code.sandbox import (
    CGROUP_PREFIX,
    BubblewrapRunner,
    SandboxUnavailableError,
    make_runner,
)
from gointerview.grading.code.toolchain import Toolchain

pytestmark = pytest.mark.sandbox

SECRET = "s3cr3t-api-key-do-not-leak"
# a line of lru-cache's hidden test source that no result may ever contain
HIDDEN_MARKER = "func mustMiss(t *testing.T, c *Cache[string, int], key string)"
# what a permissive copy of an exercise lets through (never allowed for real)
DANGEROUS = ["os", "os/exec", "syscall", "net", "io", "strings", "embed", "C", "path/filepath"]

# The stub API of lru-cache, with a hook where the hostile code goes.
TEMPLATE = """package lru

import (
%(imports)s
)

type Cache[K comparable, V any] struct{}

func New[K comparable, V any](capacity int) *Cache[K, V] {
%(body)s
	return &Cache[K, V]{}
}

func (c *Cache[K, V]) Get(key K) (V, bool) { var zero V; return zero, false }
func (c *Cache[K, V]) Put(key K, value V)    {}
func (c *Cache[K, V]) Len() int              { return 0 }
"""

# Prints every hidden test as passed, in the testing package's own framing, then exits 0.
FAKE_PASS_LINES = """
func fakePass(names []string) string {
	var b strings.Builder
	for _, n := range names {
		b.WriteString("\\x16=== RUN   " + n + "\\n\\x16--- PASS: " + n + " (0.00s)\\n")
	}
	return b.String() + "\\x16PASS\\n"
}
"""


@pytest.fixture(scope="module")
def lru() -> Exercise:
    return builtin_catalog().get("lru-cache")


def permissive(exercise: Exercise, extra: list[str] = DANGEROUS) -> Exercise:
    """The exercise with its allowlist opened up (bypassing the validator on purpose)."""
    meta = exercise.meta.model_copy(update={"imports": [*exercise.meta.imports, *extra]})
    return exercise.model_copy(update={"meta": meta})


def grade(
    exercise: Exercise, directory: Path, toolchain: Toolchain, timeout: int = 8
) -> CodeResult:
    return grade_directory(
        exercise, directory, runner=BubblewrapRunner(), toolchain=toolchain, test_timeout=timeout
    )


def submit(
    tmp_path: Path,
    toolchain: Toolchain,
    exercise: Exercise,
    body: str,
    imports: str = "",
    *,
    extra: str = "",
    timeout: int = 8,
) -> CodeResult:
    src = TEMPLATE % {"imports": imports, "body": body} + extra
    (tmp_path / "lru.go").write_text(src, encoding="utf-8")
    return grade(exercise, tmp_path, toolchain, timeout)


def everything(result: CodeResult) -> str:
    return result.model_dump_json()


def assert_clean(result: CodeResult, *secrets: str) -> None:
    """Nothing hidden or secret in the result; nothing left behind by the run."""
    text = everything(result)
    for secret in (HIDDEN_MARKER, SECRET, *secrets):
        assert secret not in text
    assert not list(Path("/dev/shm").glob(f"gointerview-run-{os.getpid()}-*"))
    assert not _our_cgroups(), _our_cgroups()
    deadline = time.monotonic() + 3
    while _sandbox_processes() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _sandbox_processes()


def _our_cgroups() -> list[Path]:
    from gointerview.grading.code.sandbox import cgroup_roots

    roots = cgroup_roots()
    dirs = [roots.v2] if roots.v2 else [p for _, p in roots.v1]
    return [d for root in dirs if root for d in root.glob(f"{CGROUP_PREFIX}{os.getpid()}-*")]


def _sandbox_processes() -> list[str]:
    """Processes still in one of this test process's per-run cgroups."""
    alive = []
    for cgroup in Path("/proc").glob("[0-9]*/cgroup"):
        try:
            text = cgroup.read_text()
        except OSError:
            continue
        if f"/{CGROUP_PREFIX}{os.getpid()}-" in text:
            alive.append(cgroup.parent.name)
    return alive


def passed_tests(result: CodeResult) -> list[str]:
    return [t.name for t in result.tests if t.status is CaseStatus.PASS]


# ---------------------------------------------------------------- honest runs


def test_reference_passes_and_each_test_is_reported(go_toolchain: Toolchain, lru: Exercise) -> None:
    result = grade(lru, lru.solution_dir, go_toolchain)
    assert result.status is Status.PASS, result.message
    assert len(result.tests) >= 8 and all(t.status is CaseStatus.PASS for t in result.tests)
    assert all(t.duration_ms is not None for t in result.tests)
    assert_clean(result)


# ---------------------------------------------------------------- fake passes


FAKE_LIST_INIT = (
    FAKE_PASS_LINES
    + """
func init() {
	if len(os.Args) > 1 && os.Args[1] == "-test.list" {
		return // the copy below only lists the tests
	}
	out, _ := exec.Command("/proc/self/exe", "-test.list", ".").Output()
	os.Stdout.WriteString(fakePass(strings.Fields(string(out))))
	syscall.Exit(0)
}
"""
)
FAKE_LIST_IMPORTS = '\t"os"\n\t"os/exec"\n\t"strings"\n\t"syscall"'


def test_generic_fake_pass_via_test_list_is_refused(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    result = submit(tmp_path, go_toolchain, lru, "", FAKE_LIST_IMPORTS, extra=FAKE_LIST_INIT)
    assert result.status is not Status.PASS and passed_tests(result) == []
    assert result.failure_class is FailureClass.COMPILE_ERROR
    assert 'import "os/exec" is not allowed' in (result.message or "")
    assert_clean(result)


def test_generic_fake_pass_via_test_list_fails_behind_the_allowlist(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    open_lru = permissive(lru)
    result = submit(tmp_path, go_toolchain, open_lru, "", FAKE_LIST_IMPORTS, extra=FAKE_LIST_INIT)
    assert result.status is Status.FAIL and passed_tests(result) == []
    assert result.failure_class is FailureClass.TEST_FAILURE
    assert "before the tests started" in (result.message or "")
    assert_clean(result)


FD_WRITE_BODY = """\
	w := int(os.Stdout.Fd())
	syscall.Write(w, []byte(fakePass([]string{"TestGetPutBasics", "TestEvictsLeastRecentlyUsed",
		"TestGetRefreshesRecency", "TestPutUpdatesAndRefreshes", "TestCapacityOne",
		"TestNeverExceedsCapacity", "TestInvalidCapacityPanics", "TestConcurrentUse"})))
	syscall.Exit(0)"""


def test_fd_writes_and_syscall_exit_from_a_test_do_not_pass(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    imports = '\t"os"\n\t"strings"\n\t"syscall"'
    refused = submit(tmp_path, go_toolchain, lru, FD_WRITE_BODY, imports, extra=FAKE_PASS_LINES)
    assert refused.failure_class is FailureClass.COMPILE_ERROR
    result = submit(
        tmp_path, go_toolchain, permissive(lru), FD_WRITE_BODY, imports, extra=FAKE_PASS_LINES
    )
    assert result.status is Status.FAIL and passed_tests(result) == []
    assert result.failure_class is FailureClass.TEST_FAILURE
    assert "TestGetPutBasics" in (result.message or "")  # the test it died in
    assert_clean(result)


CGO_CONSTRUCTOR = """package lru

/*
#include <stdio.h>
#include <unistd.h>
__attribute__((constructor)) static void fake(void) {
	printf("\\x16--- PASS: TestGetPutBasics (0.00s)\\n\\x16PASS\\n");
	fflush(stdout);
	_exit(0);
}
*/
import "C"
"""


def test_cgo_constructor_is_refused(tmp_path: Path, go_toolchain: Toolchain, lru: Exercise) -> None:
    shutil.copy(lru.solution_dir / "lru.go", tmp_path / "lru.go")
    (tmp_path / "fake.go").write_text(CGO_CONSTRUCTOR)
    for exercise in (lru, permissive(lru)):
        result = grade(exercise, tmp_path, go_toolchain)
        assert result.status is not Status.PASS
        assert result.failure_class is FailureClass.COMPILE_ERROR
        assert 'import "C" (cgo) is not allowed' in (result.message or "")
        assert_clean(result)


REWRAP = """package lru

import (
	"os"
	"os/exec"
	"strings"
	"syscall"
)

// Re-run this very binary, turn its FAIL lines into PASS, and exit 0.
func init() {
	if os.Getenv("REWRAPPED") != "" {
		return
	}
	cmd := exec.Command("/proc/self/exe", os.Args[1:]...)
	cmd.Env = append(os.Environ(), "REWRAPPED=1")
	out, _ := cmd.CombinedOutput()
	os.Stdout.WriteString(strings.ReplaceAll(string(out), "FAIL", "PASS"))
	syscall.Exit(0)
}
"""


def test_wrapper_that_reruns_itself_and_rewrites_fail(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    overlay(lru, "get-no-refresh", tmp_path)  # a real failure for the wrapper to hide
    (tmp_path / "wrap.go").write_text(REWRAP)
    refused = grade(lru, tmp_path, go_toolchain)
    assert refused.failure_class is FailureClass.COMPILE_ERROR
    result = grade(permissive(lru), tmp_path, go_toolchain)
    assert result.status is Status.FAIL and passed_tests(result) == []
    assert result.failure_class is FailureClass.TEST_FAILURE
    assert_clean(result)


PIPE_PRINTER = """package workerpool

import (
	"os"
	"syscall"
	"time"
)

// Put a pipe nobody reads behind descriptor 2 (where goleak used to report) and fill it, so
// the leak report blocks forever; well after the tests, print the final PASS and exit 0.
func init() {
	_, w, _ := os.Pipe()
	syscall.Dup2(int(w.Fd()), 2)
	go func() {
		for {
			w.Write(make([]byte, 4096))
		}
	}()
	go func() {
		time.Sleep(3 * time.Second)
		os.Stdout.WriteString("\\x16PASS\\nok\\n")
		syscall.Exit(0)
	}()
}
"""


def test_pipe_goroutine_printing_pass_after_the_tests_is_a_leak(
    tmp_path: Path, go_toolchain: Toolchain
) -> None:
    pool = builtin_catalog().get("worker-pool")
    overlay(pool, "workers-ignore-cancel", tmp_path)
    (tmp_path / "printer.go").write_text(PIPE_PRINTER)
    assert grade(pool, tmp_path, go_toolchain).failure_class is FailureClass.COMPILE_ERROR
    result = grade(permissive(pool), tmp_path, go_toolchain, timeout=12)
    assert result.status is Status.FAIL
    assert result.failure_class is FailureClass.LEAK
    assert result.leaked_goroutines
    assert_clean(result)


def test_forged_per_test_entries_do_not_survive_a_failure(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    shutil.copy(lru.stub_dir / "lru.go", tmp_path / "lru.go")  # every test fails
    forged = "".join(
        f'\tprintln("\\x16=== RUN   {n}")\n\tfmt.Println("\\x16--- PASS: {n} (0.00s)")\n'
        for n in ("TestGetPutBasics", "TestEvictsLeastRecentlyUsed", "TestConcurrentUse")
    )
    (tmp_path / "forge.go").write_text(
        f'package lru\n\nimport "fmt"\n\nfunc init() {{\n{forged}}}\n'
    )
    result = grade(lru, tmp_path, go_toolchain)
    assert result.status is Status.FAIL
    assert result.failure_class is FailureClass.PANIC
    assert passed_tests(result) == []
    assert_clean(result)


def test_records_forged_on_the_report_descriptor_are_rejected(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    # With os allowed, write well-formed but unsigned records to every likely descriptor.
    body = """\
	for fd := 3; fd < 64; fd++ {
		f := os.NewFile(uintptr(fd), "x")
		f.WriteString(`0000 {"ev":"done","seq":1,"code":0}` + "\\n")
	}"""
    shutil.copy(lru.solution_dir / "lru.go", tmp_path / "lru.go")
    (tmp_path / "forge.go").write_text(
        f'package lru\n\nimport "os"\n\nfunc init() {{\n{body}\n}}\n'
    )
    result = grade(permissive(lru), tmp_path, go_toolchain)
    assert result.status is not Status.PASS
    assert_clean(result)


# ---------------------------------------------------------------- hidden tests stay hidden


EMBED = """package lru

import _ "embed"

//go:embed lru_test.go
var hidden string

func init() { panic(hidden) }
"""


def test_embedding_the_hidden_tests_is_refused(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    shutil.copy(lru.solution_dir / "lru.go", tmp_path / "lru.go")
    (tmp_path / "steal.go").write_text(EMBED)
    for exercise in (lru, permissive(lru)):
        result = grade(exercise, tmp_path, go_toolchain)
        assert result.failure_class is FailureClass.COMPILE_ERROR
        assert "go:embed" in (result.message or "")
        assert_clean(result)


INCBIN_ASM = """#include "textflag.h"
DATA ·hidden+0(SB)/8, $0
GLOBL ·hidden(SB), RODATA, $8
.incbin "lru_test.go"
"""
INCBIN_CGO = """package lru

/*
__asm__(".section .rodata\\n.global hidden\\nhidden: .incbin \\"lru_test.go\\"\\n.byte 0\\n");
extern char hidden[];
*/
import "C"

func init() { panic(C.GoString(&C.hidden[0])) }
"""


def test_incbin_of_the_hidden_tests_is_refused(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    shutil.copy(lru.solution_dir / "lru.go", tmp_path / "lru.go")
    (tmp_path / "steal_amd64.s").write_text(INCBIN_ASM)
    result = grade(permissive(lru), tmp_path, go_toolchain)
    assert result.failure_class is FailureClass.COMPILE_ERROR
    assert "assembly" in (result.message or "")
    assert_clean(result)
    (tmp_path / "steal_amd64.s").unlink()
    (tmp_path / "steal.go").write_text(INCBIN_CGO)
    result = grade(permissive(lru), tmp_path, go_toolchain)
    assert result.failure_class is FailureClass.COMPILE_ERROR
    assert_clean(result)


def test_cannot_read_hidden_tests_solutions_or_host_files(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    targets = [
        "lru_test.go",
        "/work/src/lru_test.go",
        "/work/bin/exercise.test",
        "/proc/self/exe",
        "/proc/self/mem",
        "/proc/1/environ",
        str(lru.tests_dir / "lru_test.go"),
        str(lru.solution_dir / "lru.go"),
        str(go_toolchain.cache_root),
        "/etc/passwd",
        "/etc/shadow",
        str(Path.home()),
    ]
    quoted = ", ".join(json.dumps(t) for t in targets)
    body = (
        f"\tfor _, p := range []string{{{quoted}}} {{\n"
        "\t\tif b, err := os.ReadFile(p); err == nil && len(b) > 0 {\n"
        '\t\t\tfmt.Println("READABLE:", p)\n\t\t}\n'
        '\t\tif _, err := os.ReadDir(p); err == nil { fmt.Println("LISTABLE:", p) }\n\t}\n'
        '\tfmt.Println("PROBE DONE")'
    )
    result = submit(tmp_path, go_toolchain, permissive(lru, ["os", "fmt"]), body, '\t"fmt"\n\t"os"')
    text = everything(result)
    assert "PROBE DONE" in text  # the probe ran
    assert "READABLE" not in text and "LISTABLE" not in text
    assert_clean(result)


def test_the_binary_cannot_read_itself(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    body = (
        '\tif _, err := os.ReadFile("/work/bin/exercise.test"); err != nil {\n'
        '\t\tpanic("SEALED: " + err.Error())\n\t}\n\tpanic("READ ITSELF")'
    )
    result = submit(tmp_path, go_toolchain, permissive(lru, ["os"]), body, '\t"os"')
    assert result.failure_class is FailureClass.PANIC
    assert "SEALED" in (result.message or "") and "permission denied" in (result.message or "")


# ---------------------------------------------------------------- host files


def write_lru_link(tmp_path: Path, target: Path | str) -> Path:
    sub = tmp_path / "submission"
    sub.mkdir()
    (sub / "lru.go").symlink_to(target)
    return sub


def test_symlink_to_the_database_is_not_followed(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    db = tmp_path / "gointerview.sqlite3"
    db.write_text(f"SQLite format 3\0 other sessions' answers {SECRET}")
    result = grade(lru, write_lru_link(tmp_path, db), go_toolchain)
    assert result.status is Status.ERROR and result.failure_class is FailureClass.COMPILE_ERROR
    assert "symbolic link" in (result.message or "")
    assert_clean(result)


def test_symlink_to_proc_self_environ_is_not_followed(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOINTERVIEW_TOKEN", SECRET)
    result = grade(lru, write_lru_link(tmp_path, "/proc/self/environ"), go_toolchain)
    assert "symbolic link" in (result.message or "")
    assert_clean(result, "GOINTERVIEW_TOKEN")


def test_huge_files_are_refused_before_reading(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    huge = tmp_path / "huge.bin"
    with huge.open("wb") as f:
        f.truncate(3 << 30)  # a sparse 3 GiB file
    start = time.monotonic()
    linked = grade(lru, write_lru_link(tmp_path, huge), go_toolchain)
    assert "symbolic link" in (linked.message or "")
    sub = tmp_path / "regular"
    sub.mkdir()
    shutil.copy(lru.solution_dir / "lru.go", sub / "lru.go")
    with (sub / "big.go").open("wb") as f:
        f.truncate(3 << 30)
    result = grade(lru, sub, go_toolchain)
    assert result.failure_class is FailureClass.COMPILE_ERROR
    assert "big.go is larger than" in (result.message or "")
    assert time.monotonic() - start < 5  # nothing read 3 GiB
    assert_clean(result)


def test_fifos_and_hard_links_are_refused(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    shutil.copy(lru.solution_dir / "lru.go", sub / "lru.go")
    os.mkfifo(sub / "pipe.go")
    assert "not a regular file" in (grade(lru, sub, go_toolchain).message or "")
    (sub / "pipe.go").unlink()
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    os.link(secret, sub / "linked.go")
    result = grade(lru, sub, go_toolchain)
    assert "hard links" in (result.message or "")
    assert_clean(result)


def test_host_environment_does_not_reach_the_child(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    body = '\tpanic("ENV: " + strings.Join(os.Environ(), ";"))'
    result = submit(tmp_path, go_toolchain, permissive(lru), body, '\t"os"\n\t"strings"')
    text = everything(result)
    assert "ENV: " in text
    assert "OPENAI_API_KEY" not in text and "GOINTERVIEW_HARNESS" not in text
    assert_clean(result)


# ---------------------------------------------------------------- limits


def test_disk_fill_stops_at_the_scratch_limit(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    body = """\
	chunk := make([]byte, 1<<20)
	for i := 0; ; i++ {
		f, err := os.Create(fmt.Sprintf("/tmp/fill-%d", i))
		if err != nil {
			break
		}
		_, err = f.Write(chunk)
		f.Close()
		if err != nil {
			break
		}
	}"""
    refused = submit(tmp_path, go_toolchain, lru, body, '\t"fmt"\n\t"os"')
    assert refused.failure_class is FailureClass.COMPILE_ERROR
    result = submit(tmp_path, go_toolchain, permissive(lru, ["os"]), body, '\t"fmt"\n\t"os"')
    # the harness saw /tmp full: the writes went to the run's 64 MiB tmpfs (gone with the
    # sandbox), not to a disk
    assert result.failure_class is FailureClass.RESOURCE_LIMIT
    assert "scratch" in (result.message or "")
    assert result.duration_ms < 60_000
    assert_clean(result)


def test_infinite_loop_is_a_timeout(tmp_path: Path, go_toolchain: Toolchain, lru: Exercise) -> None:
    result = submit(tmp_path, go_toolchain, lru, "\tfor {\n\t}", timeout=3)
    assert result.failure_class is FailureClass.TIMEOUT
    assert "TestGetPutBasics" in (result.message or "")
    assert_clean(result)


def test_sleeping_past_the_deadline_is_a_timeout(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    result = submit(tmp_path, go_toolchain, lru, "\ttime.Sleep(time.Hour)", '\t"time"', timeout=3)
    assert result.failure_class is FailureClass.TIMEOUT
    assert result.duration_ms < 30_000
    assert_clean(result)


def test_output_flood_is_stopped(tmp_path: Path, go_toolchain: Toolchain, lru: Exercise) -> None:
    body = '\tfor {\n\t\tfmt.Println("spam spam spam spam spam spam spam spam spam spam")\n\t}'
    result = submit(tmp_path, go_toolchain, lru, body, '\t"fmt"')
    assert result.failure_class is FailureClass.RESOURCE_LIMIT
    assert "output" in (result.message or "")
    assert_clean(result)


def test_allocation_bomb_hits_the_memory_limit(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    # one write per page: every page becomes resident, without the race detector's cost of
    # instrumenting a write per byte (which makes filling 2 GiB take ~20 s)
    body = (
        "\tvar keep [][]byte\n\tfor {\n\t\tb := make([]byte, 64<<20)\n"
        "\t\tfor i := 0; i < len(b); i += 4096 { b[i] = 1 }\n\t\tkeep = append(keep, b)\n\t}"
    )
    result = submit(tmp_path, go_toolchain, lru, body, timeout=30)
    assert result.failure_class is FailureClass.RESOURCE_LIMIT
    assert "memory" in (result.message or "")
    assert_clean(result)


def test_thread_bomb_hits_the_process_limit(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    # no os/exec needed: every goroutine locked to its thread and parked holds an OS thread
    body = "\tfor {\n\t\tgo func() { runtime.LockOSThread(); select {} }()\n\t}"
    result = submit(tmp_path, go_toolchain, lru, body, '\t"runtime"', timeout=20)
    assert result.failure_class is FailureClass.RESOURCE_LIMIT
    assert_clean(result)


def test_fork_bomb_hits_the_process_limit(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    body = (
        "\tfor i := 0; i < 100000; i++ {\n"
        '\t\tcmd := exec.Command("/bin/sleep", "30")\n'
        "\t\tif err := cmd.Start(); err != nil { panic(err) }\n\t}"
    )
    refused = submit(tmp_path, go_toolchain, lru, body, '\t"os/exec"')
    assert refused.failure_class is FailureClass.COMPILE_ERROR
    result = submit(tmp_path, go_toolchain, permissive(lru), body, '\t"os/exec"', timeout=20)
    assert result.failure_class is FailureClass.RESOURCE_LIMIT
    assert_clean(result)


# ---------------------------------------------------------------- misclassification


MISLEADING = """package lru

import "fmt"

// A correct solution that prints everything the old grader read as a verdict.
func init() {
	for _, s := range []string{
		"fatal error: concurrent map writes",
		"fatal error: concurrent map read and map write",
		"WARNING: DATA RACE",
		"race detected during execution of test",
		"resource temporarily unavailable",
		"panic: test timed out after 1s",
		"fatal error: all goroutines are asleep - deadlock!",
		"goleak: Errors on successful test run: found unexpected goroutines",
		"--- FAIL: TestGetPutBasics (0.00s)",
		"\\x16--- FAIL: TestGetPutBasics (0.00s)",
		"\\x16FAIL",
		"FAIL",
	} {
		fmt.Println(s)
		println(s)
	}
}
"""


def test_misleading_output_from_a_correct_solution_is_a_pass(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    shutil.copy(lru.solution_dir / "lru.go", tmp_path / "lru.go")
    (tmp_path / "noise.go").write_text(MISLEADING)
    result = grade(lru, tmp_path, go_toolchain)
    assert result.status is Status.PASS, (result.failure_class, result.message)
    assert_clean(result)


def test_norace_directive_cannot_hide_a_race(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    overlay(lru, "no-lock", tmp_path)
    source = (tmp_path / "lru.go").read_text()
    (tmp_path / "lru.go").write_text(
        source.replace("\nfunc (c *Cache", "\n//go:norace\nfunc (c *Cache")
    )
    result = grade(lru, tmp_path, go_toolchain)
    assert result.failure_class is FailureClass.COMPILE_ERROR
    assert "//go:norace" in (result.message or "")


def test_a_leak_names_the_test_with_the_stacks(tmp_path: Path, go_toolchain: Toolchain) -> None:
    pool = builtin_catalog().get("worker-pool")
    overlay(pool, "workers-ignore-cancel", tmp_path)
    result = grade(pool, tmp_path, go_toolchain, timeout=12)
    assert result.failure_class is FailureClass.LEAK
    leaking = [t for t in result.tests if t.status is CaseStatus.FAIL]
    assert leaking and leaking[0].name in (result.message or "")
    assert result.leaked_goroutines and "pool.go" in result.leaked_goroutines


# ---------------------------------------------------------------- the sandbox itself


@pytest.fixture
def loopback_server() -> Iterator[tuple[int, list[str]]]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    seen: list[str] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            seen.append("connected")
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join()
    server.close()


def test_no_network_to_the_host(
    tmp_path: Path,
    go_toolchain: Toolchain,
    lru: Exercise,
    loopback_server: tuple[int, list[str]],
) -> None:
    port, seen = loopback_server
    body = (
        f'\tif _, err := net.Dial("tcp", "127.0.0.1:{port}"); err == nil '
        '{ panic("CONNECTED") } else { panic("DIAL FAILED") }'
    )
    result = submit(tmp_path, go_toolchain, permissive(lru), body, '\t"net"')
    assert "DIAL FAILED" in everything(result)
    assert seen == []


def test_runs_as_an_unprivileged_user(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    body = '\tpanic(fmt.Sprintf("IDS %d %d", os.Getuid(), os.Geteuid()))'
    result = submit(tmp_path, go_toolchain, permissive(lru, ["os", "fmt"]), body, '\t"fmt"\n\t"os"')
    assert "IDS 65534 65534" in (result.message or "")


def test_cannot_poison_the_prepared_archives(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    before = sorted(p.name for p in go_toolchain.pkg_dir.iterdir())
    victims = [
        go_toolchain.pkg_dir / "poison",
        go_toolchain.pkg_dir / "fmt.a",
        go_toolchain.modcache / "poison",
        "/opt/gointerview/pkg/fmt.a",
    ]
    writes = "\n".join(f'\t_ = os.WriteFile("{v}", []byte("x"), 0o644)' for v in victims)
    result = submit(tmp_path, go_toolchain, permissive(lru, ["os"]), writes, '\t"os"')
    assert result.status is not Status.PASS
    assert not (go_toolchain.pkg_dir / "poison").exists()
    assert sorted(p.name for p in go_toolchain.pkg_dir.iterdir()) == before
    assert (go_toolchain.pkg_dir / "fmt.a").stat().st_size > 1000
    honest = grade(lru, lru.solution_dir, go_toolchain)
    assert honest.status is Status.PASS


def test_exit_zero_from_a_test_does_not_fake_a_pass(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    result = submit(tmp_path, go_toolchain, permissive(lru, ["os"]), "\tos.Exit(0)", '\t"os"')
    assert result.status is Status.FAIL
    assert result.failure_class in (FailureClass.PANIC, FailureClass.TEST_FAILURE)


def test_compile_error_points_at_the_candidates_line(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    result = submit(tmp_path, go_toolchain, lru, "\tx := undefinedThing")
    assert result.status is Status.ERROR
    assert result.failure_class is FailureClass.COMPILE_ERROR
    ours = [e for e in result.compile_errors if e.file == "lru.go"]
    assert {e.line for e in ours} == {10}
    assert any("undefinedThing" in e.message for e in ours)


def test_missing_file_is_reported_not_raised(
    go_toolchain: Toolchain, lru: Exercise, tmp_path: Path
) -> None:
    result = grade(lru, tmp_path, go_toolchain)
    assert result.status is Status.ERROR
    assert "missing file" in (result.message or "")


def test_refuses_to_run_without_bubblewrap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(SandboxUnavailableError, match="--unsafe-no-sandbox"):
        make_runner()
    assert make_runner(unsafe_no_sandbox=True).name == "unsandboxed"


def test_unsandboxed_runner_still_grades(go_toolchain: Toolchain, lru: Exercise) -> None:
    result = grade_directory(
        lru, lru.solution_dir, runner=make_runner(unsafe_no_sandbox=True), toolchain=go_toolchain
    )
    assert result.status is Status.PASS, result.message
    assert result.sandbox == "unsandboxed"
