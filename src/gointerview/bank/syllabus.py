"""The syllabus map (content/syllabus.yaml): which questions cover each topic bullet."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from gointerview.bank.yamlpos import parse_yaml, to_plain

SYLLABUS_FILE = Path(__file__).resolve().parent.parent / "content" / "syllabus.yaml"


@cache
def syllabus() -> dict[str, dict[str, list[str]]]:
    """{section: {bullet: [question ids]}} in file order."""
    data = to_plain(parse_yaml(SYLLABUS_FILE, SYLLABUS_FILE.read_text(encoding="utf-8")))
    sections: dict[str, dict[str, list[str]]] = data["sections"]
    return sections
