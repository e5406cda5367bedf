"""Keeping a user's history safe: rolling backups of the SQLite database and plain words when
it is damaged.

A backup is SQLite's online backup (consistent even while another process writes), taken
before a migration changes the schema and otherwise at most once a day, into
`<data dir>/backups/`; the newest KEEP are kept. A damaged database is never touched: the
error says which file it is and what to do.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from gointerview.errors import GointerviewError

KEEP = 7
DAY = 24 * 3600


class DamagedDatabaseError(GointerviewError):
    pass


def sqlite_path(url: str) -> Path | None:
    """The file behind a sqlite:/// URL, or None for other databases and in-memory ones."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url == prefix or url.endswith(":memory:"):
        return None
    return Path(url[len(prefix) :])


def backup_dir(db: Path) -> Path:
    return db.parent / "backups"


def backup(db: Path, *, reason: str, now: float | None = None) -> Path | None:
    """An online backup of `db` (None when there is nothing to back up yet)."""
    if not db.is_file() or db.stat().st_size == 0:
        return None
    problems = integrity(db, quick=True)
    if problems:  # a copy of a damaged file would push a good backup out of the rotation
        raise damaged(db, problems[0])
    folder = backup_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now or time.time()))
    target = folder / f"{db.stem}-{stamp}-{reason}.db"
    source = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    except sqlite3.DatabaseError as exc:
        target.unlink(missing_ok=True)
        raise damaged(db, str(exc)) from exc
    finally:
        source.close()
    for old in sorted(folder.glob(f"{db.stem}-*.db"))[:-KEEP]:
        old.unlink(missing_ok=True)
    return target


def daily_backup(db: Path, *, now: float | None = None) -> Path | None:
    """A backup unless one was taken in the last day."""
    current = now or time.time()
    taken = [_taken_at(p, db.stem) for p in backup_dir(db).glob(f"{db.stem}-*.db")]
    if current - max(taken, default=0.0) < DAY:
        return None
    return backup(db, reason="daily", now=current)


def _taken_at(path: Path, stem: str) -> float:
    """When a backup was taken, from its name (`<stem>-YYYYmmdd-HHMMSS-<reason>.db`)."""
    stamp = path.name[len(stem) + 1 : len(stem) + 16]
    try:
        return time.mktime(time.strptime(stamp, "%Y%m%d-%H%M%S"))
    except ValueError:
        return path.stat().st_mtime


def integrity(db: Path, *, quick: bool = False) -> list[str]:
    """SQLite's own integrity check: [] when the file is sound, else what it found."""
    pragma = "PRAGMA quick_check" if quick else "PRAGMA integrity_check"
    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            rows = connection.execute(pragma).fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    found = [str(r[0]) for r in rows]
    return [] if found == ["ok"] else found


def damaged(db: Path | str, detail: str) -> DamagedDatabaseError:
    folder = backup_dir(Path(db)) if isinstance(db, Path) else None
    restore = (
        f" or copy the newest backup from {folder} in its place"
        if folder is not None and any(folder.glob("*.db"))
        else ""
    )
    return DamagedDatabaseError(
        f"the database {db} is damaged ({detail}); it was not changed. Move it aside "
        f"(e.g. `mv {db} {db}.damaged`) to start afresh{restore}. `gointerview doctor` "
        "checks it."
    )
