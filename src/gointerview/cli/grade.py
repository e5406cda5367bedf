"""`gointerview grade ...` and `gointerview benchmark grading`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from gointerview.bank.schema import Level
from gointerview.cli import common
from gointerview.errors import GointerviewError
from gointerview.grading.text.grader import TextGrade, grade_text, points

if TYPE_CHECKING:
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
) -> None:
    """Grade one answer to a bank question: score, level, key points hit (with the quoted
    evidence) and missed, misconceptions, and the follow-up to ask next."""
    if (text is None) == (answer_file is None):
        raise GointerviewError("give exactly one of --answer TEXT or --answer-file FILE")
    if answer_file is not None:
        try:
            text = answer_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise GointerviewError(f"cannot read {answer_file}: {exc.strerror}") from exc
    assert text is not None
    grade = grade_text(common.bank().get(question), text, **common.grading_backends())
    if as_json:
        common.print_json(grade.model_dump(mode="json"))
        return
    render_grade(grade, text)


def render_grade(grade: TextGrade, text: str) -> None:
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
    if grade.follow_up:
        common.console.print(f"[cyan]↳ {'追问' if zh else 'Follow-up'}:[/cyan] {grade.follow_up}")
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
            "the prepared Go caches: `gointerview exercise setup`).",
        ),
    ] = True,
    as_json: JsonFlag = False,
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
        )
    if fill_to is not None:
        from gointerview.docimport.fill import fill
        from gointerview.docimport.parse import read_text

        text, _ = read_text(document)
        common.write_atomic(fill_to, fill(text, graded, parsed.template))
        common.console_err.print(f"[green]✓[/green] filled in → {fill_to}", highlight=False)
        if output is None and not as_json:
            return
    common.write_output(renderers[fmt](graded) + ("\n" if fmt == "json" else ""), output)


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
        why = "not built: the Go caches are not prepared (`gointerview exercise setup`)"
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

    try:
        lines = input_file.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise GointerviewError(f"cannot read {input_file}: {exc.strerror}") from exc
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
        list[str] | None, typer.Option("--dataset", help="mohler and/or ads (default both).")
    ] = None,
    data_dir: Annotated[
        Path | None, typer.Option("--data", help="Folder holding mohler2011/ and ads_zh/.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Agreement with human graders (Pearson r, RMSE, QWK, latency), cross-validated by
    question, next to a TF-IDF baseline and published figures."""
    from gointerview.grading.text.benchmark import LOADERS, default_data_dir, run

    names = dataset or ["mohler", "ads"]
    unknown = [n for n in names if n not in LOADERS]
    if unknown:
        raise GointerviewError(f"unknown dataset(s) {unknown}; choose from {sorted(LOADERS)}")
    root = data_dir or default_data_dir()
    results = []
    for name in names:
        with Progress(
            TextColumn(name),
            BarColumn(),
            MofNCompleteColumn(),
            console=common.console_err,
            transient=True,
        ) as bar:
            task = bar.add_task(name, total=None)

            def progress(i: int, n: int, task: TaskID = task, bar: Progress = bar) -> None:
                bar.update(task, completed=i, total=n)

            results.append(run(name, root, progress))
    if as_json:
        common.print_json(results)
        return
    for r in results:
        table = Table(
            title=f"{r['dataset']}: {r['answers']} answers, {r['questions']} "
            f"questions, scale {r['scale']}, {r['cv']}"
        )
        for col in ("system", "Pearson r", "RMSE", "QWK"):
            table.add_column(col)
        ours, base = r["gointerview"], r["tfidf_baseline"]
        assert isinstance(ours, dict) and isinstance(base, dict)
        table.add_row(
            "gointerview (offline default)",
            str(ours["pearson"]),
            str(ours["rmse"]),
            str(ours["qwk"]),
        )
        table.add_row(
            "TF-IDF cosine baseline (same run)",
            str(base["pearson"]),
            str(base["rmse"]),
            str(base["qwk"]),
        )
        published = r["published"]
        assert isinstance(published, list)
        for p in published:
            table.add_row(
                f"[dim]{p['system']} (published)[/dim]",
                str(p["pearson"]),
                str(p["rmse"] or "–"),
                "–",
            )
        common.console.print(table)
        latency = r["latency_ms"]
        assert isinstance(latency, dict)
        common.console.print(
            f"latency per answer: p50 {latency['p50']} ms, p95 {latency['p95']} ms"
        )
