"""The question-bank schema: what one question in a YAML bank file may say.

Documented for authors in docs/bank-format.md; keep the two in step.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def has_latin(text: str) -> bool:
    return bool(_LATIN.search(text))


class QuestionType(StrEnum):
    CONCEPT = "concept"
    DESIGN = "design"
    CODING = "coding"
    QUIZ = "quiz"
    BEHAVIORAL = "behavioral"
    DRILL = "drill"  # a diagnosis drill: a real artefact, name the root cause and the fix


class Area(StrEnum):
    """Where a question sits in the syllabus (SYLLABUS §4)."""

    LANGUAGE = "language"
    RUNTIME = "runtime"
    ENGINEERING = "engineering"
    COMPONENTS = "components"
    DESIGN = "design"
    CLOUD = "cloud"
    GROWTH = "growth"


class Ability(StrEnum):
    """The four ability-map areas of SYLLABUS §1 that drive question selection."""

    SYSTEM_DESIGN = "system_design"
    CONCURRENCY = "concurrency"
    RUNTIME = "runtime"
    ENGINEERING = "engineering"


class Dimension(StrEnum):
    """The five dimensions of the evaluation report (SYLLABUS §2)."""

    GO_ADVANCED = "go_advanced"
    COMPONENTS = "components"
    DISTRIBUTED_DESIGN = "distributed_design"
    PERFORMANCE = "performance"
    PROBLEM_ANALYSIS = "problem_analysis"


class Level(StrEnum):
    JUNIOR = "junior"
    MID = "mid"
    SENIOR = "senior"
    STAFF = "staff"


LEVEL_ORDER: dict[Level, int] = {Level.JUNIOR: 0, Level.MID: 1, Level.SENIOR: 2, Level.STAFF: 3}

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=120)]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A piece of text in Chinese and English. The built-in bank needs both (its content
    standard checks it); a user bank imported from notes may have only the language the notes
    were written in, and readers then fall back to it."""

    zh: str = ""
    en: str = ""

    def get(self, lang: str) -> str:
        first, second = (self.zh, self.en) if lang == "zh" else (self.en, self.zh)
        return first or second

    @property
    def bilingual(self) -> bool:
        return bool(self.zh and self.en)

    @field_validator("zh", "en")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("zh")
    @classmethod
    def _zh_is_chinese(cls, value: str) -> str:
        if value and not has_cjk(value):
            raise ValueError("the zh text contains no Chinese characters")
        return value

    @model_validator(mode="after")
    def _one_language_at_least(self) -> Text:
        if not self.zh and not self.en:
            raise ValueError("needs `zh` or `en` text (both for the built-in bank)")
        return self


def split_aliases(group: str) -> list[str]:
    """`"work stealing | 工作窃取 | runqsteal"` -> the three aliases, trimmed."""
    return [alias.strip() for alias in group.split("|") if alias.strip()]


class KeyPoint(_Strict):
    """One thing a good answer says. `terms` are synonym groups: each entry lists aliases
    separated by `|`; an answer covers the point when it mentions enough of the groups."""

    id: Id
    weight: float = Field(gt=0, le=10)
    zh: NonEmpty
    en: NonEmpty
    terms: list[NonEmpty] = Field(min_length=1)
    required: bool = False

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def alias_groups(self) -> list[list[str]]:
        return [split_aliases(group) for group in self.terms]


class Misconception(_Strict):
    """A wrong claim people make; `detect` lists synonym groups that all appear in a
    sentence stating it (used by the grader to flag it)."""

    id: Id
    claim: Text
    detect: list[NonEmpty] = Field(min_length=1)
    why: Text


class FollowUp(_Strict):
    """Asked when key point `when_missed` was missed, or always when it is absent.

    A follow-up is graded on its own rubric: `answer` is what a strong candidate says to it and
    `key_points` (1–3) what the grader listens for. Without them (allowed in user banks) the
    answer is graded on the parent's rubric restricted to `when_missed`."""

    when_missed: Id | None = None
    zh: NonEmpty
    en: NonEmpty
    answer: Text | None = None
    key_points: list[KeyPoint] = Field(default_factory=list, max_length=3)

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    @model_validator(mode="after")
    def _points_need_answer(self) -> FollowUp:
        if self.key_points and self.answer is None:
            raise ValueError("a follow-up with `key_points` needs its expected `answer`")
        ids = [kp.id for kp in self.key_points]
        if len(ids) != len(set(ids)):
            raise ValueError(f"duplicate key point ids in a follow-up: {ids}")
        return self


class ArtefactKind(StrEnum):
    GOROUTINE_DUMP = "goroutine-dump"
    CPU_PROFILE = "cpu-profile"
    HEAP_PROFILE = "heap-profile"
    BLOCK_PROFILE = "block-profile"
    MUTEX_PROFILE = "mutex-profile"
    RACE_REPORT = "race-report"
    GCTRACE = "gctrace"
    SCHEDTRACE = "schedtrace"
    TRACE_SUMMARY = "trace-summary"
    OTHER = "other"


class Artefact(_Strict):
    """What a diagnosis drill shows the candidate: real output of a real program. `file` is
    relative to the bank file's folder; the loader puts its text under the prompt, headed by
    `command` (how it was produced)."""

    kind: ArtefactKind
    file: NonEmpty
    command: NonEmpty


class Question(_Strict):
    id: Id
    type: QuestionType
    area: Area
    ability: Ability
    dimensions: list[Dimension] = Field(min_length=1)
    level: Level
    tags: list[NonEmpty] = Field(default_factory=list)
    prompt: Text
    # other ways interviewers ask the same thing (a situation, a symptom, a task, shorter or
    # plainer wording): the document reader matches a note's question against them too
    asked_as: list[Text] = Field(default_factory=list, max_length=6)
    reference_answer: Text
    key_points: list[KeyPoint] = Field(default_factory=list)
    misconceptions: list[Misconception] = Field(default_factory=list)
    follow_ups: list[FollowUp] = Field(default_factory=list)
    sources: list[NonEmpty] = Field(default_factory=list)
    exercise: Id | None = None
    artefact: Artefact | None = None
    time_minutes: float | None = Field(default=None, gt=0, le=120)

    def key_point(self, point_id: str) -> KeyPoint | None:
        return next((kp for kp in self.key_points if kp.id == point_id), None)
