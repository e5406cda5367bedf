"""Agreement with human graders on public short-answer data (Mohler 2011, ADS), measured with
cross-validation grouped by question: the calibration is always fitted on *other* questions
than the ones being scored. Used by `gointerview benchmark grading` and
benchmarks/fit_calibration.py.
"""

from __future__ import annotations

import csv
import json
import math
import os
import random
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gointerview.errors import GointerviewError
from gointerview.grading.text import analysis as ta
from gointerview.grading.text.calibration import LinearModel, fit_ridge, score_fraction
from gointerview.grading.text.features import FEATURES
from gointerview.grading.text.grader import _grade_point, features_for
from gointerview.grading.text.match import Document
from gointerview.grading.text.rubric import Rubric, derive

PUBLISHED = {
    "mohler": [
        {"system": "Mohler et al. 2011 (SVMRank)", "pearson": 0.480, "rmse": 1.042},
        {"system": "Sultan et al. 2016", "pearson": 0.592, "rmse": 0.887},
        {
            "system": "two human graders agree (computed on this set)",
            "pearson": 0.597,
            "rmse": None,
        },
    ],
    "ads": [],
}
ALPHA = 10.0
FOLDS = 5


@dataclass
class Row:
    qid: str
    question: str
    reference: str
    answer: str
    score: float  # human score on the dataset's scale
    features: dict[str, float] = field(default_factory=dict)
    latency_ms: float = 0.0


@dataclass
class Dataset:
    name: str
    lang: str
    scale_max: float
    rows: list[Row]
    off_topic: list[Row] = field(default_factory=list)  # training-only negatives


def asag_data_dir() -> Path | None:
    """The public ASAG sets (Mohler 2011, ADS) are not shipped with the tool: their folder
    comes from GOINTERVIEW_ASAG_DIR or --data."""
    env = os.environ.get("GOINTERVIEW_ASAG_DIR")
    return Path(env) if env else None


