"""`gointerview kit` (a printable interview script) and `gointerview kit score` (its report)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gointerview.bank.schema import Level
from gointerview.cli import common
from gointerview.errors import GointerviewError

app = typer.Typer(invoke_without_command=True, rich_markup_mode="rich")

Format = Annotated[str, typer.Option("--format", help="md, html or json.")]
Output = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
]


@app.callback()
def kit(
    ctx: typer.Context,
    plan: Annotated[
        str, typer.Option("--plan", help="screen, deep, design, final, or one of yours.")
    ] = "deep",
    level: Annotated[Level, typer.Option("--level", help="The candidate's level.")] = Level.SENIOR,
    seed: Annotated[
        int | None,
        typer.Option("--seed", help="Rebuild the same kit (default: a new seed, printed in it)."),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="zh or en (default: your config).")] = "",
    plan_file: Annotated[
        Path | None, typer.Option("--plan-file", help="Your plans (YAML, see docs/plans.md).")
    ] = None,
    fmt: Format = "md",
    output: Output = None,
) -> None:
    """An interview kit for the interviewer: the plan's questions in order with time boxes,
    the key points to listen for, red flags (misconceptions), follow-ups, and an empty
    scorecard in the five-dimension evaluation template. Print the HTML or fill in the
    Markdown, then turn it into the evaluation report with [bold]gointerview kit score[/bold].

    Questions are chosen as a mock interview with the same seed chooses them."""
    if ctx.invoked_subcommand is not None:
        return
    from gointerview.exercises.catalog import builtin_catalog
    from gointerview.interview.plans import get_plan
    from gointerview.kit.build import build_kit
    from gointerview.kit.render import to_html, to_json, to_markdown

    renderers = {"md": to_markdown, "html": to_html, "json": to_json}
    if fmt not in renderers:
        raise GointerviewError("--format must be md, html or json")
    lang = lang or common.config().lang
    if lang not in ("zh", "en"):
        raise GointerviewError("--lang must be zh or en")
    built = build_kit(
        get_plan(plan, plan_file), level, lang, seed, common.bank(), builtin_catalog()
    )
    common.write_output(renderers[fmt](built), output)
    if seed is None or output is not None:
        common.console_err.print(
            f"kit: plan {built.plan}, {len(built.items)} items, seed {built.seed}"
            + (f" → {output}" if output is not None else ""),
            soft_wrap=True,
        )


@app.command("score")
def score(
    filled: Annotated[
        Path, typer.Argument(metavar="FILLED.md", help="A kit (Markdown) with scores filled in.")
    ],
    sets: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="N=SCORE|LEVEL",
            help="Item N's score, 0–100 or a level (精通 熟练 了解 欠缺 / expert proficient "
            "familiar lacking), as if written on its Score line; wins over the file. Repeatable.",
        ),
    ] = None,
    fmt: Format = "md",
    output: Output = None,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    lang: Annotated[str, typer.Option("--lang", help="zh or en (default: the kit's).")] = "",
) -> None:
    """The evaluation report of a filled-in kit, in the format of [bold]gointerview
    report[/bold]. Per item: a number on the Score line wins; else a ticked level (精通 92,
    熟练 75, 了解 52, 欠缺 20); else 100 × the ticked key points' weight / all their weight;
    an item left blank was not asked. Ticked key points are cited as hit, the rest as missed,
    ticked red flags as misconceptions. A problem in the file is reported as file:line."""
    from gointerview.exercises.catalog import builtin_catalog
    from gointerview.kit.scorecard import apply_sets, disagreements, load, report
    from gointerview.report.render import to_html, to_json, to_markdown

    renderers = {"md": to_markdown, "html": to_html, "json": to_json}
    fmt = "json" if as_json else fmt
    if fmt not in renderers:
        raise GointerviewError("--format must be md, html or json")
    if lang and lang not in ("zh", "en"):
        raise GointerviewError("--lang must be zh or en")
    bank, catalog = common.bank(), builtin_catalog()
    parsed = apply_sets(load(filled, bank, catalog), sets or [])
    result = report(parsed, bank, catalog, lang)
    text = renderers[fmt](result)
    common.write_output(text if text.endswith("\n") else text + "\n", output)
    for note in disagreements(parsed, result):
        common.console_err.print(f"note: {note}", soft_wrap=True)
