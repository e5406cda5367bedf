"""Render a Report as Markdown, JSON, or a standalone HTML page with a radar chart
(a plain SVG radar inline, so the page prints and works offline)."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

from gointerview.levels import LEVEL_EN, points
from gointerview.report.evaluate import NOT_ENOUGH, DimensionRating, Report
from gointerview.report.radar import Axis
from gointerview.report.radar import radar_svg as draw_radar

LABELS = {
    "zh": {
        "title": "面试评估报告",
        "overall": "总体",
        "verdict": "结论",
        "dims": "五个维度",
        "rating": "评级",
        "evidence": "依据",
        "strengths": "优势",
        "gaps": "短板",
        "plan": "学习计划",
        "hit": "答到",
        "missed": "遗漏",
        "wrong": "误区",
        "none": "没有足够证据（本轮未考察）",
        "follow": "追问",
        "probes": "考察要点",
    },
    "en": {
        "title": "Interview evaluation report",
        "overall": "Overall",
        "verdict": "Verdict",
        "dims": "Five dimensions",
        "rating": "Rating",
        "evidence": "Evidence",
        "strengths": "Strengths",
        "gaps": "Gaps",
        "plan": "Study plan",
        "hit": "hit",
        "missed": "missed",
        "wrong": "wrong",
        "none": "not enough evidence (not probed)",
        "follow": "follow-up",
        "probes": "probes",
    },
}


def to_json(report: Report) -> str:
    return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2)


def _level(level: str, lang: str) -> str:
    """精通/熟练/了解/欠缺 is the scale; English readers get the English word beside it."""
    return f"{level} {LEVEL_EN[level]}" if lang == "en" and level in LEVEL_EN else level


def to_markdown(report: Report) -> str:
    t = LABELS[report.lang]
    overall = "—" if report.overall_score is None else f"{points(report.overall_score)}/100"
    out = [
        f"# {t['title']} · {report.session}",
        "",
        f"- plan `{report.plan}` · level `{report.level}` · {report.answered}/{report.asked}",
        f"- **{t['overall']}**: {overall} · {_level(report.overall_level, report.lang)}",
        f"- **{t['verdict']}**: {report.verdict}",
        "",
        f"## {t['dims']}",
        "",
    ]
    for d in report.dimensions:
        rating = (
            t["none"]
            if d.rating == NOT_ENOUGH
            else f"{_level(d.rating, report.lang)} ({points(d.score or 0.0)})"
        )
        out.append(f"### {d.name}: {rating}")
        for e in d.evidence:
            line = f"- `{e.question}` {points(e.score)} {_level(e.level, report.lang)} — {e.prompt}"
            out.append(line)
            if e.hit:
                out.append(f"  - {t['hit']}: " + "; ".join(e.hit))
            if e.missed:
                out.append(f"  - {t['missed']}: " + "; ".join(e.missed))
            for m in e.misconceptions:
                out.append(f"  - {t['wrong']}: {m}")
            for f in e.follow_ups:
                probes = f" ({t['probes']}: {f.probes})" if f.probes else ""
                out.append(
                    f"  - ↳ {t['follow']} {points(f.score)} {_level(f.level, report.lang)} — "
                    f"{f.prompt}{probes}"
                )
        out.append("")
    out += [
        f"## {t['strengths']}",
        "",
        *(f"- {s}" for s in report.strengths or ["—"]),
        "",
        f"## {t['gaps']}",
        "",
        *(f"- {g}" for g in report.gaps or ["—"]),
        "",
        f"## {t['plan']}",
        "",
    ]
    out += [f"- [{s.kind}] `{s.id}` {s.title} — {s.why}" for s in report.study_plan] or ["- —"]
    if report.references:
        from gointerview.report.reference import note_markdown

        out += ["", "## " + ("参考答案" if report.lang == "zh" else "Reference answers"), ""]
        for note in report.references:
            out += note_markdown(note, report.lang)
    return "\n".join(out) + "\n"


def dimension_axes(dimensions: Sequence[DimensionRating]) -> list[Axis]:
    """The report's dimensions as radar axes: "score · level", or no evidence."""
    return [
        Axis(d.name, None, key=d.dimension)
        if d.rating == NOT_ENOUGH or d.score is None
        else Axis(d.name, d.score, f"{points(d.score)} · {d.rating}", key=d.dimension)
        for d in dimensions
    ]


def radar_svg(report: Report, *, title: str | None = None) -> str:
    """The five dimensions as an SVG radar; unprobed ones shown as "no evidence"."""
    return draw_radar(dimension_axes(report.dimensions), lang=report.lang, title=title)


def to_html(report: Report, *, markdown: str | None = None) -> str:
    """A standalone page: the title and overall lines, the radar, then the rest of `markdown`
    (the report's own by default)."""
    t = LABELS[report.lang]
    body = md_to_html(
        to_markdown(report) if markdown is None else markdown,
        classes={t["hit"]: "hit", t["missed"]: "missed", t["wrong"]: "wrong"},
    )
    cut = body.find("<h2>")
    head, rest = (body[:cut], body[cut:]) if cut >= 0 else (body, "")
    return f"""<!doctype html>
<html lang="{report.lang}"><head><meta charset="utf-8">
<title>{html.escape(t["title"])} {html.escape(report.session)}</title>
<style>
 body {{ font-family: system-ui, "Noto Sans CJK SC", sans-serif; max-width: 56rem;
        margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; line-height: 1.5; }}
 .radar {{ width: 40rem; max-width: 100%; margin: 1rem auto; display: block; }}
 code {{ background: #f3f3f3; padding: 0 .2rem; }}
 li.hit {{ color: #1d6b2f; }} li.missed {{ color: #8a5a00; }} li.wrong {{ color: #b3261e; }}
 @media print {{ body {{ margin: 0; }} }}
</style></head><body>
{head}
<div class="radar" id="radar">{radar_svg(report)}</div>
{rest}
</body></html>
"""


def md_to_html(markdown: str, *, classes: dict[str, str] | None = None) -> str:
    """The small Markdown subset to_markdown writes: headings, bullets, bold, code. A bullet
    starting with a key of `classes` ("hit:") gets that CSS class."""
    import re

    def inline(text: str) -> str:
        text = html.escape(text)
        text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
        return re.sub(r"`(.+?)`", r"<code>\1</code>", text)

    out, depth = [], 0
    for line in markdown.splitlines():
        level = (
            (len(line) - len(line.lstrip(" "))) // 2 + 1 if line.lstrip().startswith("- ") else 0
        )
        while depth > level:
            out.append("</ul>")
            depth -= 1
        while depth < level:
            out.append("<ul>")
            depth += 1
        if level:
            text = line.strip()[2:]
            css = next((c for k, c in (classes or {}).items() if text.startswith(k + ":")), "")
            attr = f' class="{css}"' if css else ""
            out.append(f"<li{attr}>{inline(text)}</li>")
        elif line.startswith("#"):
            n = len(line) - len(line.lstrip("#"))
            out.append(f"<h{n}>{inline(line[n:].strip())}</h{n}>")
        elif line.strip():
            out.append(f"<p>{inline(line)}</p>")
    out.extend("</ul>" for _ in range(depth))
    return "\n".join(out)
