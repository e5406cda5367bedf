"""Render a Kit as printable Markdown (which is also the form an interviewer fills in and
`kit score` reads back), as a standalone HTML page for printing, or as JSON.

The Markdown keeps everything the scorecard parser needs on lines of their own: the marker
line, `### N. … \\`id\\`` headings, checkboxes ending in `<!-- kp:ID -->` / `<!-- mc:ID -->`,
the `**Score**` line and the `<!-- dim:ID -->` lines of the overall scorecard. The prompt is
quoted (`> `) so nothing in it can pass for one of those.
"""

from __future__ import annotations

import html
import json
import re
import textwrap

from gointerview.bank.schema import Dimension, has_cjk
from gointerview.kit.build import Kit, KitItem, shorten
from gointerview.report.evaluate import DIMENSION_NAMES
from gointerview.report.render import md_to_html

LEVELS = {
    "zh": ["精通", "熟练", "了解", "欠缺"],
    "en": ["expert", "proficient", "familiar", "lacking"],
}

LABELS = {
    "zh": {
        ":": "：",
        ",": "，",
        "paren": "（{}）",
        "title": "面试脚本",
        "candidate": "候选人",
        "interviewer": "面试官",
        "date": "日期",
        "summary_line": "{minutes} 分钟 · {questions} 道问答{coding} · 级别 {level} · seed {seed}",
        "coding": " + {n} 道手撕代码",
        "rebuild": "同一份脚本可以这样重新生成",
        "how": "怎么用",
        "how_text": (
            "按时间框推进（开始–结束，从开场算起的分钟数）。听到要点就把 `[ ]` 改成 `[x]`"
            "（纸上直接打勾），听到红旗里的说法也勾上；答得不全时问对应的追问。每题在"
            "「评分」行勾一个等级，或写 0–100 的分数（写了分数以分数为准；都没写则按勾选要点的"
            "权重计分）；整题空着表示没问到，不计入报告。"
        ),
        "score_hint": "填好后",
        "score_paper": "在纸上打分的，可以不改文件直接录入",
        "schedule": "流程",
        "questions": "题目",
        "question": "问答",
        "exercise": "手撕代码",
        "min": "分钟",
        "listen": "听要点",
        "listen_note": "括号里是权重，★ 为必答",
        "terms": "关键词",
        "flags": "红旗（常见误区）",
        "flags_ex": "红旗（常见错误写法）",
        "follow": "追问",
        "asked_as": "也可以这样问：",
        "if_missed": "漏了「{point}」时",
        "any_time": "有时间就问",
        "exercise_note": (
            "让候选人用 `gointerview exercise start {ref} DIR` 拿到骨架，写完用 "
            "`gointerview exercise check DIR` 跑隐藏测试（race detector + 泄漏检查），"
            "全部通过记 100 分，否则记 60 × 通过数 / 测试数（与模拟面试的计分相同），"
            "再结合代码质量调整。"
        ),
        "score": "评分",
        "notes": "备注",
        "evaluation": "面试评价",
        "evaluation_note": (
            "每个维度勾一个等级；「依据」是考察它的题号。`kit score` 按各题分数计算这五个评级并"
            "引用依据，与你的勾选不一致时会提示。"
        ),
        "evidence": "依据",
        "no_items": "本轮没有题目考察",
        "summary": "面试总结",
        "summary_text": "整体表现、深度、广度、录用建议：",
    },
    "en": {
        ":": ": ",
        ",": ", ",
        "paren": "({})",
        "title": "Interview kit",
        "candidate": "Candidate",
        "interviewer": "Interviewer",
        "date": "Date",
        "summary_line": (
            "{minutes} min · {questions} questions{coding} · level {level} · seed {seed}"
        ),
        "coding": " + {n} coding exercise(s)",
        "rebuild": "Rebuild this exact kit with",
        "how": "How to use it",
        "how_text": (
            "Keep to the time boxes (start–end, minutes from the start of the round). Tick a "
            "key point when you hear it (`[ ]` → `[x]`, or a tick on paper) and a red flag when "
            "the candidate says it; ask the matching follow-up when a point is missing. On each "
            "item's Score line tick one level or write a score 0–100 (a number wins; with "
            "neither, the ticked key points' weight gives the score). An item left blank was "
            "not asked and does not count."
        ),
        "score_hint": "When it is filled in",
        "score_paper": "Scored on paper? Enter the scores without editing the file",
        "schedule": "Schedule",
        "questions": "Questions",
        "question": "question",
        "exercise": "coding",
        "min": "min",
        "listen": "Listen for",
        "listen_note": "weight in brackets, ★ must be said",
        "terms": "terms",
        "flags": "Red flags (misconceptions)",
        "flags_ex": "Red flags (common wrong versions)",
        "follow": "Follow-ups",
        "asked_as": "Other ways to ask it:",
        "if_missed": "if “{point}” is missing",
        "any_time": "if there is time",
        "exercise_note": (
            "The candidate gets the stub with `gointerview exercise start {ref} DIR`; "
            "`gointerview exercise check DIR` runs the hidden tests (race detector, leak check). "
            "All pass: 100; otherwise 60 × passed / tests (as a mock interview scores it), "
            "adjusted for the quality of the code."
        ),
        "score": "Score",
        "notes": "Notes",
        "evaluation": "Evaluation",
        "evaluation_note": (
            "Tick one level per dimension; the evidence is the items that probe it. `kit score` "
            "rates the five dimensions from the items' scores, citing them, and tells you where "
            "it disagrees with your ticks."
        ),
        "evidence": "evidence",
        "no_items": "no item in this round probes it",
        "summary": "Summary",
        "summary_text": "Overall performance, depth, breadth, hire signal:",
    },
}


