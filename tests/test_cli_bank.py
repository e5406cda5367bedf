"""The `gointerview bank` commands, run as a user runs them."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import run_cli, run_json
from conftest import VALID_BANK

EXAMPLE_ID = "runtime.sched.work-stealing-example"
WITH_EXAMPLE = {"GOINTERVIEW_BANKS": str(VALID_BANK)}


def test_validate_broken_file_prints_locations_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("questions:\n  - id: Bad Id\n    type: concept\n", encoding="utf-8")
    proc = run_cli("bank", "validate", "--no-builtin", str(bad))
    assert proc.returncode == 1
    assert f"{bad}:2:" in proc.stdout
    assert "error(s)" in proc.stdout


def test_validate_json_lists_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("questions:\n  - id: x\n", encoding="utf-8")
    proc = run_cli("bank", "validate", "--no-builtin", "--json", str(bad))
    assert proc.returncode == 1
    import json

    data = json.loads(proc.stdout)
    assert data["ok"] is False
    assert data["errors"] == len(data["problems"]) >= 5  # type, area, ability, level, prompt...
    assert all(p["path"] == str(bad) and p["line"] >= 1 for p in data["problems"])


def test_validate_builtin_bank_passes() -> None:
    proc = run_cli("bank", "validate")
    assert proc.returncode == 0, proc.stdout
    assert "bank OK" in proc.stdout


def test_list_filters_and_json() -> None:
    rows = run_json("bank", "list", "--area", "runtime", "--tag", "work-stealing", env=WITH_EXAMPLE)
    assert EXAMPLE_ID in [r["id"] for r in rows]
    assert all(r["area"] == "runtime" for r in rows)
    assert all("work-stealing" in r["tags"] for r in rows)
    none = run_json("bank", "list", "--level", "junior", "--tag", "work-stealing", env=WITH_EXAMPLE)
    assert EXAMPLE_ID not in [r["id"] for r in none]


def test_list_rejects_unknown_area() -> None:
    proc = run_cli("bank", "list", "--area", "astrology")
    assert proc.returncode == 2
    assert "astrology" in proc.stderr


def test_show_hides_answer_unless_asked() -> None:
    plain = run_cli("bank", "show", EXAMPLE_ID, "--lang", "en", env=WITH_EXAMPLE)
    assert plain.returncode == 0
    assert "local run queue is empty" in plain.stdout
    assert "runqgrab" not in plain.stdout
    assert "Also asked as" in plain.stdout and "How does the scheduler even" in plain.stdout
    full = run_cli("bank", "show", EXAMPLE_ID, "--lang", "zh", "--with-answer", env=WITH_EXAMPLE)
    assert "参考答案" in full.stdout and "runqgrab" in full.stdout
    assert "steal-half" in full.stdout


def test_show_unknown_id_is_a_clear_error() -> None:
    proc = run_cli("bank", "show", "no.such.question")
    assert proc.returncode == 1
    assert "no question with id 'no.such.question'" in proc.stderr


def test_stats_json_has_the_documented_keys() -> None:
    data = run_json("bank", "stats", env=WITH_EXAMPLE)
    for key in ("questions", "by_area", "by_ability", "by_level", "by_type", "by_dimension"):
        assert key in data
    assert data["questions"] == sum(data["by_area"].values()) == sum(data["by_type"].values())
    assert data["by_area"].get("runtime", 0) >= 1


def test_a_broken_configured_bank_stops_everyday_commands(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("questions: [1]\n", encoding="utf-8")
    proc = run_cli("bank", "list", env={"GOINTERVIEW_BANKS": str(bad)})
    assert proc.returncode == 1
    assert f"{bad}:1:" in proc.stderr


def test_bad_config_file_is_a_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("lang = 'fr'\n", encoding="utf-8")
    proc = run_cli("bank", "list", env={"GOINTERVIEW_CONFIG": str(config)})
    assert proc.returncode == 1
    assert str(config) in proc.stderr and "lang" in proc.stderr
