"""`gointerview revise`: the needs-revision marks on questions."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from gointerview.cli import common
from gointerview.cli.review import store

app = typer.Typer(help="Questions marked 'needs revision'.", no_args_is_help=True)
JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


@app.command("add")
def add(
    question_id: Annotated[str, typer.Argument(metavar="ID", help="A bank question id.")],
    note: Annotated[str, typer.Option("--note", help="Why, in a line.")] = "",
) -> None:
    """Mark a question as needing revision (also: `bank list --needs-revision`)."""
    from gointerview.progress.clock import now_utc
    from gointerview.progress.revise import mark

    common.bank().get(question_id)  # an unknown id is an error, with the hint
    new = mark(store(), question_id, note=note, now=now_utc())
    common.console.print(("marked " if new else "already marked ") + question_id)


@app.command("remove")
def remove(question_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """Clear a question's needs-revision mark."""
    from gointerview.progress.revise import unmark

    unmark(store(), question_id)
    common.console.print(f"cleared {question_id}")


@app.command("list")
def list_marks(
    lang: Annotated[str, typer.Option("--lang", help="zh or en.")] = "",
    as_json: JsonFlag = False,
) -> None:
    """The marked questions, oldest mark first."""
    from gointerview.errors import NotFoundError
    from gointerview.progress.revise import marks

    lang = lang or common.config().lang
    bank = common.bank()
    rows = []
    for m in marks(store()):
        try:
            prompt = bank.get(m.question_id).prompt.get(lang).strip().splitlines()[0]
        except NotFoundError:
            prompt = "(not in the configured banks)"
        rows.append({**m.model_dump(mode="json"), "prompt": prompt})
    if as_json:
        common.print_json(rows)
        return
    table = Table(title=f"{len(rows)} question(s) to revise")
    for col in ("id", "prompt", "note", "marked"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["question_id"], r["prompt"][:80], r["note"], r["created_at"][:10])
    common.console.print(table)
