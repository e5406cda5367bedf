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
    # Chromium on a loaded two-core machine now and then exits without writing the file:
    # one more try tells a hiccup from a page that cannot render
    for _ in range(2):
        _chromium_screenshot(page, shot, profile, height)
        if shot.is_file():
            break
    assert shot.is_file(), "chromium wrote no screenshot"
    return shot


def _chromium_screenshot(page: Path, shot: Path, profile: Path, height: int) -> None:
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


def radar_pixels(shot: Path) -> int:
    """How many pixels of the screenshot are the radar's line colour: the chart is drawn."""
    import numpy as np
    from PIL import Image

    with Image.open(shot) as image:
        pixels = np.asarray(image.convert("RGB"), dtype=np.int32)
    distance = np.abs(pixels - np.array(RADAR_BLUE, dtype=np.int32)).sum(axis=2)
    return int((distance < 40).sum())
