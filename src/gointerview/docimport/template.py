"""The evaluation template a document carries (five dimensions × 精通/熟练/了解/欠缺), found
so that `grade doc --fill` can tick it from the computed ratings.

Two ways people write it: one line per dimension with checkboxes
(`- **Go语言高级特性**: [ ] 精通 [ ] 熟练 [ ] 了解 [ ] 欠缺`), or a table whose header names
the levels and whose cells hold the boxes (`| Go语言高级特性 | [ ] | [ ] | [ ] | [ ] |`).
Each row is tied to the syllabus dimension its name says, when it says one.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from gointerview.docimport import lines as ln
from gointerview.docimport.lines import Line

LEVELS = ("精通", "熟练", "了解", "欠缺")
LEVELS_EN = ("expert", "proficient", "familiar", "lacking")
LEVEL_WORD = re.compile(r"精通|熟练|了解|欠缺|expert|proficient|familiar|lacking", re.IGNORECASE)
# a checkbox as Markdown writes it, "[ ]" / "[x]", or as a glyph: "☐" / "☑" / "☒", "□" / "■"
BOX = re.compile(r"\[[ xX✓✔√]?\]|[☐☑☒□■▢✅]")
WHITE_SQUARES, TICKED_SQUARES = "□▢", "■"


def box_like(original: str, ticked: bool) -> str:
    """A box written the way the document wrote `original`, ticked or not."""
    if original.startswith("["):
        return "[x]" if ticked else "[ ]"
    if original in WHITE_SQUARES + TICKED_SQUARES:
        return TICKED_SQUARES if ticked else "□"
    return "☑" if ticked else "☐"


DIMENSION_WORDS: list[tuple[str, re.Pattern[str]]] = [
    # a row names its dimension in its own words: "并发编程" and "Go fundamentals" are the
    # language's advanced features, "数据库与存储" the components, "问题排查" the analysis
    (
        "go_advanced",
        re.compile(r"go\s*语言|高级特性|advanced|language|并发|concurrency", re.IGNORECASE),
    ),
    (
        "components",
        re.compile(
            r"组件|component|internals|数据库|存储|中间件|database|storage|middleware",
            re.IGNORECASE,
        ),
    ),
    ("distributed_design", re.compile(r"分布式|系统设计|distributed|design", re.IGNORECASE)),
    ("performance", re.compile(r"性能|调优|performance|tuning", re.IGNORECASE)),
    (
        "problem_analysis",
        re.compile(r"问题分析|分析|排查|problem|analysis|troubleshoot|debugging", re.IGNORECASE),
    ),
    ("go_advanced", re.compile(r"\bgo\b", re.IGNORECASE)),  # "Go fundamentals", when nothing else
]


class TemplateRow(BaseModel):
    line: int
    name: str
    dimension: str | None  # the syllabus dimension the name says, if any
    table: bool = False  # a table row (boxes in cells, levels in the header)
    levels: list[str] = []  # the level words of the boxes, left to right


class Template(BaseModel):
    line: int  # the first row
    rows: list[TemplateRow]


def dimension_of(name: str) -> str | None:
    for dim, pattern in DIMENSION_WORDS:
        if pattern.search(name):
            return dim
    return None


def level_index(word: str) -> int | None:
    """0..3 for 精通..欠缺 in either language."""
    low = word.lower()
    for i, (zh, en) in enumerate(zip(LEVELS, LEVELS_EN, strict=True)):
        if low in (zh, en):
            return i
    return None


def find_template(lines: list[Line]) -> Template | None:
    """The rows of the document's evaluation template, or None when it has none."""
    rows: list[TemplateRow] = []
    header: list[str] | None = None
    for line in lines:
        if not line.structural:
            continue
        text = line.text.strip()
        if text.startswith("|"):
            cells = [c.strip() for c in text.strip("|").split("|")]
            words = [LEVEL_WORD.fullmatch(ln.strip_emphasis(c)) for c in cells]
            if sum(1 for w in words if w) >= 3:
                marks = zip(cells, words, strict=True)
                header = [ln.strip_emphasis(c) if w else "" for c, w in marks]
                continue
            if header is not None and len(cells) == len(header) and BOX.search(text):
                name = ln.strip_emphasis(cells[0])
                levels = [h for h, c in zip(header, cells, strict=True) if h and BOX.search(c)]
                rows.append(TemplateRow(line=line.no, name=name, dimension=dimension_of(name),
                                        table=True, levels=levels))  # fmt: skip
            continue
        header = None
        boxes = list(BOX.finditer(text))
        if len(boxes) < 3:
            continue
        after = [
            LEVEL_WORD.match(text, b.end()) or LEVEL_WORD.match(text, b.end() + 1) for b in boxes
        ]
        levels = [m.group(0) for m in after if m]
        if len(levels) < 3:
            continue
        # "- **Go 语言**:", "1. Go 语言基础　": the name without its bullet or number
        name = ln.strip_emphasis(
            re.sub(r"^\s*(?:[-*+]|\d{1,2}[.、)])\s*", "", text[: boxes[0].start()])
        )
        name = name.strip(" :：|\u3000")
        rows.append(TemplateRow(line=line.no, name=name, dimension=dimension_of(name),
                                levels=levels))  # fmt: skip
    if not rows:
        return None
    return Template(line=rows[0].line, rows=rows)
