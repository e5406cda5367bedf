"""A 点评 a candidate can trust (issue #11): no credit for wrong, negated, listed or historical
claims, follow-ups graded on their own rubric, caps explained, linear time. Through the CLI,
as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cli_helpers import run_cli, run_json


def grade(question: str, answer: str) -> Any:
    return run_json("grade", "answer", "-q", question, "-a", answer)


def status(data: Any, point: str) -> str:
    return str(next(p["status"] for p in data["points"] if p["id"] == point))


def test_a_confident_wrong_claim_about_gomaxprocs_earns_nothing() -> None:
    data = grade("rt.sched.gmp-roles", "GOMAXPROCS 就是线程数上限")
    assert status(data, "gomaxprocs-p") == "missed"
    assert data["misconceptions"] and data["score"] < 40


def test_history_is_neither_credit_nor_a_misconception() -> None:
    for answer in (
        "Since Go 1.24 sync.Map is a HashTrieMap. Before Go 1.24 it used a read-only map plus "
        "a dirty map with a misses counter.",
        "Go 1.24 起 sync.Map 是 HashTrieMap。"
        "Go 1.24 之前它用只读 map 加 dirty map 和 misses 计数。",
    ):
        data = grade("lang.sync.map-when", answer)
        assert data["misconceptions"] == [], answer
        assert status(data, "hashtrie") == "hit"
    stated = grade("lang.sync.map-when", "sync.Map uses a read-only map plus a dirty map.")
    assert [m["id"] for m in stated["misconceptions"]] == ["read-dirty"]


def test_a_keyword_list_is_capped_and_says_why() -> None:
    for answer in (
        "GMP, work stealing, runnext, global queue, sysmon, handoff, GOMAXPROCS",
        "GMP、工作窃取、全局队列、本地队列、sysmon、handoffp、GOMAXPROCS",
    ):
        data = grade("rt.sched.gmp-roles", answer)
        assert data["score"] <= 20, answer
        assert any("list of terms" in n for n in data["notes"])


def test_negation_is_read_from_cue_words_not_from_the_character() -> None:
    # 不变式 names the invariant; it denies nothing
    data = grade(
        "quiz.atomic-vs-mutex-counter",
        "只是计数就用 atomic；要同时维护几个字段之间的不变式，就得用 Mutex 把它们一起保护。",
    )
    assert status(data, "mutex-invariant") == "hit"


def test_a_capped_score_says_which_required_point_was_missed() -> None:
    answer = (
        "An M must hold a P to run Go code, and the P owns the local run queue and the mcache, "
        "so most scheduling needs no global lock. P came in Go 1.1 to replace the G-M model's "
        "global lock; an M blocked in a syscall hands off its P. I would watch it with "
        "GODEBUG=schedtrace and the threadcreate profile."
    )
    data = grade("rt.sched.gmp-roles", answer)
    required_missed = [p for p in data["points"] if p["required"] and p["status"] == "missed"]
    if required_missed:
        assert data["score"] <= 64
        assert data["level"] in ("了解", "欠缺")


def test_a_huge_answer_is_graded_on_its_first_part_with_a_notice(tmp_path: Path) -> None:
    answer = tmp_path / "log.txt"
    answer.write_text("goroutine 1 [running]:\nmain.main()\n" * 40_000, encoding="utf-8")
    proc = run_cli("grade", "answer", "-q", "rt.sched.gmp-roles", "-f", str(answer), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert any("first 20,000" in n for n in data["notes"])


def test_a_correct_follow_up_answer_is_scored_on_the_follow_ups_rubric(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    scripted = {
        "rt.escape.what-escapes": (
            "Escape analysis is a compile-time pass: a value whose pointer may outlive the "
            "stack frame goes to the heap. Returning a pointer to a local makes it escape, as "
            "does storing it in a global variable. Interface conversion (boxing) for "
            "fmt.Println and a closure with captured variables escape too."
        ),
        "rt.escape.what-escapes/follow-up": (
            "I would benchmark it with -benchmem and compare allocs/op before and after, and "
            "lock it in with testing.AllocsPerRun; the -gcflags=-m output confirms that the "
            "escape is gone."
        ),
    }
    answers.write_text(json.dumps(scripted), encoding="utf-8")
    env = {"GOINTERVIEW_DATA_DIR": str(tmp_path / "data")}
    session = run_json(
        "interview", "--plan", "screen", "--level", "mid", "--lang", "en",
        "--tag", "escape-analysis", "--seed", "3", "--answers", str(answers), env=env,
    )  # fmt: skip
    items = session["items"]
    first = next(
        i for i in items if i["ref"] == "rt.escape.what-escapes" and i["kind"] == "question"
    )
    follow = next(i for i in items if i["kind"] == "follow_up")
    assert follow["target_point"] == "verify"
    assert {p["id"] for p in follow["grade"]["points"]} == {"measure-allocs", "compiler-diagnostic"}
    assert follow["score"] >= 85 and follow["grade"]["follow_up"] is None
    proc = run_cli("report", session["id"], "--format", "json", env=env)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    evidence = [
        e
        for d in report["dimensions"]
        for e in d["evidence"]
        if e["question"] == "rt.escape.what-escapes"
    ]
    assert evidence and all(e["follow_ups"][0]["score"] == follow["score"] for e in evidence)
    # the probed point now counts for the question; nothing else about it changed
    assert all(e["score"] > first["score"] for e in evidence)


def test_a_drills_misreadings_stay_with_the_drill() -> None:
    # a drill's misconceptions are about reading its own artefact; sharing a tag must not
    # make them fire on a sound answer to another question
    data = grade(
        "growth.incident.gc-latency-regression",
        "设置 GOMEMLIMIT 为容器上限的 80%，GOGC=200 降低周期频率。",
    )
    assert data["misconceptions"] == []
