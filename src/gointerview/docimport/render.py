"""A graded document as Markdown, HTML (the report page, with the per-question section) or
JSON (counts at the top: questions, answered, unanswered, graded, ungradable)."""

from __future__ import annotations

import json

from gointerview.docimport.grade import DocItem, DocReport
from gointerview.grading.text.grader import points
from gointerview.levels import LEVEL_EN
from gointerview.report.evaluate import whole_line
from gointerview.report.render import to_html, to_markdown

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "面试文档评分",
        "counts": "共 {questions} 题 · 已作答 {answered} · 未作答 {unanswered} · 已评分 {graded} · "
        "无法评分 {ungradable}",
        "questions": "逐题",
        "line": "第 {line} 行",
        "bank": "按题库题目 `{id}` 的评分标准评分（相似度 {sim:.2f}）",
        "bank_user": "按题库题目 `{id}` 的评分标准评分（由 --match 指定）",
        "reference": "按文档自带的参考答案评分",
        "ungradable": "无法评分：{why}",
        "unanswered": "未作答（{why}）",
        "study": "对应题库题目 `{id}`，见学习计划",
        "hit": "答到",
        "partial": "提到但不完整",
        "missed": "遗漏",
        "wrong": "误区",
        "reference_seen": "文档中有参考答案",
        "notes": "读取说明",
        "also": "也按这些相近的题库题目评过分，取最高：{ids}",
        "choice": "选择题，按选项字母评分（{feedback}）",
        "part": "第 {n} 部分「{text}」：",
        "part_none": "题库中没有对应题目，未评分",
        "built": "完整的 Go 程序：编译通过，go vet {vet}",
        "not_built": "完整的 Go 程序：编译失败",
        "no_build": "完整的 Go 程序：{note}",
        "vet_ok": "无问题",
        "vet_bad": "有提示",
    },
    "en": {
        "title": "Graded interview document",
        "counts": "{questions} questions · {answered} answered · {unanswered} unanswered · "
        "{graded} graded · {ungradable} ungradable",
        "questions": "Question by question",
        "line": "line {line}",
        "bank": "graded with the rubric of bank question `{id}` (similarity {sim:.2f})",
        "bank_user": "graded with the rubric of bank question `{id}` (chosen with --match)",
        "reference": "graded against the document's own reference answer",
        "ungradable": "not graded: {why}",
        "unanswered": "unanswered ({why})",
        "study": "the bank asks this as `{id}`: see the study plan",
        "hit": "hit",
        "partial": "partly covered",
        "missed": "missed",
        "wrong": "wrong",
        "reference_seen": "the document has a reference answer",
        "notes": "Parser notes",
        "also": "also graded against these close bank questions, best kept: {ids}",
        "choice": "multiple choice, graded by letter ({feedback})",
        "part": "part {n} “{text}”: ",
        "part_none": "no bank question asks it: not graded",
        "built": "a complete Go program: it builds; go vet {vet}",
        "not_built": "a complete Go program: it does not build",
        "no_build": "a complete Go program: {note}",
        "vet_ok": "is clean",
        "vet_bad": "reports problems",
    },
}


WHY = {
    "zh": {"empty": "回答区为空", "placeholder": "只有占位符", "no answer": "没有回答"},
    "en": {
        "empty": "empty answer area",
        "placeholder": "only a placeholder",
        "no answer": "no answer",
    },
}


def doc_json(doc: DocReport) -> str:
    return json.dumps(doc.model_dump(mode="json"), ensure_ascii=False, indent=2)


def doc_markdown(doc: DocReport) -> str:
    lang = doc.report.lang
    t = LABELS[lang]
    out = [
        f"# {t['title']} · {doc.title or doc.source}",
        "",
        f"- `{doc.source}`",
        "- " + t["counts"].format(**doc.model_dump()),
        "",
        f"## {t['questions']}",
        "",
    ]
    for item in doc.items:
        out.append(f"### {item.index}. {item.title} ({t['line'].format(line=item.line)})")
        out.extend(_item_lines(item, lang))
        out.append("")
    if doc.notices:
        out += [f"## {t['notes']}", ""]
        out += [f"- {t['line'].format(line=n.line)}: {n.text(lang)}" for n in doc.notices]
        out.append("")
    # the evaluation report, one heading level down
    report = to_markdown(doc.report)
    out += [("#" + line if line.startswith("#") else line) for line in report.splitlines()]
    return "\n".join(out) + "\n"


def _level(level: str | None, lang: str) -> str:
    """精通/熟练/了解/欠缺, in English in an English report (as the --fill review has it)."""
    level = level or ""
    return LEVEL_EN.get(level, level) if lang == "en" else level


def _item_lines(item: DocItem, lang: str) -> list[str]:
    t, why = LABELS[lang], WHY[lang]
    lines = []
    if not item.answered:
        lines.append("- " + t["unanswered"].format(why=why.get(item.unanswered or "", "—")))
        if item.bank_question:
            lines.append("- " + t["study"].format(id=item.bank_question))
    elif item.ungradable:
        lines.append("- " + t["ungradable"].format(why=item.ungradable))
    else:
        if item.graded_by == "choice":
            how = t["choice"].format(feedback=item.feedback or "")
        elif item.graded_by == "bank":
            label = t["bank_user"] if item.chosen_by_user else t["bank"]
            how = label.format(id=item.bank_question, sim=item.similarity or 0.0)
        else:
            how = t["reference"]
        level = _level(item.level, lang)
        lines.append(f"- **{points(item.score or 0.0)}/100 · {level}** — {how}")
        for n, part in enumerate(item.parts, start=1):
            head = t["part"].format(n=n, text=whole_line(part.text, 60))
            if part.score is None:
                lines.append(f"  - {head}{t['part_none']}")
                continue
            sim = part.similarity or 0.0
            lines.append(
                f"  - {head}**{points(part.score)}/100 · {_level(part.level, lang)}** — "
                + t["bank"].format(id=part.bank_question, sim=sim)
            )
        if item.also_considered:
            also = ", ".join(f"`{q}`" for q in item.also_considered)
            lines.append(f"- {t['also'].format(ids=also)}")
        if item.hit and item.graded_by != "choice":
            lines.append(f"- {t['hit']}: " + "; ".join(item.hit))
        if item.partial and item.graded_by != "choice":
            lines.append(f"- {t['partial']}: " + "; ".join(item.partial))
        if item.missed and item.graded_by != "choice":
            lines.append(f"- {t['missed']}: " + "; ".join(item.missed))
        lines.extend(f"- {t['wrong']}: {m}" for m in item.misconceptions)
    lines.extend(code_lines(item, t))
    if item.has_reference and item.graded_by != "reference":
        lines.append(f"- {t['reference_seen']}")
    return lines


def code_lines(item: DocItem, t: dict[str, str]) -> list[str]:
    """What the compiler and vet said about a complete program, with their lines."""
    code = item.code
    if code is None:
        return []
    if code.note:
        return ["- " + t["no_build"].format(note=code.note)]
    if not code.built:
        return ["- " + t["not_built"], *(f"  - `{e}`" for e in code.errors)]
    vet = t["vet_ok"] if code.vet_ok else t["vet_bad"]
    return ["- " + t["built"].format(vet=vet), *(f"  - `{e}`" for e in code.vet)]


def doc_html(doc: DocReport) -> str:
    return to_html(doc.report, markdown=doc_markdown(doc))
