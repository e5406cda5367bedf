"""Load bank files: YAML -> validated `Question`s, every problem located at its line."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from gointerview.bank.cache import cached, key_for
from gointerview.bank.schema import Question
from gointerview.bank.yamlpos import YamlParseError, parse_yaml, position, to_plain
from gointerview.errors import Problem

BUILTIN_QUESTIONS_DIR = Path(__file__).resolve().parent.parent / "content" / "questions"
BANK_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class SourcedQuestion:
    """A validated question and where it came from, so later checks can point at lines."""

    question: Question
    path: Path
    node: Any  # the round-trip YAML mapping, for positions

    def problem(self, loc: Sequence[str | int], message: str, severity: str = "error") -> Problem:
        line, col = position(self.node, loc)
        return Problem(self.path, line, col, message, severity)


@dataclass
class LoadResult:
    questions: list[SourcedQuestion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def bank_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Expand directories into their YAML files (sorted, so ids and errors come in a stable
    order); plain files are taken as given."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in BANK_SUFFIXES)
        else:
            yield path


def load_paths(paths: Iterable[Path]) -> LoadResult:
    result = LoadResult()
    for path in bank_files(paths):
        result.files.append(path)
        questions, problems = cached(key_for(path), partial(_parse_file, path))
        shown, artefact_problems = _show_artefacts(questions)
        result.questions.extend(shown)
        result.problems.extend(problems + artefact_problems)
    return result


def load_file(path: Path) -> tuple[list[SourcedQuestion], list[Problem]]:
    questions, problems = _parse_file(path)
    shown, artefact_problems = _show_artefacts(questions)
    return shown, problems + artefact_problems


def _show_artefacts(
    questions: list[SourcedQuestion],
) -> tuple[list[SourcedQuestion], list[Problem]]:
    """Drills with their artefact under the prompt. Done after the parse cache, never in it:
    the cache key covers the bank file, not the artefacts, which `drill regen` rewrites."""
    shown: list[SourcedQuestion] = []
    problems: list[Problem] = []
    for sq in questions:
        if sq.question.artefact is None:
            shown.append(sq)
            continue
        question, problem = with_artefact(sq.question, sq.path, sq.node)
        if problem is not None:
            problems.append(problem)
            continue
        shown.append(SourcedQuestion(question, sq.path, sq.node))
    return shown, problems


def _parse_file(path: Path) -> tuple[list[SourcedQuestion], list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], [Problem(path, 1, 1, "file not found")]
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(path, 1, 1, f"cannot read file: {exc}")]
    try:
        doc = parse_yaml(path, text)
    except YamlParseError as exc:
        return [], [exc.problem]

    if doc is None:
        return [], [Problem(path, 1, 1, "empty bank file: expected a mapping with `questions:`")]
    if not isinstance(doc, CommentedMap):
        return [], [Problem(path, 1, 1, "a bank file is a mapping with a `questions:` list")]
    problems = [
        Problem(path, *position(doc, [key]), f"unknown top-level key {key!r}")
        for key in doc
        if key != "questions"
    ]
    items = doc.get("questions")
    if not isinstance(items, CommentedSeq):
        line, col = position(doc, ["questions"])
        problems.append(Problem(path, line, col, "`questions` must be a list of questions"))
        return [], problems

    questions: list[SourcedQuestion] = []
    for index, node in enumerate(items):
        if not isinstance(node, CommentedMap):
            line, col = position(items, [index])
            problems.append(Problem(path, line, col, "each question must be a mapping"))
            continue
        try:
            question = Question.model_validate(to_plain(node))
        except ValidationError as exc:
            problems.extend(_validation_problems(path, node, exc))
            continue
        questions.append(SourcedQuestion(question, path, node))
    return questions, problems


def _validation_problems(path: Path, node: Any, exc: ValidationError) -> list[Problem]:
    problems = []
    qid = node.get("id", "?")
    for error in exc.errors(include_url=False):
        loc = [step for step in error["loc"] if isinstance(step, str | int)]
        line, col = position(node, loc)
        where = ".".join(str(step) for step in loc) or "question"
        message = error["msg"]
        if error["type"] == "missing":
            message = "required field is missing"
        elif error["type"] == "extra_forbidden":
            message = "unknown field (see docs/bank-format.md for the allowed fields)"
        problems.append(Problem(path, line, col, f"question {qid}: {where}: {message}"))
    return problems


MAX_ARTEFACT_BYTES = 64 * 1024


def with_artefact(question: Question, path: Path, node: Any) -> tuple[Question, Problem | None]:
    """The drill's artefact read (a regular file below the bank file's folder, at most 64 KiB)
    and shown under the prompt in both languages, headed by the command that produced it."""
    assert question.artefact is not None
    base = path.parent.resolve()
    target = (base / question.artefact.file).resolve()
    line, col = position(node, ["artefact", "file"])
    content_root = base.parent.parent if base.parent.name == "questions" else base
    if not target.is_relative_to(content_root) or not target.is_file():
        return question, Problem(
            path, line, col, f"question {question.id}: artefact {question.artefact.file} not found"
        )
    if target.stat().st_size > MAX_ARTEFACT_BYTES:
        return question, Problem(
            path, line, col, f"question {question.id}: artefact over {MAX_ARTEFACT_BYTES} bytes"
        )
    text = target.read_text(encoding="utf-8", errors="replace").rstrip()
    block = f"\n\n```\n$ {question.artefact.command}\n{text}\n```"
    prompt = question.prompt.model_copy(
        update={
            lang: getattr(question.prompt, lang) + block
            for lang in ("zh", "en")
            if getattr(question.prompt, lang)
        }
    )
    return question.model_copy(update={"prompt": prompt}), None
