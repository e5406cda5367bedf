"""The versioned JSON contract for a graded Go submission.

Modelled on Exercism's test-runner results (`status`, `message`, per-test `name`, `status`,
`message`, `output` capped at 500 characters, tests in file order), plus our own fields: the
failure class, the trimmed race report or leaked goroutines, compile errors mapped to the
candidate's files, durations and the Go version. Bump RESULTS_VERSION on any breaking change.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

RESULTS_VERSION = 1
OUTPUT_CAP = 500


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"


class FailureClass(StrEnum):
    COMPILE_ERROR = "compile_error"
    TEST_FAILURE = "test_failure"
    RACE = "race"
    LEAK = "leak"
    TIMEOUT = "timeout"
    PANIC = "panic"
    RESOURCE_LIMIT = "resource_limit"
    SANDBOX_ERROR = "sandbox_error"


class CaseStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"  # did not run to a verdict (the binary died, or never started it)
    SKIP = "skip"


class CaseResult(BaseModel):
    name: str
    status: CaseStatus
    message: str | None = None
    output: str | None = None
    duration_ms: float | None = None


class CompileError(BaseModel):
    file: str
    line: int
    col: int | None = None
    message: str


class CodeResult(BaseModel):
    version: int = RESULTS_VERSION
    exercise: str
    status: Status
    message: str | None = None
    failure_class: FailureClass | None = None
    tests: list[CaseResult] = Field(default_factory=list)
    compile_errors: list[CompileError] = Field(default_factory=list)
    race_report: str | None = None
    leaked_goroutines: str | None = None
    duration_ms: float = 0.0
    build_ms: float = 0.0
    test_ms: float = 0.0
    go_version: str | None = None
    sandbox: str = "bubblewrap"

    @property
    def passed(self) -> bool:
        return self.status is Status.PASS


def cap(text: str, limit: int = OUTPUT_CAP) -> str:
    """Trim to `limit` characters, keeping the head (where the failure usually is)."""
    if len(text) <= limit:
        return text
    return text[: limit - 14].rstrip() + "\n…[truncated]"
