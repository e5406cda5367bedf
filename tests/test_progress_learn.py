"""Learning from every answer: the reference answer and key points after :idk, :skip or a weak
answer (terminal and report), needs-revision marks, and retrospectives — stored, exported, and
shown as notes under a growth question of a real interview in a pseudo-terminal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pexpect

from cli_helpers import run_cli, run_json, spawn_cli
from conftest import DATA

BANK = DATA / "growth" / "bank.yaml"
ENV = {"GOINTERVIEW_BANKS": str(BANK), "GOINTERVIEW_LANG": "en", "TZ": "UTC"}
RETRO = [
    "retro",
    "add",
    "--title",
    "Cache stampede after a deploy",
    "--problem",
    "p99 of the product API rose from 80 ms to 2.4 s for 12 minutes after a deploy",
    "--root-cause",
    "the deploy flushed the local cache and 3,000 requests a second went to MySQL at once",
    "--fix",
    "singleflight around the loader and TTL jitter; warm the cache before taking traffic",
    "--verification",
    "a replay at 3,000 rps: p99 95 ms, MySQL QPS 40 instead of 3,000",
    "--tag",
    "gt-redis",
    "--tag",
    "singleflight",
]


def test_retrospectives_are_stored_exported_and_checked(tmp_path: Path) -> None:
    added = run_json(*RETRO, env=ENV)
    assert added["id"] == 1 and added["tags"] == ["gt-redis", "singleflight"]
    listed = run_json("retro", "list", env=ENV)
    assert [r["title"] for r in listed] == ["Cache stampede after a deploy"]
    assert run_json("retro", "list", "--tag", "nothing", env=ENV) == []
    shown = run_json("retro", "show", "1", env=ENV)
    assert shown["verification"].startswith("a replay at 3,000 rps")
    md = run_cli("retro", "export", "--format", "md", env=ENV)
    assert md.returncode == 0
    assert "## 1. Cache stampede after a deploy" in md.stdout
    assert "- **Root cause**: the deploy flushed" in md.stdout
    out = tmp_path / "retros.json"
    assert run_cli("retro", "export", "--format", "json", "-o", str(out), env=ENV).returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))[0]["fix"].startswith("singleflight")
    zh = run_cli("retro", "export", "--lang", "zh", env=ENV)
    assert "- **根因**：" in zh.stdout or "- **根因**: " in zh.stdout

    # a verification without a number is refused, with what to write instead
    no_numbers = [*RETRO[:-4]]
    no_numbers[no_numbers.index("--verification") + 1] = "it looked fine afterwards"
    refused = run_cli(*no_numbers, env=ENV)
    assert refused.returncode == 1
    assert "verification has no number" in refused.stderr
    # a tag no bank question carries is kept, with a note and the nearest tag
    typo = [*RETRO[:-4], "--tag", "singleflite"]
    noted = run_cli(*typo, env=ENV)
    assert noted.returncode == 0 and "did you mean singleflight?" in noted.stderr
    assert run_cli("retro", "show", "99", env=ENV).returncode == 1


def test_needs_revision_marks_are_listed_and_filter_the_bank() -> None:
    assert (
        run_cli("revise", "add", "gt.ctx.cancel", "--note", "timer detail", env=ENV).returncode == 0
    )
    assert run_cli("revise", "add", "gt.redis.persistence", env=ENV).returncode == 0
    unknown = run_cli("revise", "add", "gt.no-such", env=ENV)
    assert unknown.returncode == 1 and "no question" in unknown.stderr
    marks = run_json("revise", "list", env=ENV)
    assert [(m["question_id"], m["note"]) for m in marks] == [
        ("gt.ctx.cancel", "timer detail"),
        ("gt.redis.persistence", ""),
    ]
    listed = run_json("bank", "list", "--needs-revision", env=ENV)
    assert [q["id"] for q in listed] == ["gt.ctx.cancel", "gt.redis.persistence"]
    filtered = run_json("bank", "list", "--needs-revision", "--area", "components", env=ENV)
    assert [q["id"] for q in filtered] == ["gt.redis.persistence"]
    assert run_cli("revise", "remove", "gt.ctx.cancel", env=ENV).returncode == 0
    assert [m["question_id"] for m in run_json("revise", "list", env=ENV)] == [
        "gt.redis.persistence"
    ]


def test_the_report_shows_reference_answers_for_idk_skip_and_weak_answers(tmp_path: Path) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(
        json.dumps(
            {
                "gt.ctx.cancel": "Call cancel with defer.",  # weak: 40
                "gt.ctx.cancel/follow-up": "Cancel stops the timer and detaches the child from "
                "its parent.",
                "gt.redis.persistence": ":idk",
                "gt.growth.incident": ":skip",
            }
        ),
        encoding="utf-8",
    )
    session = run_json(
        "interview", "--plan", "screen", "--tag", "growthtest", "--seed", "3",
        "--answers", str(answers), env=ENV,
    )  # fmt: skip
    report = run_cli("report", session["id"], env=ENV)
    assert report.returncode == 0, report.stderr
    section = report.stdout.split("## Reference answers", 1)[1]
    assert "`gt.redis.persistence`" in section and "(don't know)" in section
    assert "RDB writes a point-in-time snapshot" in section
    assert "`gt.growth.incident`" in section and "(skipped)" in section
    assert "`gt.ctx.cancel`" in section and "(scored 40)" in section
    assert "- ✓ Call cancel, usually with defer" in section
    assert "- ✗ Cancel stops the timer and detaches the child from its parent" in section
    # the follow-up scored well: no reference for it
    assert section.count("`gt.ctx.cancel`") == 1
    data = json.loads(run_cli("report", session["id"], "--format", "json", env=ENV).stdout)
    assert [(r["question"], r["why"]) for r in data["references"]] == [
        (i["ref"], w)
        for i in session["items"]
        for w in [{"dont_know": "dont_know", "skipped": "skipped"}.get(i["status"], "weak")]
        if i["kind"] == "question" and (i["status"] != "graded" or i["score"] < 65)
    ]


def _drive(child: Any, retro_title: str) -> dict[str, list[str]]:
    """Answer the three test questions as they come; collect what was shown after each."""
    seen: dict[str, list[str]] = {}
    prompts = {
        "Why must you call the cancel": ("gt.ctx.cancel", "Call cancel with defer."),
        "If cancel is never called": ("follow-up", ":idk"),
        "How do Redis RDB and AOF": ("gt.redis.persistence", ":idk"),
        "Tell me about a production incident": ("gt.growth.incident", ":skip"),
    }
    for _ in range(4):
        index = child.expect(list(prompts))
        key, answer = list(prompts.values())[index]
        child.expect("> ")
        before = child.before
        seen.setdefault(key, []).append("retro" if retro_title in before else "")
        child.sendline(answer)
        if not answer.startswith(":"):
            child.expect("  ")
            child.sendline("")
        child.expect(["Reference answer", "Summary"])
        seen[key].append(child.after)
    return seen


def test_the_terminal_shows_references_and_retros_under_growth_questions() -> None:
    assert run_cli(*RETRO, env=ENV).returncode == 0
    child = spawn_cli(
        "interview", "--plan", "screen", "--tag", "growthtest", "--seed", "3", env=ENV
    )
    seen = _drive(child, "Cache stampede after a deploy")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert seen["gt.growth.incident"] == ["retro", "Reference answer"]  # notes, then reference
    assert seen["gt.redis.persistence"] == ["", "Reference answer"]  # :idk
    assert seen["gt.ctx.cancel"] == ["", "Reference answer"]  # weak: 40
    assert seen["follow-up"] == ["", "Reference answer"]
