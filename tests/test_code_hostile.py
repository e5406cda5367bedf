"""Hostile submissions against the real sandbox: each ends with the right failure class, nothing
escapes, and the next run is unaffected. Needs Go, gcc and bubblewrap (CI installs them)."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from gointerview.exercises.catalog import builtin_catalog
from gointerview.exercises.model import Exercise
from gointerview.exercises.service import grade_directory
from gointerview.grading.code.results import CodeResult, FailureClass, Status
from gointerview.grading.code.sandbox import BubblewrapRunner, SandboxUnavailableError, make_runner
from gointerview.grading.code.toolchain import Toolchain

pytestmark = pytest.mark.sandbox

SECRET = "s3cr3t-api-key-do-not-leak"

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


@pytest.fixture(scope="module")
def lru() -> Exercise:
    return builtin_catalog().get("lru-cache")


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
    return grade_directory(
        exercise, tmp_path, runner=BubblewrapRunner(), toolchain=toolchain, test_timeout=timeout
    )


def everything(result: CodeResult) -> str:
    parts = [result.message or "", result.race_report or "", result.leaked_goroutines or ""]
    parts += [(t.output or "") + (t.message or "") for t in result.tests]
    return "\n".join(parts)


def test_reference_passes(tmp_path: Path, go_toolchain: Toolchain, lru: Exercise) -> None:
    result = grade_directory(
        lru, lru.solution_dir, runner=BubblewrapRunner(), toolchain=go_toolchain
    )
    assert result.status is Status.PASS, result.message
    assert all(t.status.value == "pass" for t in result.tests)
    assert len(result.tests) >= 8


def test_infinite_loop_is_a_timeout(tmp_path: Path, go_toolchain: Toolchain, lru: Exercise) -> None:
    result = submit(tmp_path, go_toolchain, lru, "\tfor {\n\t}", timeout=3)
    assert result.failure_class is FailureClass.TIMEOUT


def test_sleeping_past_the_deadline_is_a_timeout(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    result = submit(tmp_path, go_toolchain, lru, "\ttime.Sleep(time.Hour)", '\t"time"', timeout=3)
    assert result.failure_class is FailureClass.TIMEOUT
    assert result.duration_ms < 30_000


def test_output_flood_is_stopped(tmp_path: Path, go_toolchain: Toolchain, lru: Exercise) -> None:
    body = '\tfor {\n\t\tfmt.Println("spam spam spam spam spam spam spam spam spam spam")\n\t}'
    result = submit(tmp_path, go_toolchain, lru, body, '\t"fmt"')
    assert result.failure_class is FailureClass.RESOURCE_LIMIT
    assert "output" in (result.message or "")


def test_allocation_bomb_hits_the_memory_limit(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    body = (
        "\tvar keep [][]byte\n\tfor {\n\t\tb := make([]byte, 64<<20)\n"
        "\t\tfor i := range b { b[i] = 1 }\n\t\tkeep = append(keep, b)\n\t}"
    )
    result = submit(tmp_path, go_toolchain, lru, body, timeout=20)
    assert result.status is not Status.PASS
    assert result.failure_class in (FailureClass.RESOURCE_LIMIT, FailureClass.PANIC)


def test_fork_bomb_hits_the_process_limit(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    body = (
        "\tfor i := 0; i < 100000; i++ {\n"
        '\t\tcmd := exec.Command("/bin/sleep", "30")\n'
        "\t\tif err := cmd.Start(); err != nil { panic(err) }\n\t}"
    )
    result = submit(tmp_path, go_toolchain, lru, body, '\t"os/exec"', timeout=20)
    assert result.failure_class is FailureClass.RESOURCE_LIMIT


def test_cannot_read_hidden_tests_solutions_or_host_files(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    targets = [
        "lru_test.go",
        "../src/lru_test.go",
        "/work/src/lru_test.go",
        str(lru.tests_dir / "lru_test.go"),
        str(lru.solution_dir / "lru.go"),
        str(go_toolchain.buildcache),
        "/etc/passwd",
        "/etc/shadow",
        str(Path.home()),
    ]
    quoted = ", ".join(f"{t!r}".replace("'", '"') for t in targets)
    body = (
        f"\tfor _, p := range []string{{{quoted}}} {{\n"
        '\t\tif _, err := os.Stat(p); err == nil { fmt.Println("READABLE:", p) }\n\t}\n'
        '\tfmt.Println("PROBE DONE")'
    )
    result = submit(tmp_path, go_toolchain, lru, body, '\t"fmt"\n\t"os"')
    text = everything(result)
    assert "PROBE DONE" in text  # the probe ran
    assert "READABLE" not in text


def test_host_environment_does_not_reach_the_child(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    body = '\tfmt.Println("ENV:", strings.Join(os.Environ(), ";"))'
    result = submit(tmp_path, go_toolchain, lru, body, '\t"fmt"\n\t"os"\n\t"strings"')
    text = everything(result)
    assert "ENV:" in text
    assert SECRET not in text and "OPENAI_API_KEY" not in text


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
        '{ fmt.Println("CONNECTED") } else { fmt.Println("DIAL FAILED") }'
    )
    result = submit(tmp_path, go_toolchain, lru, body, '\t"fmt"\n\t"net"')
    assert "DIAL FAILED" in everything(result)
    assert seen == []


def test_cannot_poison_the_shared_caches(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    before = sorted(p.name for p in go_toolchain.buildcache.iterdir())
    victims = [
        go_toolchain.buildcache / "poison",
        go_toolchain.modcache / "poison",
        Path("/work/gocache/poison"),
    ]
    writes = "\n".join(f'\t_ = os.WriteFile("{v}", []byte("x"), 0o644)' for v in victims)
    result = submit(tmp_path, go_toolchain, lru, writes, '\t"os"')
    assert result.status is not Status.PASS
    assert not (go_toolchain.buildcache / "poison").exists()
    assert not (go_toolchain.modcache / "poison").exists()
    assert sorted(p.name for p in go_toolchain.buildcache.iterdir()) == before
    # and the next, honest run is unaffected
    honest = grade_directory(
        lru, lru.solution_dir, runner=BubblewrapRunner(), toolchain=go_toolchain
    )
    assert honest.status is Status.PASS


def test_exit_zero_from_init_does_not_fake_a_pass(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    fake = (
        "\nfunc init() {\n"
        '\tfmt.Println("=== RUN   TestGetPutBasics")\n'
        '\tfmt.Println("--- PASS: TestGetPutBasics (0.00s)")\n'
        '\tfmt.Println(`{"Action":"pass","Package":"lru","Test":"TestGetPutBasics"}`)\n'
        '\tfmt.Println("PASS")\n'
        "\tos.Exit(0)\n}\n"
    )
    result = submit(tmp_path, go_toolchain, lru, "", '\t"fmt"\n\t"os"', extra=fake)
    assert result.status is Status.FAIL
    assert result.failure_class is FailureClass.TEST_FAILURE
    assert all(t.status.value != "pass" for t in result.tests)


def test_exit_zero_from_a_test_does_not_fake_a_pass(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    result = submit(tmp_path, go_toolchain, lru, "\tos.Exit(0)", '\t"os"')
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
    result = grade_directory(lru, tmp_path, runner=BubblewrapRunner(), toolchain=go_toolchain)
    assert result.status is Status.ERROR
    assert "missing file" in (result.message or "")


def test_refuses_to_run_without_bubblewrap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(SandboxUnavailableError, match="--unsafe-no-sandbox"):
        make_runner()
    assert make_runner(unsafe_no_sandbox=True).name == "unsandboxed"


def test_no_temporary_directories_are_left_behind(
    tmp_path: Path, go_toolchain: Toolchain, lru: Exercise
) -> None:
    tmp_root = Path(os.environ.get("TMPDIR", "/tmp"))
    before = {p.name for p in tmp_root.glob("gointerview-run-*")}
    submit(tmp_path, go_toolchain, lru, "")
    assert {p.name for p in tmp_root.glob("gointerview-run-*")} == before
