"""What a candidate sees, measured: the grader on adversarial answers scored by people.

The data (benchmarks/data/adversarial/<split>/) was written by helpers who saw the bank's
questions but not the grader: for each question, answers of seven types — excellent in other
words, terse but correct, a confident misconception, a bare keyword list, negated facts,
off-topic, mixed Chinese/English — each scored 0–100 against the rubric with a reason.
`bank*.jsonl` holds bank questions (graded with `grade_text`), `rubric*.jsonl` teacher-style
rubric text in the `grade batch` format (graded as `grade batch` does). The `tuning` split is
what the grader was tuned on; `heldout` never was, and is reported separately.

Per answer type and overall: agreement of the four levels, false credit (human < 30 and tool
≥ 40, over the answers a human scored < 30), missed credit (human ≥ 65 and tool < 40, over the
answers a human scored ≥ 65) and mean absolute error.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gointerview.bank import Bank
from gointerview.errors import GointerviewError
from gointerview.grading.text.batch import grade_lines
from gointerview.grading.text.grader import grade_text, related_questions
from gointerview.levels import level_for

TYPES = ("excellent", "terse", "mixed", "misconception", "keywords", "negated", "off_topic")
FALSE_CREDIT_HUMAN, CREDIT_TOOL = 30.0, 40.0
MISSED_CREDIT_HUMAN = 65.0


@dataclass(frozen=True)
class Scored:
    source: str  # bank | rubric
    item: str  # question id or record id
    type: str
    human: float
    tool: float
    answer: str
    reason: str


def default_data_dir() -> Path:
    """benchmarks/data/adversarial of the checkout this package runs from."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "benchmarks" / "data" / "adversarial"
        if candidate.is_dir():
            return candidate
    raise GointerviewError(
        "no adversarial data found: run from a clone of the repository, or pass --data DIR"
    )


def _records(path: Path) -> list[dict[str, Any]]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise GointerviewError(f"{path}:{number}: invalid JSON: {exc.msg}") from exc
    return out


def grade_split(
    folder: Path, bank: Bank, progress: Callable[[int, int], None] = lambda a, b: None
) -> list[Scored]:
    bank_records = [r for p in sorted(folder.glob("bank*.jsonl")) for r in _records(p)]
    rubric_records = [r for p in sorted(folder.glob("rubric*.jsonl")) for r in _records(p)]
    total, done = len(bank_records) + len(rubric_records), 0
    out: list[Scored] = []
    questions = bank.questions
    for rec in bank_records:
        question = bank.get(rec["qid"])
        grade = grade_text(question, rec["answer"], related=related_questions(question, questions))
        out.append(
            Scored(
                "bank",
                rec["qid"],
                rec["type"],
                float(rec["score"]),
                grade.score,
                rec["answer"],
                rec.get("reason", ""),
            )
        )
        done += 1
        progress(done, total)
    lines = [
        json.dumps({k: v for k, v in r.items() if k not in ("human_score", "type", "reason")})
        for r in rubric_records
    ]
    for rec, result in zip(rubric_records, grade_lines(lines), strict=True):
        if "error" in result:
            raise GointerviewError(f"{folder}: record {rec.get('id')}: {result['error']}")
        out.append(
            Scored(
                "rubric",
                str(rec["id"]),
                rec["type"],
                float(rec["human_score"]),
                100.0 * float(result["score"]),
                rec["answer"],
                rec.get("reason", ""),
            )
        )
        done += 1
        progress(done, total)
    return out


def summarise(rows: Sequence[Scored]) -> dict[str, Any]:
    n = len(rows)
    if not n:
        return {"answers": 0}
    low = [r for r in rows if r.human < FALSE_CREDIT_HUMAN]
    high = [r for r in rows if r.human >= MISSED_CREDIT_HUMAN]
    return {
        "answers": n,
        "level_agreement": round(sum(level_for(r.human) == level_for(r.tool) for r in rows) / n, 3),
        "false_credit": round(sum(r.tool >= CREDIT_TOOL for r in low) / len(low), 3)
        if low
        else None,
        "missed_credit": round(sum(r.tool < CREDIT_TOOL for r in high) / len(high), 3)
        if high
        else None,
        "mae": round(sum(abs(r.tool - r.human) for r in rows) / n, 1),
        "mean_human": round(sum(r.human for r in rows) / n, 1),
        "mean_tool": round(sum(r.tool for r in rows) / n, 1),
    }


def by_type(rows: Iterable[Scored]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[Scored]] = defaultdict(list)
    for r in rows:
        groups[r.type].append(r)
    ordered = [t for t in TYPES if t in groups] + sorted(set(groups) - set(TYPES))
    return {t: summarise(groups[t]) for t in ordered}


def run(
    root: Path, bank: Bank, progress: Callable[[str, int, int], None] = lambda s, a, b: None
) -> dict[str, Any]:
    splits = sorted(p for p in root.iterdir() if p.is_dir())
    if not splits:
        raise GointerviewError(f"{root}: no split folders (tuning/, heldout/)")
    out: dict[str, Any] = {}
    for folder in splits:

        def step(done: int, total: int, name: str = folder.name) -> None:
            progress(name, done, total)

        rows = grade_split(folder, bank, step)
        out[folder.name] = {
            "overall": summarise(rows),
            "bank": summarise([r for r in rows if r.source == "bank"]),
            "rubric": summarise([r for r in rows if r.source == "rubric"]),
            "by_type": by_type(rows),
            "worst": [
                {
                    "item": r.item,
                    "type": r.type,
                    "human": r.human,
                    "tool": r.tool,
                    "answer": r.answer[:160],
                }
                for r in sorted(rows, key=lambda r: -abs(r.tool - r.human))[:10]
            ],
        }
    return out
