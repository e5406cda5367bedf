"""Web accounts: users, sign-ins, answer drafts; sessions may belong to an account.

Revision ID: 0002
Revises: growth_progress
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "growth_progress"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no batch copy of the table: on SQLite that would drop and recreate
    # `sessions`, and the drop cascades into `answers`). Sessions started in the terminal keep
    # NULL. No foreign key: SQLite cannot add one to an existing table; removing an account
    # deletes its sessions in code (store/accounts.py).
    op.add_column("sessions", sa.Column("owner_id", sa.Integer, nullable=True))
    op.create_index("ix_sessions_owner_id", "sessions", ["owner_id"])
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "web_logins",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "drafts",
        sa.Column(
            "session_id",
            sa.String(32),
            sa.ForeignKey("sessions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("drafts")
    op.drop_table("web_logins")
    op.drop_table("users")
    op.drop_index("ix_sessions_owner_id", "sessions")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("owner_id")
