"""Feedback text in the answer's language, and the follow-up question to ask next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gointerview.grading.text.rubric import Rubric
from gointerview.levels import points

if TYPE_CHECKING:
    from gointerview.grading.text.grader import TextGrade

MAX_LISTED = 4


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def write_feedback(grade: TextGrade) -> str:
    zh = grade.lang == "zh"
    hit = [p for p in grade.points if p.status == "hit"]
    partial = [p for p in grade.points if p.status == "partial"]
    missed = sorted((p for p in grade.points if p.status == "missed"), key=lambda p: -p.weight)
    lines = [
        f"得分 {points(grade.score)}/100（{grade.level}）。"
        if zh
        else f"Score {points(grade.score)}/100 ({grade.level_en})."
    ]
    if hit:
        head = "答到的要点：" if zh else "Covered: "
        items = [
            f"{p.wording}（“{_quote(p.evidence[0].text, 30)}”）"
            if zh and p.evidence
            else f'{p.wording} ("{_quote(p.evidence[0].text, 30)}")'
            if p.evidence
            else p.wording
            for p in hit[:MAX_LISTED]
        ]
        lines.append(head + ("；" if zh else "; ").join(items))
    if partial:
        head = "提到但不完整：" if zh else "Partly covered: "
        lines.append(head + ("；" if zh else "; ").join(p.wording for p in partial[:MAX_LISTED]))
    if missed:
        head = "遗漏：" if zh else "Missed: "
        lines.append(head + ("；" if zh else "; ").join(p.wording for p in missed[:MAX_LISTED]))
    for m in grade.misconceptions:
        if zh:
            lines.append(f"误区：“{_quote(m.sentence.text)}” —— {m.correction}")
        else:
            lines.append(f'Wrong: "{_quote(m.sentence.text)}" — {m.correction}')
    gaps = [k for k, v in grade.structure.items() if not v]
    if grade.points and "verify" in gaps and grade.score >= 40:
        lines.append(
            "建议补充：如何验证（pprof、trace、基准测试或 -race）。"
            if zh
            else "Add how you would verify it (pprof, trace, a benchmark or -race)."
        )
    if not grade.points:
        lines.append(
            "这道题没有评分要点，只能给出相似度分。"
            if zh
            else "This question has no rubric; the score is similarity only."
        )
    return "\n".join(lines)


def choose_follow_up(rubric: Rubric, grade: TextGrade) -> str | None:
    """The follow-up for the heaviest missed (then partial) point; otherwise an 'always' one."""
    lang = grade.lang
    by_weight = sorted(
        (p for p in grade.points if p.status != "hit"),
        key=lambda p: (p.status != "missed", -p.weight),
    )
    for point in by_weight:
        for f in rubric.follow_ups:
            if f.when_missed == point.id:
                return f.text.get(lang) or f.text.get("en")
    for f in rubric.follow_ups:
        if f.when_missed is None:
            return f.text.get(lang) or f.text.get("en")
    if by_weight:
        wording = by_weight[0].wording
        return (
            f"能展开讲讲这一点吗：{wording}？"
            if lang == "zh"
            else f"Can you expand on this: {wording}?"
        )
    return None
