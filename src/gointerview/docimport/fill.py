"""Write a graded document back as its reader knows it (`grade doc FILE --fill OUT.md`).

The document keeps every line it had; gointerview adds, and marks what it adds:

- under each question, a 点评 block quote: score and level and how it was graded, the key
  points hit with the candidate's own words quoted, those missed, the misconceptions stated —
  or why the question was not graded, or that it was left unanswered and what to study;
- the document's own evaluation template ticked from the computed ratings (one box per
  dimension; a dimension the answers do not evidence is left open and says so), or, when
  the document has none, the syllabus template appended, ticked the same way, with the verdict.

Line endings are kept as the document has them.
"""

from __future__ import annotations

import re

from gointerview.docimport.grade import DocItem, DocReport
from gointerview.docimport.render import LABELS as CODE_WORDS
from gointerview.docimport.render import code_lines
from gointerview.docimport.template import (
    BOX,
    LEVELS,
    LEVELS_EN,
    Template,
    box_like,
    level_index,
)
from gointerview.grading.text.grader import points
from gointerview.levels import LEVEL_EN
from gointerview.report.evaluate import NOT_ENOUGH, whole_line

MARK = "gointerview"
WORDS = {
    "zh": {
        "review": "点评",
        "by_bank": "按题库题目 `{id}` 评分",
        "by_reference": "按文档自带的参考答案评分",
        "by_choice": "按选项字母评分",
        "hit": "答到",
        "partial": "不完整",
        "missed": "遗漏",
        "wrong": "误区",
        "unanswered": "未作答",
        "study": "可对照题库题目 `{id}` 学习",
        "ungradable": "未评分：{why}",
        "part": "第 {n} 部分",
        "no_evidence": "证据不足，未勾选",
        "template": "面试评价（{mark} 按本文档的回答评定）",
        "overall": "综合",
        "lang": "zh",
        ":": "：",
        ";": "；",
        "(": "（",
        ")": "）",
    },
    "en": {
        "review": "Review",
        "by_bank": "graded with bank question `{id}`",
        "by_reference": "graded against the document's own reference answer",
        "by_choice": "graded by letter",
        "hit": "hit",
        "partial": "partly",
        "missed": "missed",
        "wrong": "wrong",
        "unanswered": "unanswered",
        "study": "study bank question `{id}`",
        "ungradable": "not graded: {why}",
        "part": "part {n}",
        "no_evidence": "not enough evidence, left open",
        "template": "Evaluation ({mark}, from the answers in this document)",
        "overall": "Overall",
        "lang": "en",
        ":": ": ",
        ";": "; ",
        "(": " (",
        ")": ")",
    },
}


# what an earlier --fill wrote: its blocks are replaced, not stacked
OLD_BLOCK = re.compile(rf"^> \*\*(?:点评|Review|综合|Overall)\s*[（(]{MARK}[）)]\*\*")
OLD_NOTE = re.compile(rf"\s*[（(]{MARK}[：:][^）)]*[）)]\s*$")


def fill(text: str, graded: DocReport, template: Template | None) -> str:
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = [OLD_NOTE.sub("", line) for line in text.splitlines()]
    dropped = _old_blocks(lines)
    lang = graded.report.lang
    words = WORDS[lang]
    ratings = {d.dimension: d.rating for d in graded.report.dimensions}
    if template is not None:
        for row in template.rows:
            at = row.line - 1
            if 0 <= at < len(lines) and row.dimension is not None:
                lines[at] = tick(lines[at], ratings.get(row.dimension, NOT_ENOUGH), words)
    inserts: dict[int, list[str]] = {}
    if template is not None:
        last = max(row.line for row in template.rows)
        mark = f"{words['(']}{MARK}{words[')']}"
        inserts[last] = ["", f"> **{words['overall']}{mark}**{words[':']}{overall(graded)}"]
    for item in graded.items:
        end = min(item.end_line or item.line, len(lines))
        inserts.setdefault(end, []).extend(["", *review(item, words)])
    out: list[str] = []
    for number, line in enumerate(lines, start=1):
        if number not in dropped:
            out.append(line)
        out.extend(inserts.get(number, []))
    if template is None:
        out.extend(["", *appended_template(graded, words)])
    return newline.join(out) + newline


def _level(level: str | None, words: dict[str, str]) -> str:
    """精通/熟练/了解/欠缺, in English in an English review."""
    level = level or ""
    return LEVEL_EN.get(level, level) if words["lang"] == "en" else level


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _old_blocks(lines: list[str]) -> set[int]:
    """Line numbers of the blocks an earlier --fill wrote (with the blank line before each)."""
    out: set[int] = set()
    inside = False
    for number, line in enumerate(lines, start=1):
        if OLD_BLOCK.match(line):
            inside = True
            if number > 1 and not lines[number - 2].strip():
                out.add(number - 1)
        elif inside and not line.startswith(">"):
            inside = False
        if inside:
            out.add(number)
    return out


