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
from gointerview.grading.text.grader import grade_text


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


def check_bank(questions: Iterable[Question]) -> list[SelfCheckIssue]:
    return [issue for q in questions for issue in check_question(q)]