def marker(kit: Kit) -> str:
    return (
        f"<!-- gointerview-kit v{kit.version} plan={kit.plan} level={kit.level} "
        f"seed={kit.seed} lang={kit.lang} -->"
    )


def clock(minute: int) -> str:
    return f"{minute // 60}:{minute % 60:02d}"


def boxes(lang: str) -> str:
    return " ".join(f"[ ] {name}" for name in LEVELS[lang])


def to_json(kit: Kit) -> str:
    return json.dumps(kit.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def to_markdown(kit: Kit) -> str:
    t = LABELS[kit.lang]
    n_ex = sum(1 for i in kit.items if i.kind == "exercise")
    rebuild = f"gointerview kit --plan {kit.plan} --level {kit.level} --seed {kit.seed}"
    rebuild += f" --lang {kit.lang}"
    out = [
        marker(kit),
        f"# {t['title']} · {kit.plan_name}",
        "",
        f"- **{t['candidate']}**{t[':']}________ · **{t['interviewer']}**{t[':']}________ · "
        f"**{t['date']}**{t[':']}________",
        "- "
        + t["summary_line"].format(
            minutes=kit.minutes,
            questions=len(kit.items) - n_ex,
            coding=t["coding"].format(n=n_ex) if n_ex else "",
            level=kit.level,
            seed=kit.seed,
        ),
        f"- {t['rebuild']}{t[':']}`{rebuild}`",
        "",
        f"**{t['how']}**{t[':']}{t['how_text']}",
        "",
        f"- {t['score_hint']}{t[':']}`gointerview kit score kit.md --format html -o report.html`",
        f"- {t['score_paper']}{t[':']}"
        f"`gointerview kit score kit.md --set 1=80 --set 2={LEVELS[kit.lang][1]}`",
        "",
        f"## {t['schedule']}",
        "",
    ]
    for item in kit.items:
        kind = t["exercise"] if item.kind == "exercise" else t["question"]
        out.append(
            f"- **{_span(item)}** {item.seq}. {item.title} "
            + t["paren"].format(f"{kind}{t[',']}{item.minutes} {t['min']}")
        )
    out += ["", f"## {t['questions']}", ""]
    for item in kit.items:
        out += _item(item, kit.lang)
    out += _evaluation(kit)
    return "\n".join(out) + "\n"


def _span(item: KitItem) -> str:
    return f"{clock(item.start_minute)}–{clock(item.start_minute + item.minutes)}"


def _dimension_names(item: KitItem, lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    return sep.join(DIMENSION_NAMES[Dimension(d)][lang] for d in item.dimensions)


def _item(item: KitItem, lang: str) -> list[str]:
    t = LABELS[lang]
    kind = t["exercise"] if item.kind == "exercise" else t["question"]
    out = [
        f"### {item.seq}. {item.title} `{item.ref}`",
        "",
        f"**{_span(item)}** {t['paren'].format(str(item.minutes) + ' ' + t['min'])} · {kind} · "
        f"{item.level} · "
        f"{_dimension_names(item, lang)}",
        "",
        *(f"> {line}".rstrip() for line in fence_indented(item.prompt.splitlines())),
        "",
    ]
    if item.asked_as:  # inside the quote: a filled-in kit's parser never reads it as markup
        out[-1:] = [">", f"> *{t['asked_as']}*", *(f"> - {w}" for w in item.asked_as), ""]
    if item.key_points:
        out.append(f"**{t['listen']}** " + t["paren"].format(t["listen_note"]))
        out.append("")
        for kp in item.key_points:
            star = "★ " if kp.required else ""
            out.append(f"- [ ] ({kp.weight:g}) {star}{kp.wording} <!-- kp:{kp.id} -->")
            terms = " · ".join(" / ".join(aliases(g, lang)) for g in kp.terms)
            out.append(f"  - {t['terms']}{t[':']}{terms}")
        out.append("")
    if item.kind == "exercise":
        out += [t["exercise_note"].format(ref=item.ref), ""]
    if item.red_flags:
        out.append(f"**{t['flags_ex'] if item.kind == 'exercise' else t['flags']}**")
        out.append("")
        out += [f"- [ ] {f.claim} — {f.why} <!-- mc:{f.id} -->" for f in item.red_flags]
        out.append("")
    if item.follow_ups:
        wording = {kp.id: kp.wording for kp in item.key_points}
        out.append(f"**{t['follow']}**")
        out.append("")
        for f in item.follow_ups:
            when = (
                t["if_missed"].format(point=shorten(wording.get(f.when_missed, f.when_missed), 60))
                if f.when_missed
                else t["any_time"]
            )
            out.append(f"- {when}{t[':']}{f.text}")
        out.append("")
    out += [
        f"**{t['score']}**{t[':']}{boxes(lang)} · 0–100: ____",
        "",
        f"**{t['notes']}**{t[':']}".rstrip(),
        "",
        "",
    ]
    return out


_OPEN_FENCE = re.compile(r"^\s*(```+|~~~+)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_GO_LIKE = re.compile(r"[{}]|:=|\bfunc\b|\bpackage\b")


def _indented(line: str) -> bool:
    return bool(line.strip()) and line.startswith(("  ", "\t"))


def fence_indented(lines: list[str]) -> list[str]:
    """The prompt's lines with each block of code that is only indented (the bank's prompts
    indent by two spaces, right under the question) fenced, as ```go when it looks like Go:
    in a block quote, indented lines under a line of text read as more of that text, and the
    kit's own HTML joins them into it too. Fenced code and list items' lines stay as they are."""
    out: list[str] = []
    fence, in_list, i = "", False, 0
    while i < len(lines):
        line = lines[i]
        if fence:  # inside fenced code: kept whole
            fence = "" if line.strip().startswith(fence) else fence
        elif opening := _OPEN_FENCE.match(line):
            fence = opening.group(1)
        elif _indented(line) and not in_list:
            end = i + 1  # the block runs to its last indented line, over blank lines
            for j in range(i + 1, len(lines)):
                if lines[j].strip() and not _indented(lines[j]):
                    break
                end = j + 1 if lines[j].strip() else end
            code = textwrap.dedent("\n".join(lines[i:end])).splitlines()
            ticks = "`" * max(3, *(len(c) - len(c.lstrip("`")) + 1 for c in code))
            lang = "go" if any(_GO_LIKE.search(c) for c in code) else ""
            out += [ticks + lang, *code, ticks]
            i = end
            continue
        elif line.strip():
            in_list = bool(_LIST_ITEM.match(line))
        out.append(line)
        i += 1
    return out


def aliases(group: str, lang: str, limit: int = 4) -> list[str]:
    """The aliases of a synonym group worth printing in a kit of this language: for zh the
    Chinese ones and the code-like ones (identifiers, numbers, `copy-on-write`), for en the
    ones without Chinese; the first alias when none of them is."""
    every = [a.strip() for a in group.split("|") if a.strip()]
    if lang == "zh":
        keep = [a for a in every if has_cjk(a) or (_CODE_LIKE.search(a) and " " not in a)]
    else:
        keep = [a for a in every if not has_cjk(a)]
    return (keep or every[:1])[:limit]


def _evaluation(kit: Kit) -> list[str]:
    """SYLLABUS §2: the five dimensions on four levels, plus the free-text summary."""
    t = LABELS[kit.lang]
    out = [f"## {t['evaluation']}", "", t["evaluation_note"], ""]
    for dim in Dimension:
        seqs = [f"#{i.seq}" for i in kit.items if dim.value in i.dimensions]
        evidence = f"{t['evidence']}{t[':']}{' '.join(seqs)}" if seqs else t["no_items"]
        out.append(
            f"- **{DIMENSION_NAMES[dim][kit.lang]}**{t[':']}{boxes(kit.lang)} — {evidence} "
            f"<!-- dim:{dim.value} -->"
        )
    out += ["", f"### {t['summary']}", "", t["summary_text"], "", "", "", ""]
    return out


# ---------------------------------------------------------------- HTML

_CODE_LIKE = re.compile(r"[A-Z0-9._/()<>=:%-]|^[a-z]+[A-Z]")
_COMMENT = re.compile(r"\s*<!--.*?-->")
_FENCE = re.compile(r"^\s*```")


def to_html(kit: Kit) -> str:
    t = LABELS[kit.lang]
    body = markdown_to_html(to_markdown(kit))
    for label in (t["notes"], t["summary_text"]):  # room to write on paper
        body = body.replace(
            f"<p><strong>{html.escape(label)}</strong>",
            f'<p class="write"><strong>{label}</strong>',
        ).replace(f"<p>{html.escape(label)}</p>", f'<p class="write">{html.escape(label)}</p>')
    return f"""<!doctype html>
<html lang="{kit.lang}"><head><meta charset="utf-8">
<title>{html.escape(t["title"])} · {html.escape(kit.plan_name)} · seed {kit.seed}</title>
<style>
 body {{ font-family: system-ui, "Noto Sans CJK SC", "DejaVu Sans", sans-serif; max-width: 56rem;
        margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; line-height: 1.45; }}
 h2 {{ border-bottom: 1px solid #999; margin-top: 2rem; }}
 h3 {{ margin: 2rem 0 .3rem; padding-top: .6rem; border-top: 2px solid #1f5fa8; }}
 blockquote {{ margin: .4rem 0; padding: .2rem .8rem; border-left: 4px solid #1f5fa8;
              background: #f4f7fb; }}
 blockquote p {{ margin: .25rem 0; }}
 pre {{ background: #f3f3f3; padding: .4rem .6rem; font-size: .85rem; overflow-x: auto; }}
 code {{ background: #f3f3f3; padding: 0 .2rem; }}
 li {{ margin: .15rem 0; }}
 .write {{ min-height: 3.2rem; border-bottom: 1px dotted #999; }}
 li li {{ color: #555; font-size: .85rem; list-style: none; }}
 @media print {{
   body {{ margin: 0; max-width: none; font-size: 10.5pt; }}
   h3 {{ break-after: avoid; }}
   h2 {{ break-before: page; }}
   h2:first-of-type {{ break-before: auto; }}
   blockquote, pre, li {{ break-inside: avoid; }}
 }}
</style></head><body>
{body}
</body></html>
"""


def markdown_to_html(markdown: str) -> str:
    """The kit's Markdown as HTML: report/render.py's converter for the text, plus what it
    does not know (the quoted prompt, fenced code in it, checkboxes, the parser's comments)."""
    out: list[str] = []
    plain: list[str] = []
    lines = markdown.splitlines()
    i = 0

    def flush() -> None:
        if plain:
            out.append(md_to_html("\n".join(plain)))
            plain.clear()

    while i < len(lines):
        line = _COMMENT.sub("", lines[i])
        if line.startswith(">"):
            flush()
            quoted = []
            while i < len(lines) and lines[i].startswith(">"):
                quoted.append(lines[i][2:] if lines[i].startswith("> ") else lines[i][1:])
                i += 1
            out.append(f"<blockquote>\n{_prose(quoted)}\n</blockquote>")
            continue
        plain.append(line.replace("[ ]", "☐").replace("[x]", "☒"))
        i += 1
    flush()
    return "\n".join(out)


_BLOCK_START = re.compile(r"^\s*(?:[-*+] |\d+[.)] |#)")


def _unwrap(lines: list[str]) -> list[str]:
    """Join the lines a paragraph or list item was wrapped over (the report's converter
    treats every line as a block of its own)."""
    out: list[str] = []
    for line in lines:
        if out and out[-1].strip() and line.strip() and not _BLOCK_START.match(line):
            prev, text = out[-1].rstrip(), line.strip()
            glue = "" if has_cjk(prev[-1:]) and has_cjk(text[:1]) else " "
            out[-1] = prev + glue + text
        else:
            out.append(line)
    return out


def _prose(lines: list[str]) -> str:
    """A quoted prompt: fenced code as <pre>, the rest through the report's converter."""
    out: list[str] = []
    text: list[str] = []
    i = 0
    while i < len(lines):
        if _FENCE.match(lines[i]):
            if text:
                out.append(md_to_html("\n".join(_unwrap(text))))
                text = []
            code = []
            i += 1
            while i < len(lines) and not _FENCE.match(lines[i]):
                code.append(lines[i])
                i += 1
            i += 1
            out.append(f"<pre><code>{html.escape(chr(10).join(code))}</code></pre>")
            continue
        text.append(lines[i])
        i += 1
    if text:
        out.append(md_to_html("\n".join(_unwrap(text))))
    return "\n".join(out)
