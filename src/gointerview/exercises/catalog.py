"""Load and structurally check the exercise catalogue (file layout; running is verify's job)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from gointerview.bank.yamlpos import YamlParseError, parse_yaml, position, to_plain
from gointerview.errors import BankError, NotFoundError, Problem
from gointerview.exercises.model import Exercise, ExerciseMeta
from gointerview.exercises.patch import PatchError
from gointerview.exercises.paths import EXERCISES_DIR, GO_MOD, GO_SUM

__all__ = ["EXERCISES_DIR", "GO_MOD", "GO_SUM", "Catalog", "builtin_catalog", "load_catalog"]


@dataclass
class Catalog:
    exercises: dict[str, Exercise] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def get(self, exercise_id: str) -> Exercise:
        try:
            return self.exercises[exercise_id]
        except KeyError:
            raise NotFoundError(
                f"no exercise with id {exercise_id!r}{self.suggest(exercise_id)}"
            ) from None

    def suggest(self, name: str) -> str:
        """ "; did you mean worker-pool?" for a near miss, else a pointer to the list."""
        close = difflib.get_close_matches(name.lower(), list(self.exercises), n=3, cutoff=0.5)
        if not close:
            titles = {e.meta.title.en.lower(): e.id for e in self.exercises.values()}
            close = [
                titles[t] for t in difflib.get_close_matches(name.lower(), titles, n=3, cutoff=0.5)
            ]
        if close:
            return "; did you mean " + " or ".join(close) + "?"
        return " (try `gointerview exercise list`)"


def load_catalog(root: Path = EXERCISES_DIR) -> Catalog:
    catalog = Catalog()
    for meta_path in sorted(root.glob("*/exercise.yaml")):
        exercise, problems = _load_one(meta_path)
        catalog.problems.extend(problems)
        if exercise is None:
            continue
        if exercise.id in catalog.exercises:
            catalog.problems.append(
                Problem(meta_path, 1, 1, f"duplicate exercise id {exercise.id}")
            )
            continue
        catalog.exercises[exercise.id] = exercise
    return catalog


_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def load_exercise(exercise_id: str, root: Path = EXERCISES_DIR) -> Exercise:
    """One built-in exercise, without loading the others (what `exercise check` needs); an
    unknown id gets the catalogue's suggestion."""
    meta_path = root / exercise_id / "exercise.yaml"
    if _ID.match(exercise_id) and meta_path.is_file():
        exercise, problems = _load_one(meta_path)
        if problems:
            raise BankError(problems)
        if exercise is not None:
            return exercise
    return builtin_catalog().get(exercise_id)


@cache
def builtin_catalog() -> Catalog:
    catalog = load_catalog()
    if catalog.problems:
        raise BankError(catalog.problems)
    return catalog


def _load_one(meta_path: Path) -> tuple[Exercise | None, list[Problem]]:
    try:
        node = parse_yaml(meta_path, meta_path.read_text(encoding="utf-8"))
    except YamlParseError as exc:
        return None, [exc.problem]
    try:
        meta = ExerciseMeta.model_validate(to_plain(node))
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            loc = [s for s in error["loc"] if isinstance(s, str | int)]
            line, col = position(node, loc)
            where = ".".join(str(s) for s in loc)
            problems.append(Problem(meta_path, line, col, f"{where}: {error['msg']}"))
        return None, problems
    root = meta_path.parent
    exercise = Exercise(meta=meta, root=root)
    problems = []
    if meta.id != root.name:
        problems.append(
            Problem(meta_path, *position(node, ["id"]), "id must match the folder name")
        )
    for folder in (exercise.stub_dir, exercise.solution_dir):
        for name in meta.files:
            if not (folder / name).is_file():
                problems.append(
                    Problem(
                        meta_path, *position(node, ["files"]), f"{folder.name}/{name} is missing"
                    )
                )
    if not exercise.hidden_tests():
        problems.append(Problem(meta_path, 1, 1, "tests/ has no *_test.go files"))
    for index, mutant in enumerate(meta.mutants):
        line, col = position(node, ["mutants", index])
        patch = exercise.mutant_patch(mutant.id)
        if not patch.is_file():
            problems.append(Problem(meta_path, line, col, f"mutants/{mutant.id}.patch is missing"))
            continue
        try:
            changed = exercise.mutant_files(mutant.id)
        except (PatchError, OSError) as exc:
            problems.append(Problem(meta_path, line, col, f"mutants/{mutant.id}.patch: {exc}"))
            continue
        solution = exercise.solution_files()
        touched = sorted(n for n in changed if changed[n] != solution.get(n))
        if not set(touched) <= set(meta.files):
            problems.append(
                Problem(
                    meta_path,
                    line,
                    col,
                    f"mutants/{mutant.id}.patch may change only {meta.files}, changes {touched}",
                )
            )
    return (exercise if not problems else None), problems
