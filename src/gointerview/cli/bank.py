"""`gointerview bank ...`: validate, list, show and count questions."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer
from rich.markdown import Markdown
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from gointerview.bank import Bank, check_bank
from gointerview.bank.schema import Area, Level, Question
from gointerview.cli import common
from gointerview.errors import GointerviewError

app = typer.Typer(help="Work with the question bank.", no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
LangOption = Annotated[str, typer.Option("--lang", help="zh or en.")]


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Bank files or folders to check, beside the built-in bank."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Hold these banks to the built-in content standard.")
    ] = False,
    no_builtin: Annotated[
        bool, typer.Option("--no-builtin", help="Check only PATHs, without the built-in bank.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Check the bank: schema, ids, follow-ups, languages. Every problem is printed as
    path:line:col: message; exit code 1 if any is an error."""
    extra = list(paths) if paths else common.config().banks
    bank, result = check_bank(builtin=not no_builtin, extra=extra, strict_extra=strict)
    errors = [p for p in result.problems if p.severity == "error"]
    warnings = [p for p in result.problems if p.severity != "error"]
    if as_json:
        common.print_json(
            {
                "ok": not errors,
                "files": len(result.files),
                "questions": len(bank),
                "errors": len(errors),
                "warnings": len(warnings),
                "problems": [p.as_dict() for p in result.problems],
            }
        )
    else:
        for problem in result.problems:
            style = "red" if problem.severity == "error" else "yellow"
            common.console.print(f"[{style}]{problem}[/{style}]", soft_wrap=True)
        if errors:
            common.console.print(
                f"[red]✗ {len(errors)} error(s), {len(warnings)} warning(s)[/red] "
                f"in {len(result.files)} file(s)"
            )
        else:
            common.console.print(
                f"[green]✓ bank OK[/green]: {len(bank)} questions in {len(result.files)} file(s)"
                + (f", {len(warnings)} warning(s)" if warnings else "")
            )
    if errors:
        raise typer.Exit(1)


def _filtered(
    bank: Bank, area: list[Area] | None, level: list[Level] | None, tag: list[str] | None
) -> list[Question]:
    return bank.filter(areas=area or (), levels=level or (), tags=tag or ())


