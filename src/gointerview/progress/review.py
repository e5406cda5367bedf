"""Reviewing cards with FSRS (the `fsrs` package, py-fsrs).

The scheduler runs with no minute-scale learning steps and no fuzz: this is a once-a-day
review, so a card goes straight to a whole-day interval from its FSRS stability, and the
same ratings at the same times always give the same schedule (tests check it against the
fsrs package itself). Desired retention is fsrs's default, 0.9.

An answer is graded by the interview's grader against the card's single key point (a
one-point rubric, as a follow-up is graded on the point it probes), or for a misconception
card against the correction (restating the claim is penalised as in an interview). The
rating follows the level of that grade, the same four bands as everywhere else:

    欠缺 (< 40) or :idk → Again   了解 (40–64) → Hard   熟练 (65–84) → Good   精通 (≥ 85) → Easy

A review is stored as fsrs's ReviewLog (card id, rating, time, duration in ms) with the
answer and its score, so the parameters can be optimised from the logs later.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from fsrs import Card, Rating, ReviewLog, Scheduler, State
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession

from gointerview.bank import Bank
from gointerview.errors import GointerviewError, NotFoundError
from gointerview.grading.text.grader import TextGrade, grade_rubric, rubric_for
from gointerview.grading.text.rubric import (
    Rubric,
    RubricMisconception,
    RubricPoint,
    derive,
    follow_up_rubric,
)
from gointerview.levels import level_for
from gointerview.progress.clock import as_utc, end_of_day
from gointerview.progress.tables import CardRow, ReviewLogRow

if TYPE_CHECKING:
    from gointerview.store.db import Store

RATING_NAMES = {
    Rating.Again: "Again",
    Rating.Hard: "Hard",
    Rating.Good: "Good",
    Rating.Easy: "Easy",
}
RATING_ZH = {Rating.Again: "重来", Rating.Hard: "困难", Rating.Good: "良好", Rating.Easy: "简单"}
LEVEL_RATING = {"欠缺": Rating.Again, "了解": Rating.Hard, "熟练": Rating.Good, "精通": Rating.Easy}
MAX_REVIEW_ANSWER = 20_000


def scheduler() -> Scheduler:
    """The one scheduler configuration the app uses (see the module docstring)."""
    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def rating_for(score: float | None) -> Rating:
    """Again / Hard / Good / Easy from a 0–100 grade; None (:idk) is Again."""
    return Rating.Again if score is None else LEVEL_RATING[level_for(score)]


class CardView(BaseModel):
    id: int
    key: str
    question_id: str
    kind: str
    prompt: str
    answer: str
    topics: list[str]
    state: str  # new | review | relearning
    due: datetime
    misses: int
    reviews: int = 0
    stability: float | None = None
    difficulty: float | None = None
    last_review: datetime | None = None


class DueCount(BaseModel):
    due_now: int  # due today (before the end of the local day)
    due_tomorrow: int  # due by the end of tomorrow, today's included
    new: int  # never reviewed
    total: int
    next_due: datetime | None


class ReviewResult(BaseModel):
    card: int
    rating: int
    rating_name: str
    score: float | None
    level: str | None
    due: datetime
    interval_days: float
    stability: float | None
    difficulty: float | None
    state: str
    grade: dict[str, Any] | None = None


def to_fsrs(row: CardRow) -> Card:
    return Card(
        card_id=row.id,
        state=State(row.state),
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=as_utc(row.due),
        last_review=as_utc(row.last_review) if row.last_review else None,
    )


def _state_name(row: CardRow) -> str:
    if row.last_review is None:
        return "new"
    return {State.Learning: "learning", State.Review: "review", State.Relearning: "relearning"}[
        State(row.state)
    ]


def view(row: CardRow, lang: str, reviews: int = 0) -> CardView:
    def pick(texts: Mapping[str, str]) -> str:
        return texts.get(lang) or next(iter(texts.values()), "")

    return CardView(
        id=row.id,
        key=row.key,
        question_id=row.question_id,
        kind=row.kind,
        prompt=pick(row.prompt),
        answer=pick(row.answer),
        topics=list(row.topics),
        state=_state_name(row),
        due=as_utc(row.due),
        misses=row.misses,
        reviews=reviews,
        stability=row.stability,
        difficulty=row.difficulty,
        last_review=as_utc(row.last_review) if row.last_review else None,
    )


def due_cards(
    store: Store, *, now: datetime, limit: int | None = None, lang: str = "en"
) -> list[CardView]:
    """Today's due cards, most overdue first (new cards after the ones already reviewed when
    due at the same moment)."""
    with OrmSession(store.engine) as db:
        query = (
            select(CardRow)
            .where(CardRow.due < end_of_day(now), CardRow.suspended.is_(False))
            .order_by(CardRow.due, CardRow.id)
        )
        if limit is not None:
            query = query.limit(limit)
        return [view(r, lang) for r in db.scalars(query)]


def all_cards(store: Store, *, lang: str = "en") -> list[CardView]:
    """Every card with its schedule and how many times it was reviewed."""
    with OrmSession(store.engine) as db:
        counted = select(ReviewLogRow.card_id, func.count()).group_by(ReviewLogRow.card_id)
        reviews = dict(db.execute(counted).tuples().all())
        return [
            view(r, lang, reviews.get(r.id, 0))
            for r in db.scalars(select(CardRow).order_by(CardRow.id))
        ]


def due_count(store: Store, *, now: datetime) -> DueCount:
    today = end_of_day(now)
    with OrmSession(store.engine) as db:
        active = select(func.count()).select_from(CardRow).where(CardRow.suspended.is_(False))
        return DueCount(
            due_now=db.scalar(active.where(CardRow.due < today)) or 0,
            due_tomorrow=db.scalar(active.where(CardRow.due < today + timedelta(days=1))) or 0,
            new=db.scalar(active.where(CardRow.last_review.is_(None))) or 0,
            total=db.scalar(active) or 0,
            next_due=_aware(
                db.scalar(select(func.min(CardRow.due)).where(CardRow.suspended.is_(False)))
            ),
        )


def _aware(moment: datetime | None) -> datetime | None:
    return as_utc(moment) if moment is not None else None


def get_card(store: Store, card_id: int) -> CardRow:
    with OrmSession(store.engine) as db:
        row = db.get(CardRow, card_id)
        if row is None:
            raise NotFoundError(f"no review card {card_id} (see `gointerview review --json`)")
        db.expunge(row)
        return row


# ---------------------------------------------------------------- grading


def _snapshot_point(data: Mapping[str, Any]) -> RubricPoint:
    return RubricPoint(
        id=str(data["id"]),
        weight=float(data.get("weight", 1.0)),
        text={str(k): str(v) for k, v in dict(data["text"]).items()},
        groups=tuple(tuple(str(a) for a in g) for g in data.get("groups", [])),
        required=False,  # one point: a cap would only repeat what the score says
    )


def card_rubric(row: CardRow, bank: Bank) -> Rubric:
    """The one-point rubric a card's answer is graded on: the bank's current wording of the
    point when the bank still has it, else the snapshot taken when the card was made."""
    snap: dict[str, Any] = dict(row.rubric)
    question = {str(k): str(v) for k, v in dict(snap.get("question", {})).items()}
    reference = {str(k): str(v) for k, v in dict(snap.get("reference", {})).items()}
    if row.kind == "misconception":
        m = dict(snap["misconception"])
        claim = {str(k): str(v) for k, v in dict(m["claim"]).items()}
        why = {str(k): str(v) for k, v in dict(m["why"]).items()}
        base = derive(question=" ".join(claim.values()), reference=why)
        wrong = RubricMisconception(
            id=str(m["id"]),
            claim=claim,
            why=why,
            groups=tuple(tuple(str(a) for a in g) for g in m.get("groups", [])),
        )
        return Rubric(
            question=claim, reference=why, points=base.points, misconceptions=(wrong,),
            origin="derived",
        )  # fmt: skip
    point = _snapshot_point(snap["point"])
    misconceptions: tuple[RubricMisconception, ...] = ()
    try:
        q = bank.get(row.question_id)
    except NotFoundError:
        q = None
    if q is not None:
        full = rubric_for(q) if row.follow_up is None else _follow_up(q, row.follow_up)
        current = next((p for p in full.points if p.id == row.point_id), None)
        if current is not None:
            point = RubricPoint(current.id, current.weight, current.text, current.groups)
            reference = dict(full.reference) or reference
        misconceptions = rubric_for(q).misconceptions
    return Rubric(
        question=question,
        reference=reference,
        points=(point,),
        misconceptions=misconceptions,
        origin="derived" if snap.get("origin") == "derived" else "bank",
    )


def _follow_up(q: Any, index: int) -> Rubric:
    if index >= len(q.follow_ups):
        return Rubric(question={}, reference={}, points=())
    return follow_up_rubric(q, index)


def grade_card(
    row: CardRow, answer: str, bank: Bank, *, lang: str, options: Mapping[str, Any] | None = None
) -> TextGrade:
    if len(answer) > MAX_REVIEW_ANSWER:
        answer = answer[:MAX_REVIEW_ANSWER]
    return grade_rubric(card_rubric(row, bank), answer, reply_lang=lang, **(options or {}))


# ---------------------------------------------------------------- scheduling


def apply_review(
    store: Store,
    card_id: int,
    rating: Rating,
    *,
    now: datetime,
    answer: str | None = None,
    score: float | None = None,
    duration_ms: int | None = None,
) -> tuple[CardRow, ReviewLog]:
    """Reschedule the card with fsrs and store its review log, in one transaction."""
    now = as_utc(now)
    with OrmSession(store.engine) as db, db.begin():
        row = db.get(CardRow, card_id)
        if row is None:
            raise NotFoundError(f"no review card {card_id}")
        card, log = scheduler().review_card(
            to_fsrs(row), rating, review_datetime=now, review_duration=duration_ms
        )
        row.state, row.step = int(card.state), card.step
        row.stability, row.difficulty = card.stability, card.difficulty
        row.due, row.last_review = card.due, card.last_review
        db.add(
            ReviewLogRow(
                card_id=row.id,
                rating=int(log.rating),
                review_datetime=log.review_datetime,
                review_duration=log.review_duration,
                answer=answer,
                score=score,
            )
        )
        db.flush()
        db.expunge(row)
        return row, log


def review(
    store: Store,
    bank: Bank,
    card_id: int,
    answer: str | None,
    *,
    now: datetime,
    lang: str,
    duration_ms: int | None = None,
    options: Mapping[str, Any] | None = None,
) -> ReviewResult:
    """Grade an answer to a card (None: :idk) and reschedule the card."""
    row = get_card(store, card_id)
    if row.suspended:
        raise GointerviewError(f"card {card_id} is suspended")
    grade = None if answer is None else grade_card(row, answer, bank, lang=lang, options=options)
    score = None if grade is None else grade.score
    rating = rating_for(score)
    updated, _ = apply_review(
        store, card_id, rating, now=now, answer=answer, score=score, duration_ms=duration_ms
    )
    data = None
    if grade is not None:
        data = grade.model_dump(mode="json")
        data.pop("features", None)
    due = as_utc(updated.due)
    return ReviewResult(
        card=card_id,
        rating=int(rating),
        rating_name=RATING_NAMES[rating],
        score=score,
        level=None if grade is None else grade.level,
        due=due,
        interval_days=round((due - as_utc(now)).total_seconds() / 86400, 3),
        stability=updated.stability,
        difficulty=updated.difficulty,
        state=_state_name(updated),
        grade=data,
    )


def review_logs(store: Store, card_id: int | None = None) -> list[dict[str, Any]]:
    """Stored review logs in fsrs's ReviewLog dict form (plus answer and score)."""
    with OrmSession(store.engine) as db:
        query = select(ReviewLogRow).order_by(ReviewLogRow.id)
        if card_id is not None:
            query = query.where(ReviewLogRow.card_id == card_id)
        return [
            {
                **ReviewLog(
                    card_id=r.card_id,
                    rating=Rating(r.rating),
                    review_datetime=as_utc(r.review_datetime),
                    review_duration=r.review_duration,
                ).to_dict(),
                "answer": r.answer,
                "score": r.score,
            }
            for r in db.scalars(query)
        ]
