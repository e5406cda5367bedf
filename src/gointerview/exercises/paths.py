"""Where the built-in exercises live: a module of its own, so that code which only needs the
paths (the grading's fast start) does not load the catalogue and its schema."""

from __future__ import annotations

from pathlib import Path

EXERCISES_DIR = Path(__file__).resolve().parent.parent / "content" / "exercises"
GO_MOD = EXERCISES_DIR / "go.mod"
GO_SUM = EXERCISES_DIR / "go.sum"
