"""`gointerview progress`: scores over time and the quarterly growth radar."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from gointerview.cli import common
from gointerview.cli.review import store
from gointerview.errors import GointerviewError

app = typer.Typer(
    help="Scores of every session, kit and graded document over time, and the growth radar.",
    invoke_without_command=True,
)


@app.callback()
def progress(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="md or html.")] = "md",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
    quarter: Annotated[
        str, typer.Option("--quarter", help="The growth radar's quarter (default: latest).")
    ] = "",
    lang: Annotated[str, typer.Option("--lang", help="zh or en (default: config).")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Per dimension and per topic, the score of every interview session, scored kit and
    graded document over time (first, last, change), and the growth radar (深度 广度 工程化
    架构能力 技术影响力, self-rated 1–5 per quarter) against the previous quarter. HTML has a
    small chart per dimension and the radar."""
    if ctx.invoked_subcommand is not None:
        return
    from gointerview.exercises.catalog import builtin_catalog
    from gointerview.progress.history import progress as build
    from gointerview.progress.render import to_html, to_json, to_markdown

    renderers = {"md": to_markdown, "html": to_html, "json": to_json}
    fmt = "json" if as_json else fmt
    if fmt not in renderers:
        raise GointerviewError("--format must be md or html (or --json)")
    lang = _lang(lang)
    result = build(store(), common.bank(), builtin_catalog(), lang=lang, quarter=quarter or None)
    text = renderers[fmt](result)
    common.write_output(text if text.endswith("\n") else text + "\n", output)


def _lang(lang: str) -> str:
    lang = lang or common.config().lang
    if lang not in ("zh", "en"):
        raise GointerviewError("--lang must be zh or en")
    return lang


@app.command("rate")
def rate(
    ratings: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[AXIS=SCORE[:EVIDENCE]]...",
            help="e.g. depth=4:'led the GC tuning, p99 −35%'. Axes: depth 深度, breadth 广度, "
            "engineering 工程化, architecture 架构能力, influence 技术影响力. Without any, "
            "asks for each axis in the terminal.",
        ),
    ] = None,
    quarter: Annotated[
        str, typer.Option("--quarter", help="YYYYQn, e.g. 2026Q4 (default: this quarter).")
    ] = "",
    lang: Annotated[str, typer.Option("--lang", help="zh or en (default: config).")] = "",
) -> None:
    """Rate yourself 1–5 on the five growth axes for a quarter, with the evidence beside
    each score; the radar is drawn against the previous rated quarter."""
    from gointerview.progress.clock import now_utc, quarter_of
    from gointerview.progress.growth import Rating, quarter_key
    from gointerview.progress.growth import rate as save

    lang = _lang(lang)
    now = now_utc()
    key = quarter_key(quarter) if quarter else quarter_of(now)
    db = store()
    if ratings:
        given = dict(_parse_rating(r) for r in ratings)
    elif sys.stdin.isatty():
        given = _ask(db, key, lang)
    else:
        raise GointerviewError("give AXIS=SCORE[:EVIDENCE] arguments, or run it in a terminal")
    save(db, key, {axis: Rating(score=s, evidence=e) for axis, (s, e) in given.items()}, now=now)
    common.console.print(
        f"{key}: " + ", ".join(f"{axis} {score}" for axis, (score, _) in given.items())
    )


def _parse_rating(text: str) -> tuple[str, tuple[int, str]]:
    from gointerview.progress.growth import axis_key

    name, eq, rest = text.partition("=")
    if not eq:
        raise GointerviewError(f"{text!r}: write AXIS=SCORE[:EVIDENCE], e.g. depth=4")
    score_text, _, evidence = rest.partition(":")
    try:
        score = int(score_text.strip())
    except ValueError:
        raise GointerviewError(f"{text!r}: the score must be a whole number 1–5") from None
    return axis_key(name), (score, evidence.strip())


def _ask(db: object, quarter: str, lang: str) -> dict[str, tuple[int, str]]:
    from gointerview.progress.growth import AXES, radar

    zh = lang == "zh"
    before = {a.axis: a for a in radar(db, None, lang=lang).axes}  # type: ignore[arg-type]
    out: dict[str, tuple[int, str]] = {}
    common.console.print(
        f"{quarter} 自评：每个维度 1–5 分，再写一句依据（回车跳过该维度）。"
        if zh
        else f"{quarter}: rate each axis 1–5, then a line of evidence (Enter skips the axis)."
    )
    for axis, names in AXES.items():
        last = before.get(axis)
        hint = ""
        if last is not None and last.score is not None:
            hint = f" [上次 {last.score}]" if zh else f" [last {last.score}]"
        while True:
            reply = input(f"{names[lang]}{hint}: ").strip()
            if not reply:
                break
            if reply.isdigit() and 1 <= int(reply) <= 5:
                evidence = input("  依据：" if zh else "  evidence: ").strip()
                out[axis] = (int(reply), evidence)
                break
            common.console.print("1–5")
    return out
