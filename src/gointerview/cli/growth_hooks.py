"""The growth loop's one-line hooks in other commands: `grade answer`, `grade doc` and
`kit score` add review cards for what was missed, and kits and documents join the progress
history. `--no-history` on those commands skips it."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from gointerview.cli import common

if TYPE_CHECKING:
    from gointerview.bank import Bank, Question
    from gointerview.docimport.grade import DocReport
    from gointerview.docimport.parse import ParsedDoc
    from gointerview.grading.text.grader import TextGrade
    from gointerview.kit.scorecard import FilledKit
    from gointerview.report.evaluate import Report

NO_HISTORY_HELP = "Do not add review cards or progress history for this grading."


def _note(created: int, lang: str) -> None:
    if created:
        common.console_err.print(
            f"新增 {created} 张复习卡（gointerview review）"
            if lang == "zh"
            else f"{created} review card(s) added (gointerview review)",
            highlight=False,
        )


def after_grade_answer(bank: Bank, question: Question, grade: TextGrade, answer: str) -> None:
    from gointerview.cli.review import store
    from gointerview.progress.cards import record, specs_from_grade
    from gointerview.progress.clock import now_utc

    ref = hashlib.sha256(f"{question.id}\n{answer}".encode()).hexdigest()[:16]
    got = record(
        store(),
        specs_from_grade(bank, question, grade),
        source_kind="answer",
        source_ref=ref,
        seq=0,  # the same answer graded twice counts once
        now=now_utc(),
    )
    _note(len(got.created), grade.lang)


def after_kit_score(bank: Bank, kit: FilledKit, report: Report, text: str, sets: list[str]) -> None:
    from gointerview.cli.review import store
    from gointerview.progress.cards import record, specs_from_kit
    from gointerview.progress.clock import now_utc
    from gointerview.progress.history import record_assessment

    key = hashlib.sha256((text + "\n" + "\n".join(sets)).encode()).hexdigest()
    db, now = store(), now_utc()
    title = report.session
    record_assessment(db, kind="kit", source_key=key, title=title, report=report, now=now)
    got = record(
        db, specs_from_kit(bank, kit), source_kind="kit", source_ref=key[:32], seq=0, now=now
    )
    _note(len(got.created), report.lang)


def after_grade_doc(bank: Bank, parsed: ParsedDoc, graded: DocReport, text: str) -> None:
    from gointerview.cli.review import store
    from gointerview.progress.cards import record, specs_from_document
    from gointerview.progress.clock import now_utc
    from gointerview.progress.history import record_assessment

    key = hashlib.sha256(text.encode()).hexdigest()
    db, now = store(), now_utc()
    title = graded.title or graded.source
    record_assessment(
        db, kind="document", source_key=key, title=title, report=graded.report, now=now
    )
    got = record(
        db,
        specs_from_document(bank, parsed, graded),
        source_kind="document",
        source_ref=key[:32],
        seq=0,
        now=now,
    )
    _note(len(got.created), graded.report.lang)
