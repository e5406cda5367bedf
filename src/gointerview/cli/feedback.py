"""`gointerview feedback`: rejection feedback texts and the recurring reasons in them."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from gointerview.cli import common
from gointerview.cli.review import store
from gointerview.errors import GointerviewError

app = typer.Typer(
    help="Feedback of past interviews: recurring reasons and a study plan.", no_args_is_help=True
)
JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
MAX_BYTES = 256 * 1024


def read_feedback(source: str) -> str:
    """A feedback file (never through a symlink, at most MAX_BYTES, UTF-8) or stdin for '-'."""
    if source == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        name = "stdin"
    else:
        path = Path(source)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError as exc:
            why = "is a symbolic link" if path.is_symlink() else exc.strerror
            raise GointerviewError(f"cannot read {path}: {why}") from exc
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise GointerviewError(f"{path}: not a regular file")
            data = f.read(MAX_BYTES + 1)
        name = str(path)
    if len(data) > MAX_BYTES:
        raise GointerviewError(f"{name}: feedback over {MAX_BYTES:,} bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise GointerviewError(f"{name}:{line}: not UTF-8 text") from exc


@app.command("add")
def add(
    sources: Annotated[
        list[str], typer.Argument(metavar="FILE|-", help="One text per interview; '-' reads stdin.")
    ],
    label: Annotated[str, typer.Option("--label", help="e.g. the company and round.")] = "",
) -> None:
    """Add the feedback of past interviews, one text per file."""
    from gointerview.progress.clock import now_utc
    from gointerview.progress.feedback import add_text

    db = store()
    for source in sources:
        text_id, new = add_text(db, read_feedback(source), label=label or source, now=now_utc())
        common.console.print(
            f"{source}: " + (f"added #{text_id}" if new else f"already #{text_id}")
        )


@app.command("list")
def list_texts(as_json: JsonFlag = False) -> None:
    """The stored feedback texts."""
    from gointerview.progress.feedback import texts

    rows = texts(store())
    if as_json:
        common.print_json([r.model_dump(mode="json") for r in rows])
        return
    table = Table(title=f"{len(rows)} feedback text(s)")
    for col in ("id", "label", "text"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(str(r.id), r.label, " ".join(r.text.split())[:90])
    common.console.print(table)


@app.command("remove")
def remove(text_id: Annotated[int, typer.Argument(metavar="ID")]) -> None:
    """Delete a feedback text."""
    from gointerview.progress.feedback import remove_text

    remove_text(store(), text_id)
    common.console.print(f"removed #{text_id}")


@app.command("analyse")
def analyse(
    top: Annotated[int, typer.Option("--top", min=1, max=13, help="Reasons in the plan.")] = 5,
    lang: Annotated[str, typer.Option("--lang", help="zh or en.")] = "",
    as_json: JsonFlag = False,
) -> None:
    """Count the recurring reasons across the texts (how many interviews named each), map
    them to evaluation dimensions and bank topics, and turn the top ones into a study plan."""
    from gointerview.exercises.catalog import builtin_catalog
    from gointerview.progress.clock import now_utc
    from gointerview.progress.feedback import analyse as run

    lang = lang or common.config().lang
    result = run(store(), common.bank(), builtin_catalog(), lang=lang, now=now_utc(), top=top)
    if as_json:
        common.print_json(result.model_dump(mode="json"))
        return
    zh = lang == "zh"
    table = Table(
        title=(f"{result.texts} 份反馈中的原因" if zh else f"Reasons in {result.texts} text(s)")
    )
    for col in ("reason", "×", "dimensions", "tags"):
        table.add_column(col, overflow="fold")
    for r in result.reasons:
        table.add_row(r.name, str(r.count), ", ".join(r.dimensions) or "—", ", ".join(r.tags[:5]))
    common.console.print(table)
    if result.terms:
        common.console.print(
            ("高频词：" if zh else "Recurring words: ")
            + ", ".join(f"{w} ×{n}" for w, n in result.terms)
        )
    if result.unmatched:
        common.console.print(
            ("未识别出原因的反馈：" if zh else "No known reason found in: ")
            + ", ".join(f"#{i}" for i in result.unmatched)
        )
    common.console.print("[bold]" + ("学习计划" if zh else "Study plan") + "[/bold]")
    for item in result.plan:
        common.console.print(f"- {item.line}", soft_wrap=True)
