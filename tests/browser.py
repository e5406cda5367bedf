"""Headless Chromium for the tests that look at generated HTML (reports, kits)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None, reason="no chromium")
RADAR_BLUE = (0x1F, 0x5F, 0xA8)  # the radar's line colour in report/render.py


def screenshot(page: Path, name: str, profile: Path, *, height: int = 1400) -> Path:
    """Render `page` and keep the screenshot as test-artifacts/<name>."""
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / name
    shot.unlink(missing_ok=True)
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            f"--window-size=1000,{height}",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert shot.is_file(), "chromium wrote no screenshot"
    return shot


def radar_pixels(shot: Path) -> int:
    """How many pixels of the screenshot are the radar's line colour: the chart is drawn."""
    from PIL import Image

    with Image.open(shot) as image:
        pixels: list[tuple[int, int, int]] = list(image.convert("RGB").getdata())
    return sum(
        1
        for r, g, b in pixels
        if abs(r - RADAR_BLUE[0]) + abs(g - RADAR_BLUE[1]) + abs(b - RADAR_BLUE[2]) < 40
    )
