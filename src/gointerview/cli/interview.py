"""`gointerview interview`, `plans`, `sessions`: mock interviews in the terminal."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table

from gointerview.bank.schema import Level, QuestionType
from gointerview.bank.yamlpos import YamlParseError, parse_yaml, to_plain
from gointerview.cli import common, learn
from gointerview.errors import GointerviewError
from gointerview.grading.text.grader import points
from gointerview.interview.engine import Answer, DontKnow, Event, Pause, Resume, Session, Skip
from gointerview.interview.plans import get_plan, load_plans
from gointerview.interview.service import Runner, new_session, run_scripted

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
sessions_app = typer.Typer(help="Saved interview sessions.", invoke_without_command=True)

HELP_LINE = {
    "zh": "回答可以多行，空行结束（Ctrl-D 会先问是否提交）。命令：:e 打开编辑器  :skip 跳过  "
    ":idk 不会  :pause 暂停（Ctrl-C 同）",
    "en": "Answer in as many lines as you like; an empty line ends it (Ctrl-D asks before "
    "submitting). Commands: :e editor, :skip, :idk (I don't know), :pause (or Ctrl-C)",
}
CONFIRM = {"zh": "提交这段回答？[y/N] ", "en": "Submit this answer? [y/N] "}


def _store() -> Any:
    from gointerview.store.db import Store, default_url

    cfg = common.config()
    return Store(cfg.database_url or default_url(cfg.ensure_data_dir()))


def _runner(store: Any, lang: str) -> Runner:
    from gointerview.exercises.catalog import builtin_catalog

    catalog = builtin_catalog()

    def code_grader(exercise_id: str, directory: Path) -> dict[str, Any]:
        from gointerview.exercises.service import grade_directory, prepare
        from gointerview.grading.code.sandbox import make_runner
        from gointerview.grading.code.toolchain import Toolchain

        toolchain = Toolchain.find(common.config().ensure_data_dir())
        with common.console_err.status("preparing the Go caches (first run only)"):
            prepare(toolchain, catalog)
        result = grade_directory(
            catalog.get(exercise_id), directory, runner=make_runner(), toolchain=toolchain
        )
        return result.model_dump(mode="json")

    return Runner(
        bank=common.bank(),
        catalog=catalog,
        store=store,
        code_grader=code_grader,
        grade_options=common.grading_backends(),
    )


def _offer_resume(store: Any) -> tuple[bool, str | None]:
    """A paused round is waiting: ask whether to continue it rather than start another."""
    from gointerview.errors import NotFoundError

    try:
        paused = store.load(None)
    except NotFoundError:
        return False, None
    zh = paused.lang == "zh"
    done = len([i for i in paused.main_items() if i.status != "asked"])
    total = paused.plan.questions + paused.plan.coding
    question = (
        f"有一轮暂停的面试（{paused.id}，{paused.plan.name.get('zh')}，已答 {done}/{total}）。"
        "继续它？[Y/n] "
        if zh
        else f"A paused round is waiting ({paused.id}, {paused.plan.name.get('en')}, "
        f"{done}/{total} answered). Continue it? [Y/n] "
    )
    try:
        reply = input(question).strip().lower()
    except EOFError:
        return False, None
    return reply in ("", "y", "yes", "是", "好"), paused.id


def _check_answer_keys(path: Path, scripted: dict[str, Any], runner: Runner) -> None:
    """Every key must be a position, a question or exercise id, or `<id>/follow-up`."""
    import difflib

    known = {q.id for q in runner.bank.questions}
    if runner.catalog is not None:
        known |= set(runner.catalog.exercises)
    unknown = [k for k in scripted if not k.isdigit() and k.removesuffix("/follow-up") not in known]
    if unknown:
        hints = []
        for key in unknown[:5]:
            close = difflib.get_close_matches(key.removesuffix("/follow-up"), known, n=1)
            hints.append(f"{key}" + (f" (did you mean {close[0]}?)" if close else ""))
        raise GointerviewError(
            f"{path}: {len(unknown)} key(s) name no question, exercise or position: "
            + ", ".join(hints)
        )


def _report_unused_keys(path: Path, scripted: dict[str, Any], session: Session) -> None:
    """Keys of questions the round did not ask; an error when none was used at all."""
    used = {str(i.seq) for i in session.items} | {i.ref for i in session.items}
    used |= {f"{i.ref}/follow-up" for i in session.items if i.kind == "follow_up"}
    unused = [k for k in scripted if k not in used]
    if unused and len(unused) == len(scripted):
        raise GointerviewError(
            f"{path}: none of its {len(scripted)} answer(s) matched a question of this round "
            f"(asked: {', '.join(i.ref for i in session.main_items())}); every question was skipped"
        )
    if unused:
        common.console_err.print(
            f"[yellow]{path}: not asked in this round: {', '.join(unused)}[/yellow]"
        )


def _load_answers(path: Path) -> dict[str, Any]:
    text = common.read_text(path, what="answers file")
    try:
        data = json.loads(text) if path.suffix == ".json" else to_plain(parse_yaml(path, text))
    except YamlParseError as exc:
        raise GointerviewError(str(exc.problem)) from exc
    except json.JSONDecodeError as exc:
        raise GointerviewError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise GointerviewError(f"{path}: expected a mapping of question id or position to answer")
    base = path.parent
    out = {}
    for key, value in data.items():
        if isinstance(value, dict) and "code" in value:  # code paths relative to the file
            value = {"code": str((base / str(value["code"])).resolve())}
        out[str(key)] = value
    return out


def interview(
    session_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="With --resume: the session.")
    ] = None,
    plan: Annotated[
        str, typer.Option("--plan", help="screen, deep, design, final, or yours.")
    ] = "deep",
    plan_file: Annotated[
        Path | None, typer.Option("--plan-file", help="Your plans (YAML).")
    ] = None,
    level: Annotated[Level, typer.Option("--level")] = Level.SENIOR,
    lang: Annotated[str, typer.Option("--lang", help="zh or en.")] = "",
    seed: Annotated[int | None, typer.Option("--seed", help="Replay the same questions.")] = None,
    tags: Annotated[
        list[str] | None,
        typer.Option(
            "--tag",
            help="Only questions with this tag, of any type and area (repeatable); e.g. "
            "`--tag imported` for the questions of `bank import`.",
        ),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue a paused session (the latest, or ID).")
    ] = False,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Run non-interactively: YAML/JSON of question id or position → "
            "answer text (or {code: DIR} for exercises; ':skip', ':idk').",
        ),
    ] = None,
    feedback_in_answer_lang: Annotated[
        bool,
        typer.Option(
            "--feedback-in-answer-language",
            help="Write each 点评 in the language of your answer (default: the session's).",
        ),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """A mock interview: questions chosen by the plan and your level, 点评 after every answer,
    follow-ups on what you missed, saved after every step (Ctrl-C pauses; --resume continues)."""
    if session_id and not resume:
        raise GointerviewError("a session ID is only taken with --resume")
    store = _store()
    if not resume and answers is None and sys.stdin.isatty():
        resume, session_id = _offer_resume(store)
    if resume:
        session = store.load(session_id)
        lang = session.lang
    else:
        lang = lang or common.config().lang
        if lang not in ("zh", "en"):
            raise GointerviewError("--lang must be zh or en")
        chosen = get_plan(plan, plan_file)
        if tags:
            chosen = chosen.model_copy(
                update={"tags": list(tags), "types": list(QuestionType), "areas": [], "coding": 0}
            )
        session = new_session(chosen, level=level, lang=lang, seed=seed, now=_now())
        session.feedback_in_answer_lang = feedback_in_answer_lang
    runner = _runner(store, lang)
    if answers is not None:
        scripted = _load_answers(answers)
        _check_answer_keys(answers, scripted, runner)
        session = run_scripted(runner, session, scripted)
        _report_unused_keys(answers, scripted, session)
        if as_json:
            common.print_json(transcript(session))
        else:
            _summary(session)
        return
    if not sys.stdin.isatty() and as_json:
        raise GointerviewError("--json needs --answers (a scripted run)")
    _interactive(runner, session)


def _now() -> float:
    import time

    return time.time()


# ---------------------------------------------------------------- terminal


def _interactive(runner: Runner, session: Session) -> None:
    console = common.console
    zh = session.lang == "zh"
    session = runner.reopen(session)
    try:
        if session.state == "ready":
            console.print(
                Panel(
                    f"{session.plan.name.get(session.lang)} · {session.level} · "
                    f"{session.plan.minutes} min · seed {session.seed}\n" + HELP_LINE[session.lang],
                    title="gointerview",
                )
            )
            session = runner.start(session)
        elif session.state == "paused":
            console.print(("继续面试 " if zh else "Resuming ") + session.id)
            session = runner.apply(session, Resume())
        while session.state != "finished":
            if session.state == "awaiting_grade":
                session = runner.grade_pending(session)
                _show_grade(session)
                learn.show_reference(runner, session)
                continue
            event = _ask(session, runner)
            asked = session.current.seq if session.current is not None else None
            session = runner.apply(session, event)
            if isinstance(event, Skip | DontKnow):
                learn.show_reference(runner, session, asked)
            if isinstance(event, Pause):
                _paused(session)
                return
    except KeyboardInterrupt:
        session = runner.store.load(session.id)  # what was committed last
        if session.state != "finished":
            session = runner.apply(session, Pause())
            _paused(session)
            return
    _summary(session)


def _paused(session: Session) -> None:
    zh = session.lang == "zh"
    common.console.print(
        ("\n已暂停，进度已保存。继续：" if zh else "\nPaused; everything is saved. Continue with: ")
        + f"[bold]gointerview interview --resume {session.id}[/bold]",
        soft_wrap=True,
    )


def _ask(session: Session, runner: Runner | None = None) -> Event:
    item = session.current
    assert item is not None
    lang = session.lang
    zh = lang == "zh"
    asked = len([i for i in session.items if i.kind != "follow_up"])
    total = session.plan.questions + session.plan.coding
    left = max(0, int(session.time_left(_now()) // 60))
    kind = {
        "question": "问题" if zh else "Question",
        "follow_up": "追问" if zh else "Follow-up",
        "exercise": "手撕代码" if zh else "Coding",
    }[item.kind]
    header = f"{kind} {asked}/{total} · " + (f"剩余 {left} 分钟" if zh else f"{left} min left")
    body = item.prompt.get(lang) or item.prompt.get("en", "")
    if item.kind == "exercise":
        body += (
            (
                "\n\n（用 `gointerview exercise start "
                if zh
                else "\n\n(Write it with `gointerview exercise start "
            )
            + f"{item.ref} DIR`"
            + ("，然后在这里输入目录路径）" if zh else ", then enter the directory path here)")
        )
    common.console.print(
        Panel(Markdown(common.keep_lines(body)), title=header, border_style="cyan")
    )
    if runner is not None:
        learn.show_retro_notes(runner, session)
    return _read_answer(lang)


def _read_answer(lang: str) -> Event:
    lines: list[str] = []
    while True:
        try:
            line = input("> " if not lines else "  ")
        except EOFError:
            # Ctrl-D: nothing typed pauses; half an answer is submitted only when confirmed
            # (a pipe that ran dry cannot be asked, so there it is submitted)
            print()
            if not lines:
                return Pause()
            if not sys.stdin.isatty() or _confirm(lang):
                return Answer(text="\n".join(lines))
            continue
        command = line.strip()
        if not lines and command in (":skip", ":idk", ":pause", ":e", ":q"):
            if command == ":skip":
                return Skip()
            if command == ":idk":
                return DontKnow()
            if command in (":pause", ":q"):
                return Pause()
            return _editor(lang)
        if not command and lines:
            return Answer(text="\n".join(lines))
        if command:
            lines.append(line)


def _confirm(lang: str) -> bool:
    try:
        reply = input(CONFIRM[lang])
    except EOFError:
        print()
        return True
    return reply.strip().lower() in ("y", "yes", "是", "好")


def _editor(lang: str) -> Event:
    editor = os.environ.get("EDITOR") or "vi"
    with tempfile.NamedTemporaryFile("w+", suffix=".md", delete=False, encoding="utf-8") as f:
        path = Path(f.name)
    try:
        subprocess.run([*shlex.split(editor), str(path)], check=False)
        text = path.read_text(encoding="utf-8").strip()
    finally:
        path.unlink(missing_ok=True)
    return Answer(text=text) if text else _read_answer(lang)


def _show_grade(session: Session) -> None:
    item = next((i for i in reversed(session.items) if i.status == "graded"), None)
    if item is None or item.grade is None:
        return
    if "code" in item.grade:
        from gointerview.cli.exercise import render_result
        from gointerview.grading.code.results import CodeResult

        try:
            render_result(CodeResult.model_validate(item.grade["code"]), Path(item.answer or "."))
        except ValueError:
            common.console.print(str(item.grade["code"].get("message")))
        return
    from gointerview.cli.grade import render_grade
    from gointerview.grading.text.grader import TextGrade

    render_grade(
        TextGrade.model_validate({**item.grade, "features": {}}),
        item.answer or "",
        suggest_follow_up=False,
    )


def _summary(session: Session) -> None:
    zh = session.lang == "zh"
    table = Table(title=("面试小结 " if zh else "Summary ") + session.id)
    for col in ("#", "kind", "question", "score", "level"):
        table.add_column(col)
    for i in session.items:
        score = "—" if i.score is None else points(i.score)
        table.add_row(str(i.seq), i.kind, i.ref, score, i.level or i.status)
    common.console.print(table)
    from gointerview.exercises.catalog import builtin_catalog
    from gointerview.report.evaluate import evaluate

    # the report's overall figure, so the terminal and the report never disagree
    report = evaluate(session, common.bank(), builtin_catalog())
    if report.overall_score is not None:
        common.console.print(
            ("总体 " if zh else "Overall ")
            + f"{points(report.overall_score)}/100 · {report.overall_level}"
        )
    common.console.print(
        ("评估报告：" if zh else "Evaluation report: ")
        + f"[bold]gointerview report {session.id} --format html -o report.html[/bold]; "
        + ("完整记录：" if zh else "full transcript: ")
        + f"[bold]gointerview sessions show {session.id} --json[/bold]",
        soft_wrap=True,
    )


# ---------------------------------------------------------------- listings


def transcript(session: Session) -> dict[str, Any]:
    return session.model_dump(mode="json")


def plans(as_json: JsonFlag = False) -> None:
    """List the interview plans."""
    all_plans = load_plans()
    if as_json:
        common.print_json([p.model_dump(mode="json") for p in all_plans.values()])
        return
    table = Table(title="plans")
    for col in ("id", "name", "minutes", "questions", "coding", "weights"):
        table.add_column(col)
    lang = common.config().lang
    for p in all_plans.values():
        weights = ", ".join(f"{a.value} {w:.0%}" for a, w in p.weights.items())
        table.add_row(
            p.id, p.name.get(lang), str(p.minutes), str(p.questions), str(p.coding), weights
        )
    common.console.print(table)


@sessions_app.callback()
def sessions(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List saved sessions (newest first)."""
    if ctx.invoked_subcommand is not None:
        return
    rows = _store().sessions()
    data = [
        {
            "id": r.id,
            "plan": r.plan_id,
            "level": r.level,
            "lang": r.lang,
            "seed": r.seed,
            "state": r.state,
            "created_at": r.created_at.isoformat(),
            "answered": sum(1 for i in r.snapshot.get("items", []) if i.get("answer")),
        }
        for r in rows
    ]
    if as_json:
        common.print_json(data)
        return
    table = Table(title=f"{len(data)} session(s)")
    for col in ("id", "plan", "level", "state", "answered", "created"):
        table.add_column(col)
    for d in data:
        table.add_row(
            d["id"], d["plan"], d["level"], d["state"], str(d["answered"]), d["created_at"][:16]
        )
    common.console.print(table)


