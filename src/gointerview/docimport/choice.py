"""Multiple-choice questions: the options (`A:` / `A：` / `A.` / `(A)` …, consecutive letters
from A), the correct letters the document gives (`### 正确答案：B`, a `## 正确答案` heading
followed by `A、C`, `**Correct answer:** B`, or a compact key at the end of the document), and
the letters a candidate picked. The explanation after the correct letters is the reference.
A choice question is graded by its letters, not by its words.
"""

from __future__ import annotations

import re

from gointerview.docimport import lines as ln
from gointerview.docimport.lines import Line
from gointerview.docimport.normalise import letters_of

OPTION = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*)?[(（]?(?P<letter>[A-H])[)）]?(?:\*\*)?"
    r"\s*[:：.．、)）]\s*(?:\*\*)?\s*(?P<text>\S.*)$"
)
# "B", "A、C", "A, C" or "AC" run together; never the start of a word ("Because ...")
LETTERS = r"[A-H](?:[A-H]|\s*[,，、/和&]\s*[A-H])*(?![A-Za-z])"
CORRECT = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*)?\s*(?:正确答案|标准答案|参考答案|答案|正确选项|"
    r"Correct\s+(?:answers?|options?))\s*(?:\*\*)?\s*[:：]?\s*(?:\*\*)?\s*"
    rf"(?P<letters>{LETTERS})?\s*(?:\*\*)?\s*[.。]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
ONLY_LETTERS = re.compile(rf"^\s*(?:\*\*)?\s*(?P<letters>{LETTERS})\s*(?:\*\*)?\s*[.。]?\s*$")
PICKED = re.compile(rf"^\s*(?:\*\*)?\s*(?P<letters>{LETTERS})\s*(?:\*\*)?\s*(?:$|[.。:：)）\s—-])")


def options_in(body: list[Line]) -> dict[int, tuple[str, str]]:
    """Line number -> (letter, text) for the run of options, when there is one (A, B, ...)."""
    found: dict[int, tuple[str, str]] = {}
    expected = "A"
    for line in body:
        if not line.structural or line.blank:
            continue
        match = OPTION.match(line.text)
        if match is not None and match.group("letter") == expected:
            found[line.no] = (expected, ln.strip_emphasis(match.group("text")))
            expected = chr(ord(expected) + 1)
            continue
        if found:
            break  # the run is over
    return found if len(found) >= 2 else {}


def correct_in(body: list[Line], after: int) -> tuple[list[str], list[Line]]:
    """The correct letters given after the options, and the body with the marker turned into
    a reference label (what follows it is the explanation)."""
    out: list[Line] = []
    letters: list[str] = []
    waiting = False  # a bare "## 正确答案" heading: the letters are on the next line
    for line in body:
        if line.no <= after or not line.structural or (letters and not waiting):
            out.append(line)
            continue
        if waiting and not line.blank:
            waiting = False
            only = ONLY_LETTERS.match(line.text)
            if only is not None:
                letters = letters_of(only.group("letters"))
                continue
        match = CORRECT.match(line.text)
        if match is not None and not letters and _is_marker(line.text):
            if match.group("letters"):
                letters = letters_of(match.group("letters"))
            else:
                waiting = not match.group("rest").strip()
            rest = match.group("rest").strip() if match.group("letters") else ""
            out.append(Line(line.no, f"参考答案：{rest}".rstrip(), None))
            continue
        out.append(line)
    return letters, out


def _is_marker(text: str) -> bool:
    """A heading or a labelled line, not a sentence that mentions the answer."""
    return (
        text.lstrip().startswith("#")
        or ln.label(Line(0, text, None)) is not None
        or bool(re.match(r"^\s*(?:\*\*)?\s*(?:正确答案|Correct\s+answer)", text, re.IGNORECASE))
    )


def picked(answer: str) -> list[str] | None:
    """The letters an answer picks: "B", "A, C", "B. The number of values ..."."""
    first = answer.strip().splitlines()[0] if answer.strip() else ""
    match = PICKED.match(first)
    return letters_of(match.group("letters")) if match else None


def score(picked_letters: list[str], correct: list[str]) -> float:
    """100 for the exact set; for a multi-answer question, a share of the right letters when
    no wrong letter was picked; else 0."""
    chosen, right = set(picked_letters), set(correct)
    if chosen == right:
        return 100.0
    if chosen and chosen < right:
        return round(100.0 * len(chosen) / len(right) / 2, 1)
    return 0.0
