"""The one mapping from a 0–100 score to a level, used by the 点评, the report, the kit and
`grade doc` alike: 精通 ≥ 85 · 熟练 ≥ 65 · 了解 ≥ 40 · 欠缺 below."""

from __future__ import annotations

import math

LEVELS = (("精通", 85.0), ("熟练", 65.0), ("了解", 40.0), ("欠缺", 0.0))
LEVEL_EN = {"精通": "expert", "熟练": "proficient", "了解": "familiar", "欠缺": "lacking"}
ORDER = ["欠缺", "了解", "熟练", "精通"]


def level_for(score: float) -> str:
    return next(name for name, floor in LEVELS if score >= floor)


def points(score: float) -> str:
    """A score as shown to people: rounded down, so a 64.9 reads 64 — the same side of the
    65 line as its level (了解), never "65 了解"."""
    return str(math.floor(score + 1e-9))
