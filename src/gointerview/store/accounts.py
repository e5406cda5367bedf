"""Web accounts and their sign-ins, and the answer drafts the browser keeps on the server.

A user has a role: `admin` (manages users; also sees the sessions started in the terminal,
which belong to no account), `interviewer` or `candidate`. A sign-in is a random token whose
SHA-256 is stored (a copy of the table does not sign anyone in); it expires, and changing the
password or removing the user ends every sign-in of that user. Passwords arrive here already
hashed (web/passwords.py).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    String,
    Text,
    delete,
    func,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.orm import Session as OrmSession

from gointerview.errors import GointerviewError, NotFoundError
from gointerview.store.models import AnswerRow, Base, SessionRow

ROLES = ("admin", "interviewer", "candidate")
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginRow(Base):
    __tablename__ = "web_logins"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DraftRow(Base):
    __tablename__ = "drafts"

    session_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    created_at: datetime

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _user(row: UserRow) -> User:
    return User(id=row.id, name=row.name, role=row.role, created_at=_aware(row.created_at))


def _aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back naive; they were stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_name(name: str) -> str:
    if not NAME_PATTERN.fullmatch(name):
        raise GointerviewError(
            f"bad user name {name!r}: 1-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise GointerviewError(f"bad role {role!r}: one of {', '.join(ROLES)}")
    return role


class Accounts:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # ------------------------------------------------------------ users

    def add(self, name: str, role: str, password_hash: str) -> User:
        check_name(name)
        check_role(role)
        with OrmSession(self.engine) as db, db.begin():
            if db.scalar(select(UserRow.id).where(UserRow.name == name)) is not None:
                raise GointerviewError(f"user {name!r} already exists")
            row = UserRow(
                name=name, role=role, password_hash=password_hash, created_at=datetime.now(UTC)
            )
            db.add(row)
            db.flush()
            return _user(row)

    def users(self) -> list[User]:
        with OrmSession(self.engine) as db:
            return [_user(r) for r in db.scalars(select(UserRow).order_by(UserRow.name))]

    def count(self, role: str | None = None) -> int:
        query = select(func.count()).select_from(UserRow)
        if role is not None:
            query = query.where(UserRow.role == role)
        with OrmSession(self.engine) as db:
            return int(db.scalar(query) or 0)

    def get(self, name: str) -> User:
        with OrmSession(self.engine) as db:
            row = db.scalar(select(UserRow).where(UserRow.name == name))
            if row is None:
                raise NotFoundError(f"no user {name!r} (see `gointerview users list`)")
            return _user(row)

    def credentials(self, name: str) -> tuple[User, str] | None:
        """The user and the stored password hash, for signing in."""
        with OrmSession(self.engine) as db:
            row = db.scalar(select(UserRow).where(UserRow.name == name))
            return None if row is None else (_user(row), row.password_hash)

    def set_password(self, name: str, password_hash: str) -> None:
        """Also ends every sign-in of the user."""
        with OrmSession(self.engine) as db, db.begin():
            row = db.scalar(select(UserRow).where(UserRow.name == name))
            if row is None:
                raise NotFoundError(f"no user {name!r} (see `gointerview users list`)")
            row.password_hash = password_hash
            db.execute(delete(LoginRow).where(LoginRow.user_id == row.id))

    def remove(self, name: str) -> int:
        """Remove the user, their sign-ins, and their sessions with everything in them;
        returns how many sessions went. The last admin cannot be removed while others remain."""
        with OrmSession(self.engine) as db, db.begin():
            row = db.scalar(select(UserRow).where(UserRow.name == name))
            if row is None:
                raise NotFoundError(f"no user {name!r} (see `gointerview users list`)")
            admins = db.scalar(
                select(func.count()).select_from(UserRow).where(UserRow.role == "admin")
            )
            others = db.scalar(
                select(func.count()).select_from(UserRow).where(UserRow.id != row.id)
            )
            if row.role == "admin" and admins == 1 and others:
                raise GointerviewError(
                    f"{name!r} is the last admin: make another admin first, or remove the "
                    "other users"
                )
            owned = list(db.scalars(select(SessionRow.id).where(SessionRow.owner_id == row.id)))
            if owned:  # explicit, so it holds where the database does not enforce foreign keys
                db.execute(delete(DraftRow).where(DraftRow.session_id.in_(owned)))
                db.execute(delete(AnswerRow).where(AnswerRow.session_id.in_(owned)))
                db.execute(delete(SessionRow).where(SessionRow.id.in_(owned)))
            db.execute(delete(LoginRow).where(LoginRow.user_id == row.id))
            db.delete(row)
            return len(owned)

    # ------------------------------------------------------------ sign-ins

    def start_login(self, user_id: int, token: str, *, expires_at: datetime) -> None:
        with OrmSession(self.engine) as db, db.begin():
            db.add(
                LoginRow(
                    token_hash=token_hash(token),
                    user_id=user_id,
                    created_at=datetime.now(UTC),
                    expires_at=expires_at,
                )
            )

    def signed_in(self, token: str, *, now: datetime) -> User | None:
        with OrmSession(self.engine) as db:
            found = db.execute(
                select(LoginRow.expires_at, UserRow)
                .join(UserRow, UserRow.id == LoginRow.user_id)
                .where(LoginRow.token_hash == token_hash(token))
            ).first()
            if found is None or _aware(found[0]) <= now:
                return None
            return _user(found[1])

    def end_login(self, token: str) -> None:
        with OrmSession(self.engine) as db, db.begin():
            db.execute(delete(LoginRow).where(LoginRow.token_hash == token_hash(token)))

    def end_expired(self, *, now: datetime) -> None:
        with OrmSession(self.engine) as db, db.begin():
            db.execute(delete(LoginRow).where(LoginRow.expires_at <= now))


class Drafts:
    """What the candidate has typed so far for one item of a session."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def save(self, session_id: str, seq: int, text: str) -> datetime:
        now = datetime.now(UTC)
        with OrmSession(self.engine) as db, db.begin():
            row = db.get(DraftRow, (session_id, seq))
            if row is None:
                db.add(DraftRow(session_id=session_id, seq=seq, text=text, updated_at=now))
            else:
                row.text, row.updated_at = text, now
        return now

    def get(self, session_id: str, seq: int) -> str | None:
        with OrmSession(self.engine) as db:
            row = db.get(DraftRow, (session_id, seq))
            return None if row is None else row.text

    def discard(self, session_id: str, seq: int) -> None:
        with OrmSession(self.engine) as db, db.begin():
            db.execute(
                delete(DraftRow).where(DraftRow.session_id == session_id, DraftRow.seq == seq)
            )
