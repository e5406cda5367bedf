"""The growth radar: five axes (深度 depth, 广度 breadth, 工程化 engineering, 架构能力
architecture, 技术影响力 influence) self-rated 1–5 each quarter, each score with the evidence
written beside it, drawn against the previous rated quarter."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from gointerview.errors import GointerviewError
from gointerview.progress.clock import as_utc
from gointerview.progress.tables import SelfRatingRow

if TYPE_CHECKING:
    from gointerview.store.db import Store

AXES: dict[str, dict[str, str]] = {
    "depth": {"zh": "深度", "en": "Depth"},
    "breadth": {"zh": "广度", "en": "Breadth"},
    "engineering": {"zh": "工程化", "en": "Engineering"},
    "architecture": {"zh": "架构能力", "en": "Architecture"},
    "influence": {"zh": "技术影响力", "en": "Technical influence"},
}
MAX_EVIDENCE = 2000
_QUARTER = re.compile(r"^(\d{4})\s*-?\s*Q([1-4])$", re.IGNORECASE)


def quarter_key(text: str) -> str:
    """`2026Q4` (also `2026-q4`); anything else is an error."""
    m = _QUARTER.match(text.strip())
    if not m:
        raise GointerviewError(f"quarter {text!r}: write it as YYYYQn, e.g. 2026Q4")
    return f"{m.group(1)}Q{m.group(2)}"


def axis_key(name: str) -> str:
    """An axis by its id or its name in either language (深度, depth, Technical influence)."""
    wanted = name.strip().lower()
    for key, names in AXES.items():
        if wanted in (key, names["zh"], names["en"].lower()):
            return key
    raise GointerviewError(
        f"unknown growth axis {name!r}; use one of "
        + ", ".join(f"{k} ({v['zh']})" for k, v in AXES.items())
    )


class Rating(BaseModel):
    score: int
    evidence: str = ""


class AxisRating(BaseModel):
    axis: str
    name: str
    score: int | None
    evidence: str
    previous_score: int | None
    previous_evidence: str


class GrowthRadar(BaseModel):
    quarter: str | None
    previous_quarter: str | None
    axes: list[AxisRating]
    quarters: list[str]


def rate(store: Store, quarter: str, ratings: Mapping[str, Rating], *, now: datetime) -> None:
    """Record (or replace) the scores of a quarter; axes not given keep what they had."""
    quarter = quarter_key(quarter)
    checked = {}
    for name, rating in ratings.items():
        axis = axis_key(name)
        if not 1 <= rating.score <= 5:
            raise GointerviewError(f"{AXES[axis]['en']}: score {rating.score} is not 1–5")
        if len(rating.evidence) > MAX_EVIDENCE:
            raise GointerviewError(
                f"{AXES[axis]['en']}: evidence of {len(rating.evidence)} characters is over "
                f"{MAX_EVIDENCE}"
            )
        checked[axis] = rating
    if not checked:
        raise GointerviewError("no axis rated: give AXIS=SCORE (e.g. depth=4)")
    with OrmSession(store.engine) as db, db.begin():
        for axis, rating in checked.items():
            row = db.get(SelfRatingRow, (quarter, axis))
            if row is None:
                row = SelfRatingRow(quarter=quarter, axis=axis)
                db.add(row)
            row.score, row.evidence = rating.score, rating.evidence.strip()
            row.rated_at = as_utc(now)


def quarters(store: Store) -> list[str]:
    with OrmSession(store.engine) as db:
        return sorted(set(db.scalars(select(SelfRatingRow.quarter))))


def _scores(store: Store, quarter: str | None) -> dict[str, SelfRatingRow]:
    if quarter is None:
        return {}
    with OrmSession(store.engine) as db:
        rows = db.scalars(select(SelfRatingRow).where(SelfRatingRow.quarter == quarter))
        return {r.axis: r for r in rows}


def radar(store: Store, quarter: str | None = None, *, lang: str = "en") -> GrowthRadar:
    """A quarter's ratings (the latest rated quarter by default) beside the previous rated
    quarter's."""
    rated = quarters(store)
    current = quarter_key(quarter) if quarter else (rated[-1] if rated else None)
    earlier = [q for q in rated if current is not None and q < current]
    previous = earlier[-1] if earlier else None
    now_rows, before_rows = _scores(store, current), _scores(store, previous)
    axes = []
    for axis, names in AXES.items():
        row, old = now_rows.get(axis), before_rows.get(axis)
        axes.append(
            AxisRating(
                axis=axis,
                name=names[lang],
                score=row.score if row else None,
                evidence=row.evidence if row else "",
                previous_score=old.score if old else None,
                previous_evidence=old.evidence if old else "",
            )
        )
    return GrowthRadar(quarter=current, previous_quarter=previous, axes=axes, quarters=rated)


def radar_svg(growth: GrowthRadar, *, lang: str) -> str:
    """The five axes on the report's radar (1–5 drawn as 20–100), last quarter dashed."""
    from gointerview.report.radar import Axis
    from gointerview.report.radar import radar_svg as draw

    def detail(a: AxisRating) -> str:
        now = "—" if a.score is None else str(a.score)
        before = "" if a.previous_score is None else f" ({a.previous_score})"
        return f"{now}/5{before}"

    return draw(
        [Axis(a.name, None if a.score is None else a.score * 20.0, detail(a)) for a in growth.axes],
        lang=lang,
        previous=[
            None if a.previous_score is None else a.previous_score * 20.0 for a in growth.axes
        ]
        if growth.previous_quarter
        else None,
        rings=(20, 40, 60, 80, 100),
        ring_label=lambda ring: f"{ring / 20:g}",
    )
