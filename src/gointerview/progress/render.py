"""Progress as Markdown, JSON, or a standalone HTML page: one small inline SVG line chart per
dimension (scores 0–100 over time, the 40/65/85 level lines behind), the topics table, and
the growth radar against the previous quarter with the evidence beside each score."""

from __future__ import annotations

import html
import json

from gointerview.levels import level_for, points
from gointerview.progress.growth import GrowthRadar, radar_svg
from gointerview.progress.history import Progress, Series
from gointerview.report.radar import LINE

T = {
    "zh": {
        "title": "成长进度",
        "entries": "历次评估",
        "dims": "五个维度的变化",
        "topics": "各主题",
        "growth": "成长雷达（自评 1–5）",
        "none": "还没有评分记录：先做一轮面试（gointerview interview）。",
        "no_growth": "还没有自评：gointerview progress rate --quarter 2026Q4 depth=3 …",
        "when": "时间",
        "source": "来源",
        "overall": "总体",
        "first": "首次",
        "last": "最近",
        "change": "变化",
        "n": "次数",
        "axis": "维度",
        "score": "分数",
        "evidence": "依据",
        "previous": "上一季度",
        "skipped": "无法评估的记录",
    },
    "en": {
        "title": "Progress",
        "entries": "Every assessment",
        "dims": "The five dimensions over time",
        "topics": "Topics",
        "growth": "Growth radar (self-rated 1–5)",
        "none": "No scores yet: run a mock interview first (gointerview interview).",
        "no_growth": "No self-ratings yet: gointerview progress rate --quarter 2026Q4 depth=3 …",
        "when": "when",
        "source": "source",
        "overall": "overall",
        "first": "first",
        "last": "last",
        "change": "change",
        "n": "n",
        "axis": "axis",
        "score": "score",
        "evidence": "evidence",
        "previous": "previous quarter",
        "skipped": "could not be evaluated",
    },
}


def to_json(p: Progress) -> str:
    return json.dumps(p.model_dump(mode="json"), ensure_ascii=False, indent=2)


def _num(value: float | None) -> str:
    return "—" if value is None else points(value)


def _delta(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:+.0f}"


def _day(p: Progress, at: object) -> str:
    return at.astimezone().strftime("%Y-%m-%d") if hasattr(at, "astimezone") else str(at)


def _growth_md(g: GrowthRadar, lang: str) -> list[str]:
    t = T[lang]
    if g.quarter is None:
        return [t["no_growth"], ""]
    head = f"**{g.quarter}**" + (
        f" · {t['previous']} {g.previous_quarter}" if g.previous_quarter else ""
    )
    out = [
        head,
        "",
        f"| {t['axis']} | {t['score']} | {t['evidence']} | {t['previous']} |",
        "|---|---|---|---|",
    ]
    for a in g.axes:
        now = "—" if a.score is None else f"{a.score}/5"
        before = "—" if a.previous_score is None else f"{a.previous_score}/5"
        if a.previous_evidence:
            before += f" — {a.previous_evidence}"
        out.append(f"| {a.name} | {now} | {_cell(a.evidence)} | {_cell(before)} |")
    return [*out, ""]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|") or "—"


def to_markdown(p: Progress) -> str:
    t = T[p.lang]
    out = [f"# {t['title']}", ""]
    if not p.entries:
        out += [t["none"], ""]
    else:
        out += [f"## {t['entries']}", ""]
        dims = [s.name for s in p.dimensions]
        out.append(f"| {t['when']} | {t['source']} | {t['overall']} | " + " | ".join(dims) + " |")
        out.append("|" + "---|" * (3 + len(dims)))
        for e in p.entries:
            cells = [_num(e.dimensions.get(s.key)) for s in p.dimensions]
            overall = f"{_num(e.overall)} {level_for(e.overall)}" if e.overall is not None else "—"
            out.append(
                f"| {_day(p, e.at)} | {e.source}: {_cell(e.label)} | {overall} | "
                + " | ".join(cells)
                + " |"
            )
        out += ["", f"## {t['dims']}", ""]
        for s in p.dimensions:
            trail = " → ".join(_num(pt.score) for pt in s.points) or "—"
            out.append(f"- **{s.name}**: {trail} ({t['change']} {_delta(s.change)})")
        out += ["", f"## {t['topics']}", ""]
        out.append(f"| topic | {t['n']} | {t['first']} | {t['last']} | {t['change']} |")
        out.append("|---|---|---|---|---|")
        for s in sorted(p.topics, key=lambda s: s.last or 0.0):
            out.append(
                f"| {s.name} | {len(s.points)} | {_num(s.first)} | {_num(s.last)} | "
                f"{_delta(s.change)} |"
            )
        out.append("")
    out += [f"## {t['growth']}", "", *_growth_md(p.growth, p.lang)]
    if p.skipped:
        out += [f"## {t['skipped']}", "", *(f"- {s}" for s in p.skipped), ""]
    return "\n".join(out)


