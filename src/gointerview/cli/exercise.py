"""`gointerview exercise ...` and `gointerview doctor`: coding exercises graded in a sandbox."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from gointerview.cli import common
from gointerview.errors import GointerviewError
from gointerview.exercises.catalog import GO_MOD, GO_SUM, builtin_catalog, load_exercise
from gointerview.exercises.model import Exercise
from gointerview.exercises.service import (
    VerifyReport,
    grade_directory,
    grade_prefetched,
    prepare,
    verify_exercise,
)
from gointerview.grading.code.results import CaseStatus, CodeResult
from gointerview.grading.code.sandbox import Runner, make_runner
from gointerview.grading.code.toolchain import Toolchain

app = typer.Typer(
    help="Go coding exercises graded by hidden tests under -race.", no_args_is_help=True
)

MARKER_FILE = ".gointerview.json"
JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
UnsafeFlag = Annotated[
    bool,
    typer.Option(
        "--unsafe-no-sandbox",
        help="Run without bubblewrap isolation (limits only). Only for code you trust.",
    ),
]


def _toolchain() -> Toolchain:
    return Toolchain.find(common.config().ensure_data_dir())


def _runner(unsafe: bool) -> Runner:
    return make_runner(unsafe_no_sandbox=unsafe)


def _ensure_ready(toolchain: Toolchain, runner: Runner | None = None) -> None:
    if toolchain.ready():
        return
    common.console_err.print(
        "[dim]the Go caches are not prepared (`gointerview exercise prepare` does it at "
        "set-up; `make` runs it): preparing them now…[/dim]"
    )
    _prepare_with_bar(toolchain, runner)


def _prepare_with_bar(toolchain: Toolchain, runner: Runner | None, *, force: bool = False) -> bool:
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=common.console_err,
        transient=True,
    ) as bar:
        task = bar.add_task("preparing", total=1)

        def progress(message: str, done: int, total: int) -> None:
            bar.update(task, description=message, completed=done, total=max(total, 1))

        return prepare(toolchain, builtin_catalog(), progress, runner=runner, force=force)


@app.command("list")
def list_exercises(
    lang: Annotated[str, typer.Option("--lang")] = "", as_json: JsonFlag = False
) -> None:
    """List the exercises."""
    lang = lang or common.config().lang
    exercises = list(builtin_catalog().exercises.values())
    if as_json:
        common.print_json(
            [
                {
                    "id": e.id,
                    "title": e.meta.title.get(lang),
                    "level": e.meta.level.value,
                    "ability": e.meta.ability.value,
                    "topics": e.meta.topics,
                    "time_limit_minutes": e.meta.time_limit_minutes,
                    "mutants": [m.id for m in e.meta.mutants],
                }
                for e in exercises
            ]
        )
        return
    table = Table(title=f"{len(exercises)} exercise(s)")
    for col in ("id", "level", "minutes", "title"):
        table.add_column(col, overflow="fold")
    for e in exercises:
        table.add_row(
            e.id, e.meta.level.value, str(e.meta.time_limit_minutes), e.meta.title.get(lang)
        )
    common.console.print(table)


@app.command()
def start(
    exercise_id: Annotated[str, typer.Argument(metavar="ID")],
    directory: Annotated[Path | None, typer.Argument(metavar="DIR")] = None,
    lang: Annotated[str, typer.Option("--lang")] = "",
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """Write the stub, go.mod and the prompt (PROMPT.md) into DIR (default: ./ID)."""
    from rich.markdown import Markdown  # markdown-it loads slowly: only here

    exercise = builtin_catalog().get(exercise_id)
    lang = lang or common.config().lang
    target = directory or Path(exercise_id)
    target.mkdir(parents=True, exist_ok=True)
    names = [*exercise.meta.files, "go.mod", "go.sum", "PROMPT.md"]
    clashes = [n for n in names if (target / n).exists()]
    if clashes and not force:
        raise GointerviewError(
            f"{target} already has {', '.join(clashes)}; use --force to overwrite"
        )
    for name in exercise.meta.files:
        shutil.copy(exercise.stub_dir / name, target / name)
    shutil.copy(GO_MOD, target / "go.mod")
    shutil.copy(GO_SUM, target / "go.sum")
    (target / "PROMPT.md").write_text(_prompt_markdown(exercise, lang), encoding="utf-8")
    (target / MARKER_FILE).write_text(json.dumps({"exercise": exercise.id}) + "\n")
    common.console.print(
        Panel(Markdown(exercise.meta.prompt.get(lang)), title=exercise.meta.title.get(lang))
    )
    common.console.print(
        f"Wrote {', '.join(names)} to {target}. When ready: "
        f"[bold]gointerview exercise check {target}[/bold]"
    )


def _prompt_markdown(exercise: Exercise, lang: str) -> str:
    minutes = exercise.meta.time_limit_minutes
    limit = f"建议用时：{minutes} 分钟" if lang == "zh" else f"Suggested time: {minutes} minutes"
    return f"# {exercise.meta.title.get(lang)}\n\n{exercise.meta.prompt.get(lang)}\n\n{limit}\n"


def _exercise_for(directory: Path, exercise_id: str | None) -> Exercise:
    if exercise_id:
        return load_exercise(exercise_id)
    if not directory.exists():
        raise GointerviewError(f"{directory} does not exist")
    if not directory.is_dir():
        raise GointerviewError(f"{directory} is not a directory")
    marker = directory / MARKER_FILE
    if marker.is_file() and not marker.is_symlink():
        try:
            return load_exercise(str(json.loads(marker.read_text()[:4096])["exercise"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise GointerviewError(f"{marker} is damaged; pass --exercise ID") from exc
    raise GointerviewError(
        f"{directory} was not created by `gointerview exercise start`; pass --exercise ID"
    )


@app.command()
def check(
    directory: Annotated[Path, typer.Argument(metavar="DIR")],
    exercise_id: Annotated[str | None, typer.Option("--exercise", help="Exercise id.")] = None,
    unsafe: UnsafeFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """Grade the Go files in DIR with the hidden tests under -race, in a sandbox.
    Exit code 0 when every hidden test passes, 1 otherwise."""
    from gointerview.cli import prefetch

    exercise = _exercise_for(directory, exercise_id)
    toolchain = _toolchain()
    early = prefetch.take(exercise.id, directory, toolchain.cache_root, unsafe)
    runner = early.runner if early else _runner(unsafe)
    _ensure_ready(toolchain, runner)
    with common.console_err.status(f"building and testing {exercise.id} (-race)"):
        if early is not None:
            result = grade_prefetched(exercise, directory, early)
        else:
            result = grade_directory(exercise, directory, runner=runner, toolchain=toolchain)
    if as_json:
        common.print_json(result.model_dump(mode="json"))
    else:
        render_result(result, directory)
    if not result.passed:
        raise typer.Exit(1)


def render_result(result: CodeResult, directory: Path) -> None:
    style = {"pass": "green", "fail": "red", "error": "yellow"}[result.status.value]
    head = "PASS" if result.passed else f"{result.status.value.upper()}: {result.failure_class}"
    common.console.print(f"[bold {style}]{head}[/bold {style}] — {result.message}")
    for err in result.compile_errors:
        common.console.print(f"  [yellow]{err.file}:{err.line}[/yellow]: {err.message}")
        source = directory / err.file
        if err.line > 0 and source.is_file():
            lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
            if err.line <= len(lines):
                common.console.print(f"    [dim]{err.line:4d} |[/dim] {lines[err.line - 1]}")
    if result.tests:
        table = Table(show_header=True, box=None)
        table.add_column("")
        table.add_column("test")
        table.add_column("detail", overflow="fold")
        marks = {
            CaseStatus.PASS: "[green]✓[/green]",
            CaseStatus.FAIL: "[red]✗[/red]",
            CaseStatus.SKIP: "[dim]-[/dim]",
            CaseStatus.ERROR: "[yellow]![/yellow]",
        }
        for t in result.tests:
            table.add_row(marks[t.status], t.name, t.message or "")
        common.console.print(table)
    if result.race_report:
        common.console.print(Panel(result.race_report, title="race report", border_style="red"))
    if result.leaked_goroutines:
        common.console.print(
            Panel(result.leaked_goroutines, title="leaked goroutines", border_style="red")
        )
    common.console.print(
        f"[dim]{result.go_version} · {result.sandbox} · build {result.build_ms:.0f} ms · "
        f"tests {result.test_ms:.0f} ms[/dim]"
    )


@app.command()
def verify(
    exercise_ids: Annotated[list[str] | None, typer.Argument(metavar="[ID...]")] = None,
    unsafe: UnsafeFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """Check the catalogue: every reference passes, every stub fails, every mutant fails with
    the class it is labelled with."""
    catalog = builtin_catalog()
    exercises = (
        [catalog.get(i) for i in exercise_ids] if exercise_ids else list(catalog.exercises.values())
    )
    toolchain = _toolchain()
    runner = _runner(unsafe)
    _ensure_ready(toolchain, runner)
    report = VerifyReport()
    total = sum(2 + len(e.meta.mutants) for e in exercises)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=common.console_err,
        transient=True,
    ) as bar:
        task = bar.add_task("verifying", total=total)
        for exercise in exercises:
            bar.update(task, description=f"verifying {exercise.id}")
            cases = verify_exercise(exercise, runner=runner, toolchain=toolchain)
            report.cases.extend(cases)
            bar.advance(task, len(cases))
    if as_json:
        common.print_json(report.as_dict())
    else:
        table = Table(title=f"{len(exercises)} exercise(s)")
        for col in ("exercise", "variant", "expect", "got", ""):
            table.add_column(col)
        for c in report.cases:
            table.add_row(
                c.exercise,
                c.variant,
                c.expect,
                c.got,
                "[green]ok[/green]" if c.ok else f"[red]WRONG[/red] {c.message or ''}",
            )
        common.console.print(table)
    if not report.ok:
        raise typer.Exit(1)


def prepare_caches(
    force: Annotated[bool, typer.Option("--force", help="Prepare again from scratch.")] = False,
    unsafe: UnsafeFlag = False,
) -> None:
    """Prepare grading once, at set-up: download the exercise module (needs the Go module
    proxy this once), build the grading helper and the race-instrumented packages, and grade
    one reference solution end to end. Afterwards grading works offline."""
    toolchain = _toolchain()
    try:
        runner: Runner | None = _runner(unsafe)
    except GointerviewError as exc:
        common.console_err.print(f"[yellow]warning:[/yellow] {exc}; skipping the end-to-end check")
        runner = None
    done = _prepare_with_bar(toolchain, runner, force=force)
    state = "prepared" if done else "already prepared"
    common.console.print(f"[green]✓[/green] Go caches {state} in {toolchain.cache_root}")


app.command("prepare")(prepare_caches)
app.command("setup", hidden=True)(prepare_caches)


def doctor(as_json: JsonFlag = False) -> None:
    """Check what grading code needs: Go, cgo and a C compiler for -race, bubblewrap,
    per-run cgroups, and the prepared caches; and that the database of your sessions is
    sound (SQLite's integrity check) and backed up."""
    from gointerview.exercises.doctor import Check, run_checks

    cfg = common.config()
    checks = [*run_checks(cfg.ensure_data_dir()), Check(*_database_check(cfg))]
    if as_json:
        common.print_json([c.__dict__ for c in checks])
    else:
        for c in checks:
            mark = "[green]✓[/green]" if c.ok else "[red]✗[/red]"
            common.console.print(f"{mark} {c.name}: {c.detail}")
    if not all(c.ok for c in checks):
        raise typer.Exit(1)


def _database_check(cfg: Any) -> tuple[str, bool, str]:
    from gointerview.store import safety
    from gointerview.store.db import default_url

    url = cfg.database_url or default_url(cfg.data_dir)
    path = safety.sqlite_path(url)
    if path is None:
        return ("database", True, f"{url.split('@')[-1]} (not SQLite: checked by its server)")
    if not path.exists():
        return ("database", True, f"{path}: not created yet")
    problems = safety.integrity(path)
    backups = sorted(safety.backup_dir(path).glob(f"{path.stem}-*.db"))
    latest = f"; latest backup {backups[-1].name}" if backups else "; no backup yet"
    if problems:
        return ("database", False, str(safety.damaged(path, problems[0])))
    return ("database", True, f"{path}: integrity ok{latest}")
