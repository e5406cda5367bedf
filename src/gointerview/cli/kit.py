"""`gointerview kit` (a printable interview script), `gointerview kit live` (fill it in from the
terminal, item by item) and `gointerview kit score` (its report)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gointerview.bank.schema import Level
from gointerview.cli import common, growth_hooks
from gointerview.cli.growth_hooks import NO_HISTORY_HELP
from gointerview.errors import GointerviewError
from gointerview.grading.text.grader import points

if TYPE_CHECKING:
    from gointerview.bank import Bank
    from gointerview.exercises.catalog import Catalog
    from gointerview.kit.build import Kit, KitItem
    from gointerview.kit.scorecard import FilledKit

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
    no_history: Annotated[bool, typer.Option("--no-history", help=NO_HISTORY_HELP)] = False,
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
    if not no_history:
        growth_hooks.after_kit_score(bank, parsed, result, filled.read_bytes().hex(), sets or [])
    text = renderers[fmt](result)
    common.write_output(text if text.endswith("\n") else text + "\n", output)
    for note in disagreements(parsed, result):
        common.console_err.print(f"note: {note}", soft_wrap=True)


@app.command("live")
def live(
    kit_file: Annotated[
        Path, typer.Argument(metavar="KIT.md", help="The kit to fill in (made if missing).")
    ],
    plan: Annotated[str, typer.Option("--plan", help="For a new kit: the plan.")] = "deep",
    level: Annotated[Level, typer.Option("--level", help="For a new kit: the level.")] = (
        Level.SENIOR
    ),
    seed: Annotated[int | None, typer.Option("--seed", help="For a new kit: the seed.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="For a new kit: zh or en.")] = "",
    plan_file: Annotated[
        Path | None, typer.Option("--plan-file", help="Your plans (YAML).")
    ] = None,
) -> None:
    """The live scorecard: item by item in the terminal, type the key points you heard
    ("1 3"), the red flags ("r1"), then a score or a level. Every item is written into
    KIT.md as you go — the same boxes a pen would tick — so Ctrl-C or a crash loses nothing
    and running it again continues with the first item not scored yet. At the end, the
    summary; the full report is [bold]gointerview kit score KIT.md[/bold]."""
    import sys

    from gointerview.exercises.catalog import builtin_catalog
    from gointerview.interview.plans import get_plan
    from gointerview.kit.build import build_kit
    from gointerview.kit.render import to_markdown
    from gointerview.kit.scorecard import load

    if not sys.stdin.isatty():
        raise GointerviewError(
            "kit live needs a terminal; to enter scores from a script use "
            "`gointerview kit score KIT.md --set N=SCORE`"
        )
    bank, catalog = common.bank(), builtin_catalog()
    if not kit_file.exists():
        lang = lang or common.config().lang
        if lang not in ("zh", "en"):
            raise GointerviewError("--lang must be zh or en")
        new = build_kit(get_plan(plan, plan_file), level, lang, seed, bank, catalog)
        common.write_atomic(kit_file, to_markdown(new))
        common.console.print(f"new kit (seed {new.seed}) → {kit_file}")
    filled = load(kit_file, bank, catalog)
    rebuilt = build_kit(
        get_plan(filled.plan, plan_file),
        Level(filled.level),
        filled.lang,
        filled.seed,
        bank,
        catalog,
    )
    if [i.ref for i in rebuilt.items] != [i.ref for i in filled.items]:
        raise GointerviewError(
            f"{kit_file}: its items differ from the kit its marker describes (was the bank or "
            "the plan file changed?); score it with `gointerview kit score`"
        )
    try:
        _live_loop(kit_file, rebuilt, filled, bank, catalog)
        _summary(kit_file, rebuilt.lang, bank, catalog)
    except (KeyboardInterrupt, EOFError):
        common.console.print(
            f"\n[yellow]paused[/yellow] — every item entered is in {kit_file}; "
            f"run `gointerview kit live {kit_file}` to go on"
        )
        raise typer.Exit(130) from None


def _live_loop(
    kit_file: Path, kit: Kit, filled: FilledKit, bank: Bank, catalog: Catalog | None
) -> None:
    from rich.panel import Panel

    from gointerview.kit.live import EntryError, parse_heard, parse_score, record
    from gointerview.kit.scorecard import load

    zh = kit.lang == "zh"
    done = {i.seq for i in filled.items if i.asked}
    todo = [item for item in kit.items if item.seq not in done]
    if not todo:
        common.console.print("所有题目都已评分。" if zh else "Every item is scored already.")
    for item in todo:
        common.console.print(Panel(_cues(item, zh), title=_title(item, len(kit.items))))
        while True:
            try:
                entry = common.console.input(
                    "听到的要点/红旗（如 1 3 r1；回车=没问这题；:q 结束）> "
                    if zh
                    else "heard (e.g. 1 3 r1; Enter = not asked; :q stops)> "
                )
                if entry.strip() == ":q":
                    return
                heard = parse_heard(entry, item)
                score = parse_score(
                    common.console.input(
                        "分数 0–100 或 精通/熟练/了解/欠缺（回车=按要点计）> "
                        if zh
                        else "score 0–100 or a level (Enter = from the key points)> "
                    )
                )
                break
            except EntryError as exc:
                common.console.print(f"[red]{exc}[/red]")
        if heard.empty and score is None:
            continue  # not asked: the item stays blank
        text = record(kit_file.read_text(encoding="utf-8"), item.seq, heard, score, kit.lang)
        common.write_atomic(kit_file, text)
        scored = next(i for i in load(kit_file, bank, catalog).items if i.seq == item.seq)
        common.console.print(
            f"[green]✓[/green] {item.seq}: {points(scored.score)}/100 ({scored.source})"
            if scored.score is not None
            else f"{item.seq}: —"
        )


def _title(item: KitItem, total: int) -> str:
    from gointerview.kit.render import clock

    span = f"{clock(item.start_minute)}–{clock(item.start_minute + item.minutes)}"
    return f"{item.seq}/{total} · {span} · {item.ref}"


def _cues(item: KitItem, zh: bool) -> str:
    from rich.markup import escape

    lines = [escape(item.prompt), ""]
    if item.key_points:
        lines.append("[bold]听要点[/bold]" if zh else "[bold]Listen for[/bold]")
        lines += [
            f"  {n}. ({kp.weight:g}){' ★' if kp.required else ''} {escape(kp.wording)}"
            for n, kp in enumerate(item.key_points, start=1)
        ]
    if item.red_flags:
        lines.append("[bold red]红旗[/bold red]" if zh else "[bold red]Red flags[/bold red]")
        lines += [f"  r{n}. {escape(flag.claim)}" for n, flag in enumerate(item.red_flags, start=1)]
    if item.follow_ups:
        lines.append("[bold]追问[/bold]" if zh else "[bold]Follow-ups[/bold]")
        lines += [f"  · {escape(f.text)}" for f in item.follow_ups]
    return "\n".join(lines)


def _summary(kit_file: Path, lang: str, bank: Bank, catalog: Catalog | None) -> None:
    from gointerview.kit.scorecard import load, report

    result = report(load(kit_file, bank, catalog), bank, catalog, lang)
    overall = "—" if result.overall_score is None else f"{points(result.overall_score)}/100"
    common.console.print(f"\n[bold]{overall} · {result.overall_level}[/bold] — {result.verdict}")
    for d in result.dimensions:
        score = "" if d.score is None else f" ({points(d.score)})"
        common.console.print(f"  {d.name}: {d.rating}{score}")
    common.console.print(
        f"full report: gointerview kit score {kit_file} --format html -o report.html"
    )
