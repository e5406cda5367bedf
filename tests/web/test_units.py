"""The web package's pure parts: language negotiation, the evidence highlighter, the review
read defensively, the radar, the rate limiter, the cookie secret."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from gointerview.errors import GointerviewError
from gointerview.interview.engine import Item
from gointerview.report.evaluate import NOT_ENOUGH, DimensionRating
from gointerview.report.radar import radar_svg
from gointerview.report.render import dimension_axes
from gointerview.web.i18n import MESSAGES, negotiate
from gointerview.web.present import Segment, highlight, review
from gointerview.web.security import RateLimiter, Signer
from gointerview.web.settings import is_loopback, load_secret


def test_language_negotiation() -> None:
    assert negotiate(None, "zh-CN,zh;q=0.9,en;q=0.8", "en") == "zh"
    assert negotiate(None, "en-US,en;q=0.9,zh;q=0.8", "zh") == "en"
    assert negotiate(None, "fr-FR,zh-TW;q=0.5,en;q=0.4", "en") == "zh"
    assert negotiate(None, "fr, de", "zh") == "zh"
    assert negotiate(None, "zh;q=0, en;q=oops", "en") == "en"
    assert negotiate("zh", "en", "en") == "zh"  # the user's choice wins
    assert negotiate("xx", None, "en") == "en"
    assert all(zh and en for zh, en in MESSAGES.values())  # every text in both languages


def test_highlight_marks_spans_and_survives_bad_offsets() -> None:
    text = "abcdefghij"
    assert highlight(text, []) == [Segment(text)]
    marked = highlight(text, [(2, 5, "hit"), (4, 8, "wrong"), (0, 1, "partial"), (8, 99, "hit")])
    assert "".join(s.text for s in marked) == text
    assert [(s.text, s.mark) for s in marked] == [
        ("a", "partial"),
        ("b", None),
        ("cd", "hit"),
        ("efgh", "wrong"),
        ("ij", "hit"),
    ]
    assert highlight("", [(0, 3, "hit")]) == []


def test_review_reads_any_grade_shape() -> None:
    item = Item(
        seq=3,
        kind="question",
        ref="q",
        prompt={"en": "Why?\n```go\nx\n```"},
        asked_at=0,
        status="graded",
        answer="chan send blocks",
        score=71.4,
        level="熟练",
        grade={
            "points": [
                {
                    "status": "hit",
                    "wording": "blocks",
                    "evidence": [{"start": 10, "end": 16, "text": "blocks"}],
                },
                {"status": "missed", "wording": "unbuffered"},
                {"status": "weird"},
                "not a dict",
                {"status": "partial", "evidence": [{"start": -1, "end": "x"}]},
            ],
            "misconceptions": [
                {
                    "claim": "c",
                    "correction": "k",
                    "sentence": {"start": 0, "end": 4, "text": "chan"},
                }
            ],
            "feedback": 7,
        },
    )
    r = review(item, "en")
    assert r.prompt == "Why?" and r.score == "71" and r.level_en == "proficient"
    assert [p.wording for p in r.hit] == ["blocks"] and [p.wording for p in r.missed] == [
        "unbuffered"
    ]
    assert r.feedback == "" and r.wrong[0].sentence == "chan"
    assert [(s.text, s.mark) for s in r.answer] == [
        ("chan", "wrong"),
        (" send ", None),
        ("blocks", "hit"),
    ]
    bare = review(item.model_copy(update={"grade": None, "score": None}), "zh")
    assert bare.score == "—" and bare.hit == [] and bare.answer == [Segment("chan send blocks")]


def test_radar_marks_unprobed_dimensions_and_escapes_labels() -> None:
    dims = [
        DimensionRating(
            dimension=f"d{i}",
            name=f"<dim {i}>",
            rating="熟练" if i < 3 else NOT_ENOUGH,
            rating_en="",
            score=70.0 if i < 3 else None,
            evidence=[],
        )
        for i in range(5)
    ]
    svg = radar_svg(dimension_axes(dims), lang="en", title="t")
    assert svg.count('class="vertex"') == 3 and svg.count("no evidence") == 2
    assert svg.count('class="area"') == 1  # one fan over the three neighbouring axes
    assert "<dim" not in svg and "&lt;dim 0&gt;" in svg
    full = radar_svg(
        dimension_axes([d.model_copy(update={"rating": "精通", "score": 90.0}) for d in dims]),
        lang="en",
    )
    assert full.count('class="area"') == 1 and 'class="spoke"' not in full


def test_rate_limiter_window() -> None:
    now = [0.0]
    limiter = RateLimiter(limit=2, window=60, clock=lambda: now[0])
    keys = ["a@1", "@1"]
    limiter.failed(keys)
    assert limiter.retry_after(keys) == 0
    limiter.failed(keys)
    assert limiter.retry_after(keys) == 61
    assert limiter.retry_after(["b@1", "@1"]) == 0  # the address alone allows more
    now[0] = 61.0
    assert limiter.retry_after(keys) == 0


def test_signed_values_and_csrf() -> None:
    signer = Signer(b"k" * 40)
    assert signer.browser(signer.sign_browser("id1")) == "id1"
    assert signer.browser(signer.sign_browser("id1") + "x") is None
    assert signer.login(signer.sign_browser("id1")) is None  # salts keep the cookies apart
    token = signer.csrf_token("id1", None)
    assert signer.csrf_ok("id1", None, token)
    assert not signer.csrf_ok("id1", "login", token) and not signer.csrf_ok(None, None, token)


def test_loopback() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2") and not is_loopback("x")


def test_the_cookie_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOINTERVIEW_WEB_SECRET", raising=False)
    first = load_secret(tmp_path)
    assert first == load_secret(tmp_path) and len(first) >= 32
    assert stat.S_IMODE((tmp_path / "web-secret").stat().st_mode) == 0o600
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "web-secret").symlink_to(tmp_path / "web-secret")
    with pytest.raises(GointerviewError, match="cannot read"):
        load_secret(other)  # never read through a symlink
    monkeypatch.setenv("GOINTERVIEW_WEB_SECRET", "short")
    with pytest.raises(GointerviewError, match="32 characters"):
        load_secret(tmp_path)
    monkeypatch.setenv("GOINTERVIEW_WEB_SECRET", "s" * 40)
    assert load_secret(tmp_path) == b"s" * 40
