"""What the CLI calls: prepare the caches, grade a directory, verify the whole catalogue."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gointerview.exercises.catalog import Catalog
from gointerview.exercises.model import Exercise
from gointerview.grading.code.build import EarlyBuild
from gointerview.grading.code.check import (
    SubmissionError,
    check_submission,
    collect_submission,
    finish_check,
    sweep_stale_run_dirs,
    target_for,
)
from gointerview.grading.code.results import CodeResult, FailureClass, Status
from gointerview.grading.code.sandbox import Runner
from gointerview.grading.code.toolchain import (
    HARNESS_PATH,
    Toolchain,
    ToolchainError,
    temp_module,
)

# (what is happening, steps done, steps in all)
Progress = Callable[[str, int, int], None]
ARCHIVE_BATCH = 12


def _quiet(_message: str, _done: int, _total: int) -> None:
    pass


def prepare(
    toolchain: Toolchain,
    catalog: Catalog,
    progress: Progress = _quiet,
    *,
    runner: Runner | None = None,
    force: bool = False,
) -> bool:
    """Make grading work offline and fast: fetch modules, build the grading helper, build the
    race archives of every package a submission, the hidden tests or the harness may
    import, record the hidden tests' names, and (with a runner) grade one reference solution
    end to end. Trusted code only, on the host. Returns False when it was already done."""
    if toolchain.ready() and not force:
        return False
    toolchain.cache_root.mkdir(parents=True, exist_ok=True)
    with temp_module(toolchain) as tmp:
        module = Path(tmp)
        progress("downloading the exercise module's dependencies", 0, 1)
        toolchain.download_modules(module)
        progress("building the grading helper", 0, 1)
        toolchain.build_helper(module)
        tests, imports = _scan_hidden_tests(toolchain, catalog)
        universe = sorted(
            # the linker loads runtime/race (and with it runtime/cgo) itself for -race
            {HARNESS_PATH, "testing", "testing/internal/testdeps", "runtime/race", "runtime/cgo"}
            | imports
            | {path for e in catalog.exercises.values() for path in e.allowed_imports}
        )
        packages = _dependency_order(toolchain, module, universe)
        for start in range(0, len(packages), ARCHIVE_BATCH):
            progress("compiling the race-instrumented packages", start, len(packages))
            toolchain.go_run(
                ["list", "-race", "-export", "-deps", "-f", "{{.ImportPath}}", "-e",
                 *packages[start : start + ARCHIVE_BATCH]],
                module,
                "compiling the package archives",
            )  # fmt: skip
        progress("compiling the race-instrumented packages", len(packages), len(packages))
        toolchain.export_archives(module, universe)
        toolchain.write_prepared(
            module,
            {
                e.id: {
                    "package": e.meta.package,
                    "files": list(e.meta.files),
                    "allowed_imports": e.allowed_imports,
                    "timeout": e.meta.test_timeout_seconds,
                    "hidden": [t.name for t in e.hidden_tests()],
                    "tests": tests[e.id],
                }
                for e in catalog.exercises.values()
            },
        )
    if runner is not None:
        progress("grading one reference solution end to end", 0, 1)
        smoke_test(toolchain, catalog, runner)
    progress("ready", 1, 1)
    return True


def _scan_hidden_tests(
    toolchain: Toolchain, catalog: Catalog
) -> tuple[dict[str, list[str]], set[str]]:
    """Each exercise's test functions in file order, and everything the hidden tests import,
    read with the Go parser; a TestMain or a wrong package is an authoring error."""
    tests: dict[str, list[str]] = {}
    imports: set[str] = set()
    for exercise in catalog.exercises.values():
        names: list[str] = []
        for info in toolchain.scan(exercise.hidden_tests()):
            where = exercise.tests_dir / str(info["name"])
            if info.get("error"):
                raise ToolchainError(f"{where}: {info['error']}")
            if info.get("has_test_main"):
                raise ToolchainError(
                    f"{where}: hidden tests must not define TestMain (the grader's harness "
                    "runs the tests and checks for leaks)"
                )
            if info.get("package") != exercise.meta.package:
                raise ToolchainError(f"{where}: package must be {exercise.meta.package}")
            names += [str(n) for n in info["tests"]]
            imports |= {str(i["path"]) for i in info["imports"]}
        if not names:
            raise ToolchainError(f"{exercise.tests_dir}: no test functions")
        tests[exercise.id] = names
    return tests, imports


def _dependency_order(toolchain: Toolchain, module: Path, packages: list[str]) -> list[str]:
    out = toolchain.go_run(
        ["list", "-race", "-deps", "-f", "{{.ImportPath}}", *packages],
        module,
        "listing the packages to prepare",
    )
    return out.split()


def smoke_test(toolchain: Toolchain, catalog: Catalog, runner: Runner) -> None:
    """Grade the first exercise's reference solution: the whole pipeline, once, at set-up
    (it also leaves the tools and archives in the page cache for the first real grading)."""
    exercise = next(iter(catalog.exercises.values()))
    result = grade_directory(exercise, exercise.solution_dir, runner=runner, toolchain=toolchain)
    if not result.passed:
        raise ToolchainError(
            f"the reference solution of {exercise.id} does not pass in the sandbox "
            f"({result.failure_class}): {result.message}"
        )


def grade_directory(
    exercise: Exercise,
    directory: Path,
    *,
    runner: Runner,
    toolchain: Toolchain,
    test_timeout: int | None = None,
) -> CodeResult:
    """Grade what is in `directory`; a broken submission is a result, never an exception."""
    toolchain.require()
    sweep_stale_run_dirs()
    try:
        files = collect_submission(list(exercise.meta.files), directory)
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


def grade_prefetched(exercise: Exercise, directory: Path, early: EarlyBuild) -> CodeResult:
    """Finish a build `gointerview exercise check` started early (cli/prefetch.py), after
    checking it is the build this call would start: same target, same files. Otherwise it
    is thrown away and the submission graded from the start."""
    try:
        files = collect_submission(list(exercise.meta.files), directory)
    except SubmissionError:
        files = {}
    if files != early.files or target_for(exercise, early.prepared) != early.target:
        early.discard()
        return grade_directory(exercise, directory, runner=early.runner, toolchain=early.toolchain)
    try:
        return finish_check(
            early.target,
            set(files),
            early.work,
            early.started.wait(),
            runner=early.runner,
            toolchain=early.toolchain,
            prepared=early.prepared,
            test_timeout=None,
            started=early.at,
        )
    finally:
        early.work.close()


def overlay(exercise: Exercise, mutant_id: str, into: Path) -> Path:
    """The reference solution with one mutant's patch applied, written into `into`."""
    for name, text in exercise.mutant_files(mutant_id).items():
        (into / name).write_text(text, encoding="utf-8")
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
