"""Engine set-up, migrations, and the session repository."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, select
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

    def save(self, session: Session) -> None:
        """Commit the session snapshot and every item in one transaction."""
        now = datetime.now(tz=UTC)
        snapshot = session.model_dump(mode="json")
        with OrmSession(self.engine) as db, db.begin():
            row = db.get(SessionRow, session.id)
            if row is None:
                row = SessionRow(id=session.id, created_at=_dt(session.created_at))
                db.add(row)
            row.plan_id, row.level, row.lang = session.plan.id, session.level, session.lang
            row.seed, row.state, row.updated_at = session.seed, session.state, now
            row.snapshot = snapshot
            for item in session.items:
                answer = db.get(AnswerRow, (session.id, item.seq))
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

    def sessions(self) -> list[SessionRow]:
        with OrmSession(self.engine) as db:
            return list(db.scalars(select(SessionRow).order_by(SessionRow.created_at.desc())))

    def recently_seen(self, *, sessions: int = 5) -> set[str]:
        """Question and exercise ids asked in the user's last few sessions."""
        with OrmSession(self.engine) as db:
            ids = db.scalars(
                select(SessionRow.id).order_by(SessionRow.created_at.desc()).limit(sessions)
            ).all()
            if not ids:
                return set()
            return set(db.scalars(select(AnswerRow.ref).where(AnswerRow.session_id.in_(ids))))