def review(item: DocItem, words: dict[str, str]) -> list[str]:
    """The 点评 block under one question, as Markdown block-quote lines."""
    head = f"> **{words['review']}{words['(']}{MARK}{words[')']}**{words[':']}"
    if not item.answered:
        line = head + words["unanswered"]
        if item.bank_question:
            line += words[";"] + words["study"].format(id=item.bank_question)
        return [line]
    if item.score is None:
        return [head + words["ungradable"].format(why=item.ungradable or "—")]
    how = {
        "bank": words["by_bank"].format(id=item.bank_question),
        "reference": words["by_reference"],
        "choice": words["by_choice"],
    }.get(item.graded_by or "", "")
    out = [f"{head}**{points(item.score)}/100 · {_level(item.level, words)}** — {how}"]
    out.extend(f"> {line}" for line in code_lines(item, CODE_WORDS[words["lang"]]))
    if item.graded_by == "choice":
        out.append(f"> - {item.feedback}")
        return out
    for n, part in enumerate(item.parts, start=1):
        if part.score is not None:
            out.append(
                f"> - {words['part'].format(n=n)}"
                f"{words['(']}{whole_line(_one_line(part.text), 40)}{words[')']}"
                f"{words[':']}{points(part.score)}/100 · "
                f"{_level(part.level, words)} — {words['by_bank'].format(id=part.bank_question)}"
            )
    said = words[":"]
    for mark, kind, listed in (("✓", "hit", item.hit), ("~", "partial", item.partial)):
        for point in listed:
            # one line each: a quote that spans lines would end the block quote
            quoted = " … ".join(f"“{_one_line(q)}”" for q in item.quotes.get(point, []))
            tail = f" — {quoted}" if quoted else ""
            out.append(f"> - {mark} {words[kind]}{said}{point}{tail}")
    out.extend(f"> - ✗ {words['missed']}{said}{point}" for point in item.missed)
    out.extend(f"> - ⚠ {words['wrong']}{said}{claim}" for claim in item.misconceptions)
    return out


def tick(line: str, rating: str, words: dict[str, str]) -> str:
    """Tick the box of `rating` on a template line (boxes before level words, or table cells
    under level columns), untick the others; a rating of "not enough evidence" says so."""
    want = level_index(rating)
    if want is None:
        cleared = BOX.sub(lambda b: box_like(b.group(0), False), line)
        return f"{cleared}{words['(']}{MARK}{words[':']}{words['no_evidence']}{words[')']}"
    if line.lstrip().startswith("|"):
        return _tick_table(line, want)
    out, last = [], 0
    for box in BOX.finditer(line):
        after = line[box.end() : box.end() + 12].strip()
        level = next((i for i, w in enumerate(LEVELS) if after.startswith(w)), None)
        if level is None:
            level = next((i for i, w in enumerate(LEVELS_EN) if after.lower().startswith(w)), None)
        out.append(line[last : box.start()])
        out.append(box_like(box.group(0), level == want))
        last = box.end()
    out.append(line[last:])
    return "".join(out)


def _tick_table(line: str, want: int) -> str:
    """A table row whose box cells follow the 精通 熟练 了解 欠缺 columns in order."""
    cells = line.split("|")
    found = [(i, box) for i, c in enumerate(cells) if (box := BOX.search(c)) is not None]
    for n, (i, box) in enumerate(found):
        cell = cells[i]
        cells[i] = cell[: box.start()] + box_like(box.group(0), n == want) + cell[box.end() :]
    return "|".join(cells)


def appended_template(graded: DocReport, words: dict[str, str]) -> list[str]:
    """The syllabus template, ticked, for a document that has none of its own."""
    report = graded.report
    out = ["---", "", f"## {words['template'].format(mark=MARK)}", ""]
    for dim in report.dimensions:
        names = LEVELS if words["lang"] == "zh" else LEVELS_EN
        boxes = " ".join(f"[ ] {level}" for level in names)
        out.append(tick(f"- **{dim.name}**: {boxes}", dim.rating, words))
    # the same quoted line as under a document's own template, so a second fill replaces it
    mark = f"{words['(']}{MARK}{words[')']}"
    out += ["", f"> **{words['overall']}{mark}**{words[':']}{overall(graded)}"]
    return out


def overall(graded: DocReport) -> str:
    report = graded.report
    level = report.overall_level
    if report.lang == "en":
        level = LEVEL_EN.get(level, level)
    score = (
        f"{points(report.overall_score)}/100 · {level}"
        if report.overall_score is not None
        else report.overall_level
    )
    return f"{score} — {report.verdict}"
