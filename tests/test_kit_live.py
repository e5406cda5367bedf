"""The live scorecard: typed in a real pseudo-terminal, written into the kit as it goes,
resumable after Ctrl-C, and read back by `kit score` like a kit filled in by hand."""

from __future__ import annotations

from pathlib import Path

import pexpect
import pytest

from cli_helpers import run_cli, run_json, spawn_cli
from gointerview.kit.build import KeyPointCue, KitItem, RedFlag
from gointerview.kit.live import EntryError, Heard, parse_heard, parse_score, record

ITEM = KitItem(
    seq=2,
    kind="question",
    ref="x",
    title="t",
    prompt="p",
    level="mid",
    dimensions=[],
    start_minute=0,
    minutes=5,
    key_points=[
        KeyPointCue(id="a", weight=2, wording="A", terms=["a"]),
        KeyPointCue(id="b", weight=1, wording="B", terms=["b"]),
    ],
    red_flags=[RedFlag(id="wrong", claim="c", why="w")],
)


def test_entries_are_read_or_refused_with_a_reason() -> None:
    heard = parse_heard(" 2, 1 r1 1", ITEM)
    assert (heard.points, heard.flags) == (["b", "a"], ["wrong"])
    assert parse_heard("", ITEM).empty
    for bad, reason in (("3", "no key point 3"), ("r2", "no red flag 2"), ("x", "numbers")):
        with pytest.raises(EntryError, match=reason):
            parse_heard(bad, ITEM)
    assert parse_score(" 85 ") == "85" and parse_score("Proficient") == "熟练"
    assert parse_score("") is None
    for bad in ("120", "great"):
        with pytest.raises(EntryError):
            parse_score(bad)


def test_record_ticks_only_the_item_it_is_given() -> None:
    text = (
        "### 1. one `q1`\n- [ ] (2) A <!-- kp:a -->\n**Score**: [ ] expert [ ] proficient · "
        "0–100: ____\n\n### 2. two `q2`\n- [ ] (2) A <!-- kp:a -->\n- [ ] (1) B <!-- kp:b -->\n"
        "- [ ] c — w <!-- mc:wrong -->\n**Score**: [ ] expert [ ] proficient · 0–100: ____\n"
    )
    out = record(text, 2, Heard(points=["b"], flags=["wrong"]), "熟练", "en")
    first, second = out.split("### 2.")
    assert first == text.split("### 2.")[0]  # item 1 untouched
    assert "- [ ] (2) A" in second and "- [x] (1) B" in second and "- [x] c — w" in second
    assert "[x] proficient" in second
    numbered = record(text, 1, Heard(), "64", "en")
    assert "0–100: 64" in numbered.split("### 2.")[0]


def _spawn(args: list[str], tmp_path: Path) -> pexpect.spawn:
    return spawn_cli(*args, env={"GOINTERVIEW_DATA_DIR": str(tmp_path / "data")}, timeout=90)


def test_live_scorecard_in_a_terminal_survives_ctrl_c(tmp_path: Path) -> None:
    kit = tmp_path / "kit.md"
    args = ["kit", "live", str(kit), "--plan", "screen", "--level", "mid", "--seed", "9"]
    child = _spawn([*args, "--lang", "en"], tmp_path)
    child.expect("heard")
    child.sendline("1 2 r1")  # item 1: two key points and a red flag, score from the points
    child.expect("score")
    child.sendline("")
    child.expect(r"1: \d+/100 \(points\)")
    child.expect("heard")
    child.sendline("7")  # a typo is refused, nothing is written
    child.expect("no key point 7")
    child.expect("heard")
    child.sendline("")
    child.expect("score")
    child.sendline("proficient")  # item 2: a level only
    child.expect(r"2: 75/100 \(level\)")
    child.expect("heard")
    child.sendcontrol("c")
    child.expect("paused")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130

    child = _spawn(["kit", "live", str(kit)], tmp_path)  # resumes at item 3
    child.expect(r"3/6")
    child.sendline("")
    child.expect("score")
    child.sendline("40")
    child.expect(r"3: 40/100 \(number\)")
    child.expect("heard")
    child.sendline(":q")
    child.expect("full report")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    report = run_json("kit", "score", str(kit))
    cited = {e["question"]: e for d in report["dimensions"] for e in d["evidence"]}
    assert report["answered"] == 3
    first = next(e for e in cited.values() if e["misconceptions"])
    assert len(first["hit"]) == 2
    assert sorted(e["score"] for e in cited.values()) == sorted([first["score"], 75.0, 40.0])


def test_live_needs_a_terminal(tmp_path: Path) -> None:
    proc = run_cli("kit", "live", str(tmp_path / "kit.md"))
    assert proc.returncode == 1 and "--set" in proc.stderr
