"""The growth loop's tables (migration growth_progress): review cards with their FSRS state,
review logs, the items already turned into cards, needs-revision marks, recorded kit and
document assessments, quarterly self-ratings, retrospectives and rejection feedback texts.

They share the store's declarative Base, so one metadata describes the whole database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from gointerview.store.models import Base


class CardRow(Base):
    """One thing to remember: a key point missed or a misconception stated. The FSRS card's
    fields are columns (due is queried); `card_id` of the fsrs Card is this row's id."""

    __tablename__ = "cards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)  # question#kp:point, ...
    question_id: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # point | misconception
    point_id: Mapped[str] = mapped_column(String(120))
    follow_up: Mapped[int | None] = mapped_column(Integer, nullable=True)
    prompt: Mapped[dict[str, str]] = mapped_column(JSON)  # lang -> the short question
    answer: Mapped[dict[str, str]] = mapped_column(JSON)  # lang -> what to remember
    rubric: Mapped[dict[str, object]] = mapped_column(JSON)  # one-point rubric snapshot
    topics: Mapped[list[str]] = mapped_column(JSON)
    source_kind: Mapped[str] = mapped_column(String(16))  # interview | answer | kit | document
    source_ref: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    misses: Mapped[int] = mapped_column(Integer, default=1)
    last_missed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    # fsrs.Card
    state: Mapped[int] = mapped_column(Integer)
    step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    stability: Mapped[float | None] = mapped_column(Float, nullable=True)
    difficulty: Mapped[float | None] = mapped_column(Float, nullable=True)
    due: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    last_review: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ReviewLogRow(Base):
    """fsrs.ReviewLog (card_id, rating, review_datetime, review_duration) plus what was
    answered and its score, so the parameters can be optimised from these rows later."""

    __tablename__ = "review_logs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    card_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("cards.id", ondelete="CASCADE"), index=True
    )
    rating: Mapped[int] = mapped_column(Integer)
    review_datetime: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    review_duration: Mapped[int | None] = mapped_column(Integer, nullable=True)  # ms
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)


class CardSourceRow(Base):
    """An answer already turned into cards (session item, kit or document): recording is
    idempotent, and sessions graded before a crash are caught up later."""

    __tablename__ = "card_sources"

    source_kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    source_ref: Mapped[str] = mapped_column(String(200), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RevisionMarkRow(Base):
    __tablename__ = "revision_marks"

    question_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AssessmentRow(Base):
    """A scored kit or graded document, kept for progress over time (sessions are read from
    their own table). `source_key` is a hash of what was scored: scoring the same file twice
    records it once."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # kit | document
    source_key: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    report: Mapped[dict[str, object]] = mapped_column(JSON)  # report.evaluate.Report


class SelfRatingRow(Base):
    __tablename__ = "self_ratings"

    quarter: Mapped[str] = mapped_column(String(8), primary_key=True)  # 2026Q4
    axis: Mapped[str] = mapped_column(String(32), primary_key=True)
    score: Mapped[int] = mapped_column(Integer)  # 1-5
    evidence: Mapped[str] = mapped_column(Text, default="")
    rated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RetrospectiveRow(Base):
    __tablename__ = "retrospectives"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(300))
    problem: Mapped[str] = mapped_column(Text)
    root_cause: Mapped[str] = mapped_column(Text)
    fix: Mapped[str] = mapped_column(Text)
    verification: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FeedbackTextRow(Base):
    __tablename__ = "feedback_texts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
