"""What the interview terminal adds for the growth loop: the reference answer and key points
after :idk, :skip or a weak answer, and the user's matching retrospectives under a growth
(behavioural) question."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markdown import Markdown
from rich.panel import Panel

from gointerview.cli import common

if TYPE_CHECKING:
    from gointerview.interview.engine import Session
    from gointerview.interview.service import Runner


def show_reference(runner: Runner, session: Session, seq: int | None = None) -> None:
    """After an answer: the reference for item `seq` (default: the last one answered) when it
    was :idk, :skip or below 65."""
    from gointerview.report.reference import note_markdown, reference_note

    if seq is None:
        done = [i for i in session.items if i.status != "asked"]
        item = done[-1] if done else None
    else:
        item = next((i for i in session.items if i.seq == seq), None)
    if item is None:
        return
    note = reference_note(runner.bank, item, session.lang)
    if note is None:
        return
    zh = session.lang == "zh"
    body = "\n".join(note_markdown(note, session.lang, heading=""))
    hint = (
        f"\n\n标记待复习：`gointerview revise add {note.question}`"
        if zh
        else f"\n\nMark it for revision: `gointerview revise add {note.question}`"
    )
    common.console.print(
        Panel(
            Markdown(common.keep_lines(body) + hint),
            title="参考答案" if zh else "Reference answer",
            border_style="green",
            title_align="left",
        )
    )


def show_retro_notes(runner: Runner, session: Session) -> None:
    """Under a growth question: the user's retrospectives on its topics, as material."""
    from gointerview.errors import NotFoundError
    from gointerview.progress.retro import as_note, matching

    item = session.current
    if item is None or item.kind != "question":
        return
    try:
        question = runner.bank.get(item.ref)
    except NotFoundError:
        return
    found = matching(runner.store, question)
    if not found:
        return
    zh = session.lang == "zh"
    common.console.print(
        Panel(
            "\n".join(as_note(r, session.lang) for r in found),
            title="你的复盘（可作素材）" if zh else "Your retrospectives (material)",
            border_style="magenta",
            title_align="left",
        ),
        soft_wrap=True,
    )
