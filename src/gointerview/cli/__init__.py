"""The `gointerview` command line: Typer commands over the same services the web UI uses.

Each command group lives in its own module and is imported only when it is the one being
run: `gointerview exercise check` should not pay for the question bank, the graders and the
database layer (see `main`). The full app, with every group, serves the top-level help.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING

from gointerview import __version__

if TYPE_CHECKING:
    import typer

HELP = (
    "Practise and assess Go backend interviews: question bank, mock interviews, "
    "graded coding exercises. Works offline; no API key needed."
)

# first word on the command line -> (module, how it is registered)
_GROUPS: dict[str, tuple[str, str]] = {
    "bank": ("gointerview.cli.bank", "app"),
    "exercise": ("gointerview.cli.exercise", "app"),
    "drill": ("gointerview.cli.drill", "app"),
    "doctor": ("gointerview.cli.exercise", "doctor"),
    "grade": ("gointerview.cli.grade", "app"),
    "benchmark": ("gointerview.cli.grade", "benchmark_app"),
    "interview": ("gointerview.cli.interview", "interview"),
    "plans": ("gointerview.cli.interview", "plans"),
    "report": ("gointerview.cli.interview", "report"),
    "sessions": ("gointerview.cli.interview", "sessions_app"),
    "kit": ("gointerview.cli.kit", "app"),
    "review": ("gointerview.cli.review", "review"),
    "progress": ("gointerview.cli.progress", "app"),
    "retro": ("gointerview.cli.retro", "app"),
    "feedback": ("gointerview.cli.feedback", "app"),
    "revise": ("gointerview.cli.revise", "app"),
    "serve": ("gointerview.cli.serve", "serve"),
    "users": ("gointerview.cli.users", "app"),
}


def _version(value: bool) -> None:
    import typer

    if value:
        typer.echo(f"gointerview {__version__}")
        raise typer.Exit()


def build_app(only: str | None = None) -> typer.Typer:
    """The command line app, with every group, or only the one named `only`."""
    import typer

    app = typer.Typer(
        name="gointerview",
        help=HELP,
        no_args_is_help=True,
        rich_markup_mode="rich",
        pretty_exceptions_enable=False,
    )

    @app.callback()
    def _root(
        version: bool = typer.Option(
            False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ) -> None:
        """gointerview — Go backend interview practice."""

    for name, (module, attr) in _GROUPS.items():
        if only is not None and name != only:
            continue
        target = getattr(importlib.import_module(module), attr)
        if isinstance(target, typer.Typer):
            app.add_typer(target, name=name)
        else:
            app.command(name)(target)
    return app


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # the full app, for tools that import it
        return build_app()
    raise AttributeError(name)


def main() -> None:
    """Entry point: user-facing errors become one clear message and exit code 1."""
    if sys.argv[1:3] == ["exercise", "check"]:
        # start the build now, while the rest of the CLI loads (see prefetch.py)
        from gointerview.cli import prefetch

        prefetch.start(sys.argv[1:])
    from gointerview.cli.common import console_err
    from gointerview.errors import GointerviewError

    first = next((a for a in sys.argv[1:] if not a.startswith("-")), None)
    try:
        build_app(first if first in _GROUPS else None)()
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
    from gointerview.config import load_config
    from gointerview.store.db import default_url

    cfg = load_config()
    return cfg.database_url or default_url(cfg.data_dir)
