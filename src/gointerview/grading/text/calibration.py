"""The small model that turns grading signals into a score.

A ridge regression on standardised features, one per answer language, predicting the human
score as a fraction of full marks; the output is clipped to [0, 1]. Weights are fitted by
`benchmarks/fit_calibration.py` on the public ASAG data (Mohler 2011 for English, ADS for
Chinese) and shipped as `calibration.json`. Pure Python: applying it needs no numpy.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from gointerview.grading.text.features import FEATURES

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")


@dataclass(frozen=True)
class LinearModel:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def predict(self, values: Mapping[str, float]) -> float:
        z = self.intercept
        for name, mu, sd, w in zip(self.features, self.mean, self.scale, self.coef, strict=True):
            z += w * (values.get(name, 0.0) - mu) / sd
        return min(1.0, max(0.0, z))

    def as_dict(self) -> dict[str, object]:
        return {
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> LinearModel:
        def floats(key: str) -> tuple[float, ...]:
            value = data[key]
            assert isinstance(value, list)
            return tuple(float(v) for v in value)

        features = data["features"]
        assert isinstance(features, list)
        intercept = data["intercept"]
        assert isinstance(intercept, int | float)
        return cls(
            tuple(str(f) for f in features),
            floats("mean"),
            floats("scale"),
            floats("coef"),
            float(intercept),
        )


# Used when no fitted file is present: key-point credit dominates, lexical overlap helps.
FALLBACK = LinearModel(
    features=FEATURES,
    mean=(0.0,) * len(FEATURES),
    scale=(1.0,) * len(FEATURES),
    coef=(0.55, 0.15, 0.1, 0.0, 0.1, 0.1, 0.0, -0.2, -0.1) + (0.0,) * (len(FEATURES) - 9),
    intercept=0.0,
)


@cache
def models() -> dict[str, LinearModel]:
    if not CALIBRATION_FILE.is_file():
        return {"en": FALLBACK, "zh": FALLBACK}
    data = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))
    return {lang: LinearModel.from_dict(m) for lang, m in data["models"].items()}


def model_for(lang: str) -> LinearModel:
    available = models()
    return available.get(lang) or available.get("en") or FALLBACK


OFF_TOPIC_FACTOR = 0.2
CURATED_FLOOR = 0.25  # with a curated rubric, score ≤ 25 + 100 × key-point credit


def no_evidence(values: Mapping[str, float]) -> bool:
    """Not one rubric term, reference word, question word or formula in the answer."""
    return (
        values.get("kp_credit", 0.0) == 0.0
        and values.get("ref_recall", 0.0) == 0.0
        and values.get("ans_precision", 0.0) == 0.0
        and values.get("symbols", 0.5) in (0.0, 0.5)
        and values.get("verdict", 0.5) != 1.0
    )


def score_fraction(
    model: LinearModel, values: Mapping[str, float], *, curated_rubric: bool = False
) -> float:
    """The calibrated score. An answer showing no evidence at all (no rubric term, reference
    word, question word or formula) keeps a fifth of it — the on-topic gate: graded data sets
    reward such answers (Mohler's graders gave 2.5/5 on average to the 7% of answers sharing
    no word with question or reference), so the regression alone would give "I like pizza" a
    middling score. With a curated rubric the score is also capped at 25 + 100 × the key-point
    credit."""
    fraction = model.predict(values)
    if no_evidence(values):
        return fraction * OFF_TOPIC_FACTOR
    if curated_rubric:
        # a curated rubric is the interviewer's checklist: similarity alone cannot pass
        return min(fraction, CURATED_FLOOR + values.get("kp_credit", 0.0))
    return fraction


# ---------------------------------------------------------------- fitting (benchmarks use it)


def fit_ridge(
    rows: Sequence[Mapping[str, float]],
    targets: Sequence[float],
    *,
    features: Sequence[str] = FEATURES,
    alpha: float = 1.0,
) -> LinearModel:
    """Closed-form ridge regression (intercept unpenalised) on standardised features."""
    n, k = len(rows), len(features)
    cols = [[r.get(f, 0.0) for r in rows] for f in features]
    mean = [sum(c) / n for c in cols]
    scale = [
        math.sqrt(sum((v - m) ** 2 for v in c) / n) or 1.0 for c, m in zip(cols, mean, strict=True)
    ]
    x = [[(cols[j][i] - mean[j]) / scale[j] for j in range(k)] for i in range(n)]
    y_mean = sum(targets) / n
    y = [t - y_mean for t in targets]
    # (XᵀX + αI) w = Xᵀy
    a = [
        [sum(x[i][p] * x[i][q] for i in range(n)) + (alpha if p == q else 0.0) for q in range(k)]
        for p in range(k)
    ]
    b = [sum(x[i][p] * y[i] for i in range(n)) for p in range(k)]
    coef = _solve(a, b)
    return LinearModel(tuple(features), tuple(mean), tuple(scale), tuple(coef), y_mean)


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (k is ~10)."""
    k = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for col in range(k):
        pivot = max(range(col, k), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        if abs(m[col][col]) < 1e-12:
            continue
        for r in range(k):
            if r != col:
                f = m[r][col] / m[col][col]
                m[r] = [vr - f * vc for vr, vc in zip(m[r], m[col], strict=True)]
    return [m[i][k] / m[i][i] if abs(m[i][i]) > 1e-12 else 0.0 for i in range(k)]
