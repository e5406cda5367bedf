"""Engine set-up, migrations, and the session repository."""

from __future__ import annotations

import copy
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import ColumnElement, Engine, create_engine, event, false, or_, select
from sqlalchemy.exc import DatabaseError, SQLAlchemyError
from sqlalchemy.orm import Session as OrmSession

from gointerview.errors import GointerviewError, NotFoundError
from gointerview.interview.engine import Session
from gointerview.store import safety
from gointerview.store.models import AnswerRow, SessionRow

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class StoreError(GointerviewError):
    pass


def default_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'gointerview.db'}"


def make_engine(url: str) -> Engine:
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
            cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
            cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
            cursor.execute("PRAGMA synchronous=NORMAL")  # durable across a process crash
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (idempotent). A SQLite file that
    already holds data is backed up first when its schema is about to change."""
    from alembic import command  # imported here: only opening a database needs it
    from alembic.config import Config as AlembicConfig
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    path = safety.sqlite_path(str(engine.url))
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
        if path is not None and current is not None:
            if current != ScriptDirectory.from_config(cfg).get_current_head():
                safety.backup(path, reason="before-migration")
            else:
                safety.daily_backup(path)
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
    except DatabaseError as exc:
        raise safety.damaged(path or str(engine.url), str(exc.orig)) from exc
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot open or migrate the database {engine.url}: {exc}") from exc


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


class Store:
    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        migrate(self.engine)
        self.owner: int | None = None  # the account new sessions belong to; None: the terminal

    def owned_by(self, owner: int | None) -> Store:
        """The same database seen by one web account: the sessions it creates belong to the
        account, and its question history (recently_seen) is the account's own."""
        view = copy.copy(self)
        view.owner = owner
        return view

    def save(self, session: Session) -> None:
        """Commit the session snapshot and every item in one transaction."""
        now = datetime.now(tz=UTC)
        snapshot = session.model_dump(mode="json")
        with OrmSession(self.engine) as db, db.begin():
            row = db.get(SessionRow, session.id)
            if row is None:
                row = SessionRow(
                    id=session.id, created_at=_dt(session.created_at), owner_id=self.owner
                )
                db.add(row)
            row.plan_id, row.level, row.lang = session.plan.id, session.level, session.lang
            row.seed, row.state, row.updated_at = session.seed, session.state, now
            row.snapshot = snapshot
            stored = {  # one query for all items, not one per item
                a.seq: a
                for a in db.scalars(select(AnswerRow).where(AnswerRow.session_id == session.id))
            }
            for item in session.items:
                answer = stored.get(item.seq)
                if answer is None:
                    answer = AnswerRow(session_id=session.id, seq=item.seq)
                    db.add(answer)
                answer.kind, answer.ref, answer.asked_at = item.kind, item.ref, _dt(item.asked_at)
                answer.answer, answer.status = item.answer, item.status
                answer.score, answer.grade = item.score, item.grade

    def load(self, session_id: str | None = None) -> Session:
        """A session by id, or the most recent unfinished one."""
        with OrmSession(self.engine) as db:
            if session_id is None:
                row = db.scalars(
                    select(SessionRow)
                    .where(SessionRow.state != "finished")
                    .order_by(SessionRow.updated_at.desc())
                ).first()
                if row is None:
                    raise NotFoundError("no unfinished session to resume")
            else:
                row = db.get(SessionRow, session_id)
                if row is None:
                    raise NotFoundError(f"no session {session_id!r} (see `gointerview sessions`)")
            return Session.model_validate(row.snapshot)

    def sessions(
        self, *, owners: Collection[int | None] | None = None, limit: int | None = None
    ) -> list[SessionRow]:
        """Newest first; `owners` narrows to sessions of those accounts (None in it: the
        terminal's sessions)."""
        query = select(SessionRow).order_by(SessionRow.created_at.desc()).limit(limit)
        if owners is not None:
            query = query.where(_owned_by(owners))
        with OrmSession(self.engine) as db:
            return list(db.scalars(query))

    def owner_of(self, session_id: str) -> int | None:
        with OrmSession(self.engine) as db:
            row = db.get(SessionRow, session_id)
            if row is None:
                raise NotFoundError(f"no session {session_id!r} (see `gointerview sessions`)")
            return row.owner_id

    def recently_seen(self, *, sessions: int = 5) -> set[str]:
        """Question and exercise ids asked in the user's last few sessions (in a view of one
        account, that account's sessions)."""
        query = select(SessionRow.id).order_by(SessionRow.created_at.desc()).limit(sessions)
        if self.owner is not None:
            query = query.where(SessionRow.owner_id == self.owner)
        with OrmSession(self.engine) as db:
            ids = db.scalars(query).all()
            if not ids:
                return set()
            return set(db.scalars(select(AnswerRow.ref).where(AnswerRow.session_id.in_(ids))))


def _owned_by(owners: Collection[int | None]) -> ColumnElement[bool]:
    ids = [o for o in owners if o is not None]
    clauses = [SessionRow.owner_id.in_(ids)] if ids else []
    if None in owners:
        clauses.append(SessionRow.owner_id.is_(None))
    return or_(*clauses) if clauses else false()
