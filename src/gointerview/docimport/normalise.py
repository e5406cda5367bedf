"""Rewrite what public notes wrap around their text, line for line (numbers unchanged), before
the document is read for questions:

- YAML front matter (`---` … `---` at the top) becomes blank lines;
- `<details>` / `</details>` become blank (also at the end of a one-line block) and
  `<summary>答案</summary>` a reference label, so an answer hidden in a collapsible block is
  read as the reference without raw HTML;
- a block quote that starts with a label (`> **Answer:** …`) loses its `>` markers;
- a compact choice key (`**Answers:** 1 B · 2 A, C · 3 B`) is taken out and returned.

Nothing inside a fenced code block is touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gointerview.docimport import lines as ln

FRONT_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:")
DETAILS = re.compile(r"^\s*</?details(?:\s[^>]*)?>\s*", re.IGNORECASE)
DETAILS_END = re.compile(r"(?<=\S)\s*</details>\s*$", re.IGNORECASE)  # "…text</details>"
SUMMARY = re.compile(r"^\s*<summary(?:\s[^>]*)?>(.*?)</summary>\s*(.*)$", re.IGNORECASE)
QUOTE = re.compile(r"^\s{0,3}>\s?")
LETTERS = r"[A-H](?:\s*[,，、/和&]\s*[A-H])*"
COMPACT_KEY = re.compile(
    r"^\s*(?:\*\*)?\s*(?:answers?|answer\s+key|答案|参考答案|正确答案)\s*(?:\*\*)?\s*[:：]\s*(?:\*\*)?"
    rf"\s*((?:\d{{1,3}}\s*[.:：)、]?\s*{LETTERS}\s*[·;,，；|]?\s*){{2,}})$",
    re.IGNORECASE,
)
COMPACT_ENTRY = re.compile(rf"(\d{{1,3}})\s*[.:：)、]?\s*({LETTERS})")


@dataclass
class Normalised:
    text: str
    choice_key: dict[int, list[str]] = field(default_factory=dict)  # number -> letters
    choice_key_line: int | None = None
    front_matter: tuple[int, int] | None = None  # first and last line


def normalise(text: str) -> Normalised:
    scanned = ln.scan(text)
    rows = [line.text for line in scanned.lines]
    out = Normalised("")
    out.front_matter = _front_matter(rows)
    if out.front_matter is not None:
        first, last = out.front_matter
        for i in range(first - 1, last):
            rows[i] = ""
    quote_run = False
    for i, line in enumerate(scanned.lines):
        if not line.structural or (out.front_matter and i < out.front_matter[1]):
            quote_run = False
            continue
        raw = rows[i] = DETAILS_END.sub("", rows[i])  # a one-line block closes on its line
        summary = SUMMARY.match(DETAILS.sub("", raw))
        if DETAILS.match(raw) or summary:
            rest = DETAILS.sub("", raw)
            if summary:
                rows[i] = f"参考答案：{summary.group(2)}".rstrip()
            else:
                rows[i] = rest if rest.strip() and not DETAILS.match(rest) else ""
            continue
        if QUOTE.match(raw):
            inner = QUOTE.sub("", raw, count=1)
            if quote_run or ln.label(ln.Line(line.no, inner, None)) is not None:
                rows[i], quote_run = inner, True
            continue
        quote_run = False
        key = COMPACT_KEY.match(raw)
        if key:
            for number, letters in COMPACT_ENTRY.findall(key.group(1)):
                out.choice_key[int(number)] = letters_of(letters)
            out.choice_key_line = line.no
            rows[i] = ""
    out.text = "\n".join(rows)
    return out


def letters_of(text: str) -> list[str]:
    return sorted({c for c in text.upper() if "A" <= c <= "H"})


def _front_matter(rows: list[str]) -> tuple[int, int] | None:
    """YAML front matter: `---` on the first line, `key: value` lines, `---` or `...`."""
    if not rows or rows[0].strip() != "---":
        return None
    for i in range(1, min(len(rows), 60)):
        if rows[i].strip() in ("---", "...") and i > 1:
            body = [r for r in rows[1:i] if r.strip()]
            keyed = sum(1 for r in body if FRONT_KEY.match(r))
            return (1, i + 1) if body and keyed >= max(1, len(body) // 2) else None
    return None
