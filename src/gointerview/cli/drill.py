"""`gointerview drill ...`: the programs behind the diagnosis drills and their artefacts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from gointerview.cli import common
from gointerview.errors import GointerviewError

app = typer.Typer(
    help="Diagnosis drills: the programs that produce their artefacts.", no_args_is_help=True
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


@app.command("list")
def list_drills(as_json: JsonFlag = False) -> None:
    """List the drills and whether each stored artefact still shows its evidence."""
    from gointerview.exercises.drills import all_drills, read_artefact

    rows = []
    for drill in all_drills():
        try:
            missing = drill.missing_evidence(read_artefact(drill.artefact))
            state = "ok" if not missing else "missing: " + "; ".join(missing)
        except GointerviewError as exc:
            state = str(exc)
        rows.append({"id": drill.id, "evidence": state})
    if as_json:
        common.print_json(rows)
        return
    table = Table(title=f"{len(rows)} drill(s)")
    table.add_column("id")
    table.add_column("evidence in artefact.txt", overflow="fold")
    for row in rows:
        table.add_row(row["id"], row["evidence"])
    common.console.print(table)


@app.command()
def regen(
    ids: Annotated[list[str] | None, typer.Argument(metavar="[ID...]")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Compare only; leave the artefacts as they are.")
    ] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", min=10, max=3600, help="Seconds per drill.")
    ] = 600,
    unsafe: Annotated[
        bool,
        typer.Option(
            "--unsafe-no-sandbox",
            help="Run regen.sh as a plain subprocess (clean environment, limits, no isolation).",
        ),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Rebuild the drills' artefacts with the current Go, in the sandbox, and say which changed.

    An artefact is replaced only when the new one still shows every line of the drill's
    evidence.txt; otherwise the drill is reported as `diagnosis-changed` and left alone.
    Exits 1 if any drill failed or changed its diagnosis."""
    from gointerview.exercises.drills import regenerate, select
    from gointerview.grading.code.sandbox import make_runner
    from gointerview.grading.code.toolchain import Toolchain

    drills = select(ids or [])
    data_dir = common.config().ensure_data_dir()
    toolchain = Toolchain.find(data_dir)
    goroot = Path(toolchain.go_env("GOROOT")["GOROOT"])
    runner = make_runner(unsafe_no_sandbox=unsafe)
    results = []
    for drill in drills:
        if not as_json:
            common.console_err.print(f"[dim]regenerating {drill.id}…[/dim]")
        results.extend(
            regenerate(
                [drill],
                runner=runner,
                go_cache=data_dir / "drills" / "gocache",
                goroot=goroot,
                write=not dry_run,
                timeout_s=timeout,
            )
        )
    if as_json:
        common.print_json({"runner": runner.name, "results": [r.as_dict() for r in results]})
    else:
        table = Table(title=f"{len(results)} drill(s), {runner.name}")
        for column in ("id", "status", "seconds", "detail"):
            table.add_column(column, overflow="fold")
        for r in results:
            table.add_row(r.id, r.status, f"{r.seconds:.1f}", r.detail)
        common.console.print(table)
    if any(r.status in ("failed", "diagnosis-changed") for r in results):
        raise typer.Exit(1)
