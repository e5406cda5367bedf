"""The `gointerview` command line: Typer commands over the same services the web UI uses."""

from __future__ import annotations

import sys

import typer

from gointerview import __version__
from gointerview.cli import bank as bank_cli
from gointerview.cli import exercise as exercise_cli
from gointerview.cli import feedback as feedback_cli
from gointerview.cli import grade as grade_cli
from gointerview.cli import interview as interview_cli
from gointerview.cli import kit as kit_cli
from gointerview.cli import progress as progress_cli
from gointerview.cli import retro as retro_cli
from gointerview.cli import review as review_cli
from gointerview.cli import revise as revise_cli
from gointerview.cli.common import console_err
from gointerview.config import load_config
from gointerview.errors import GointerviewError

app = typer.Typer(
    name="gointerview",
    help="Practise and assess Go backend interviews: question bank, mock interviews, "
    "graded coding exercises. Works offline; no API key needed.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
app.add_typer(bank_cli.app, name="bank")
app.add_typer(exercise_cli.app, name="exercise")
app.command("doctor")(exercise_cli.doctor)
app.add_typer(grade_cli.app, name="grade")
app.add_typer(grade_cli.benchmark_app, name="benchmark")
app.command("interview")(interview_cli.interview)
app.command("plans")(interview_cli.plans)
app.command("report")(interview_cli.report)
app.add_typer(interview_cli.sessions_app, name="sessions")
app.add_typer(kit_cli.app, name="kit")
app.command("review")(review_cli.review)
app.add_typer(progress_cli.app, name="progress")
app.add_typer(retro_cli.app, name="retro")
app.add_typer(feedback_cli.app, name="feedback")
app.add_typer(revise_cli.app, name="revise")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gointerview {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """gointerview — Go backend interview practice."""


def main() -> None:
    """Entry point: user-facing errors become one clear message and exit code 1."""
    try:
        app()
    except GointerviewError as exc:
        console_err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        sys.exit(1)
    except Exception as exc:
        # a database that breaks after it opened (a damaged page deep in a table): say which
        # file and what to do, never a traceback with SQL in it
        sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
        if sqlalchemy_exc is None or not isinstance(exc, sqlalchemy_exc.DatabaseError):
            raise
        from gointerview.store.safety import damaged, sqlite_path

        url = str(getattr(exc, "url", "") or _database_url())
        message = damaged(sqlite_path(url) or url, str(getattr(exc, "orig", exc)))
        console_err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
        sys.exit(1)


def _database_url() -> str:
    from gointerview.store.db import default_url

    cfg = load_config()
    return cfg.database_url or default_url(cfg.data_dir)
