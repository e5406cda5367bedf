"""The exceptions gointerview raises on purpose.

    GointerviewError            anything the user can act on; the CLI prints it, no traceback
    ├── ConfigError             a bad config file or environment variable
    ├── BankError               a bank that does not load or validate (carries every Problem)
    ├── NotFoundError           an id (question, exercise, session) that does not exist
    ├── ToolchainError          Go missing or the exercise caches cannot be prepared
    └── SandboxUnavailableError bubblewrap missing or unable to start a sandbox

Third-party errors are translated at the boundary with ``raise ... from exc`` so that the
message says what to do, and the original stays attached for debugging.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class GointerviewError(Exception):
    """Base class: an error whose message is meant for the user."""


class ConfigError(GointerviewError):
    pass


class NotFoundError(GointerviewError):
    pass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a bank file, located as `path:line:col` (1-based, like compilers)."""

    path: Path
    line: int
    col: int
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        tag = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.path}:{self.line}:{self.col}: {tag}{self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "message": self.message,
        }


class BankError(GointerviewError):
    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        super().__init__("\n".join(str(p) for p in errors) or "bank has problems")
