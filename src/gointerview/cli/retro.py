"""`gointerview retro`: incident retrospectives (problem / root cause / fix / verification)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from gointerview.cli import common
from gointerview.cli.review import store
from gointerview.errors import GointerviewError

app = typer.Typer(
    help="Retrospectives of real incidents, linked to bank topics; material for growth questions.",
    no_args_is_help=True,
)
JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
PROMPTS = {
    "title": ("标题", "Title"),
    "problem": ("问题（现象与影响，带数字）", "Problem (symptom and impact, with numbers)"),
    "root_cause": ("根因（证据）", "Root cause (the evidence)"),
    "fix": ("修复", "Fix"),
    "verification": ("验证（前后对比的数字）", "Verification (numbers before and after)"),
}


@app.command("add")
def add(
    title: Annotated[str, typer.Option("--title")] = "",
    problem: Annotated[str, typer.Option("--problem")] = "",
    root_cause: Annotated[str, typer.Option("--root-cause")] = "",
    fix: Annotated[str, typer.Option("--fix")] = "",
    verification: Annotated[
        str, typer.Option("--verification", help="Must hold a number: what was measured.")
    ] = "",
    tags: Annotated[
        list[str] | None, typer.Option("--tag", help="A bank topic tag (repeatable).")
    ] = None,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from", help="YAML/JSON with title, problem, root_cause, fix, verification, tags."
        ),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="zh or en (prompts).")] = "",
    as_json: JsonFlag = False,
) -> None:
    """Record a retrospective. Fields not given are asked for in a terminal."""
    from gointerview.progress.clock import now_utc
    from gointerview.progress.retro import add as save
    from gointerview.progress.retro import unknown_tags

    data: dict[str, Any] = {}
    if from_file is not None:
        data = _load(from_file)
    given = {
        "title": title,
        "problem": problem,
        "root_cause": root_cause,
        "fix": fix,
        "verification": verification,
    }
    data.update({k: v for k, v in given.items() if v})
    if tags:
        data["tags"] = list(tags)
    missing = [k for k in PROMPTS if not str(data.get(k, "")).strip()]
    if missing and sys.stdin.isatty():
        zh = (lang or common.config().lang) == "zh"
        for key in missing:
            data[key] = input(PROMPTS[key][0 if zh else 1] + ": ").strip()
        if "tags" not in data:
            raw = input("标签（逗号分隔）: " if zh else "Tags (comma-separated): ")
            data["tags"] = [t for t in raw.replace("，", ",").split(",") if t.strip()]
    retro = save(store(), data, now=now_utc())
    for tag, close in unknown_tags(common.bank(), retro.tags):
        hint = f" (did you mean {close}?)" if close else ""
        common.console_err.print(
            f"[yellow]note: no bank question has the tag {tag!r}{hint}[/yellow]"
        )
    if as_json:
        common.print_json(retro.model_dump(mode="json"))
    else:
        common.console.print(f"retrospective {retro.id}: {retro.title}")


def _load(path: Path) -> dict[str, Any]:
    from gointerview.bank.yamlpos import YamlParseError, parse_yaml, to_plain

    text = common.read_text(path, what="retrospective file", limit=256 * 1024)
    try:
        data = json.loads(text) if path.suffix == ".json" else to_plain(parse_yaml(path, text))
    except YamlParseError as exc:
        raise GointerviewError(str(exc.problem)) from exc
    except json.JSONDecodeError as exc:
        raise GointerviewError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from exc
    if not isinstance(data, dict):
        raise GointerviewError(f"{path}: expected a mapping (title, problem, root_cause, fix, ...)")
    return {str(k): v for k, v in data.items()}


@app.command("list")
def list_retros(
    tag: Annotated[str, typer.Option("--tag", help="Only those with this tag.")] = "",
    as_json: JsonFlag = False,
) -> None:
    """Every retrospective (id, title, tags)."""
    from gointerview.progress.retro import all_retros

    retros = all_retros(store(), tag=tag or None)
    if as_json:
        common.print_json([r.model_dump(mode="json") for r in retros])
        return
    table = Table(title=f"{len(retros)} retrospective(s)")
    for col in ("id", "title", "tags"):
        table.add_column(col, overflow="fold")
    for r in retros:
        table.add_row(str(r.id), r.title, ", ".join(r.tags))
    common.console.print(table)


@app.command("show")
def show(
    retro_id: Annotated[int, typer.Argument(metavar="ID")],
    lang: Annotated[str, typer.Option("--lang", help="zh or en.")] = "",
    as_json: JsonFlag = False,
) -> None:
    """One retrospective in full."""
    from rich.markdown import Markdown

    from gointerview.progress.retro import get, to_markdown

    retro = get(store(), retro_id)
    if as_json:
        common.print_json(retro.model_dump(mode="json"))
        return
    common.console.print(Markdown(to_markdown([retro], lang or common.config().lang)))


@app.command("remove")
def remove(retro_id: Annotated[int, typer.Argument(metavar="ID")]) -> None:
    """Delete a retrospective."""
    from gointerview.progress.retro import remove as delete

    delete(store(), retro_id)
    common.console.print(f"removed retrospective {retro_id}")


@app.command("export")
def export(
    fmt: Annotated[str, typer.Option("--format", help="md or json.")] = "md",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
    tag: Annotated[str, typer.Option("--tag", help="Only those with this tag.")] = "",
    lang: Annotated[str, typer.Option("--lang", help="zh or en (Markdown labels).")] = "",
) -> None:
    """All retrospectives as Markdown (a section each) or JSON."""
    from gointerview.progress.retro import all_retros, to_json, to_markdown

    if fmt not in ("md", "json"):
        raise GointerviewError("--format must be md or json")
    retros = all_retros(store(), tag=tag or None)
    text = to_json(retros) if fmt == "json" else to_markdown(retros, lang or common.config().lang)
    common.write_output(text if text.endswith("\n") else text + "\n", output)
