"""Tables. The session row holds the engine's snapshot (JSON) so a session resumes exactly;
the answers table holds one row per asked item, for history and reports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class SessionRow(Base):
    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    plan_id: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(16))
    lang: Mapped[str] = mapped_column(String(8))
    seed: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(24), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    snapshot: Mapped[dict[str, object]] = mapped_column(JSON)
    # the web account the session belongs to; None: started in the terminal (see store/accounts)
    owner_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)


class AnswerRow(Base):
    __tablename__ = "answers"

    session_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    ref: Mapped[str] = mapped_column(String(120), index=True)
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    grade: Mapped[dict[str, object] | None] = mapped_column(JSON, nullable=True)
