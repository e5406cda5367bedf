"""The exercise catalogue: mutants stored as patches, single-exercise loading, suggestions, the
import allowlist in exercise.yaml (no Go needed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gointerview.errors import NotFoundError
from gointerview.exercises.catalog import builtin_catalog, load_catalog, load_exercise
from gointerview.exercises.patch import PatchError, apply_patch

ORIGINAL = {"a.go": "package a\n\nfunc F() int {\n\treturn 1\n}\n", "b.go": "package a\n"}
PATCH = """--- a/a.go
+++ b/a.go
@@ -3,3 +3,3 @@
 func F() int {
-\treturn 1
+\treturn 2
 }
"""


def test_every_mutant_patch_applies_and_changes_only_the_candidates_files() -> None:
    for exercise in builtin_catalog().exercises.values():
        solution = exercise.solution_files()
        for mutant in exercise.meta.mutants:
            changed = exercise.mutant_files(mutant.id)
            touched = {n for n in changed if changed[n] != solution[n]}
            assert touched and touched <= set(exercise.meta.files), (exercise.id, mutant.id)


def test_a_patch_applies_strictly() -> None:
    assert apply_patch(ORIGINAL, PATCH)["a.go"].endswith("\treturn 2\n}\n")
    with pytest.raises(PatchError, match=r"does not match a\.go:4"):
        apply_patch({**ORIGINAL, "a.go": ORIGINAL["a.go"].replace("1", "7")}, PATCH)
    with pytest.raises(PatchError, match="existing file"):
        apply_patch(ORIGINAL, PATCH.replace("a.go", "c.go"))
    with pytest.raises(PatchError, match="changes nothing"):
        apply_patch(ORIGINAL, PATCH.replace("+\treturn 2", "+\treturn 1"))
    with pytest.raises(PatchError, match="lost a space"):
        apply_patch(ORIGINAL, PATCH.replace(" }\n", "\n"))


def test_a_mutant_that_no_longer_fits_the_solution_is_a_catalogue_problem(tmp_path: Path) -> None:
    source = builtin_catalog().get("lru-cache").root
    shutil.copytree(source, tmp_path / "lru-cache")
    solution = tmp_path / "lru-cache" / "solution" / "lru.go"
    solution.write_text(solution.read_text().replace("sync.Mutex", "sync.RWMutex"))
    catalog = load_catalog(tmp_path)
    assert "lru-cache" not in catalog.exercises
    assert any("no-lock.patch" in p.message for p in catalog.problems)


def test_a_dangerous_import_cannot_be_allowed(tmp_path: Path) -> None:
    source = builtin_catalog().get("lru-cache").root
    shutil.copytree(source, tmp_path / "lru-cache")
    meta = tmp_path / "lru-cache" / "exercise.yaml"
    meta.write_text(
        meta.read_text().replace("files: [lru.go]", "files: [lru.go]\nimports: [os, unsafe]")
    )
    catalog = load_catalog(tmp_path)
    [problem] = catalog.problems
    assert "unsafe can never be allowed" in problem.message and problem.line > 1


def test_allowed_imports_are_the_default_plus_the_exercise() -> None:
    fetcher = builtin_catalog().get("bounded-fetcher")
    assert "net/http" in fetcher.allowed_imports and "sync" in fetcher.allowed_imports
    assert "net/http" not in builtin_catalog().get("lru-cache").allowed_imports


def test_load_exercise_reads_one_folder_and_suggests_on_a_miss() -> None:
    assert load_exercise("worker-pool").meta.package == "workerpool"
    with pytest.raises(NotFoundError, match="did you mean worker-pool"):
        load_exercise("worker-pol")
    with pytest.raises(NotFoundError, match="did you mean"):
        load_exercise("../lru-cache")


def test_hidden_tests_leave_main_to_the_harness() -> None:
    for exercise in builtin_catalog().exercises.values():
        for test in exercise.hidden_tests():
            assert "func TestMain(" not in test.read_text(), test
