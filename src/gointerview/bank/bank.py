"""The loaded bank: the built-in questions plus any user banks, indexed and queryable."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gointerview.bank.loader import (
    BUILTIN_QUESTIONS_DIR,
    LoadResult,
    SourcedQuestion,
    bank_files,
    load_paths,
)
from gointerview.bank.schema import Area, Level, Question
from gointerview.bank.validate import check_content, check_integrity
from gointerview.errors import BankError, NotFoundError, Problem


@dataclass(frozen=True)
class Bank:
    entries: tuple[SourcedQuestion, ...]
    problems: tuple[Problem, ...] = ()

    @property
    def questions(self) -> list[Question]:
        return [e.question for e in self.entries]

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, question_id: str) -> Question:
        for entry in self.entries:
            if entry.question.id == question_id:
                return entry.question
        raise NotFoundError(f"no question with id {question_id!r} (try `gointerview bank list`)")

    def filter(
        self,
        *,
        areas: Collection[Area] = (),
        levels: Collection[Level] = (),
        tags: Collection[str] = (),
    ) -> list[Question]:
        wanted_tags = {t.lower() for t in tags}
        return [
            q
            for q in self.questions
            if (not areas or q.area in areas)
            and (not levels or q.level in levels)
            and (not wanted_tags or wanted_tags & {t.lower() for t in q.tags})
        ]

    def stats(self) -> dict[str, Any]:
        qs = self.questions

        def count(values: Iterable[str]) -> dict[str, int]:
            return dict(sorted(Counter(values).items()))

        return {
            "questions": len(qs),
            "by_area": count(q.area.value for q in qs),
            "by_ability": count(q.ability.value for q in qs),
            "by_dimension": count(d.value for q in qs for d in q.dimensions),
            "by_level": count(q.level.value for q in qs),
            "by_type": count(q.type.value for q in qs),
            "key_points": sum(len(q.key_points) for q in qs),
            "follow_ups": sum(len(q.follow_ups) for q in qs),
            "misconceptions": sum(len(q.misconceptions) for q in qs),
        }


def check_bank(
    *,
    builtin: bool = True,
    extra: Sequence[Path] = (),
    strict_extra: bool = False,
    exercise_ids: Collection[str] | None = None,
) -> tuple[Bank, LoadResult]:
    """Load and check everything; return the bank (good questions only) and the raw result
    with every problem, errors and warnings alike. The built-in bank is always held to the
    content standard; user banks only with `strict_extra`. Parsed files come from the cache
    (bank/cache.py)."""
    builtin_result = load_paths([BUILTIN_QUESTIONS_DIR]) if builtin else LoadResult()
    builtin_files = set(builtin_result.files)
    extra_result = load_paths(p for p in bank_files(extra) if p.resolve() not in builtin_files)
    everything = builtin_result.questions + extra_result.questions
    problems = (
        builtin_result.problems
        + extra_result.problems
        + check_integrity(everything, exercise_ids=exercise_ids)
        + check_content(builtin_result.questions, strict=True)
        + check_content(extra_result.questions, strict=strict_extra)
    )
    problems.sort(key=lambda p: (str(p.path), p.line, p.col, p.message))
    result = LoadResult(everything, problems, builtin_result.files + extra_result.files)
    return Bank(tuple(everything), tuple(problems)), result


def load_bank(
    *, builtin: bool = True, extra: Sequence[Path] = (), exercise_ids: Collection[str] | None = None
) -> Bank:
    """The bank for everyday commands; raises BankError listing every error if any."""
    bank, result = check_bank(builtin=builtin, extra=extra, exercise_ids=exercise_ids)
    errors = [p for p in result.problems if p.severity == "error"]
    if errors:
        raise BankError(errors)
    return bank