@sessions_app.command("show")
def show_session(
    session_id: Annotated[str, typer.Argument(metavar="ID")], as_json: JsonFlag = False
) -> None:
    """Print one session's transcript: every question, the answer given and its 点评."""
    session = _store().load(session_id)
    if as_json:
        common.print_json(transcript(session))
        return
    zh = session.lang == "zh"
    kinds = {"question": "问题", "follow_up": "追问", "exercise": "手撕代码"} if zh else {}
    for item in session.items:
        prompt = item.prompt.get(session.lang) or item.prompt.get("en", "")
        score = "" if item.score is None else f" · {points(item.score)} {item.level or ''}"
        title = f"{item.seq}. {kinds.get(item.kind, item.kind)} `{item.ref}` · {item.status}{score}"
        body = [common.keep_lines(prompt.strip()), ""]
        if item.answer:
            body += [
                ("**回答**" if zh else "**Answer**"),
                "",
                *(f"> {line}" for line in item.answer.splitlines()),
                "",
            ]
        feedback = (item.grade or {}).get("feedback")
        if feedback:
            body += [
                ("**点评**" if zh else "**Verdict**"),
                "",
                *(f"- {line}" for line in feedback.splitlines()),
            ]
        common.console.print(Panel(Markdown("\n".join(body)), title=title, title_align="left"))
    _summary(session)


def report(
    session_id: Annotated[str, typer.Argument(metavar="SESSION")],
    fmt: Annotated[str, typer.Option("--format", help="md, html or json.")] = "md",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="zh or en (default: the session's).")] = "",
) -> None:
    """The evaluation report of a session: five dimensions × 精通/熟练/了解/欠缺, each citing the
    answers it rests on ("not enough evidence" where a dimension was not probed), the verdict
    against the level's bar, strengths, gaps and a study plan."""
    from gointerview.exercises.catalog import builtin_catalog
    from gointerview.report.evaluate import evaluate
    from gointerview.report.render import to_html, to_json, to_markdown

    renderers = {"md": to_markdown, "html": to_html, "json": to_json}
    if fmt not in renderers:
        raise GointerviewError("--format must be md, html or json")
    session = _store().load(session_id)
    if lang:
        if lang not in ("zh", "en"):
            raise GointerviewError("--lang must be zh or en")
        session = session.model_copy(update={"lang": lang})
    text = renderers[fmt](evaluate(session, common.bank(), builtin_catalog()))
    common.write_output(text, output)
