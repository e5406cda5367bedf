"""What the CLI calls: set up the caches, grade a directory, verify the whole catalogue."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gointerview.exercises.catalog import GO_MOD, GO_SUM, Catalog
from gointerview.exercises.model import Exercise
from gointerview.grading.code.check import SubmissionError, check_submission, collect_submission
from gointerview.grading.code.results import CodeResult, FailureClass, Status
from gointerview.grading.code.sandbox import Runner
from gointerview.grading.code.toolchain import Toolchain, ToolchainError

Progress = Callable[[str], None]


def prepare(toolchain: Toolchain, catalog: Catalog, progress: Progress = lambda _: None) -> None:
    """Download modules and warm the race build cache with every reference solution (trusted
    code, built outside the sandbox). Idempotent; later runs are offline."""
    if toolchain.ready():
        return
    progress("downloading exercise modules")
    toolchain.download_modules()
    for exercise in catalog.exercises.values():
        progress(f"warming the race build cache: {exercise.id}")
        with tempfile.TemporaryDirectory(prefix="gointerview-warm-") as tmp:
            src = Path(tmp)
            _assemble(src, exercise, exercise.solution_dir)
            proc = subprocess.run(
                [str(toolchain.go), "test", "-race", "-c", "-o", str(src / "x.test"), "."],
                cwd=src,
                env=toolchain.host_env(),
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode != 0:
                raise ToolchainError(
                    f"the reference solution of {exercise.id} does not build:\n{proc.stderr}"
                )
    toolchain.mark_ready()


def _assemble(dest: Path, exercise: Exercise, code_dir: Path) -> None:
    shutil.copy(GO_MOD, dest / "go.mod")
    shutil.copy(GO_SUM, dest / "go.sum")
    for path in code_dir.glob("*.go"):
        shutil.copy(path, dest / path.name)
    for test in exercise.hidden_tests():
        shutil.copy(test, dest / test.name)


def grade_directory(
    exercise: Exercise,
    directory: Path,
    *,
    runner: Runner,
    toolchain: Toolchain,
    test_timeout: int | None = None,
) -> CodeResult:
    """Grade what is in `directory`; a broken submission is a result, never an exception."""
    if not toolchain.ready():
        raise ToolchainError("the Go caches are not prepared: run `gointerview exercise setup`")
    try:
        files = collect_submission(exercise, directory)
    except SubmissionError as exc:
        return CodeResult(
            exercise=exercise.id,
            status=Status.ERROR,
            failure_class=FailureClass.COMPILE_ERROR,
            message=str(exc),
            sandbox=runner.name,
            go_version=toolchain.version,
        )
    return check_submission(
        exercise, files, runner=runner, toolchain=toolchain, test_timeout=test_timeout
    )


def overlay(exercise: Exercise, mutant_id: str, into: Path) -> Path:
    """The reference solution with one mutant's files laid over it."""
    for path in exercise.solution_dir.glob("*.go"):
        shutil.copy(path, into / path.name)
    for path in exercise.mutant_dir(mutant_id).glob("*.go"):
        shutil.copy(path, into / path.name)
    return into


@dataclass
class VerifyCase:
    exercise: str
    variant: str  # "solution", "stub", or "mutant:<id>"
    expect: str  # "pass", or a failure class, or "fail" (the stub: any failure)
    got: str
    ok: bool
    message: str | None = None
    duration_ms: float = 0.0


@dataclass
class VerifyReport:
    cases: list[VerifyCase] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.cases)

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "exercises": len({c.exercise for c in self.cases}),
            "cases": [c.__dict__ for c in self.cases],
        }


def verify_exercise(
    exercise: Exercise, *, runner: Runner, toolchain: Toolchain
) -> list[VerifyCase]:
    """The reference must pass, the stub must fail, each mutant must fail with its class."""
    cases = []
    variants: list[tuple[str, str, Path | None]] = [
        ("solution", "pass", exercise.solution_dir),
        ("stub", "fail", exercise.stub_dir),
    ]
    variants += [(f"mutant:{m.id}", m.expect.value, None) for m in exercise.meta.mutants]
    for variant, expect, folder in variants:
        with tempfile.TemporaryDirectory(prefix="gointerview-verify-") as tmp:
            directory = folder or overlay(exercise, variant.split(":", 1)[1], Path(tmp))
            result = grade_directory(exercise, directory, runner=runner, toolchain=toolchain)
        got = "pass" if result.passed else (result.failure_class or FailureClass.TEST_FAILURE).value
        ok = got == expect if expect != "fail" else not result.passed
        cases.append(
            VerifyCase(exercise.id, variant, expect, got, ok, result.message, result.duration_ms)
        )
    return cases
