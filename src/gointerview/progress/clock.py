"""Time for the growth loop. Every service takes `now` (an aware datetime) so tests pin it;
the database keeps UTC. A "day" is the user's local calendar day: cards due any time today
are due now, and a new card waits until tomorrow."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from gointerview.errors import GointerviewError

NOW_ENV = "GOINTERVIEW_NOW"  # pins the clock of the growth commands (tests, replays)


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one (SQLite gives those back) is taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def now_utc() -> datetime:
    """The current time, or the one pinned by GOINTERVIEW_NOW (ISO 8601)."""
    pinned = os.environ.get(NOW_ENV, "").strip()
    if not pinned:
        return datetime.now(UTC)
    try:
        return as_utc(datetime.fromisoformat(pinned))
    except ValueError as exc:
        raise GointerviewError(
            f"{NOW_ENV}={pinned!r} is not an ISO 8601 time (e.g. 2026-11-23T09:00:00+00:00)"
        ) from exc


def end_of_day(now: datetime) -> datetime:
    """The start of the next local day, in UTC."""
    local = as_utc(now).astimezone()
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    # re-resolve the offset after a daylight-saving change within the day
    return as_utc(midnight.replace(tzinfo=None).astimezone())


def quarter_of(moment: datetime) -> str:
    local = as_utc(moment).astimezone()
    return f"{local.year}Q{(local.month - 1) // 3 + 1}"
