"""YAML loading that keeps line and column numbers, so every problem points at its line."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from gointerview.errors import Problem


class YamlParseError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def parse_yaml(path: Path, text: str) -> Any:
    """Parse with the round-trip loader (which records positions); raise YamlParseError
    with the file, line and column of the first syntax error."""
    yaml = YAML(typ="rt")
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        col = mark.column + 1 if mark is not None else 1
        what = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        raise YamlParseError(Problem(path, line, col, f"YAML syntax: {what}")) from exc
    except YAMLError as exc:
        raise YamlParseError(Problem(path, 1, 1, f"YAML error: {exc}")) from exc


def to_plain(node: Any) -> Any:
    """Round-trip containers -> plain dicts, lists and strs (pydantic then sees plain data)."""
    if isinstance(node, dict):
        return {str(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def position(node: Any, loc: Sequence[str | int]) -> tuple[int, int]:
    """1-based (line, col) of the deepest part of `loc` that exists under `node`.

    A missing key points at its parent mapping; that is where the author has to add it.
    """
    line, col = _own_position(node)
    current = node
    for step in loc:
        if isinstance(current, CommentedMap) and isinstance(step, str) and step in current:
            line, col = current.lc.key(step)
            current = current[step]
        elif (
            isinstance(current, CommentedSeq) and isinstance(step, int) and 0 <= step < len(current)
        ):
            line, col = current.lc.item(step)
            current = current[step]
        else:
            break
    return line + 1, col + 1


def _own_position(node: Any) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return 0, 0
    return int(lc.line), int(lc.col)
