"""Progress over time: the scores of every interview session, scored kit and graded document,
per evaluation dimension and per topic, oldest first.

A session counts once it has a graded answer; its figures are its evaluation report's (the
same numbers `gointerview report` prints). Kits and documents are recorded when they are
scored (`kit score`, `grade doc`) with their report. A topic is the syllabus bullet a bank
question covers (content/syllabus.yaml), else the question's area; a topic's score in an
entry is the mean of that entry's answers on it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from gointerview.bank import Bank
from gointerview.bank.schema import Dimension
from gointerview.errors import GointerviewError
from gointerview.progress.clock import as_utc
from gointerview.progress.growth import GrowthRadar, radar
from gointerview.progress.tables import AssessmentRow
from gointerview.report.evaluate import DIMENSION_NAMES, Report

if TYPE_CHECKING:
    from gointerview.exercises.catalog import Catalog
    from gointerview.store.db import Store


class Entry(BaseModel):
    at: datetime
    source: str  # session | kit | document
    ref: str
    label: str
    level: str
    overall: float | None
    dimensions: dict[str, float | None]
    topics: dict[str, float]


class SeriesPoint(BaseModel):
    at: datetime
    ref: str
    score: float


class Series(BaseModel):
    key: str
    name: str
    points: list[SeriesPoint]
    first: float | None = None
    last: float | None = None
    change: float | None = None  # last - first


class Progress(BaseModel):
    lang: str
    entries: list[Entry]
    dimensions: list[Series]
    topics: list[Series]
    growth: GrowthRadar
    skipped: list[str] = Field(default_factory=list)  # sessions that could not be evaluated


def record_assessment(
    store: Store, *, kind: str, source_key: str, title: str, report: Report, now: datetime
) -> bool:
    """Keep a scored kit or graded document; False when the same content was recorded
    already (it keeps its first date)."""
    with OrmSession(store.engine) as db, db.begin():
        exists = db.scalars(
            select(AssessmentRow).where(AssessmentRow.source_key == source_key)
        ).first()
        if exists is not None:
            exists.report = report.model_dump(mode="json")
            return False
        db.add(
            AssessmentRow(
                kind=kind,
                source_key=source_key,
                title=title[:300],
                taken_at=as_utc(now),
                report=report.model_dump(mode="json"),
            )
        )
        return True


def topic_index(bank: Bank) -> dict[str, str]:
    """Question id → its syllabus topic (the first bullet listing it), else its area."""
    from gointerview.bank.syllabus import syllabus

    out = {q.id: q.area.value for q in bank.questions}
    for bullets in reversed(list(syllabus().values())):
        for bullet, ids in reversed(list(bullets.items())):
            for qid in ids:
                if qid in out:
                    out[qid] = bullet
    return out


def _entry(
    report: Report, *, at: datetime, source: str, ref: str, label: str, topics: dict[str, str]
) -> Entry:
    per_question: dict[str, float] = {}
    for d in report.dimensions:
        for e in d.evidence:
            per_question[e.question] = e.score
    by_topic: dict[str, list[float]] = defaultdict(list)
    for qid, score in per_question.items():
        topic = topics.get(qid)
        if topic is not None:
            by_topic[topic].append(score)
    return Entry(
        at=as_utc(at),
        source=source,
        ref=ref,
        label=label,
        level=report.level,
        overall=report.overall_score,
        dimensions={d.dimension: d.score for d in report.dimensions},
        topics={t: round(sum(v) / len(v), 1) for t, v in sorted(by_topic.items())},
    )


def _series(key: str, name: str, entries: list[Entry], pick: Any) -> Series:
    points = [
        SeriesPoint(at=e.at, ref=e.ref, score=value)
        for e in entries
        if (value := pick(e)) is not None
    ]
    first = points[0].score if points else None
    last = points[-1].score if points else None
    change = round(last - first, 1) if first is not None and last is not None else None
    return Series(key=key, name=name, points=points, first=first, last=last, change=change)


def progress(
    store: Store, bank: Bank, catalog: Catalog | None, *, lang: str, quarter: str | None = None
) -> Progress:
    from gointerview.interview.engine import Session
    from gointerview.report.evaluate import evaluate
    from gointerview.store.models import SessionRow

    topics = topic_index(bank)
    entries: list[Entry] = []
    skipped: list[str] = []
    with OrmSession(store.engine) as db:
        sessions = list(db.scalars(select(SessionRow).order_by(SessionRow.created_at)))
        assessments = list(db.scalars(select(AssessmentRow).order_by(AssessmentRow.taken_at)))
    for row in sessions:
        session = Session.model_validate(row.snapshot)
        if not any(i.score is not None for i in session.items):
            continue
        try:
            report = evaluate(session.model_copy(update={"lang": lang}), bank, catalog)
        except GointerviewError as exc:  # a question of a bank no longer configured
            skipped.append(f"{session.id}: {exc}")
            continue
        if report.overall_score is None:
            continue
        at = datetime.fromtimestamp(session.created_at, tz=UTC)
        label = f"{session.plan.id} · {session.id}"
        entries.append(
            _entry(report, at=at, source="session", ref=session.id, label=label, topics=topics)
        )
    for a in assessments:
        report = Report.model_validate(a.report)
        entries.append(
            _entry(
                report,
                at=a.taken_at,
                source=a.kind,
                ref=f"{a.kind}:{a.id}",
                label=a.title,
                topics=topics,
            )
        )
    entries.sort(key=lambda e: e.at)
    dims = [
        _series(
            d.value, DIMENSION_NAMES[d][lang], entries, lambda e, d=d: e.dimensions.get(d.value)
        )
        for d in Dimension
    ]
    names = sorted({t for e in entries for t in e.topics})
    topic_series = [_series(t, t, entries, lambda e, t=t: e.topics.get(t)) for t in names]
    return Progress(
        lang=lang,
        entries=entries,
        dimensions=dims,
        topics=topic_series,
        growth=radar(store, quarter, lang=lang),
        skipped=skipped,
    )
