"""Needs-revision marks: any question the user wants to come back to, listed and filterable
(`gointerview revise list`, `gointerview bank list --needs-revision`)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from gointerview.errors import GointerviewError, NotFoundError
from gointerview.progress.clock import as_utc
from gointerview.progress.tables import RevisionMarkRow

if TYPE_CHECKING:
    from gointerview.store.db import Store

MAX_NOTE = 2000


class Mark(BaseModel):
    question_id: str
    note: str
    created_at: datetime


def mark(store: Store, question_id: str, *, note: str = "", now: datetime) -> bool:
    """Mark a question (the caller checks it exists); False when it was marked already (the
    note is replaced when a new one is given)."""
    if len(note) > MAX_NOTE:
        raise GointerviewError(f"the note has {len(note)} characters; at most {MAX_NOTE}")
    with OrmSession(store.engine) as db, db.begin():
        row = db.get(RevisionMarkRow, question_id)
        if row is not None:
            if note:
                row.note = note.strip()
            return False
        db.add(RevisionMarkRow(question_id=question_id, note=note.strip(), created_at=as_utc(now)))
        return True


def unmark(store: Store, question_id: str) -> None:
    with OrmSession(store.engine) as db, db.begin():
        row = db.get(RevisionMarkRow, question_id)
        if row is None:
            raise NotFoundError(f"{question_id} is not marked for revision")
        db.delete(row)


def marks(store: Store) -> list[Mark]:
    with OrmSession(store.engine) as db:
        rows = db.scalars(select(RevisionMarkRow).order_by(RevisionMarkRow.created_at))
        return [
            Mark(question_id=r.question_id, note=r.note, created_at=as_utc(r.created_at))
            for r in rows
        ]


def marked_ids(store: Store) -> set[str]:
    with OrmSession(store.engine) as db:
        return set(db.scalars(select(RevisionMarkRow.question_id)))
