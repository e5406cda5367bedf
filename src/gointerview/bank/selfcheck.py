"""Does the grader understand the bank's own rubrics? Two checks per question:

- its reference answer, in each language, is graded 精通 and states none of its misconceptions;
- each misconception's claim, in each language, is flagged by its own `detect` groups.

A failure means the rubric's `terms` or `detect` do not say what the text says: the grader
would mark a correct answer down, or miss a wrong one. Run with `gointerview bank selfcheck`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gointerview.bank.schema import Question
from gointerview.grading.text.grader import grade_rubric, grade_text
from gointerview.grading.text.rubric import follow_up_rubric


@dataclass(frozen=True)
class SelfCheckIssue:
    question: str
    lang: str
    kind: str  # reference-level | reference-misconception | claim-not-detected
    detail: str


def check_question(q: Question) -> list[SelfCheckIssue]:
    issues = []
    for lang in ("en", "zh"):
        grade = grade_text(q, q.reference_answer.get(lang))
        if grade.level != "精通":
            weak = [
                f"{p.id} ({p.status}: missing {', '.join(p.missing_terms)})"
                for p in grade.points
                if p.status != "hit"
            ]
            issues.append(
                SelfCheckIssue(
                    q.id,
                    lang,
                    "reference-level",
                    f"{grade.score:.0f} {grade.level}; " + "; ".join(weak),
                )
            )
        for hit in grade.misconceptions:
            issues.append(
                SelfCheckIssue(
                    q.id,
                    lang,
                    "reference-misconception",
                    f"{hit.id} fires on: {hit.sentence.text[:120]}",
                )
            )
        for m in q.misconceptions:
            claim = m.claim.get(lang)
            if m.id not in {h.id for h in grade_text(q, claim).misconceptions}:
                issues.append(
                    SelfCheckIssue(
                        q.id,
                        lang,
                        "claim-not-detected",
                        f"{m.id}: {claim!r} with detect {m.detect}",
                    )
                )
    return issues


def check_follow_ups(q: Question) -> list[SelfCheckIssue]:
    """Each follow-up's expected answer, in each language, hits every one of its own points."""
    issues = []
    for index, follow_up in enumerate(q.follow_ups):
        if not follow_up.key_points or follow_up.answer is None:
            continue
        rubric = follow_up_rubric(q, index)
        for lang in ("en", "zh"):
            answer = follow_up.answer.get(lang)
            grade = grade_rubric(rubric, answer)
            for p in grade.points:
                if p.status != "hit":
                    issues.append(
                        SelfCheckIssue(
                            q.id,
                            lang,
                            "follow-up-answer",
                            f"follow-up {index + 1} ({follow_up.en[:60]}…): point {p.id} "
                            f"{p.status}, missing {', '.join(p.missing_terms)}",
                        )
                    )
            for hit in grade.misconceptions:
                issues.append(
                    SelfCheckIssue(
                        q.id,
                        lang,
                        "follow-up-misconception",
                        f"follow-up {index + 1}: {hit.id} fires on: {hit.sentence.text[:120]}",
                    )
                )
    return issues


def check_bank(questions: Iterable[Question]) -> list[SelfCheckIssue]:
    return [issue for q in questions for issue in (*check_question(q), *check_follow_ups(q))]