def load_mohler(root: Path) -> Dataset:
    path = root / "mohler2011" / "mohler2011_texas.csv"
    if not path.is_file():
        raise GointerviewError(f"Mohler data not found at {path} (set GOINTERVIEW_ASAG_DIR)")
    rows = []
    with path.open(encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            if rec["in_standard_80"] != "1":
                continue
            rows.append(
                Row(
                    rec["question_id"],
                    rec["question"],
                    rec["reference_answer"],
                    rec["student_answer"],
                    float(rec["score_avg"]),
                )
            )
    return Dataset("mohler", "en", 5.0, rows)


def load_ads(root: Path) -> Dataset:
    path = root / "ads_zh" / "train.jsonl"
    if not path.is_file():
        raise GointerviewError(f"ADS data not found at {path} (set GOINTERVIEW_ASAG_DIR)")
    rows = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            reference = "\n".join(
                r for r in (rec["reference1"], rec["reference2"], rec["reference3"]) if r.strip()
            )
            rows.append(
                Row(
                    rec["q_id"],
                    rec["question"],
                    reference,
                    rec["answer"].strip(),
                    float(rec["score"]),
                )
            )
    return Dataset("ads", "zh", 10.0, rows)


LOADERS: dict[str, Callable[[Path], Dataset]] = {"mohler": load_mohler, "ads": load_ads}


def _features(data: Dataset, row: Row, answer: str, rubrics: dict[str, Rubric]) -> dict[str, float]:
    if row.qid not in rubrics:
        rubrics[row.qid] = derive(question=row.question, reference={data.lang: row.reference})
    rubric = rubrics[row.qid]
    doc = Document(answer)
    points = [_grade_point(doc, p) for p in rubric.points]
    return features_for(rubric, doc, points, 0)


def compute_features(data: Dataset, progress: Callable[[int], None] = lambda _: None) -> None:
    rubrics: dict[str, Rubric] = {}
    for i, row in enumerate(data.rows):
        start = time.perf_counter()
        row.features = _features(data, row, row.answer, rubrics)
        row.latency_ms = (time.perf_counter() - start) * 1000
        progress(i + 1)
    _add_off_topic(data, rubrics)


OFF_TOPIC_PER_QUESTION = 8


def _add_off_topic(data: Dataset, rubrics: dict[str, Rubric]) -> None:
    """Human-graded sets hold few truly off-topic answers, so a model fitted on them alone
    gives an unrelated answer a middling score. For each question we also grade answers to
    *other* questions against it, labelled 0; they are used only to fit, never scored."""
    rng = random.Random(11)
    by_question: dict[str, list[Row]] = defaultdict(list)
    for row in data.rows:
        by_question[row.qid].append(row)
    data.off_topic.clear()
    for qid, rows in sorted(by_question.items()):
        others = [r for r in data.rows if r.qid != qid]
        for donor in rng.sample(others, min(OFF_TOPIC_PER_QUESTION, len(others))):
            fake = Row(qid, rows[0].question, rows[0].reference, donor.answer, 0.0)
            fake.features = _features(data, rows[0], donor.answer, rubrics)
            data.off_topic.append(fake)


# ---------------------------------------------------------------- metrics


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    mx, my = statistics.fmean(x), statistics.fmean(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sx = math.sqrt(sum((a - mx) ** 2 for a in x))
    sy = math.sqrt(sum((b - my) ** 2 for b in y))
    return sxy / (sx * sy) if sx and sy else 0.0


def rmse(x: Sequence[float], y: Sequence[float]) -> float:
    return math.sqrt(statistics.fmean((a - b) ** 2 for a, b in zip(x, y, strict=True)))


def qwk(x: Sequence[int], y: Sequence[int], lo: int, hi: int) -> float:
    """Quadratic weighted kappa between two integer ratings on [lo, hi]."""
    k = hi - lo + 1
    observed = [[0.0] * k for _ in range(k)]
    for a, b in zip(x, y, strict=True):
        observed[a - lo][b - lo] += 1
    n = len(x)
    hx, hy = Counter(a - lo for a in x), Counter(b - lo for b in y)
    num = den = 0.0
    for i in range(k):
        for j in range(k):
            w = (i - j) ** 2 / (k - 1) ** 2
            num += w * observed[i][j]
            den += w * hx[i] * hy[j] / n
    return 1.0 - num / den if den else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# ---------------------------------------------------------------- grouped cross-validation


def question_folds(rows: Sequence[Row], folds: int = FOLDS, seed: int = 7) -> list[set[str]]:
    qids = sorted({r.qid for r in rows})
    random.Random(seed).shuffle(qids)
    return [set(qids[i::folds]) for i in range(folds)]


def cross_validate(
    data: Dataset, features: Sequence[str] = FEATURES, alpha: float = ALPHA
) -> list[float]:
    """Out-of-fold predictions on the human scale; each fold's model never saw its questions."""
    predictions = [0.0] * len(data.rows)
    for held_out in question_folds(data.rows):
        train = [r for r in data.rows if r.qid not in held_out]
        model = fit_ridge(
            [r.features for r in train],
            [r.score / data.scale_max for r in train],
            features=features,
            alpha=alpha,
        )
        for i, r in enumerate(data.rows):
            if r.qid in held_out:
                predictions[i] = score_fraction(model, r.features) * data.scale_max
    return predictions


def fit_all(data: Dataset, alpha: float = ALPHA) -> LinearModel:
    return fit_ridge(
        [r.features for r in data.rows], [r.score / data.scale_max for r in data.rows], alpha=alpha
    )


# ---------------------------------------------------------------- TF-IDF baseline


def tfidf_cosines(data: Dataset) -> list[float]:
    docs = [[t.text for t in ta.content_tokens(r.answer)] for r in data.rows]
    refs = {r.qid: [t.text for t in ta.content_tokens(r.reference)] for r in data.rows}
    df: Counter[str] = Counter()
    corpus = docs + list(refs.values())
    for d in corpus:
        df.update(set(d))
    n = len(corpus)

    def vec(words: list[str]) -> dict[str, float]:
        tf = Counter(words)
        return {w: c * math.log((1 + n) / (1 + df[w])) for w, c in tf.items()}

    out = []
    for row, words in zip(data.rows, docs, strict=True):
        a, b = vec(words), vec(refs[row.qid])
        dot = sum(v * b.get(k, 0.0) for k, v in a.items())
        na, nb = (
            math.sqrt(sum(v * v for v in a.values())),
            math.sqrt(sum(v * v for v in b.values())),
        )
        out.append(dot / (na * nb) if na and nb else 0.0)
    return out


def baseline_predictions(data: Dataset, cosines: Sequence[float]) -> list[float]:
    """The baseline gets the same grouped CV: a linear map from cosine to score."""
    for row, c in zip(data.rows, cosines, strict=True):
        row.features = {**row.features, "tfidf": c}
    plain = Dataset(data.name, data.lang, data.scale_max, data.rows)  # no synthetic negatives
    return cross_validate(plain, features=("tfidf",), alpha=0.0)


# ---------------------------------------------------------------- report


def metrics(data: Dataset, predicted: Sequence[float]) -> dict[str, float]:
    human = [r.score for r in data.rows]
    hi = int(data.scale_max)
    return {
        "pearson": round(pearson(predicted, human), 3),
        "rmse": round(rmse(predicted, human), 3),
        "qwk": round(
            qwk(
                [min(hi, max(0, round(p))) for p in predicted],
                [min(hi, max(0, round(h))) for h in human],
                0,
                hi,
            ),
            3,
        ),
    }


def run(
    name: str,
    root: Path,
    progress: Callable[[int, int], None] = lambda a, b: None,
) -> dict[str, object]:
    data = LOADERS[name](root)
    total = len(data.rows)
    compute_features(data, lambda i: progress(i, total))
    ours = metrics(data, cross_validate(data))
    base = metrics(data, baseline_predictions(data, tfidf_cosines(data)))
    latencies = [r.latency_ms for r in data.rows]
    by_question: dict[str, int] = defaultdict(int)
    for r in data.rows:
        by_question[r.qid] += 1
    return {
        "dataset": name,
        "answers": total,
        "questions": len(by_question),
        "scale": f"0-{data.scale_max:g}",
        "cv": f"{FOLDS}-fold, grouped by question",
        "gointerview": ours,
        "tfidf_baseline": base,
        "latency_ms": {
            "p50": round(percentile(latencies, 0.5), 2),
            "p95": round(percentile(latencies, 0.95), 2),
        },
        "published": PUBLISHED[name],
    }
