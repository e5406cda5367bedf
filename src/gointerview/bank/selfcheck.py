"""Does the grader understand the bank's own rubrics? Per question, in each language:

- its reference answer hits every one of its key points and states no misconception (its own,
  or one of a question sharing a tag);
- each misconception's claim trips its own detector and scores below 40;
- a bare list of the question's own terms scores below 40 (terms that credit a list credit
  words, not claims);
- each follow-up's expected answer hits every one of the follow-up's own key points.

A failure means the rubric's `terms` or `detect` do not say what the text says: the grader
would mark a correct answer down, or give a wrong one credit. Run with `gointerview bank
selfcheck`; the test suite runs it on the whole built-in bank.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gointerview.bank.schema import Question, has_cjk
from gointerview.grading.text.grader import grade_rubric, grade_text, related_questions
from gointerview.grading.text.rubric import follow_up_rubric

CREDIT_LINE = 40.0


@dataclass(frozen=True)
class SelfCheckIssue:
    question: str
    lang: str
    kind: str  # reference-point | reference-misconception | claim-not-detected | claim-credited
    # | keyword-list-credited | follow-up-answer | follow-up-misconception
    detail: str


def keyword_list(q: Question, lang: str) -> str:
    """The question's own terms as a bare list: one alias per term group, in `lang` where the
    group has one."""
    words = []
    for kp in q.key_points:
        for group in kp.alias_groups():
            fitting = [a for a in group if has_cjk(a) == (lang == "zh")]
            words.append((fitting or group)[0])
    return ("、" if lang == "zh" else ", ").join(dict.fromkeys(words))


def check_question(q: Question, related: Sequence[Question] = ()) -> list[SelfCheckIssue]:
    issues = []
    for lang in ("en", "zh"):

        def issue(kind: str, detail: str, lang: str = lang) -> None:
            issues.append(SelfCheckIssue(q.id, lang, kind, detail))

        grade = grade_text(q, q.reference_answer.get(lang), related=related)
        for p in grade.points:
            if p.status != "hit":
                issue("reference-point", f"{p.id} {p.status}: missing {', '.join(p.missing_terms)}")
        for hit in grade.misconceptions:
            issue("reference-misconception", f"{hit.id} fires on: {hit.sentence.text[:120]}")
        for m in q.misconceptions:
            claim = m.claim.get(lang)
            judged = grade_text(q, claim)
            if m.id not in {h.id for h in judged.misconceptions}:
                issue("claim-not-detected", f"{m.id}: {claim!r} with detect {m.detect}")
            if judged.score >= CREDIT_LINE:
                issue("claim-credited", f"{m.id}: {claim!r} scores {judged.score:.0f}")
        if q.key_points:
            words = keyword_list(q, lang)
            listed = grade_text(q, words)
            if listed.score >= CREDIT_LINE:
                issue("keyword-list-credited", f"{words!r} scores {listed.score:.0f}")
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


def check_bank(
    questions: Iterable[Question], every: Sequence[Question] = ()
) -> list[SelfCheckIssue]:
    """`every` is the whole bank, whose questions sharing a tag lend their misconceptions."""
    pool = list(every)
    return [
        issue
        for q in questions
        for issue in (
            *check_question(q, related_questions(q, pool)),
            *check_follow_ups(q),
        )
    ]
