"""The app in a real browser: Playwright driving Debian's Chromium (no browser download).

A whole round — start, three answers (one in Chinese, after switching the interface to
Chinese), the 点评 after each, a reload in the middle that keeps the draft, pause and
resume, the report with its radar drawn — at desktop and at phone width; and the same
path with the keyboard alone. Screenshots are kept under test-artifacts/web-*.png."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser import ARTIFACTS, radar_pixels
from gointerview.bank import Bank
from web.conftest import LiveServer

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and shutil.which("chromium") is None, reason="no chromium"
)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    viewport = getattr(request, "param", DESKTOP)
    context = chromium.new_context(
        viewport=viewport, locale="en-US", is_mobile=viewport is PHONE, has_touch=viewport is PHONE
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert not errors, errors  # no script error, no CSP violation, no missing asset


def shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"web-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def question(page: Any) -> tuple[str, str, int]:
    section = page.locator("section.question")
    return (
        section.get_attribute("data-kind") or "",
        section.get_attribute("data-ref") or "",
        int(section.get_attribute("data-seq") or 0),
    )


def answer_text(bank: Bank, ref: str, lang: str) -> str:
    return bank.get(ref).reference_answer.get(lang)[:700]


def submit(page: Any) -> None:
    with page.expect_navigation():
        page.click("#submit-answer")


def skip_follow_ups(page: Any) -> None:
    while page.locator("section.question").count() and question(page)[0] == "follow_up":
        with page.expect_navigation():
            page.click("#dont-know")


def whole_round(page: Any, base: str, bank: Bank, name: str) -> None:
    page.goto(base + "/start")
    page.click("details summary")
    page.fill("#seed", "2024")
    page.select_option("#round-lang", "en")
    with page.expect_navigation():
        page.click("#start-button")
    assert re.search(r"/sessions/[0-9a-f]+$", page.url)
    session_url = page.url
    assert "Question 1 of 6" in page.inner_text("#q-progress")
    assert re.fullmatch(r"\d+:\d\d", page.inner_text("#time-left"))

    # 1: type half an answer, let the draft save, reload: it is still there
    _, ref, _ = question(page)
    first = answer_text(bank, ref, "en")
    page.click("#answer")
    page.keyboard.type(first[:60])
    page.wait_for_selector('#draft-status[data-state="saved"]')
    page.reload()
    assert page.input_value("#answer") == first[:60]
    page.fill("#answer", first)
    shot(page, f"{name}-1-question")
    submit(page)
    assert "graded=" in page.url
    assert page.locator("#review").is_visible()
    assert "Review" in page.inner_text("#review-title")
    assert page.locator("#review mark.hit").count() > 0  # the evidence, highlighted
    shot(page, f"{name}-2-review")
    skip_follow_ups(page)

    # 2: in Chinese, with the interface switched to Chinese
    with page.expect_navigation():
        page.click('.lang-switch button[value="zh"]')
    assert "第 2/6 题" in page.inner_text("#q-progress")
    _, ref, _ = question(page)
    page.fill("#answer", answer_text(bank, ref, "zh"))
    submit(page)
    assert "点评" in page.inner_text("#review-title")
    assert page.locator("#review mark.hit").count() > 0
    shot(page, f"{name}-3-review-zh")
    skip_follow_ups(page)

    # pause (the typed text becomes the draft) and resume
    _, ref, seq = question(page)
    third = answer_text(bank, ref, "en")
    page.fill("#answer", third[:40])
    with page.expect_navigation():
        page.click("#pause")
    assert page.locator("#paused-title").is_visible()
    assert page.locator("#answer").count() == 0  # the question is hidden while paused
    shot(page, f"{name}-4-paused")
    with page.expect_navigation():
        page.click("#resume")
    assert question(page)[2] == seq and page.input_value("#answer") == third[:40]
    page.fill("#answer", third)
    submit(page)
    assert page.locator("#review").is_visible()

    # the report: the radar is drawn, unprobed dimensions say so
    page.goto(session_url + "/report")
    radar = page.locator("svg.radar")
    assert radar.is_visible()
    assert page.locator("svg.radar circle.vertex").count() >= 1
    labels = page.locator("svg.radar text.label").all_text_contents()
    assert len(labels) == 5 and any("Go语言高级特性" in label for label in labels)
    unprobed = page.locator("svg.radar text.unprobed").all_text_contents()
    assert all("无证据" in label for label in unprobed)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px"
    path = shot(page, f"{name}-5-report")
    assert radar_pixels(path) > 300
    assert page.locator('a[href$="report.md"]').is_visible()


@pytest.mark.parametrize("page", [DESKTOP, PHONE], ids=["desktop", "phone"], indirect=True)
def test_a_whole_round_in_the_browser(
    page: Any, live_server: LiveServer, web_bank: Bank, request: pytest.FixtureRequest
) -> None:
    name = "phone" if "phone" in request.node.name else "desktop"
    whole_round(page, live_server.url, web_bank, name)


def tab_to(page: Any, selector: str, limit: int = 80) -> None:
    """Press Tab until `selector` has the focus: the keyboard is the only input."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_only(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip')")  # skip link first
    tab_to(page, 'nav a[href="/start"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "#start-button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "#answer")
    page.keyboard.type("Goroutines are scheduled by the Go runtime onto OS threads.")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    assert "graded=" in page.url
    assert page.evaluate("document.activeElement.id") == "review"  # the 点评 takes the focus
    while question(page)[0] == "follow_up":
        tab_to(page, "#dont-know")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    tab_to(page, "#pause")
    shot(page, "keyboard-focus")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focus is visible
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "#resume")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#answer").count() == 1
