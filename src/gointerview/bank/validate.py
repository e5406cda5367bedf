"""Checks across questions and files, beyond what the schema can see on one question.

Two kinds of check:
- integrity (always errors): unique ids, follow-ups that name real key points, exercises that
  exist;
- content standard (errors for the built-in bank or `--strict`, warnings otherwise): the bar
  the built-in bank is held to — enough key points, a follow-up, sources, bilingual terms,
  reference answers of a useful length, code in a prompt inside a fence (else Markdown runs
  it into one paragraph). Imported notes may legitimately fall short of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from itertools import chain

from gointerview.bank.loader import SourcedQuestion
from gointerview.bank.schema import KeyPoint, QuestionType, has_cjk, has_latin, split_aliases
from gointerview.errors import Problem

MIN_KEY_POINTS = 4
ANSWER_WORDS = {"long": (110, 330), "quiz": (8, 140)}
# a prompt line that is code or tool output: a Go statement, a compiler position, a gctrace line
CODE_LINE = re.compile(
    r"^\s*(?!`)(?:(?:func|go|for|if|var|type|package|import|return|defer|select|switch)\b.*[{}()]"
    r"|[A-Za-z_][\w.]*\(.*\)\s*$|\S+\s*:=|\}|\S+\.go:\d+|gc \d+ @)"
)


def check_integrity(
    questions: Iterable[SourcedQuestion], *, exercise_ids: Collection[str] | None = None
) -> list[Problem]:
    """Errors that make a bank unusable, across every file given together."""
    problems: list[Problem] = []
    first_seen: dict[str, SourcedQuestion] = {}
    for sq in questions:
        q = sq.question
        if q.id in first_seen:
            other = first_seen[q.id]
            line = other.problem(["id"], "").line
            problems.append(
                sq.problem(["id"], f"duplicate question id {q.id!r} (first at {other.path}:{line})")
            )
        else:
            first_seen[q.id] = sq
        problems.extend(_integrity(sq, exercise_ids))
    return problems


def check_content(questions: Iterable[SourcedQuestion], *, strict: bool) -> list[Problem]:
    """The content standard: errors when `strict`, warnings otherwise."""
    severity = "error" if strict else "warning"
    return list(chain.from_iterable(_content_standard(sq, severity) for sq in questions))


def _integrity(sq: SourcedQuestion, exercise_ids: Collection[str] | None) -> list[Problem]:
    q = sq.question
    problems = []
    for field, ids in (
        ("key_points", [kp.id for kp in q.key_points]),
        ("misconceptions", [m.id for m in q.misconceptions]),
    ):
        seen: set[str] = set()
        for index, item_id in enumerate(ids):
            if item_id in seen:
                problems.append(
                    sq.problem([field, index, "id"], f"question {q.id}: duplicate id {item_id!r}")
                )
            seen.add(item_id)
    point_ids = {kp.id for kp in q.key_points}
    for index, follow_up in enumerate(q.follow_ups):
        if follow_up.when_missed is not None and follow_up.when_missed not in point_ids:
            known = ", ".join(sorted(point_ids)) or "none"
            problems.append(
                sq.problem(
                    ["follow_ups", index, "when_missed"],
                    f"question {q.id}: follow-up names unknown key point "
                    f"{follow_up.when_missed!r} (key points: {known})",
                )
            )
    if q.exercise is not None and exercise_ids is not None and q.exercise not in exercise_ids:
        problems.append(
            sq.problem(["exercise"], f"question {q.id}: unknown exercise {q.exercise!r}")
        )
    if q.type is QuestionType.DRILL and q.artefact is None:
        problems.append(sq.problem(["type"], f"question {q.id}: a drill needs its `artefact`"))
    if q.type is QuestionType.CODING and q.exercise is None:
        problems.append(
            sq.problem(["type"], f"question {q.id}: a coding question needs `exercise`")
        )
    return problems


def _content_standard(sq: SourcedQuestion, severity: str) -> list[Problem]:
    q = sq.question
    out: list[Problem] = []

    def flag(loc: list[str | int], message: str) -> None:
        out.append(sq.problem(loc, f"question {q.id}: {message}", severity))

    is_quiz = q.type is QuestionType.QUIZ
    minimum = 1 if is_quiz else MIN_KEY_POINTS
    if len(q.key_points) < minimum:
        flag(["key_points"], f"needs at least {minimum} key points, has {len(q.key_points)}")
    if not is_quiz and not q.follow_ups:
        flag(["follow_ups"], "needs at least one follow-up")
    for index, follow_up in enumerate(q.follow_ups):
        if follow_up.answer is None or not follow_up.key_points:
            flag(
                ["follow_ups", index],
                "follow-up needs its own expected `answer` (zh and en) and 1-3 `key_points`",
            )
            continue
        for lang in ("zh", "en"):
            if not getattr(follow_up.answer, lang):
                flag(["follow_ups", index, "answer"], f"follow-up answer needs {lang} text too")
        for kp_index, kp in enumerate(follow_up.key_points):
            _check_terms(kp, ["follow_ups", index, "key_points", kp_index], flag)
    if not q.sources:
        flag(["sources"], "needs `sources` saying where the facts were checked")
    if not q.tags:
        flag(["tags"], "needs at least one tag")
    for field in ("prompt", "reference_answer"):
        text = getattr(q, field)
        for lang in ("zh", "en"):
            if not getattr(text, lang):
                flag([field], f"{field} needs {lang} text too (the bank is bilingual)")
    for lang in ("zh", "en"):
        if line := unfenced_code(getattr(q.prompt, lang)):
            flag(["prompt", lang], f"code in the prompt needs a ``` fence: {line.strip()[:60]!r}")
    for index, wording in enumerate(q.asked_as):
        for lang in ("zh", "en"):
            if not getattr(wording, lang):
                flag(["asked_as", index], f"asked_as needs {lang} text too (the bank is bilingual)")
    low, high = ANSWER_WORDS["quiz" if is_quiz else "long"]
    words = len(q.reference_answer.en.split())
    if q.reference_answer.en and not low <= words <= high:
        flag(
            ["reference_answer", "en"], f"reference answer has {words} words; aim for {low}-{high}"
        )
    for index, kp in enumerate(q.key_points):
        _check_terms(kp, ["key_points", index], flag)
    return out


def unfenced_code(text: str) -> str | None:
    """The first line of `text` outside a ``` fence that looks like code, if any."""
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and CODE_LINE.match(line):
            return line
    return None


def _check_terms(
    kp: KeyPoint, loc: list[str | int], flag: Callable[[list[str | int], str], None]
) -> None:
    aliases = list(chain.from_iterable(split_aliases(group) for group in kp.terms))
    if not any(has_cjk(a) for a in aliases) or not any(has_latin(a) for a in aliases):
        flag(
            [*loc, "terms"], f"key point {kp.id!r}: terms need aliases in both Chinese and English"
        )
    if not has_cjk(kp.zh):
        flag([*loc, "zh"], f"key point {kp.id!r}: zh text has no Chinese")
