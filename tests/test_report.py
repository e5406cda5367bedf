"""Evaluation reports for a scripted session, in all three formats."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from browser import ARTIFACTS, needs_chromium, radar_pixels, screenshot
from cli_helpers import run_cli
from gointerview.bank import load_bank
from gointerview.bank.schema import Level
from gointerview.interview.engine import Answer, DontKnow
from gointerview.interview.plans import get_plan
from gointerview.interview.service import Runner, new_session
from gointerview.levels import LEVEL_EN
from gointerview.report.evaluate import (
    NOT_ENOUGH,
    Evidence,
    Scored,
    assemble,
    evaluate,
    whole_line,
)
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
                # a script reading the JSON gets each level in English too
                assert e["level_en"] == LEVEL_EN[e["level"]]
    assert report["answered"] == 6 and report["overall_score"] is not None
    assert report["overall_level_en"] == LEVEL_EN.get(report["overall_level"], NOT_ENOUGH)
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


# ---------------------------------------------------------------- prompts cut for one line

# a drill's prompt: a paragraph an editor wrapped, then the code it asks about
DRILL = "eng.drill.leak-first-response"
PIECES = ["ab", "x", " ", ".", ",", ";", ":", "?", "`", "\n", "\n\n", "    ", "并发", "。", "，"]
PIECES += ["？", "e\u0301", "a" * 30, "字" * 30]  # long words; é with a combining accent
PROMPTS = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)


def _bare(text: str) -> str:
    return re.sub(r"\s", "", text)


@given(PROMPTS, st.integers(min_value=8, max_value=200))
def test_a_prompt_is_never_cut_without_an_ellipsis(text: str, limit: int) -> None:
    line = whole_line(text, limit)
    assert len(line) <= limit and "\n" not in line
    if not line.endswith("…"):  # nothing left out but the line breaks
        assert _bare(line) == _bare(text)
    else:  # what is kept is the prompt's beginning (a code span cut through is closed)
        kept = _bare(line[:-1])
        kept = kept if _bare(text).startswith(kept) else kept.removesuffix("`")
        assert _bare(text).startswith(kept)


def test_a_prompt_that_fits_is_not_changed() -> None:
    for prompt in ("What does sync.Once guarantee?", "GOMAXPROCS 到底限制的是什么？"):
        assert whole_line(prompt) == prompt
        assert whole_line(prompt, len(prompt)) == prompt


def test_a_long_prompt_is_cut_at_a_word_or_a_character_and_says_so() -> None:
    english = "Explain how the scheduler hands a blocked thread's processor to another " * 4
    line = whole_line(english, 100)
    assert line.endswith("…") and len(line) <= 100
    kept = line.removesuffix("…")
    assert english.startswith(kept) and english[len(kept)] == " "  # a whole word
    chinese = "调度器在线程阻塞时把处理器交给另一个线程" * 10  # no space or mark to cut at
    line = whole_line(chinese, 50)
    assert line.endswith("…") and len(line) <= 50 and chinese.startswith(line[:-1])
    accented = "e\u0301" * 60  # é as e + a combining accent: never split
    assert whole_line(accented, 22)[-2:] == "\u0301…"


def test_the_study_plan_shows_a_cut_prompt_as_cut() -> None:
    bank = load_bank()
    weak = Evidence(
        question=DRILL, kind="question", prompt="", score=20.0, level="欠缺", missed=["x"]
    )
    for lang in ("en", "zh"):
        report = assemble(
            [Scored(weak, tuple(bank.get(DRILL).dimensions))],
            ident="s", plan="screen", level="mid", lang=lang, asked=1, seen={DRILL},
            bank=bank, catalog=None,
        )  # fmt: skip
        entry = next(s for s in report.study_plan if s.id == DRILL)
        prompt = bank.get(DRILL).prompt.get(lang)
        assert entry.title.endswith("…") and len(entry.title) <= 160
        assert _bare(prompt).startswith(_bare(entry.title[:-1]))
        assert f"`{DRILL}` {entry.title} — " in to_markdown(report)  # as `report` prints it


def test_no_bank_prompt_is_cut_silently() -> None:
    for q in load_bank().questions:
        for lang in ("zh", "en"):
            prompt = q.prompt.get(lang).strip()
            title = whole_line(prompt)
            assert title.endswith("…") or _bare(title) == _bare(prompt), (q.id, lang)


def test_a_missed_exercise_is_planned_in_the_reports_language() -> None:
    from gointerview.bank import load_bank
    from gointerview.exercises.catalog import builtin_catalog
    from gointerview.report.evaluate import _study_plan

    catalog = builtin_catalog()
    exercise = next(iter(catalog.exercises))
    for lang, says in (("zh", "重做这道练习"), ("en", "redo the exercise")):
        plan = _study_plan([(exercise, [])], set(), "mid", load_bank(), catalog, lang)
        item = next(i for i in plan if i.kind == "exercise")
        assert says in item.why
