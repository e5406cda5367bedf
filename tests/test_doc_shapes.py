"""The shapes public Go-interview notes take (issue 18), each with a fixture of its own in
tests/data/docs/ and a test through the CLI: `grade doc` finds what a reader finds, choice
questions are graded by letter, and `bank import` says truthfully where each reference came
from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from cli_helpers import run_cli
from gointerview.bank.loader import load_file

DOCS = Path(__file__).parent / "data" / "docs"
EXPECTED: dict[str, Any] = YAML(typ="safe").load((DOCS / "expected.yaml").read_text("utf-8"))
SHAPES = {
    "bullet-qa": "notes-bullet-qa.md",
    "question-index": "notes-question-index.zh.md",
    "h1-question": "notes-h1-question.md",
    "h1-first": "notes-h1-first.zh.md",
    "mixed-levels": "notes-mixed-levels.zh.md",
    "code-in-question": "notes-code-output.zh.md",
    "choice": "quiz-choice.zh.md",
    "choice-answered": "quiz-choice-answered.md",
    "details": "notes-details.md",
    "labels": "notes-labels-en.md",
}


def grade(path: Path, *extra: str) -> dict[str, Any]:
    proc = run_cli("grade", "doc", str(path), "--json", "--no-build", *extra, timeout=180)
    assert proc.returncode == 0, proc.stderr
    out: dict[str, Any] = json.loads(proc.stdout)
    return out


def bank_import(path: Path, output: Path, *extra: str) -> dict[str, Any]:
    proc = run_cli("bank", "import", str(path), "-o", str(output), "--json", *extra, timeout=180)
    assert proc.returncode == 0, proc.stderr
    out: dict[str, Any] = json.loads(proc.stdout)
    return out


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_grade_doc_reads_each_shape(shape: str) -> None:
    name = SHAPES[shape]
    spec, out = EXPECTED[name], grade(DOCS / name)
    assert (out["questions"], out["answered"], out["unanswered"]) == (
        spec["questions"],
        spec["answered"],
        spec["unanswered"],
    )
    for want, item in zip(spec["items"], out["items"], strict=True):
        assert want["title_contains"].lower() in item["title"].lower()
        assert item["answered"] is want["answered"]
        assert item["has_reference"] is bool(want.get("reference_contains"))


def test_choice_questions_are_graded_by_letter() -> None:
    out = grade(DOCS / "quiz-choice-answered.md")
    scores = [(i["graded_by"], i["score"]) for i in out["items"]]
    assert scores == [("choice", 100.0), ("choice", 100.0), ("choice", 0.0)]
    assert "correct: B" in out["items"][2]["feedback"]
    assert out["graded"] == 3 and out["ungradable"] == 0


def test_a_choice_question_without_a_key_is_not_guessed(tmp_path: Path) -> None:
    doc = tmp_path / "quiz.md"
    doc.write_text(
        "### 1. Which one blocks?\n\nA. close(ch)\nB. <-ch on an empty channel\n\n"
        "**My answer:** B\n\n### 2. Which one panics?\n\nA. close(nil)\nB. len(nil)\n\n"
        "**My answer:** A\n",
        encoding="utf-8",
    )
    out = grade(doc)
    assert [i["graded_by"] for i in out["items"]] == [None, None]
    assert all("no correct letter" in i["ungradable"] for i in out["items"])


def test_bank_import_of_choice_questions_keeps_the_letters(tmp_path: Path) -> None:
    bank_file = tmp_path / "choice.yaml"
    out = bank_import(DOCS / "quiz-choice.zh.md", bank_file)
    assert out["imported"] == 3 and out["reference_from"]["document_reference"] == 3
    questions, problems = load_file(bank_file)
    assert not [p for p in problems if p.severity == "error"]
    first = questions[0].question
    assert first.type.value == "quiz"
    assert "A: 向已关闭的 channel 发送数据会 panic" in first.prompt.zh
    assert first.reference_answer.zh.startswith("正确答案 / correct: A")
    assert "正确答案：" not in first.reference_answer.zh  # the marker line itself is gone


def test_bank_import_of_a_question_index_is_a_practice_list(tmp_path: Path) -> None:
    bank_file = tmp_path / "index.yaml"
    out = bank_import(DOCS / "notes-question-index.zh.md", bank_file)
    taken = out["reference_from"]
    assert taken["bank_rubric"] == out["imported"] >= 10
    assert taken["document_reference"] == taken["written_answer"] == 0
    assert out["imported"] + len(out["skipped"]) == out["questions"] == 15
    questions, _ = load_file(bank_file)
    redis = next(sq.question for sq in questions if "RDB" in sq.question.prompt.zh)
    assert redis.key_points, "the bank question's rubric comes along"
    assert any("comp.redis.rdb-vs-aof" in s for s in redis.sources)
    # and the message a person reads says the same
    human = run_cli(
        "bank", "import", str(DOCS / "notes-question-index.zh.md"), "-o", str(bank_file),
        "--force", "--prefix", "again", timeout=180,
    )  # fmt: skip
    assert human.returncode == 0, human.stderr
    assert "the rubric of the bank question it asks" in " ".join(human.stdout.split())
    assert "0 with a reference" not in human.stdout


def test_bank_import_says_where_each_reference_came_from(tmp_path: Path) -> None:
    out = bank_import(DOCS / "notes-details.md", tmp_path / "details.yaml")
    assert out["reference_from"] == {
        "document_reference": 3,
        "written_answer": 0,
        "bank_rubric": 0,
    }
    questions, _ = load_file(tmp_path / "details.yaml")
    for sq in questions:
        text = sq.question.reference_answer.get("en")
        assert "<details>" not in text and "summary" not in text and "答案" not in text
    labels = bank_import(DOCS / "notes-labels-en.md", tmp_path / "labels.yaml")
    assert labels["reference_from"]["written_answer"] == 3
    questions, _ = load_file(tmp_path / "labels.yaml")
    for sq in questions:
        assert "Answer:" not in sq.question.reference_answer.get("en")


def test_front_matter_does_not_leak(tmp_path: Path) -> None:
    out = grade(DOCS / "notes-details.md")
    assert out["title"] == "Errors and testing"
    assert not any("text outside any question" in n["message"] for n in out["notices"])
