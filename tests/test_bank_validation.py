"""Broken bank files: every problem is reported, each at the right file and line."""

from __future__ import annotations

from pathlib import Path

from gointerview.bank import check_bank
from gointerview.errors import Problem


def _line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line containing `needle`."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[nth - 1]


def _errors(*paths: Path, strict: bool = True) -> list[Problem]:
    _, result = check_bank(builtin=False, extra=list(paths), strict_extra=strict)
    return [p for p in result.problems if p.severity == "error"]


def test_valid_example_has_no_problems(valid_bank_text: str, tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(valid_bank_text, encoding="utf-8")
    bank, result = check_bank(builtin=False, extra=[path], strict_extra=True)
    assert result.problems == []
    assert [q.id for q in bank.questions] == ["runtime.sched.work-stealing-example"]


def test_bad_yaml_reports_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("questions:\n  - id: a\n    tags: [x, y\n    level: mid\n", encoding="utf-8")
    [problem] = _errors(path)
    assert problem.path == path
    assert problem.line in (3, 4)  # the unclosed flow sequence
    assert "YAML syntax" in problem.message


def test_missing_language_points_at_the_text_field(valid_bank_text: str, tmp_path: Path) -> None:
    text = valid_bank_text.replace(
        "      en: When a P's local run queue is empty, how does the Go scheduler find the next "
        "runnable goroutine for it?\n",
        "",
    )
    assert text != valid_bank_text
    path = tmp_path / "nolang.yaml"
    path.write_text(text, encoding="utf-8")
    [problem] = _errors(path)  # held to the built-in standard: both languages
    assert problem.line == _line_of(text, "prompt:")
    assert "prompt needs en text" in problem.message
    assert not _errors(path, strict=False)  # a user bank may be in one language
    without_any = text.replace(
        "      zh: 当一个 P 的本地运行队列空了，Go 调度器如何为它找到下一个可运行的 goroutine？\n",
        "",
    )
    path.write_text(without_any, encoding="utf-8")
    [problem] = _errors(path, strict=False)
    assert "prompt" in problem.message


def test_zh_without_chinese_is_rejected(valid_bank_text: str, tmp_path: Path) -> None:
    text = valid_bank_text.replace(
        "zh: 当一个 P 的本地运行队列空了，Go 调度器如何为它找到下一个可运行的 goroutine？",
        "zh: When the local run queue is empty?",
    )
    path = tmp_path / "zh.yaml"
    path.write_text(text, encoding="utf-8")
    [problem] = _errors(path)
    assert problem.line == _line_of(text, "zh: When the local run queue")
    assert "no Chinese" in problem.message


def test_follow_up_naming_unknown_key_point(valid_bank_text: str, tmp_path: Path) -> None:
    text = valid_bank_text.replace("when_missed: spinning", "when_missed: spinnning")
    path = tmp_path / "followup.yaml"
    path.write_text(text, encoding="utf-8")
    [problem] = _errors(path)
    assert problem.line == _line_of(text, "when_missed: spinnning")
    assert "unknown key point 'spinnning'" in problem.message


def test_duplicate_id_across_files_points_at_the_second(
    valid_bank_text: str, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(valid_bank_text, encoding="utf-8")
    second.write_text("# a copy\n\n" + valid_bank_text, encoding="utf-8")
    [problem] = _errors(first, second)
    assert problem.path == second
    assert problem.line == _line_of(valid_bank_text, "- id: runtime.sched") + 2
    assert "duplicate question id" in problem.message and str(first) in problem.message


def test_every_problem_is_reported_not_just_the_first(valid_bank_text: str, tmp_path: Path) -> None:
    broken = (
        valid_bank_text.replace("level: senior", "level: guru")
        .replace("weight: 3\n", "weight: -1\n")
        .replace("type: concept", "type: essay")
    )
    path = tmp_path / "many.yaml"
    path.write_text(broken, encoding="utf-8")
    problems = _errors(path)
    lines = {p.line for p in problems}
    assert {
        _line_of(broken, "level: guru"),
        _line_of(broken, "weight: -1"),
        _line_of(broken, "type: essay"),
    } <= lines


def test_unknown_field_is_an_error(valid_bank_text: str, tmp_path: Path) -> None:
    text = valid_bank_text.replace("    tags: [gmp", "    difficulty: 3\n    tags: [gmp")
    path = tmp_path / "extra.yaml"
    path.write_text(text, encoding="utf-8")
    [problem] = _errors(path)
    assert problem.line == _line_of(text, "difficulty: 3")
    assert "unknown field" in problem.message


def test_asked_as_needs_both_languages_in_the_builtin_bank(
    valid_bank_text: str, tmp_path: Path
) -> None:
    text = valid_bank_text.replace(
        "        en: Some Ps sit idle while one has a long queue. How does the scheduler even the "
        "work out?\n",
        "",
    )
    assert text != valid_bank_text
    path = tmp_path / "asked.yaml"
    path.write_text(text, encoding="utf-8")
    [problem] = _errors(path)
    assert "asked_as needs en text" in problem.message
    assert problem.line == _line_of(text, "asked_as:") + 1  # the wording itself
    assert not _errors(path, strict=False)


def test_content_standard_is_a_warning_unless_strict(valid_bank_text: str, tmp_path: Path) -> None:
    start = valid_bank_text.index("    follow_ups:")
    end = valid_bank_text.index("    sources:")
    text = valid_bank_text[:start] + valid_bank_text[end:]
    path = tmp_path / "nofollow.yaml"
    path.write_text(text, encoding="utf-8")
    assert any("follow-up" in p.message for p in _errors(path, strict=True))
    assert _errors(path, strict=False) == []


def test_coding_question_needs_an_exercise(valid_bank_text: str, tmp_path: Path) -> None:
    path = tmp_path / "coding.yaml"
    path.write_text(valid_bank_text.replace("type: concept", "type: coding"), encoding="utf-8")
    assert any("needs `exercise`" in p.message for p in _errors(path))


def test_not_a_mapping_and_empty_file(tmp_path: Path) -> None:
    empty, listy = tmp_path / "empty.yaml", tmp_path / "list.yaml"
    empty.write_text("", encoding="utf-8")
    listy.write_text("- 1\n- 2\n", encoding="utf-8")
    messages = [p.message for p in _errors(empty, listy)]
    assert any("empty bank file" in m for m in messages)
    assert any("mapping with a `questions:` list" in m for m in messages)


def test_code_in_a_prompt_needs_a_fence(valid_bank_text: str, tmp_path: Path) -> None:
    # Markdown runs unfenced code lines into one paragraph: the candidate would see
    # "for { select { case <-time.Tick(...)" as prose
    code = "\n        for {\n            <-time.Tick(time.Second)\n        }\n"
    old = next(line for line in valid_bank_text.splitlines(True) if "en: When a P's" in line)
    unfenced = valid_bank_text.replace(
        old, "      en: |\n        What is wrong with this loop?" + code
    )
    path = tmp_path / "unfenced.yaml"
    path.write_text(unfenced, encoding="utf-8")
    problems = _errors(path)
    assert [p.line for p in problems if "needs a ``` fence" in p.message] == [
        _line_of(unfenced, "What is wrong with this loop?") - 1
    ]
    fenced = valid_bank_text.replace(
        old,
        "      en: |\n        What is wrong with this loop?\n        ```go"
        + code.replace("\n        }\n", "\n        }\n        ```\n"),
    )
    path.write_text(fenced, encoding="utf-8")
    assert not [p for p in _errors(path) if "fence" in p.message]
    assert _errors(path, strict=False) == []
