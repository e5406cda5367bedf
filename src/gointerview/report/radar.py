"""The radar as plain inline SVG, one drawing for the HTML report, the web app and the growth
radar: labels in the page's language, the level rings (40/65/85), and a dimension with no
evidence drawn as a dashed axis marked so — never as a zero that collapses the shape. No
plotting library: it costs microseconds instead of a library's start-up."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

LINE = "#1f5fa8"  # tests look for this colour in screenshots
PREVIOUS = "#8a8a8a"
RINGS = (40, 65, 85, 100)  # the level lines: 了解, 熟练, 精通, full marks
NO_EVIDENCE = {"zh": "无证据", "en": "no evidence"}

WIDTH, HEIGHT = 640, 470  # wide: the labels sit left and right of the chart
CX, CY = WIDTH / 2, HEIGHT / 2 + 10
RADIUS = 140.0
LABEL_LINE = 19  # px between label lines

Point = tuple[float, float]


@dataclass(frozen=True)
class Axis:
    label: str
    score: float | None  # 0–100; None: no evidence
    detail: str | None = None  # the line under the label (default: the score)
    key: str = ""  # a stable name for scripts and tests (data-dimension)


def _point(index: int, count: int, value: float) -> Point:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    r = RADIUS * max(0.0, min(100.0, value)) / 100
    return CX + r * math.cos(angle), CY + r * math.sin(angle)


def _xy(points: Sequence[Point]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _wrap(name: str, width: int = 16) -> list[str]:
    """A long English name on two lines (at a space); Chinese names are short."""
    if len(name) <= width or " " not in name:
        return [name]
    cut = name.rfind(" ", 0, width + 1)
    cut = cut if cut > 0 else name.find(" ")
    return [name[:cut], name[cut + 1 :]]


def _label(index: int, count: int, lines: list[str], key: str, unprobed: bool) -> str:
    x, y = _point(index, count, 116)
    anchor = "middle" if abs(x - CX) < 20 else ("start" if x > CX else "end")
    if y < CY - RADIUS * 0.9:  # the top axis: the block sits above its end
        top = y - (len(lines) - 1) * LABEL_LINE
    elif y > CY + RADIUS * 0.5:  # the lower axes: below
        top = y + 8
    else:
        top = y - (len(lines) - 1) * LABEL_LINE / 2
    css = "label unprobed" if unprobed else "label"
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{top + n * LABEL_LINE:.1f}"'
        + (' class="detail" font-size="12"' if n == len(lines) - 1 else "")
        + f">{escape(text)}</tspan>"
        for n, text in enumerate(lines)
    )
    colour = "#888" if unprobed else "#1b1b1b"
    return (
        f'<text class="{css}" text-anchor="{anchor}" font-size="14" fill="{colour}" '
        f'data-dimension="{escape(key)}">{spans}</text>'
    )


def _areas(values: Sequence[Point | None]) -> list[list[Point]]:
    """The filled shapes: the whole polygon when every axis has a value; otherwise a fan from
    the centre over each run of neighbouring valued axes, so no edge is drawn across an axis
    that has none."""
    if values and all(v is not None for v in values):
        return [[v for v in values if v is not None]]
    count = len(values)
    start = next((i for i, v in enumerate(values) if v is None), 0)
    shapes, run = [], []
    for step in range(1, count + 1):
        v = values[(start + step) % count]
        if v is not None:
            run.append(v)
            continue
        if len(run) >= 2:
            shapes.append([(CX, CY), *run])
        run = []
    return shapes


def radar_svg(
    axes: Sequence[Axis],
    *,
    lang: str,
    no_evidence: str | None = None,
    title: str | None = None,
    previous: Sequence[float | None] | None = None,
    rings: Sequence[float] = RINGS,
    ring_label: Callable[[float], str] = lambda ring: f"{ring:g}",
) -> str:
    """An SVG radar of `axes` (at least three). `previous` (same order as `axes`) is drawn
    behind as a dashed grey outline: the growth radar shows the last quarter that way.
    `rings` and `ring_label` set the grid (the growth radar's 1–5 scale)."""
    count = len(axes)
    absent = no_evidence or NO_EVIDENCE[lang]
    out = [
        f'<svg class="radar" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" '
        "font-family=\"system-ui, 'Noto Sans CJK SC', sans-serif\""
        + (' aria-labelledby="radar-title">' if title else ' aria-label="radar">'),
    ]
    if title:
        out.append(f'<title id="radar-title">{escape(title)}</title>')
    for ring in rings:
        ring_points = [_point(i, count, ring) for i in range(count)]
        out.append(
            f'<polygon class="ring" points="{_xy(ring_points)}" fill="none" stroke="#c9ced6"/>'
        )
        x, y = ring_points[0]
        out.append(
            f'<text class="ring-label" x="{x - 9:.1f}" y="{y + 12:.1f}" text-anchor="end" '
            f'font-size="11" fill="#888">{escape(ring_label(ring))}</text>'
        )
    values: list[Point | None] = []
    for i, axis in enumerate(axes):
        end = _point(i, count, 100)
        unprobed = axis.score is None
        dash = ' stroke-dasharray="4 4"' if unprobed else ""
        out.append(
            f'<line class="axis" x1="{CX}" y1="{CY}" x2="{end[0]:.1f}" y2="{end[1]:.1f}" '
            f'stroke="#9aa3ad"{dash}/>'
        )
        detail = absent if unprobed else (axis.detail or f"{math.floor(axis.score or 0.0)}")
        out.append(_label(i, count, [*_wrap(axis.label), detail], axis.key, unprobed))
        values.append(None if axis.score is None else _point(i, count, axis.score))
    if previous is not None:
        before = [_point(i, count, v) for i, v in enumerate(previous) if v is not None]
        if len(before) >= 3:
            out.append(
                f'<polygon class="previous" points="{_xy(before)}" fill="none" '
                f'stroke="{PREVIOUS}" stroke-width="2" stroke-dasharray="6 4"/>'
            )
    for shape in _areas(values):
        out.append(
            f'<polygon class="area" points="{_xy(shape)}" fill="{LINE}" fill-opacity="0.25" '
            f'stroke="{LINE}" stroke-width="3"/>'
        )
    spokes = not all(v is not None for v in values)
    for p in values:
        if p is None:
            continue
        if spokes:  # a value reads on its own axis even without a neighbour for a shape
            out.append(
                f'<line class="spoke" x1="{CX}" y1="{CY}" x2="{p[0]:.1f}" y2="{p[1]:.1f}" '
                f'stroke="{LINE}" stroke-width="4"/>'
            )
        out.append(f'<circle class="vertex" cx="{p[0]:.1f}" cy="{p[1]:.1f}" r="6" fill="{LINE}"/>')
    out.append("</svg>")
    return "\n".join(out)
