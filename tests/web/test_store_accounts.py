"""The web's tables: sessions owned by accounts, users and sign-ins, drafts; the migration
from a database made before them."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from gointerview.bank.schema import Level
from gointerview.errors import GointerviewError, NotFoundError
from gointerview.interview.plans import get_plan
from gointerview.interview.service import new_session
from gointerview.store.accounts import Accounts, Drafts
from gointerview.store.db import Store


def _session(store: Store, sid_seed: int) -> str:
    session = new_session(get_plan("screen"), level=Level.MID, lang="en", seed=sid_seed, now=1.0)
    store.save(session)
    return session.id


def test_sessions_belong_to_the_view_that_created_them(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    terminal = _session(store, 1)
    alice = _session(store.owned_by(7), 2)
    bob = _session(store.owned_by(8), 3)
    assert store.owner_of(terminal) is None and store.owner_of(alice) == 7
    assert {r.id for r in store.sessions()} == {terminal, alice, bob}
    assert [r.id for r in store.sessions(owners=[7])] == [alice]
    assert {r.id for r in store.sessions(owners=[8, None])} == {bob, terminal}
    assert store.sessions(owners=[]) == []
    # saving again (every step) never changes the owner, whoever saves
    store.save(store.load(alice))
    assert store.owner_of(alice) == 7
    with pytest.raises(NotFoundError):
        store.owner_of("nope")


def test_recently_seen_is_per_account(tmp_path: Path) -> None:
    from gointerview.interview.engine import Item

    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    for owner, ref in ((7, "q.alice"), (8, "q.bob")):
        view = store.owned_by(owner)
        session = new_session(get_plan("screen"), level=Level.MID, lang="en", seed=1, now=1.0)
        session.items.append(Item(seq=1, kind="question", ref=ref, prompt={}, asked_at=1.0))
        view.save(session)
    assert store.owned_by(7).recently_seen() == {"q.alice"}
    assert store.recently_seen() == {"q.alice", "q.bob"}  # the terminal sees everything


def test_users_sign_ins_and_removal(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    accounts = Accounts(store.engine)
    admin = accounts.add("root", "admin", "h0")
    alice = accounts.add("alice", "candidate", "h1")
    with pytest.raises(GointerviewError, match="already exists"):
        accounts.add("alice", "candidate", "h")
    with pytest.raises(GointerviewError, match="bad user name"):
        accounts.add("../x", "candidate", "h")
    with pytest.raises(GointerviewError, match="bad role"):
        accounts.add("carol", "owner", "h")
    now = datetime.now(UTC)
    accounts.start_login(alice.id, "tok-a", expires_at=now + timedelta(hours=1))
    accounts.start_login(alice.id, "tok-old", expires_at=now - timedelta(seconds=1))
    signed = accounts.signed_in("tok-a", now=now)
    assert signed is not None and signed.name == "alice"
    assert accounts.signed_in("tok-old", now=now) is None  # expired
    assert accounts.signed_in("tok-x", now=now) is None
    accounts.set_password("alice", "h2")  # ends every sign-in
    assert accounts.signed_in("tok-a", now=now) is None
    assert accounts.credentials("alice") == (alice, "h2")

    owned = _session(store.owned_by(alice.id), 5)
    Drafts(store.engine).save(owned, 1, "half an answer")
    kept = _session(store, 6)
    with pytest.raises(GointerviewError, match="last admin"):
        accounts.remove("root")
    assert accounts.remove("alice") == 1
    assert [r.id for r in store.sessions()] == [kept]
    assert Drafts(store.engine).get(owned, 1) is None
    assert [u.name for u in accounts.users()] == ["root"]
    assert accounts.remove("root") == 0  # the last user of all may go
    assert admin.is_admin


def test_drafts_are_kept_per_item(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    drafts = Drafts(store.engine)
    sid = _session(store, 1)
    drafts.save(sid, 1, "first")
    drafts.save(sid, 1, "first, longer")
    drafts.save(sid, 2, "二")
    assert drafts.get(sid, 1) == "first, longer" and drafts.get(sid, 2) == "二"
    drafts.discard(sid, 1)
    assert drafts.get(sid, 1) is None and drafts.get(sid, 2) == "二"


def test_migration_keeps_a_database_made_before_it(tmp_path: Path) -> None:
    """A 0001 database with a session and its answers upgrades in place: nothing lost (the
    owner column is added without copying the table, which would cascade into answers)."""
    from alembic import command
    from alembic.config import Config as AlembicConfig

    from gointerview.store.db import MIGRATIONS, make_engine

    path = tmp_path / "old.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0001")
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO sessions VALUES ('s1', 'screen', 'mid', 'en', 1, 'finished', "
            "'2026-01-01', '2026-01-01', '{}')"
        )
        db.execute(
            "INSERT INTO answers VALUES ('s1', 1, 'question', 'q1', '2026-01-01', 'a', "
            "'graded', 50.0, NULL)"
        )
    engine.dispose()
    store = Store(f"sqlite:///{path}")  # migrates to head
    assert store.owner_of("s1") is None
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM answers").fetchone() == (1,)
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"users", "web_logins", "drafts"} <= tables
