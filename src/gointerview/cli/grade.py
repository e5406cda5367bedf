"""`gointerview grade ...` and `gointerview benchmark grading`."""

from __future__ import annotations

import difflib
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from gointerview.bank.schema import Level
from gointerview.cli import common, growth_hooks
from gointerview.cli.growth_hooks import NO_HISTORY_HELP
from gointerview.errors import GointerviewError
from gointerview.grading.text.grader import TextGrade, grade_text, points, related_questions
from gointerview.options import numbered

if TYPE_CHECKING:
    from gointerview.bank import Bank
    from gointerview.docimport.gocheck import Checker

app = typer.Typer(help="Grade free-text answers against the rubric, offline.", no_args_is_help=True)
benchmark_app = typer.Typer(
    help="Measure the graders against human-scored data.", no_args_is_help=True
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
STATUS_MARK = {"hit": "[green]✓[/green]", "partial": "[yellow]~[/yellow]", "missed": "[red]✗[/red]"}


@app.command()
def answer(
    question: Annotated[str, typer.Option("--question", "-q", help="Bank question id.")],
    text: Annotated[str | None, typer.Option("--answer", "-a", help="The answer text.")] = None,
    answer_file: Annotated[
        Path | None, typer.Option("--answer-file", "-f", help="Read the answer from a file.")
    ] = None,
    as_json: JsonFlag = False,
    no_history: Annotated[bool, typer.Option("--no-history", help=NO_HISTORY_HELP)] = False,
) -> None:
    """Grade one answer to a bank question: score, level, key points hit (with the quoted
    evidence) and missed, misconceptions, and the follow-up to ask next. What it missed
    becomes review cards (`gointerview review`) unless --no-history."""
    if (text is None) == (answer_file is None):
        raise GointerviewError("give exactly one of --answer TEXT or --answer-file FILE")
    if answer_file is not None:
        text = common.read_text(answer_file, what="answer")
    assert text is not None
    if not text.strip():
        raise GointerviewError("the answer is empty: give the text to grade")
    bank = common.bank()
    asked = bank.get(question)
    grade = grade_text(
        asked,
        text,
        related=related_questions(asked, bank.questions),
        **common.grading_backends(),
    )
    if not no_history:
        growth_hooks.after_grade_answer(bank, asked, grade, text)
    if as_json:
        common.print_json(grade.model_dump(mode="json"))
        return
    render_grade(grade, text)


def render_grade(grade: TextGrade, text: str, *, suggest_follow_up: bool = True) -> None:
    """The 点评. In an interview the follow-up, when there is one, is asked as the next item,
    so it is not printed here (`suggest_follow_up=False`)."""
    zh = grade.lang == "zh"
    table = Table(show_header=False, box=None)
    table.add_column("")
    table.add_column("point", overflow="fold")
    table.add_column("evidence", overflow="fold")
    for p in grade.points:
        quote = " … ".join(f"“{e.text}”" for e in p.evidence[:3])
        table.add_row(STATUS_MARK[p.status], p.wording, quote)
    title = f"{points(grade.score)}/100 · {grade.level} ({grade.level_en})"
    common.console.print(Panel(table, title=("点评 " if zh else "Verdict ") + title))
    for m in grade.misconceptions:
        label = "误区" if zh else "Wrong"
        common.console.print(f"[red]✗ {label}:[/red] “{m.sentence.text}”\n  → {m.correction}")
    for note in grade.notes:
        common.console.print(f"[yellow]• {note}[/yellow]", highlight=False)
    if grade.follow_up and suggest_follow_up:
        label = "可能的追问" if zh else "A follow-up you could be asked"
        common.console.print(f"[cyan]↳ {label}:[/cyan] {grade.follow_up}")
    common.console.print(f"[dim]graders: {', '.join(grade.graders)}[/dim]")


@app.command()
def doc(
    document: Annotated[Path, typer.Argument(metavar="FILE.md", help="A Markdown document.")],
    fmt: Annotated[str, typer.Option("--format", help="md, html or json.")] = "md",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
    level: Annotated[Level, typer.Option("--level", help="The bar the verdict uses.")] = Level.MID,
    lang: Annotated[str, typer.Option("--lang", help="zh or en (default: the document's).")] = "",
    fill_to: Annotated[
        Path | None,
        typer.Option(
            "--fill",
            metavar="OUT.md",
            help="Also write the document back with a 点评 block under each answer and its "
            "evaluation template ticked (the syllabus template appended when it has none).",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Let --fill overwrite an existing file.")
    ] = False,
    build: Annotated[
        bool,
        typer.Option(
            "--build/--no-build",
            help="Build and vet answers that are complete Go programs, in the sandbox (needs "
            "the prepared Go caches: `gointerview exercise prepare`).",
        ),
    ] = True,
    match: Annotated[
        list[str] | None,
        typer.Option(
            "--match",
            metavar="N=ID",
            help="Grade question N (its number in this report) with bank question ID, or "
            "N=none when it asks none of them; repeat for more. For a question the matcher "
            "missed or got wrong: an ungradable one names its nearest.",
        ),
    ] = None,
    as_json: JsonFlag = False,
    no_history: Annotated[bool, typer.Option("--no-history", help=NO_HISTORY_HELP)] = False,
) -> None:
    """Grade a Markdown interview document: an interview record (numbered questions, the
    interviewer's prompt, the candidate's answer area) or Q&A notes (numbered items, a quiz,
    an answer key). Finds every question, every answer (prose and code) and every unanswered
    one; grades each answer with the closest bank question's rubric, else against the
    document's own reference answer, else says it cannot; then the evaluation report.
    The JSON starts with the counts: questions, answered, unanswered, graded, ungradable."""
    from gointerview.docimport.grade import grade_document
    from gointerview.docimport.parse import read_document
    from gointerview.docimport.render import doc_html, doc_json, doc_markdown
    from gointerview.exercises.catalog import builtin_catalog

    renderers = {"md": doc_markdown, "html": doc_html, "json": doc_json}
    fmt = "json" if as_json else fmt
    if fmt not in renderers:
        raise GointerviewError("--format must be md, html or json")
    if lang not in ("", "zh", "en"):
        raise GointerviewError("--lang must be zh or en")
    if fill_to is not None and fill_to.exists() and not force:
        same = fill_to.resolve() == document.resolve()
        what = "is the document itself" if same else "exists"
        raise GointerviewError(f"{fill_to} {what}: pass --force to overwrite it")
    parsed = read_document(document)
    bank, catalog, backends = common.bank(), builtin_catalog(), common.grading_backends()
    overrides = _overrides(match or [], len(parsed.questions), bank)
    with _grading_bar(disable=len(parsed.questions) < 20) as bar:  # long documents only
        task = bar.add_task("grading", total=len(parsed.questions))
        graded = grade_document(
            parsed,
            bank,
            catalog,
            level=level.value,
            lang=lang or None,
            backends=backends,
            progress=lambda: bar.advance(task),
            code_checker=_code_checker() if build else None,
            overrides=overrides,
        )
    if not no_history and parsed.questions:  # a file with no questions is no practice
        growth_hooks.after_grade_doc(bank, parsed, graded, document.read_bytes().hex())
    if fill_to is not None:
        from gointerview.docimport.fill import fill
        from gointerview.docimport.parse import read_text

        text, _ = read_text(document)
        common.write_atomic(fill_to, fill(text, graded, parsed.template))
        common.console_err.print(f"[green]✓[/green] filled in → {fill_to}", highlight=False)
        if output is None and not as_json:
            return
    common.write_output(renderers[fmt](graded) + ("\n" if fmt == "json" else ""), output)


def _overrides(given: list[str], questions: int, bank: Bank) -> dict[int, str | None]:
    """--match N=ID, checked: N a question of this document, ID a bank question or none."""
    out: dict[int, str | None] = {}
    for value in given:
        position, ident = numbered(
            value, f"--match {value!r}", "N=ID, e.g. --match 3=lang.chan.who-closes"
        )
        if not 1 <= position <= questions:
            raise GointerviewError(
                f"--match {value!r}: the document has {questions} questions (1-{questions})"
            )
        if ident.lower() == "none":
            out[position] = None
            continue
        ids = [q.id for q in bank.questions]
        if ident not in ids:
            near = difflib.get_close_matches(ident, ids, n=1)
            hint = f" (did you mean {near[0]}?)" if near else " (see `gointerview bank list`)"
            raise GointerviewError(f"--match {value!r}: no bank question {ident!r}{hint}")
        out[position] = ident
    return out


def _code_checker() -> Checker:
    """The sandboxed build of complete Go programs; where this machine cannot run it, a
    checker that says why (the answer is still graded as text)."""
    from gointerview.docimport.gocheck import CodeCheck, sandbox_checker
    from gointerview.grading.code.sandbox import make_runner
    from gointerview.grading.code.toolchain import Toolchain

    try:
        toolchain = Toolchain.find(common.config().ensure_data_dir())
        if toolchain.ready():
            return sandbox_checker(make_runner(), toolchain)
        why = "not built: the Go caches are not prepared (`gointerview exercise prepare`)"
    except GointerviewError as exc:
        why = f"not built: {exc}"
    return lambda _source: CodeCheck(built=False, note=why)


def _grading_bar(*, disable: bool) -> Progress:
    """ "grading ━━━━ 12/40" on stderr, gone when done."""
    return Progress(
        TextColumn("grading"),
        BarColumn(),
        MofNCompleteColumn(),
        console=common.console_err,
        transient=True,
        disable=disable,
    )


@app.command()
def batch(
    input_file: Annotated[Path, typer.Argument(metavar="INPUT.jsonl")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write results here (default stdout).")
    ] = None,
) -> None:
    """Grade a JSONL file: each line {"id", "question", "reference", "answer"} plus optional
    "rubric" ("- explains X (2 points)" lines) and "max_score". Each output line has "id",
    "score" (0-1 of full marks) and the key-point detail; a bad line gets {"line", "error"}
    and the rest still grade. Exit code 1 if any line failed."""
    from gointerview.grading.text.batch import grade_lines

    lines = common.read_text(input_file, what="JSONL file").splitlines()
    failed = 0
    sink = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        with _grading_bar(disable=output is None) as bar:
            task = bar.add_task("grading", total=len(lines))
            for record in grade_lines(lines):
                if "error" in record:
                    failed += 1
                    common.console_err.print(
                        f"[red]{input_file}:{record['line']}:[/red] {record['error']}"
                    )
                for warning in record.get("warnings", []):
                    line, _, text = warning.partition(": ")
                    common.console_err.print(
                        f"[yellow]{input_file}:{line.removeprefix('line ')}: warning:[/yellow] "
                        f"{text}"
                    )
                sink.write(json.dumps(record, ensure_ascii=False) + "\n")
                bar.advance(task)
    finally:
        if output:
            sink.close()
    if failed:
        raise typer.Exit(1)


@benchmark_app.command("grading")
def benchmark_grading(
    dataset: Annotated[
        list[str] | None,
        typer.Option(
            "--dataset", help="adversarial, mohler and/or ads (default: all whose data is found)."
        ),
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data",
            help="Folder holding mohler2011/ and ads_zh/ (the public ASAG sets are not shipped; "
            "GOINTERVIEW_ASAG_DIR works too).",
        ),
    ] = None,
    adversarial_dir: Annotated[
        Path | None,
        typer.Option("--adversarial-data", help="Default: benchmarks/data/adversarial."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """What a candidate sees on adversarial answers scored by people (level agreement, false
    and missed credit, MAE per answer type, tuning and held-out splits apart), and agreement
    with human graders on Mohler and ADS (Pearson r, RMSE, QWK, latency), cross-validated by
    question, next to a TF-IDF baseline and published figures."""
    from gointerview.grading.text import adversarial
    from gointerview.grading.text.benchmark import LOADERS, asag_data_dir, run

    known = ["adversarial", *LOADERS]
    names = dataset or known
    unknown = [n for n in names if n not in known]
    if unknown:
        raise GointerviewError(f"unknown dataset(s) {unknown}; choose from {known}")
    results: dict[str, object] = {}
    if "adversarial" in names:
        root = adversarial_dir or adversarial.default_data_dir()
        with _bar("adversarial") as (bar, task):
            results["adversarial"] = adversarial.run(
                root, common.bank(), lambda s, i, n: bar.update(task, completed=i, total=n)
            )
    asag = [n for n in names if n in LOADERS]
    root_asag = data_dir or asag_data_dir()
    if asag and root_asag is None:
        message = "Mohler/ADS skipped: pass --data DIR (the public ASAG sets are not shipped)"
        if dataset:
            raise GointerviewError(message)
        common.console_err.print(f"[yellow]{message}[/yellow]")
        asag = []
    for name in asag:
        assert root_asag is not None
        with _bar(name) as (bar, task):
            results[name] = run(
                name, root_asag, lambda i, n: bar.update(task, completed=i, total=n)
            )
    if as_json:
        common.print_json(results)
        return
    if "adversarial" in results:
        _print_adversarial(results["adversarial"])
    for name in asag:
        _print_asag(results[name])


@contextmanager
def _bar(name: str) -> Iterator[tuple[Progress, TaskID]]:
    with Progress(
        TextColumn(name),
        BarColumn(),
        MofNCompleteColumn(),
        console=common.console_err,
        transient=True,
    ) as bar:
        yield bar, bar.add_task(name, total=None)


def _pct(value: object) -> str:
    return "–" if value is None else f"{100 * float(str(value)):.0f}%"


def _print_adversarial(result: object) -> None:
    assert isinstance(result, dict)
    for split, data in result.items():
        table = Table(title=f"adversarial answers, {split} split")
        for col in (
            "",
            "n",
            "level agreement",
            "false credit",
            "missed credit",
            "MAE",
            "mean human",
            "mean tool",
        ):
            table.add_column(col)
        rows = [
            ("all", data["overall"]),
            ("bank questions", data["bank"]),
            ("rubric text", data["rubric"]),
            *list(data["by_type"].items()),
        ]
        for label, s in rows:
            if not s.get("answers"):
                continue
            table.add_row(
                label,
                str(s["answers"]),
                _pct(s["level_agreement"]),
                _pct(s["false_credit"]),
                _pct(s["missed_credit"]),
                str(s["mae"]),
                str(s["mean_human"]),
                str(s["mean_tool"]),
            )
        common.console.print(table)


def _print_asag(r: object) -> None:
    assert isinstance(r, dict)
    table = Table(
        title=f"{r['dataset']}: {r['answers']} answers, {r['questions']} "
        f"questions, scale {r['scale']}, {r['cv']}"
    )
    for col in ("system", "Pearson r", "RMSE", "QWK"):
        table.add_column(col)
    ours, base = r["gointerview"], r["tfidf_baseline"]
    table.add_row(
        "gointerview (offline default)", str(ours["pearson"]), str(ours["rmse"]), str(ours["qwk"])
    )
    table.add_row(
        "TF-IDF cosine baseline (same run)",
        str(base["pearson"]),
        str(base["rmse"]),
        str(base["qwk"]),
    )
    for p in r["published"]:
        table.add_row(
            f"[dim]{p['system']} (published)[/dim]", str(p["pearson"]), str(p["rmse"] or "–"), "–"
        )
    common.console.print(table)
    latency = r["latency_ms"]
    common.console.print(f"latency per answer: p50 {latency['p50']} ms, p95 {latency['p95']} ms")
