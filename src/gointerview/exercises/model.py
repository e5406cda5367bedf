"""Coding exercises: one folder each under content/exercises/, described by exercise.yaml.

    content/exercises/
      go.mod, go.sum          the module every submission is built in (shared; pins goleak)
      <id>/
        exercise.yaml         metadata, prompt, the files the candidate writes, the mutants
        stub/                 what the candidate starts from (signatures, TODOs)
        tests/                hidden tests (*_test.go; no TestMain: the grader's harness is it)
        solution/             the reference solution
        mutants/<id>.patch    a wrong variant: a unified diff against solution/

See docs/exercise-format.md.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from gointerview.bank.schema import Ability, Id, Level, NonEmpty, Text
from gointerview.exercises.patch import apply_patch
from gointerview.grading.code.imports import allowed_imports, never_allowed
from gointerview.grading.code.results import FailureClass


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Mutant(_Strict):
    """A wrong variant a careless candidate would write, and the failure it must be caught as."""

    id: Id
    expect: FailureClass
    description: Text


class ExerciseMeta(_Strict):
    id: Id
    title: Text
    prompt: Text
    level: Level
    ability: Ability
    topics: list[NonEmpty] = Field(min_length=1)
    time_limit_minutes: int = Field(gt=0, le=180)
    test_timeout_seconds: int = Field(default=60, gt=0, le=600)
    package: NonEmpty
    files: list[NonEmpty] = Field(min_length=1)  # what the candidate writes, e.g. [lru.go]
    # standard packages the candidate may import beyond the default allowlist
    imports: list[NonEmpty] = Field(default_factory=list)
    mutants: list[Mutant] = Field(min_length=1)

    @field_validator("imports")
    @classmethod
    def _never(cls, value: list[str]) -> list[str]:
        bad = [path for path in value if never_allowed(path)]
        if bad:
            raise ValueError(f"{', '.join(bad)} can never be allowed in a submission")
        return value


class Exercise(BaseModel):
    model_config = ConfigDict(frozen=True)

    meta: ExerciseMeta
    root: Path

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def stub_dir(self) -> Path:
        return self.root / "stub"

    @property
    def tests_dir(self) -> Path:
        return self.root / "tests"

    @property
    def solution_dir(self) -> Path:
        return self.root / "solution"

    def mutant_patch(self, mutant_id: str) -> Path:
        return self.root / "mutants" / f"{mutant_id}.patch"

    def solution_files(self) -> dict[str, str]:
        return {p.name: p.read_text(encoding="utf-8") for p in self.solution_dir.glob("*.go")}

    def mutant_files(self, mutant_id: str) -> dict[str, str]:
        """The reference solution with the mutant's patch applied (raises PatchError)."""
        patch = self.mutant_patch(mutant_id).read_text(encoding="utf-8")
        return apply_patch(self.solution_files(), patch)

    def hidden_tests(self) -> list[Path]:
        return sorted(self.tests_dir.glob("*_test.go"))

    @property
    def allowed_imports(self) -> list[str]:
        """What the candidate's files may import: the default allowlist and `imports`."""
        return allowed_imports(self.meta.imports)
