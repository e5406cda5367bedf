"""`gointerview review`: today's due review cards (FSRS), in the terminal or scripted."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markdown import Markdown
from rich.panel import Panel

from gointerview.cli import common
from gointerview.errors import GointerviewError

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
IDK, SKIP = ":idk", ":skip"
HELP = {
    "zh": "用自己的话回答，空行结束。命令：:skip 跳过（留到下次） :idk 不会（记为 Again） "
    ":pause 或 Ctrl-C 结束（已复习的都已保存）",
    "en": "Answer in your own words; an empty line ends it. Commands: :skip (keep it for "
    "later), :idk (rated Again), :pause or Ctrl-C to stop (every review is already saved)",
}


def store() -> Any:
    from gointerview.store.db import Store, default_url

    cfg = common.config()
    return Store(cfg.database_url or default_url(cfg.ensure_data_dir()))


def _lang(lang: str) -> str:
    lang = lang or common.config().lang
    if lang not in ("zh", "en"):
        raise GointerviewError("--lang must be zh or en")
    return lang


def review(
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="At most this many cards.")
    ] = None,
    due: Annotated[
        bool, typer.Option("--due", help="Only count the cards due (today, by tomorrow, new).")
    ] = False,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help="List every card with its schedule (and, with --json, its "
            "review logs in fsrs's ReviewLog form).",
        ),
    ] = False,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Run non-interactively: YAML/JSON of card id → answer (':idk', ':skip').",
        ),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="zh or en (default: config).")] = "",
    as_json: JsonFlag = False,
) -> None:
    """Review today's due cards: each asks one key point you missed (or a misconception you
    stated) as a short question; your answer is graded against that point, rated
    Again/Hard/Good/Easy from the grade (欠缺/了解/熟练/精通) and rescheduled by FSRS.
    Without a terminal, --json lists the due cards; --answers runs them from a file."""
    from gointerview.progress.cards import sync_sessions
    from gointerview.progress.clock import now_utc
    from gointerview.progress.review import due_cards, due_count

    lang = _lang(lang)
    db, bank, now = store(), common.bank(), now_utc()
    sync_sessions(db, bank, now=now)
    if due:
        counts = due_count(db, now=now)
        if as_json:
            common.print_json(counts.model_dump(mode="json"))
        else:
            _print_counts(counts, lang)
        return
    if show_all:
        _list_all(db, lang, as_json)
        return
    cards = due_cards(db, now=now, limit=limit, lang=lang)
    if answers is not None:
        _scripted(db, bank, cards, answers, lang, as_json)
        return
    if as_json or not sys.stdin.isatty():
        if not as_json:
            raise GointerviewError(
                "review is interactive: run it in a terminal, or pass --answers FILE "
                "(or --json to list the due cards)"
            )
        common.print_json([c.model_dump(mode="json") for c in cards])
        return
    _interactive(db, bank, cards, lang)


def _print_counts(counts: Any, lang: str) -> None:
    zh = lang == "zh"
    nxt = counts.next_due.astimezone().strftime("%Y-%m-%d %H:%M") if counts.next_due else "—"
    common.console.print(
        f"今天到期 {counts.due_now} 张 · 明天前 {counts.due_tomorrow} 张 · 新卡 {counts.new} 张 · "
        f"共 {counts.total} 张 · 最早到期 {nxt}"
        if zh
        else f"due today {counts.due_now} · by tomorrow {counts.due_tomorrow} · new "
        f"{counts.new} · total {counts.total} · next due {nxt}"
    )


def _list_all(db: Any, lang: str, as_json: bool) -> None:
    from rich.table import Table

    from gointerview.progress.review import all_cards, review_logs

    cards = all_cards(db, lang=lang)
    if as_json:
        logs = review_logs(db)
        common.print_json(
            [
                {**c.model_dump(mode="json"), "logs": [g for g in logs if g["card_id"] == c.id]}
                for c in cards
            ]
        )
        return
    table = Table(title=f"{len(cards)} card(s)")
    for col in ("id", "question", "state", "due", "reviews", "misses", "prompt"):
        table.add_column(col, overflow="fold")
    for c in cards:
        due = c.due.astimezone().strftime("%Y-%m-%d")
        first = c.prompt.splitlines()[-1] if c.prompt else ""
        table.add_row(
            str(c.id), c.question_id, c.state, due, str(c.reviews), str(c.misses), first[:70]
        )
    common.console.print(table)


def _load_answers(path: Path) -> dict[int, str]:
    from gointerview.cli.interview import _load_answers as load

    out: dict[int, str] = {}
    for key, value in load(path).items():
        if not key.isdigit():
            raise GointerviewError(f"{path}: key {key!r} is not a card id (a number)")
        out[int(key)] = str(value)
    return out


def _scripted(db: Any, bank: Any, cards: list[Any], path: Path, lang: str, as_json: bool) -> None:
    from gointerview.progress.clock import now_utc
    from gointerview.progress.review import review as review_card

    scripted = _load_answers(path)
    results = []
    for card in cards:
        text = scripted.get(card.id, SKIP).strip()
        if text == SKIP:
            continue
        result = review_card(
            db, bank, card.id, None if text == IDK else text, now=now_utc(), lang=lang
        )
        results.append(result)
        if not as_json:
            _show_result(card, result, lang)
    if as_json:
        common.print_json([r.model_dump(mode="json") for r in results])


def _interactive(db: Any, bank: Any, cards: list[Any], lang: str) -> None:
    from gointerview.cli.interview import _read_answer
    from gointerview.interview.engine import Answer, DontKnow, Pause, Skip
    from gointerview.progress.clock import now_utc
    from gointerview.progress.review import review as review_card

    zh = lang == "zh"
    if not cards:
        common.console.print("今天没有到期的卡片。" if zh else "No cards due today.")
        _print_counts(_counts(db), lang)
        return
    common.console.print(Panel(HELP[lang], title=("复习 " if zh else "Review ") + f"{len(cards)}"))
    done = 0
    try:
        for k, card in enumerate(cards, start=1):
            title = (
                "复习" if zh else "Card"
            ) + f" {k}/{len(cards)} · #{card.id} · {card.question_id}"
            common.console.print(
                Panel(Markdown(common.keep_lines(card.prompt)), title=title, border_style="cyan")
            )
            started = time.monotonic()
            event = _read_answer(lang)
            if isinstance(event, Pause):
                break
            if isinstance(event, Skip):
                continue
            answer = event.text if isinstance(event, Answer) else None
            assert answer is not None or isinstance(event, DontKnow)
            result = review_card(
                db,
                bank,
                card.id,
                answer,
                now=now_utc(),
                lang=lang,
                duration_ms=int((time.monotonic() - started) * 1000),
            )
            done += 1
            _show_result(card, result, lang)
    except KeyboardInterrupt:
        common.console.print()
    common.console.print(
        f"本次复习 {done} 张，已保存。" if zh else f"Reviewed {done}; everything is saved."
    )
    _print_counts(_counts(db), lang)


def _counts(db: Any) -> Any:
    from gointerview.progress.clock import now_utc
    from gointerview.progress.review import due_count

    return due_count(db, now=now_utc())


def _show_result(card: Any, result: Any, lang: str) -> None:
    from gointerview.cli.grade import render_grade
    from gointerview.grading.text.grader import TextGrade
    from gointerview.progress.review import RATING_ZH

    zh = lang == "zh"
    if result.grade is not None:
        grade = TextGrade.model_validate({**result.grade, "features": {}})
        render_grade(grade, "", suggest_follow_up=False)
    from fsrs import Rating

    name = result.rating_name + (f"（{RATING_ZH[Rating(result.rating)]}）" if zh else "")
    due = result.due.astimezone().strftime("%Y-%m-%d")
    days = result.interval_days
    common.console.print(
        f"[bold]评分：{name}[/bold] → 下次复习 {due}（{days:g} 天后）"
        if zh
        else f"[bold]Rating: {name}[/bold] → next review {due} (in {days:g} days)",
        soft_wrap=True,
    )
    common.console.print(
        ("[green]要点：[/green]" if zh else "[green]The point:[/green] ") + card.answer,
        soft_wrap=True,
    )