def line_chart(series: Series, *, width: int = 320, height: int = 120) -> str:
    """Scores 0–100 over the entries, evenly spaced, with the level lines behind."""
    pad = 24
    plot_w, plot_h = width - 2 * pad, height - 2 * pad
    n = len(series.points)

    def xy(i: int, score: float) -> tuple[float, float]:
        x = pad + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)
        return x, pad + plot_h * (1 - score / 100)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="chart" role="img" aria-label="{html.escape(series.name)}">'
    ]
    for level in (40, 65, 85):
        _, y = xy(0, level)
        parts.append(
            f'<line x1="{pad}" y1="{y:.1f}" x2="{width - pad}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="2" y="{y + 3:.1f}" font-size="9" fill="#999">{level}</text>'
        )
    coords = [xy(i, pt.score) for i, pt in enumerate(series.points)]
    if len(coords) > 1:
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    for (x, y), pt in zip(coords, series.points, strict=True):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{LINE}">'
            f"<title>{html.escape(pt.ref)}: {points(pt.score)}</title></circle>"
        )
    if not coords:
        parts.append(
            f'<text x="{width / 2}" y="{height / 2}" font-size="11" fill="#999" '
            f'text-anchor="middle">—</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def to_html(p: Progress) -> str:
    t = T[p.lang]
    charts = "\n".join(
        f'<figure class="dim"><figcaption>{html.escape(s.name)} '
        f"<small>({t['change']} {_delta(s.change)})</small></figcaption>{line_chart(s)}</figure>"
        for s in p.dimensions
    )
    growth = p.growth
    radar = (
        f'<div class="radar" id="growth-radar">{radar_svg(growth, lang=p.lang)}</div>'
        if growth.quarter
        else ""
    )
    body = _body_html(to_markdown(p))
    return f"""<!doctype html>
<html lang="{p.lang}"><head><meta charset="utf-8">
<title>{html.escape(t["title"])}</title>
<style>
 body {{ font-family: system-ui, "Noto Sans CJK SC", sans-serif; max-width: 60rem;
        margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; line-height: 1.5; }}
 .dims {{ display: flex; flex-wrap: wrap; gap: 1rem; }}
 figure.dim {{ margin: 0; width: 18rem; }} figure.dim svg {{ width: 100%; }}
 .radar {{ width: 36rem; max-width: 100%; margin: 1rem auto; }}
 table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ddd; padding: .2rem .4rem; }}
 @media print {{ body {{ margin: 0; }} }}
</style></head><body>
<h1>{html.escape(t["title"])}</h1>
<h2>{html.escape(t["dims"])}</h2>
<div class="dims">{charts}</div>
<h2>{html.escape(t["growth"])}</h2>
{radar}
{_growth_table(growth, p.lang)}
{body}
</body></html>
"""


def _growth_table(g: GrowthRadar, lang: str) -> str:
    t = T[lang]
    if g.quarter is None:
        return f"<p>{html.escape(t['no_growth'])}</p>"
    rows = "".join(
        f"<tr><td>{html.escape(a.name)}</td><td>{'—' if a.score is None else a.score}</td>"
        f"<td>{html.escape(a.evidence) or '—'}</td>"
        f"<td>{'—' if a.previous_score is None else a.previous_score}</td>"
        f"<td>{html.escape(a.previous_evidence) or '—'}</td></tr>"
        for a in g.axes
    )
    prev = g.previous_quarter or "—"
    return (
        f'<table class="growth"><tr><th>{t["axis"]}</th><th>{g.quarter}</th>'
        f"<th>{t['evidence']}</th><th>{prev}</th><th>{t['evidence']}</th></tr>{rows}</table>"
    )


def _body_html(markdown: str) -> str:
    """The Markdown after the charts and the radar (which the page draws itself): tables as
    HTML tables, the rest through the report's small Markdown renderer."""
    from gointerview.report.render import md_to_html

    out: list[str] = []
    text: list[str] = []
    table: list[list[str]] = []
    skip = False

    def flush() -> None:
        if text:
            out.append(md_to_html("\n".join(text)))
            text.clear()
        if table:
            head, *rows = table
            out.append(
                "<table><tr>"
                + "".join(f"<th>{html.escape(c)}</th>" for c in head)
                + "</tr>"
                + "".join(
                    "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                    for row in rows
                )
                + "</table>"
            )
            table.clear()

    for line in markdown.splitlines():
        if line.startswith("# "):
            continue
        if line.startswith("## "):
            skip = any(line[3:].startswith(T[lang][k]) for lang in T for k in ("dims", "growth"))
        if skip:
            continue
        if line.startswith("|"):
            cells = [c.strip().replace("\\|", "|") for c in line.strip().strip("|").split(" | ")]
            if not all(set(c) <= {"-", "|"} for c in cells):
                if text:
                    flush()
                table.append(cells)
            continue
        if table:
            flush()
        text.append(line)
    flush()
    return "\n".join(out)
