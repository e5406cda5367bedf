"""The five-dimension radar as plain SVG: localised labels, the level rings (40/65/85), and a
dimension the round did not probe drawn as "no evidence" — a dashed axis with no point —
never as a zero that collapses the shape. Shared by the HTML report and the web app."""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

LINE = "#1f5fa8"  # tests look for this colour in screenshots
RINGS = (40, 65, 85, 100)
NO_EVIDENCE = {"zh": "无证据", "en": "no evidence"}


@dataclass(frozen=True)
class Axis:
    label: str
    score: float | None  # None: not probed
    detail: str | None = None  # the text under the label (default: the score)


PREVIOUS = "#8a8a8a"


def radar_svg(
    axes: Sequence[Axis],
    *,
    lang: str,
    size: int = 600,
    previous: Sequence[float | None] | None = None,
    rings: Sequence[float] = RINGS,
    ring_label: Callable[[float], str] = lambda ring: f"{ring:g}",
) -> str:
    """An SVG radar of `axes` (at least three), scores on 0–100. `previous` (same order as
    `axes`) is drawn behind as a dashed grey outline: the growth radar shows the last
    quarter that way. `rings` and `ring_label` set the grid (the growth radar's 1–5 scale)."""
    n = len(axes)
    centre, radius = size / 2, size * 0.27

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * value / 100
        return centre + r * math.cos(angle), centre + r * math.sin(angle)

    def poly(values: Sequence[tuple[float, float]]) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in values)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-110 40 {size + 220} {size - 60}" '
        f'role="img" '
        f'aria-label="radar" font-family="system-ui, \'Noto Sans CJK SC\', sans-serif">'
    ]
    for ring in rings:
        parts.append(
            f'<polygon points="{poly([point(i, ring) for i in range(n)])}" fill="none" '
            f'stroke="#d0d0d0" stroke-width="1"/>'
        )
        x, y = point(0, ring)
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + 4:.1f}" font-size="10" fill="#888">'
            f"{html.escape(ring_label(ring))}</text>"
        )
    for i, axis in enumerate(axes):
        x, y = point(i, 100)
        dashed = ' stroke-dasharray="4 4"' if axis.score is None else ""
        parts.append(
            f'<line x1="{centre}" y1="{centre}" x2="{x:.1f}" y2="{y:.1f}" stroke="#bbb"{dashed}/>'
        )
        lx, ly = point(i, 116)
        anchor = "middle" if abs(lx - centre) < 10 else ("start" if lx > centre else "end")
        label = html.escape(axis.label)
        detail = axis.detail or (
            NO_EVIDENCE[lang] if axis.score is None else f"{math.floor(axis.score)}"
        )
        colour = "#999" if axis.score is None else "#1b1b1b"
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="13" text-anchor="{anchor}" '
            f'fill="{colour}">{label}<tspan x="{lx:.1f}" dy="15" font-size="11">'
            f"{html.escape(detail)}</tspan></text>"
        )
    if previous is not None:
        before = [point(i, v) for i, v in enumerate(previous) if v is not None]
        if len(before) >= 3:
            parts.append(
                f'<polygon points="{poly(before)}" fill="none" stroke="{PREVIOUS}" '
                f'stroke-width="2" stroke-dasharray="6 4" class="previous"/>'
            )
    probed = [(i, a.score) for i, a in enumerate(axes) if a.score is not None]
    points = [point(i, score) for i, score in probed]
    if len(points) >= 3:
        parts.append(
            f'<polygon points="{poly(points)}" fill="{LINE}" fill-opacity="0.22" '
            f'stroke="{LINE}" stroke-width="3"/>'
        )
    elif len(points) == 2:
        parts.append(f'<polyline points="{poly(points)}" stroke="{LINE}" stroke-width="3"/>')
    for x, y in points:
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{LINE}"/>')
    parts.append("</svg>")
    return "".join(parts)
