"""The growth loop: review cards (FSRS), review logs, card sources, needs-revision marks,
assessments, self-ratings, retrospectives, rejection feedback texts.

Revision ID: growth_progress
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "growth_progress"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "cards",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(300), nullable=False, unique=True),
        sa.Column("question_id", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("point_id", sa.String(120), nullable=False),
        sa.Column("follow_up", sa.Integer, nullable=True),
        sa.Column("prompt", sa.JSON, nullable=False),
        sa.Column("answer", sa.JSON, nullable=False),
        sa.Column("rubric", sa.JSON, nullable=False),
        sa.Column("topics", sa.JSON, nullable=False),
        sa.Column("source_kind", sa.String(16), nullable=False),
        sa.Column("source_ref", sa.String(200), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("misses", sa.Integer, nullable=False),
        sa.Column("last_missed_at", TS, nullable=False),
        sa.Column("suspended", sa.Boolean, nullable=False),
        sa.Column("state", sa.Integer, nullable=False),
        sa.Column("step", sa.Integer, nullable=True),
        sa.Column("stability", sa.Float, nullable=True),
        sa.Column("difficulty", sa.Float, nullable=True),
        sa.Column("due", TS, nullable=False),
        sa.Column("last_review", TS, nullable=True),
    )
    op.create_index("ix_cards_question_id", "cards", ["question_id"])
    op.create_index("ix_cards_due", "cards", ["due"])
    op.create_table(
        "review_logs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "card_id", sa.Integer, sa.ForeignKey("cards.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("rating", sa.Integer, nullable=False),
        sa.Column("review_datetime", TS, nullable=False),
        sa.Column("review_duration", sa.Integer, nullable=True),
        sa.Column("answer", sa.Text, nullable=True),
        sa.Column("score", sa.Float, nullable=True),
    )
    op.create_index("ix_review_logs_card_id", "review_logs", ["card_id"])
    op.create_table(
        "card_sources",
        sa.Column("source_kind", sa.String(16), primary_key=True),
        sa.Column("source_ref", sa.String(200), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("recorded_at", TS, nullable=False),
    )
    op.create_table(
        "revision_marks",
        sa.Column("question_id", sa.String(200), primary_key=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("source_key", sa.String(64), nullable=False, unique=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("taken_at", TS, nullable=False),
        sa.Column("report", sa.JSON, nullable=False),
    )
    op.create_index("ix_assessments_taken_at", "assessments", ["taken_at"])
    op.create_table(
        "self_ratings",
        sa.Column("quarter", sa.String(8), primary_key=True),
        sa.Column("axis", sa.String(32), primary_key=True),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("rated_at", TS, nullable=False),
    )
    op.create_table(
        "retrospectives",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("problem", sa.Text, nullable=False),
        sa.Column("root_cause", sa.Text, nullable=False),
        sa.Column("fix", sa.Text, nullable=False),
        sa.Column("verification", sa.Text, nullable=False),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "feedback_texts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("added_at", TS, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "feedback_texts",
        "retrospectives",
        "self_ratings",
        "assessments",
        "revision_marks",
        "card_sources",
        "review_logs",
        "cards",
    ):
        op.drop_table(table)
