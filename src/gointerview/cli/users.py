"""`gointerview users add|list|remove|passwd`: the web app's accounts."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from gointerview.cli import common
from gointerview.errors import GointerviewError

if TYPE_CHECKING:  # the database layer loads only when a command runs
    from gointerview.store.accounts import Accounts

app = typer.Typer(help="Accounts of the web app (gointerview serve).", no_args_is_help=True)
JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input.")
]


def _accounts() -> Accounts:
    from gointerview.store.accounts import Accounts
    from gointerview.store.db import Store, default_url

    cfg = common.config()
    store = Store(cfg.database_url or default_url(cfg.ensure_data_dir()))
    return Accounts(store.engine)


def _password(from_stdin: bool) -> str:
    from gointerview.web.passwords import check_rules

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    else:
        raise GointerviewError("no terminal to ask for the password: use --password-stdin")
    return check_rules(password)


@app.command()
def add(
    name: Annotated[str, typer.Argument(help="Letters, digits, '.', '_' or '-'.")],
    role: Annotated[str, typer.Option("--role", help="admin, interviewer or candidate.")] = (
        "candidate"
    ),
    password_stdin: PasswordStdin = False,
) -> None:
    """Add a user (asks for the password twice)."""
    from gointerview.store.accounts import check_name, check_role
    from gointerview.web.passwords import hash_password

    check_name(name)
    check_role(role)
    accounts = _accounts()
    first = accounts.count() == 0
    user = accounts.add(name, role, hash_password(_password(password_stdin)))
    common.console.print(f"added {user.name} ({user.role})")
    if first:
        common.console.print(
            "the web app now requires sign-in: restart `gointerview serve` if it is running"
        )


@app.command("list")
def list_users(as_json: JsonFlag = False) -> None:
    """List the users."""
    accounts = _accounts()
    users = accounts.users()
    if as_json:
        common.print_json(
            [
                {"name": u.name, "role": u.role, "created_at": u.created_at.isoformat()}
                for u in users
            ]
        )
        return
    table = Table(title=f"{len(users)} user(s)")
    for column in ("name", "role", "created"):
        table.add_column(column)
    for u in users:
        table.add_row(u.name, u.role, u.created_at.strftime("%Y-%m-%d %H:%M"))
    common.console.print(table)


@app.command()
def remove(
    name: str,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove a user with every session of theirs."""
    accounts = _accounts()
    accounts.get(name)  # a clear error before asking
    if not yes:
        if not sys.stdin.isatty():
            raise GointerviewError("removing a user deletes their sessions: confirm with --yes")
        typer.confirm(f"remove {name} and every session of theirs?", abort=True)
    removed = accounts.remove(name)
    common.console.print(f"removed {name} and {removed} session(s)")


@app.command()
def passwd(name: str, password_stdin: PasswordStdin = False) -> None:
    """Set a user's password; every sign-in of theirs ends."""
    from gointerview.web.passwords import hash_password

    accounts = _accounts()
    accounts.get(name)
    accounts.set_password(name, hash_password(_password(password_stdin)))
    common.console.print(f"new password for {name}; their sign-ins ended")
