"""Grade a JSONL file of answers: one `{"id", "question", "reference", "answer"}` per line,
optionally `"rubric"` (bullet text with points) and `"max_score"`. A bad line becomes an error
record for that line; the others still grade."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from gointerview.grading.text.grader import TextGrade, grade_rubric
from gointerview.grading.text.rubric import Rubric, RubricTextError, derive, parse_rubric_text

REQUIRED = ("id", "question", "reference", "answer")


class LineError(ValueError):
    pass


Cache = dict[tuple[str, str, str], tuple[Rubric, list[str]]]


def _rubric(record: dict[str, Any], cache: Cache) -> tuple[Rubric, list[str]]:
    """The line's rubric and the warnings reading it gave (cached per rubric)."""
    question, reference = str(record["question"]), str(record["reference"])
    rubric_text = record.get("rubric") or ""
    if not isinstance(rubric_text, str):
        raise LineError("`rubric` must be text (bullet lines with points)")
    key = (question, reference, rubric_text)
    if key not in cache:
        lang = "zh" if any("\u3400" <= c <= "\u9fff" for c in reference) else "en"
        warnings: list[str] = []
        if rubric_text.strip():
            try:
                rubric = parse_rubric_text(
                    rubric_text, question=question, reference={lang: reference}, warnings=warnings
                )
            except RubricTextError as exc:
                raise LineError(str(exc)) from exc
        else:
            rubric = derive(question=question, reference={lang: reference})
        cache[key] = (rubric, warnings)
    return cache[key]


def _parse(line: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise LineError(f"invalid JSON: {exc.msg} at column {exc.colno}") from exc
    if not isinstance(record, dict):
        raise LineError("each line must be a JSON object")
    return record


def _check(record: dict[str, Any]) -> dict[str, Any]:
    missing = [k for k in REQUIRED if k not in record]
    if missing:
        raise LineError(f"missing field(s): {', '.join(missing)}")
    for key in ("question", "reference", "answer"):
        if not isinstance(record[key], str):
            raise LineError(f"`{key}` must be a string")
    if "max_score" in record and (
        not isinstance(record["max_score"], int | float) or record["max_score"] <= 0
    ):
        raise LineError("`max_score` must be a positive number")
    return record


def result_record(record_id: Any, grade: TextGrade, max_score: float | None) -> dict[str, Any]:
    fraction = round(grade.score / 100.0, 4)
    out: dict[str, Any] = {
        "id": record_id,
        "score": fraction,
        "level": grade.level,
        "points": [
            {
                "id": p.id,
                "status": p.status,
                "weight": p.weight,
                "coverage": p.coverage,
                "text": p.wording,
                "evidence": [e.model_dump() for e in p.evidence],
            }
            for p in grade.points
        ],
        "misconceptions": [m.model_dump() for m in grade.misconceptions],
        "graders": grade.graders,
    }
    if max_score is not None:
        out["marks"] = round(fraction * max_score, 2)
        out["max_score"] = max_score
    return out


def grade_lines(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    cache: Cache = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        record_id: Any = None
        try:
            record = _parse(line)
            record_id = record.get("id")
            _check(record)
            rubric, warnings = _rubric(record, cache)
            grade = grade_rubric(rubric, record["answer"])
            max_score = record.get("max_score")
            if max_score is None and rubric.origin == "text-rubric":
                max_score = rubric.max_score
            result = result_record(record_id, grade, float(max_score) if max_score else None)
            if warnings:
                result["warnings"] = [f"line {number}: {w}" for w in warnings]
            yield result
        except LineError as exc:
            yield {"id": record_id, "line": number, "error": str(exc)}
