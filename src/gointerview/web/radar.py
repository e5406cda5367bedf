"""The report's radar as inline SVG, drawn here rather than with matplotlib: labels in the
page's language, a dimension the round did not probe drawn as a dashed axis marked "no
evidence" (never as a 0), and it costs microseconds instead of a plotting library's start-up."""

from __future__ import annotations

import math
from html import escape

from gointerview.grading.text.grader import points
from gointerview.report.evaluate import NOT_ENOUGH, DimensionRating

WIDTH, HEIGHT = 640, 470  # wide: the labels sit left and right of the chart
CX, CY = WIDTH / 2, HEIGHT / 2 + 10
RADIUS = 140.0
RINGS = (40, 65, 85, 100)  # the level lines: 了解, 熟练, 精通, full marks
COLOUR = "#1f5fa8"


def _point(index: int, count: int, value: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    r = RADIUS * max(0.0, min(100.0, value)) / 100
    return CX + r * math.cos(angle), CY + r * math.sin(angle)


def _xy(p: tuple[float, float]) -> str:
    return f"{p[0]:.1f},{p[1]:.1f}"


LINE = 19  # px between label lines


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
        top = y - (len(lines) - 1) * LINE
    elif y > CY + RADIUS * 0.5:  # the lower axes: below
        top = y + 8
    else:
        top = y - (len(lines) - 1) * LINE / 2
    css = "label unprobed" if unprobed else "label"
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{top + n * LINE:.1f}"'
        + (' class="detail"' if n == len(lines) - 1 else "")
        + f">{escape(text)}</tspan>"
        for n, text in enumerate(lines)
    )
    return (
        f'<text class="{css}" text-anchor="{anchor}" data-dimension="{escape(key)}">{spans}</text>'
    )


def _areas(values: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """The filled shapes: the whole polygon when every dimension was probed; otherwise a
    fan from the centre over each run of neighbouring probed axes, so no edge is drawn
    across an axis that has no value."""
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


def radar_svg(dimensions: list[DimensionRating], *, no_evidence: str, title: str) -> str:
    count = len(dimensions)
    out = [
        f'<svg class="radar" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="radar-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="radar-title">{escape(title)}</title>',
    ]
    for ring in RINGS:
        ring_points = " ".join(_xy(_point(i, count, ring)) for i in range(count))
        out.append(f'<polygon class="ring" points="{ring_points}" fill="none" stroke="#c9ced6"/>')
        x, y = _point(0, count, ring)
        out.append(
            f'<text class="ring-label" x="{x - 9:.1f}" y="{y + 12:.1f}" text-anchor="end">'
            f"{ring}</text>"
        )
    values: list[tuple[float, float] | None] = []
    for i, d in enumerate(dimensions):
        end = _point(i, count, 100)
        unprobed = d.rating == NOT_ENOUGH or d.score is None
        dash = ' stroke-dasharray="4 4"' if unprobed else ""
        out.append(
            f'<line class="axis" x1="{CX}" y1="{CY}" x2="{end[0]:.1f}" y2="{end[1]:.1f}" '
            f'stroke="#9aa3ad"{dash}/>'
        )
        detail = no_evidence if unprobed else f"{points(d.score or 0.0)} · {d.rating}"
        out.append(_label(i, count, [*_wrap(d.name), detail], d.dimension, unprobed))
        values.append(None if unprobed else _point(i, count, d.score or 0.0))
    for shape in _areas(values):
        out.append(
            f'<polygon class="area" points="{" ".join(_xy(p) for p in shape)}" '
            f'fill="{COLOUR}" fill-opacity="0.25" stroke="{COLOUR}" stroke-width="3"/>'
        )
    spokes = not all(v is not None for v in values)
    for p in values:
        if p is None:
            continue
        if spokes:  # a value reads on its own axis even without a neighbour for a shape
            out.append(
                f'<line class="spoke" x1="{CX}" y1="{CY}" x2="{p[0]:.1f}" y2="{p[1]:.1f}" '
                f'stroke="{COLOUR}" stroke-width="4"/>'
            )
        out.append(
            f'<circle class="vertex" cx="{p[0]:.1f}" cy="{p[1]:.1f}" r="6" fill="{COLOUR}"/>'
        )
    out.append("</svg>")
    return "\n".join(out)
