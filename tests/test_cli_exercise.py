"""`gointerview exercise ...` and `doctor`, run as a user runs them."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from cli_helpers import run_cli, run_json
from conftest import GO_CACHE_DIR
from gointerview.exercises.catalog import builtin_catalog
from gointerview.grading.code.toolchain import Toolchain

DATA = {"GOINTERVIEW_DATA_DIR": str(GO_CACHE_DIR)}


def test_list_json_names_every_exercise() -> None:
    rows = run_json("exercise", "list")
    assert {r["id"] for r in rows} == set(builtin_catalog().exercises)
    lru = next(r for r in rows if r["id"] == "lru-cache")
    assert lru["mutants"] and lru["time_limit_minutes"] > 0


def test_start_writes_stub_prompt_and_module(tmp_path: Path) -> None:
    target = tmp_path / "work"
    proc = run_cli("exercise", "start", "lru-cache", str(target), "--lang", "zh")
    assert proc.returncode == 0, proc.stderr
    assert (target / "lru.go").read_text() == (
        builtin_catalog().get("lru-cache").stub_dir / "lru.go"
    ).read_text()
    assert {"go.mod", "go.sum", "PROMPT.md", ".gointerview.json"} <= {
        p.name for p in target.iterdir()
    }
    assert "LRU" in (target / "PROMPT.md").read_text()
    again = run_cli("exercise", "start", "lru-cache", str(target))
    assert again.returncode == 1 and "--force" in again.stderr


def test_start_unknown_exercise() -> None:
    proc = run_cli("exercise", "start", "no-such-thing")
    assert proc.returncode == 1
    assert "no exercise with id 'no-such-thing'" in proc.stderr
    assert "exercise list" in proc.stderr


def test_unknown_ids_suggest_the_closest(tmp_path: Path) -> None:
    proc = run_cli("exercise", "start", "worker-pol")
    assert proc.returncode == 1
    # the closest comes first; with 30 exercises others may follow it
    assert "did you mean worker-pool" in proc.stderr
    proc = run_cli("exercise", "check", str(tmp_path), "--exercise", "lru")
    assert proc.returncode == 1 and "did you mean lru-cache?" in proc.stderr
    proc = run_cli("exercise", "verify", "token bucket")
    assert proc.returncode == 1 and "token-bucket" in proc.stderr


def test_check_needs_to_know_the_exercise(tmp_path: Path) -> None:
    proc = run_cli("exercise", "check", str(tmp_path))
    assert proc.returncode == 1 and "--exercise" in proc.stderr


def test_check_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent"
    proc = run_cli("exercise", "check", str(missing))
    assert proc.returncode == 1
    assert f"{missing} does not exist" in proc.stderr
    assert "was not created by" not in proc.stderr


@pytest.mark.sandbox
def test_check_solution_passes_and_stub_fails(tmp_path: Path, go_toolchain: Toolchain) -> None:
    target = tmp_path / "lru"
    assert run_cli("exercise", "start", "lru-cache", str(target), env=DATA).returncode == 0
    stub = run_cli("exercise", "check", str(target), "--json", env=DATA)
    assert stub.returncode == 1
    data = json.loads(stub.stdout)
    assert data["version"] == 1 and data["status"] == "fail"
    assert data["failure_class"] == "panic"
    shutil.copy(builtin_catalog().get("lru-cache").solution_dir / "lru.go", target / "lru.go")
    good = run_cli("exercise", "check", str(target), env=DATA)
    assert good.returncode == 0, good.stdout
    assert "PASS" in good.stdout and "TestConcurrentUse" in good.stdout


@pytest.mark.sandbox
def test_check_shows_the_candidates_compile_error_line(
    tmp_path: Path, go_toolchain: Toolchain
) -> None:
    target = tmp_path / "lru"
    run_cli("exercise", "start", "lru-cache", str(target), env=DATA)
    source = (
        (target / "lru.go")
        .read_text()
        .replace('panic("TODO: implement Len")', "return undefinedCount")
    )
    (target / "lru.go").write_text(source)
    proc = run_cli("exercise", "check", str(target), env=DATA)
    assert proc.returncode == 1
    assert "compile_error" in proc.stdout
    assert "lru.go:" in proc.stdout and "return undefinedCount" in proc.stdout


@pytest.mark.sandbox
def test_verify_one_exercise_json(go_toolchain: Toolchain) -> None:
    data = run_json("exercise", "verify", "lru-cache", env=DATA)
    assert data["ok"] is True and data["exercises"] == 1
    variants = {c["variant"]: c for c in data["cases"]}
    assert variants["solution"]["got"] == "pass"
    assert variants["stub"]["ok"] and variants["mutant:no-lock"]["got"] == "race"


@pytest.mark.sandbox
def test_doctor_reports_a_ready_machine(go_toolchain: Toolchain) -> None:
    checks = run_json("doctor", env=DATA)
    assert {c["name"] for c in checks} == {
        "go",
        "cgo for -race",
        "bubblewrap",
        "cgroups",
        "caches",
        "database",
    }
    assert all(c["ok"] for c in checks), checks


@pytest.mark.sandbox
def test_prepare_is_idempotent_and_says_so(go_toolchain: Toolchain) -> None:
    proc = run_cli("exercise", "prepare", env=DATA)
    assert proc.returncode == 0, proc.stderr
    assert "already prepared" in proc.stdout


def test_prepare_explains_a_missing_go(tmp_path: Path) -> None:
    proc = run_cli("exercise", "prepare", env={"PATH": str(tmp_path)})
    assert proc.returncode == 1
    assert "Go is not installed" in proc.stderr


@pytest.mark.sandbox
def test_check_starts_the_build_before_the_cli_loads(
    tmp_path: Path, go_toolchain: Toolchain, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gointerview.cli import prefetch
    from gointerview.exercises.service import grade_prefetched

    monkeypatch.setenv("GOINTERVIEW_DATA_DIR", str(GO_CACHE_DIR))
    lru = builtin_catalog().get("lru-cache")
    folder = lru.solution_dir
    prefetch.start(["exercise", "check", str(folder), "--exercise", "lru-cache", "--json"])
    early = prefetch.take("lru-cache", folder, go_toolchain.cache_root, False)
    assert early is not None and early.work.root.is_dir()
    result = grade_prefetched(lru, folder, early)
    assert result.passed, result.message
    assert not early.work.root.exists()
    # a build for another exercise, or another folder, is thrown away
    prefetch.start(["exercise", "check", str(folder), "--exercise", "lru-cache"])
    assert prefetch.take("worker-pool", folder, go_toolchain.cache_root, False) is None
    assert not list(Path("/dev/shm").glob(f"gointerview-run-{os.getpid()}-*"))
    # anything but a plain check is left to the CLI
    for argv in (
        ["exercise", "check", str(folder), "--verbose"],
        ["exercise", "check", "--help"],
        ["exercise", "verify", str(folder)],
        ["exercise", "check", str(tmp_path / "missing")],
    ):
        prefetch.start(argv)
        assert prefetch.take("lru-cache", folder, go_toolchain.cache_root, False) is None