@app.command("list")
def list_questions(
    area: Annotated[list[Area] | None, typer.Option("--area", help="Filter by area.")] = None,
    level: Annotated[list[Level] | None, typer.Option("--level", help="Filter by level.")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Filter by tag.")] = None,
    needs_revision: Annotated[
        bool, typer.Option("--needs-revision", help="Only questions marked for revision.")
    ] = False,
    lang: LangOption = "",
    as_json: JsonFlag = False,
) -> None:
    """List questions (id, type, area, level, prompt). Filters may repeat."""
    bank = common.bank()
    lang = lang or common.config().lang
    questions = _filtered(bank, area, level, tag)
    if needs_revision:  # `gointerview revise add ID` marks one
        from gointerview.cli.review import store
        from gointerview.progress.revise import marked_ids

        marked = marked_ids(store())
        questions = [q for q in questions if q.id in marked]
    if as_json:
        common.print_json(
            [
                {
                    "id": q.id,
                    "type": q.type.value,
                    "area": q.area.value,
                    "ability": q.ability.value,
                    "level": q.level.value,
                    "tags": list(q.tags),
                    "prompt": q.prompt.get(lang),
                }
                for q in questions
            ]
        )
        return
    table = Table(title=f"{len(questions)} question(s)", show_lines=False)
    for column in ("id", "type", "area", "level", "prompt"):
        table.add_column(column, overflow="fold")
    for q in questions:
        prompt = q.prompt.get(lang).strip().splitlines()[0]
        table.add_row(q.id, q.type.value, q.area.value, q.level.value, prompt[:80])
    common.console.print(table)


@app.command()
def show(
    question_id: Annotated[str, typer.Argument(metavar="ID", help="Question id.")],
    lang: LangOption = "",
    with_answer: Annotated[
        bool, typer.Option("--with-answer", help="Also print the reference answer and rubric.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Show one question; with --with-answer also its reference answer, key points,
    misconceptions and follow-ups."""
    q = common.bank().get(question_id)
    lang = lang or common.config().lang
    if as_json:
        data = q.model_dump(mode="json")
        if not with_answer:
            for key in ("reference_answer", "key_points", "misconceptions", "follow_ups"):
                data.pop(key)
        common.print_json(data)
        return
    header = f"{q.id} · {q.type.value} · {q.area.value} · {q.level.value}"
    common.console.print(Panel(Markdown(q.prompt.get(lang)), title=header, expand=False))
    if q.asked_as:
        label = "也常这样问" if lang == "zh" else "Also asked as"
        wordings = "\n".join(f"  · {escape(w.get(lang))}" for w in q.asked_as)
        common.console.print(f"[dim]{label}:\n{wordings}[/dim]")
    if not with_answer:
        return
    title = "参考答案" if lang == "zh" else "Reference answer"
    common.console.print(Panel(Markdown(q.reference_answer.get(lang)), title=title))
    table = Table(title="要点" if lang == "zh" else "Key points", show_lines=True)
    table.add_column("id")
    table.add_column("w", justify="right")
    table.add_column("point", overflow="fold")
    table.add_column("terms", overflow="fold")
    for kp in q.key_points:
        marker = " *" if kp.required else ""
        table.add_row(kp.id + marker, f"{kp.weight:g}", kp.text(lang), "; ".join(kp.terms))
    common.console.print(table)
    for m in q.misconceptions:
        label = "误区" if lang == "zh" else "Misconception"
        common.console.print(f"[red]✗ {label}:[/red] {m.claim.get(lang)}\n  → {m.why.get(lang)}")
    for f in q.follow_ups:
        when = f"missed {f.when_missed}" if f.when_missed else "always"
        common.console.print(f"[cyan]↳ follow-up ({when}):[/cyan] {f.text(lang)}")
    if q.sources:
        common.console.print("[dim]sources: " + "; ".join(q.sources) + "[/dim]")


@app.command()
def stats(as_json: JsonFlag = False) -> None:
    """Count questions by area, ability, dimension, level and type (the coverage table)."""
    bank = common.bank()
    data = bank.stats()
    if as_json:
        common.print_json(data)
        return
    common.console.print(coverage_table(bank))
    common.console.print(syllabus_table(bank))
    for key in ("by_ability", "by_dimension", "by_type"):
        table = Table(title=key.removeprefix("by_"), show_header=False)
        for name, n in data[key].items():
            table.add_row(name, str(n))
        common.console.print(table)
    common.console.print(
        f"{data['questions']} questions, {data['key_points']} key points, "
        f"{data['follow_ups']} follow-ups, {data['misconceptions']} misconceptions"
    )


@app.command()
def selfcheck(
    question_ids: Annotated[list[str] | None, typer.Argument(metavar="[ID...]")] = None,
    in_file: Annotated[
        list[Path] | None,
        typer.Option("--file", help="Only the questions of this bank file (repeatable)."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Grade the bank against itself: each reference answer must rate 精通 without stating a
    misconception, each misconception's claim must trip its own detector, and each follow-up's
    expected answer must hit its own key points."""
    from gointerview.bank.selfcheck import check_bank

    bank = common.bank()
    questions = [bank.get(i) for i in question_ids] if question_ids else bank.questions
    if in_file:
        wanted = {p.resolve() for p in in_file}
        questions = [e.question for e in bank.entries if Path(e.path).resolve() in wanted]
        if not questions:
            raise GointerviewError(f"no bank question comes from {', '.join(map(str, in_file))}")
    issues = check_bank(questions, bank.questions)
    if as_json:
        common.print_json([i.__dict__ for i in issues])
    else:
        for i in issues:
            common.console.print(
                f"[yellow]{i.question}[/yellow] ({i.lang}) {i.kind}: {i.detail}",
                soft_wrap=True,
                markup=True,
                highlight=False,
            )
        common.console.print(f"{len(issues)} issue(s) in {len(questions)} question(s)")
    if issues:
        raise typer.Exit(1)


@app.command("import")
def import_doc(
    document: Annotated[Path, typer.Argument(metavar="FILE.md", help="Notes, a quiz, a record.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The bank file to write.")],
    prefix: Annotated[
        str, typer.Option("--prefix", help="Id prefix (default: from the file name).")
    ] = "",
    written_answers: Annotated[
        bool,
        typer.Option(
            "--written-answers/--no-written-answers",
            help="Use an answer written under a question as its reference when the document "
            "has no answer key or reference for it (right for study notes).",
        ),
    ] = True,
    practice: Annotated[
        bool | None,
        typer.Option(
            "--practice/--no-practice",
            help="Import a question the document leaves without any answer with the rubric of "
            "the bank question it asks (default: only when no question has an answer, as in a "
            "question index).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUTPUT.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Turn a Markdown document into a user bank: one reference-only question per document
    question (each quiz item paired with its answer-key entry), checked with `bank validate`
    before it is written. Add it with `banks = [...]` in the config or GOINTERVIEW_BANKS."""
    from gointerview.docimport.parse import read_document
    from gointerview.docimport.to_bank import import_document, slug, to_yaml

    if output.exists() and not force:
        raise GointerviewError(f"{output} exists: pass --force to overwrite it")
    prefix = prefix or slug(document.stem, limit=4) or "imported"
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", prefix):
        raise GointerviewError("--prefix must be lower-case letters, digits, '.', '_' or '-'")
    doc = read_document(document)
    bank = common.bank()
    imported = import_document(
        doc, bank, prefix=prefix, written_answers=written_answers, practice=practice
    )
    if not imported.questions:
        raise GointerviewError(
            f"{document}: nothing to import — {len(doc.questions)} questions found, none with "
            "a reference answer, a written answer or a bank question that asks it"
        )
    header = (
        f"Imported by `gointerview bank import` from {document.name}.\n"
        "Reference-only questions: review the guessed area/ability/level, add key points to "
        "grade more precisely\n(docs/bank-format.md)."
    )
    text = to_yaml(imported, header=header)
    problems = _check_before_writing(text, output, bank)
    common.write_atomic(output, text)
    summary = {
        "output": str(output),
        "questions": len(doc.questions),
        "imported": len(imported.questions),
        "paired_with_answer_key": imported.paired_with_key,
        "reference_from": {
            "document_reference": imported.paired_with_key,
            "written_answer": imported.from_answer,
            "bank_rubric": imported.from_bank,
        },
        "skipped": [s.model_dump() for s in imported.skipped],
        "notices": [n.model_dump() for n in doc.notices],
        "warnings": problems,
    }
    if as_json:
        common.print_json(summary)
        return
    taken = [
        (imported.paired_with_key, "from the document's own reference (answer key, 参考答案, …)"),
        (imported.from_answer, "from the answer written under the question"),
        (imported.from_bank, "from the rubric of the bank question it asks"),
    ]
    common.console.print(
        f"[green]✓[/green] {len(imported.questions)} of {len(doc.questions)} questions → {output}",
        highlight=False,
    )
    for count, where in taken:
        if count:
            common.console.print(f"  {count} with a reference {where}", highlight=False)
    for s in imported.skipped:
        common.console.print(f"  skipped {document}:{s.line} {s.title[:60]} — {s.reason}")
    for n in doc.notices:
        common.console.print(f"  [dim]{document}:{n.line}: {n.message}[/dim]")
    common.console.print(
        f"  {len(problems)} notes against the built-in bank's content standard (key points, "
        f"both languages, follow-ups), which your own bank need not meet: "
        f"`gointerview bank validate {output}` lists them"
    )


def _check_before_writing(text: str, output: Path, bank: Bank) -> list[str]:
    """Validate the new bank as `bank validate` would — schema, integrity, ids that clash
    with the banks already loaded (the file being replaced aside) — before it replaces
    anything; an error here is a bug in the importer, reported as such."""
    import tempfile

    from gointerview.bank.loader import load_file
    from gointerview.bank.validate import check_content, check_integrity

    with tempfile.TemporaryDirectory() as tmp:
        candidate = Path(tmp) / output.name
        candidate.write_text(text, encoding="utf-8")
        questions, problems = load_file(candidate)
    problems += check_integrity(questions) + check_content(questions, strict=False)
    replaced = output.resolve()
    taken = {e.question.id for e in bank.entries if e.path.resolve() != replaced}
    clashes = [sq.question.id for sq in questions if sq.question.id in taken]
    if clashes:
        raise GointerviewError(
            f"ids already in your banks: {', '.join(clashes[:3])} — pick another --prefix"
        )
    errors = [str(p) for p in problems if p.severity == "error"]
    if errors:
        raise GointerviewError(
            "the imported bank does not validate (please report this): " + errors[0]
        )
    return [p.message for p in problems]


def syllabus_table(bank: Bank) -> Table:
    """Each syllabus section: its topic bullets and how many are covered by questions."""
    from gointerview.bank.syllabus import syllabus

    ids = {q.id for q in bank.questions}
    table = Table(title="Coverage: syllabus topics (content/syllabus.yaml)")
    for col in ("section", "topics", "covered", "questions"):
        table.add_column(col, justify="left" if col == "section" else "right")
    for section, bullets in syllabus().items():
        covered = sum(1 for qs in bullets.values() if any(q in ids for q in qs))
        questions = len({q for qs in bullets.values() for q in qs if q in ids})
        style = "green" if covered == len(bullets) else "red"
        table.add_row(section, str(len(bullets)), f"[{style}]{covered}[/{style}]", str(questions))
    return table


def coverage_table(bank: Bank) -> Table:
    """Areas × levels, with totals: where the bank is thin shows at a glance."""
    table = Table(title="Coverage: questions by area and level")
    table.add_column("area")
    for level in Level:
        table.add_column(level.value, justify="right")
    table.add_column("total", justify="right", style="bold")
    for area in Area:
        row = [q for q in bank.questions if q.area is area]
        counts = [sum(1 for q in row if q.level is level) for level in Level]
        table.add_row(area.value, *(str(c) if c else "·" for c in counts), str(len(row)))
    return table
