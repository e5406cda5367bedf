"""Bad input and damaged state get one clear message, never a traceback (issue #14)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_helpers import run_cli, run_json
from gointerview.store import safety


@pytest.fixture
def binary_file(tmp_path: Path) -> Path:
    path = tmp_path / "b.md"
    path.write_bytes(b"answer\n" + bytes(range(128, 256)) * 40)
    return path


@pytest.mark.parametrize(
    "args",
    [
        ("grade", "batch", "{f}"),
        ("grade", "answer", "-q", "rt.sched.gmp-roles", "-f", "{f}"),
        ("interview", "--plan", "screen", "--answers", "{f}"),
    ],
)
def test_non_utf8_input_says_file_and_line(
    binary_file: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    proc = run_cli(
        *(a.format(f=binary_file) for a in args), env={"GOINTERVIEW_DATA_DIR": str(tmp_path)}
    )
    assert proc.returncode == 1
    assert f"{binary_file}:2: not UTF-8 text" in proc.stderr


def test_an_empty_answer_is_a_usage_error() -> None:
    proc = run_cli("grade", "answer", "-q", "rt.sched.gmp-roles", "-a", "  ")
    assert proc.returncode == 1 and "empty" in proc.stderr


def test_answer_keys_that_name_nothing_are_listed_with_a_suggestion(tmp_path: Path) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"rt.sched.gmp-rols": "x", "nope": "y"}), encoding="utf-8")
    proc = run_cli(
        "interview", "--plan", "screen", "--answers", str(answers),
        env={"GOINTERVIEW_DATA_DIR": str(tmp_path)},
    )  # fmt: skip
    assert proc.returncode == 1
    assert "did you mean rt.sched.gmp-roles?" in proc.stderr and "nope" in proc.stderr


def test_answers_matching_no_asked_question_fail_instead_of_skipping_all(tmp_path: Path) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"design.id.snowflake": "x"}), encoding="utf-8")
    proc = run_cli(
        "interview", "--plan", "screen", "--level", "mid", "--tag", "channels", "--seed", "1",
        "--answers", str(answers), env={"GOINTERVIEW_DATA_DIR": str(tmp_path)},
    )  # fmt: skip
    assert proc.returncode == 1 and "none of its 1 answer(s) matched" in proc.stderr


def test_a_damaged_database_is_named_and_left_alone(tmp_path: Path) -> None:
    env = {"GOINTERVIEW_DATA_DIR": str(tmp_path)}
    assert run_cli("sessions", env=env).returncode == 0  # creates the database
    db = tmp_path / "gointerview.db"
    size = db.stat().st_size
    with db.open("r+b") as f:  # garbage over the first table pages
        f.seek(4096)
        f.write(b"garbage!" * ((size - 4096) // 8))
    before = db.read_bytes()
    for args in (("sessions",), ("report", "abc"), ("interview", "--resume")):
        proc = run_cli(*args, env=env)
        assert proc.returncode == 1, args
        assert f"the database {db} is damaged" in proc.stderr and "mv " in proc.stderr
    assert db.read_bytes() == before


def test_backups_are_taken_and_rotated(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "x.db"
    connection = sqlite3.connect(db)
    connection.execute("CREATE TABLE t (v TEXT)")
    connection.execute("INSERT INTO t VALUES ('kept')")
    connection.commit()
    connection.close()
    for day in range(safety.KEEP + 3):
        safety.daily_backup(db, now=1_700_000_000 + day * safety.DAY)
    copies = sorted(safety.backup_dir(db).glob("x-*.db"))
    assert len(copies) == safety.KEEP
    assert sqlite3.connect(copies[-1]).execute("SELECT v FROM t").fetchone() == ("kept",)
    assert safety.daily_backup(db, now=1_700_000_000 + (safety.KEEP + 2) * safety.DAY) is None
    assert safety.integrity(db) == []


def test_a_seed_replays_the_same_questions_whatever_the_history(tmp_path: Path) -> None:
    env = {"GOINTERVIEW_DATA_DIR": str(tmp_path / "data")}
    args = ("--plan", "screen", "--level", "mid", "--lang", "en")
    answers = tmp_path / "skip.json"
    answers.write_text(json.dumps({"1": ":skip"}), encoding="utf-8")

    def asked(seed: str) -> list[str]:
        session = run_json("interview", *args, "--seed", seed, "--answers", str(answers), env=env)
        return [i["ref"] for i in session["items"] if i["kind"] != "follow_up"]

    first = asked("7")
    asked("8")  # history now holds other questions
    assert asked("7") == first
    proc = run_cli("kit", *args, "--seed", "7", "--format", "json", env=env)
    assert [i["ref"] for i in json.loads(proc.stdout)["items"]] == first


def test_doctor_checks_the_database(tmp_path: Path) -> None:
    env = {"GOINTERVIEW_DATA_DIR": str(tmp_path)}
    assert run_cli("sessions", env=env).returncode == 0
    proc = run_cli("doctor", "--json", env=env)
    [db] = [c for c in json.loads(proc.stdout) if c["name"] == "database"]
    assert db["ok"] and "integrity ok" in db["detail"]
    with (tmp_path / "gointerview.db").open("r+b") as f:
        f.seek(4096)
        f.write(b"garbage!" * 1024)
    proc = run_cli("doctor", "--json", env=env)
    [db] = [c for c in json.loads(proc.stdout) if c["name"] == "database"]
    assert not db["ok"] and "is damaged" in db["detail"] and proc.returncode == 1
