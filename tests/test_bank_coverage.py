"""The built-in bank covers the syllabus, to the standard the content issues set."""

from __future__ import annotations

from collections import Counter

import pytest

from gointerview.bank import Bank, load_bank
from gointerview.bank.schema import Area, QuestionType
from gointerview.bank.syllabus import syllabus


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank()


def test_every_syllabus_bullet_has_questions_that_exist(bank: Bank) -> None:
    ids = {q.id for q in bank.questions}
    for section, bullets in syllabus().items():
        for bullet, questions in bullets.items():
            assert questions, f"{section} / {bullet} has no question"
            missing = [q for q in questions if q not in ids]
            assert not missing, f"{section} / {bullet}: unknown ids {missing}"


def test_every_question_sits_under_a_syllabus_bullet(bank: Bank) -> None:
    mapped = {q for bullets in syllabus().values() for qs in bullets.values() for q in qs}
    orphans = [q.id for q in bank.questions if q.id not in mapped]
    assert orphans == []


def test_first_half_counts(bank: Bank) -> None:
    first_half = [q for q in bank.questions if q.area in (Area.LANGUAGE, Area.RUNTIME)]
    section6 = syllabus()["6 quiz"]
    quiz_ids = {q for bullet, qs in section6.items() if bullet != "second-half-areas" for q in qs}
    assert len(quiz_ids) >= 12
    assert len({q.id for q in first_half} | quiz_ids) >= 90


def test_second_half_counts(bank: Bank) -> None:
    questions = bank.questions
    assert len(questions) >= 190
    by_area = Counter(q.area for q in questions)
    assert by_area[Area.ENGINEERING] >= 18
    assert by_area[Area.COMPONENTS] >= 40
    assert by_area[Area.CLOUD] >= 8
    design = [q for q in questions if q.area is Area.DESIGN and q.type is QuestionType.DESIGN]
    assert len(design) >= 15
    growth = [q for q in questions if q.area is Area.GROWTH and q.type is QuestionType.BEHAVIORAL]
    assert len(growth) >= 8
    assert len(syllabus()["6 quiz"]["second-half-areas"]) >= 8


def test_every_question_meets_the_content_standard(bank: Bank) -> None:
    for q in bank.questions:
        assert q.prompt.zh and q.prompt.en and q.reference_answer.zh and q.reference_answer.en
        assert q.sources, q.id
        if q.type is QuestionType.QUIZ:
            assert q.key_points, q.id
            continue
        assert len(q.key_points) >= 4, q.id
        assert q.follow_ups, q.id
        points = {kp.id for kp in q.key_points}
        assert all(f.when_missed in points for f in q.follow_ups if f.when_missed), q.id


def test_design_and_behavioural_rubrics_are_richer(bank: Bank) -> None:
    for q in bank.questions:
        if q.type is QuestionType.DESIGN and q.area is Area.DESIGN:
            assert len(q.key_points) >= 5 and len(q.follow_ups) >= 3, q.id
        if q.type is QuestionType.BEHAVIORAL:
            assert len(q.key_points) >= 4, q.id


def test_the_grader_understands_the_bank(bank: Bank) -> None:
    """Each reference answer rates 精通 without a misconception, in both languages, and each
    misconception's claim trips its own detector: the rubric says what the text says."""
    from gointerview.bank.selfcheck import check_bank

    issues = check_bank(bank.questions, bank.questions)
    assert issues == [], "\n".join(f"{i.question} {i.lang} {i.kind}: {i.detail}" for i in issues)
