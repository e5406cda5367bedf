"""Evaluation reports for a scripted session, in all three formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from browser import ARTIFACTS, needs_chromium, radar_pixels, screenshot
from cli_helpers import run_cli
from gointerview.bank import load_bank
from gointerview.bank.schema import Level
from gointerview.interview.engine import Answer, DontKnow
from gointerview.interview.plans import get_plan
from gointerview.interview.service import Runner, new_session
from gointerview.report.evaluate import NOT_ENOUGH, evaluate
from gointerview.report.render import to_html, to_markdown
from gointerview.store.db import Store


@pytest.fixture(scope="module")
def session_and_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    data = tmp_path_factory.mktemp("data")
    store = Store(f"sqlite:///{data / 'gointerview.db'}")
    bank = load_bank()
    runner = Runner(bank=bank, catalog=None, store=store)
    session = runner.start(
        new_session(get_plan("screen"), level=Level.MID, lang="en", seed=3, now=0)
    )
    asked = 0
    while session.state != "finished":  # answer each question with (part of) its reference
        if session.state == "awaiting_grade":
            session = runner.grade_pending(session)
            continue
        item = session.current
        assert item is not None
        if item.kind == "follow_up":
            session = runner.apply(session, DontKnow())
            continue
        ref = bank.get(item.ref).reference_answer.en
        session = runner.apply(session, Answer(text=ref if asked % 2 == 0 else ref.split(". ")[0]))
        asked += 1
    done = session
    return done.id, data


def test_every_rating_cites_evidence_or_says_not_enough(
    session_and_store: tuple[str, Path],
) -> None:
    session_id, data = session_and_store
    proc = run_cli(
        "report", session_id, "--format", "json", env={"GOINTERVIEW_DATA_DIR": str(data)}
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert [d["dimension"] for d in report["dimensions"]] == [
        "go_advanced",
        "components",
        "distributed_design",
        "performance",
        "problem_analysis",
    ]
    bank = load_bank()
    for d in report["dimensions"]:
        if d["rating"] == NOT_ENOUGH:
            assert d["evidence"] == [] and d["score"] is None
        else:
            assert d["rating"] in ("精通", "熟练", "了解", "欠缺") and d["evidence"]
            for e in d["evidence"]:  # each cited answer really evidences this dimension
                assert d["dimension"] in [x.value for x in bank.get(e["question"]).dimensions]
    assert report["answered"] == 6 and report["overall_score"] is not None
    assert report["study_plan"] and report["verdict"].startswith("Against the mid bar")


def test_markdown_and_html(session_and_store: tuple[str, Path], tmp_path: Path) -> None:
    session_id, data = session_and_store
    store = Store(f"sqlite:///{data / 'gointerview.db'}")
    report = evaluate(store.load(session_id).model_copy(update={"lang": "zh"}), load_bank(), None)
    md = to_markdown(report)
    assert "# 面试评估报告" in md and "## 五个维度" in md and "## 学习计划" in md
    page = to_html(report)
    assert page.startswith("<!doctype html>") and "<svg" in page and "</html>" in page
    out = tmp_path / "r.html"
    proc = run_cli(
        "report",
        session_id,
        "--format",
        "html",
        "-o",
        str(out),
        "--lang",
        "zh",
        env={"GOINTERVIEW_DATA_DIR": str(data)},
    )
    assert proc.returncode == 0 and "<svg" in out.read_text(encoding="utf-8")


@needs_chromium
def test_html_renders_in_headless_chromium(session_and_store: tuple[str, Path]) -> None:
    session_id, data = session_and_store
    page = ARTIFACTS / "report.html"
    ARTIFACTS.mkdir(exist_ok=True)
    run_cli(
        "report",
        session_id,
        "--format",
        "html",
        "-o",
        str(page),
        env={"GOINTERVIEW_DATA_DIR": str(data)},
    )
    shot = screenshot(page, "report.png", data / "chrome")
    assert radar_pixels(shot) > 500  # the radar chart is drawn, in its colour
