"""The growth loop's review cards: a scripted interview with weak answers creates the expected
cards; `review` in a real terminal with a pinned clock rates and reschedules them exactly as
the fsrs package does for the same ratings; a second day continues the same schedule."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pexpect
import pytest
from fsrs import Card, Rating, Scheduler, State

from cli_helpers import run_cli, run_json, spawn_cli
from conftest import DATA

BANK = DATA / "growth" / "bank.yaml"
ENV = {"GOINTERVIEW_BANKS": str(BANK), "GOINTERVIEW_LANG": "en", "TZ": "UTC"}
WEAK_ANSWERS = {
    # hits call-cancel, misses the other two points, states the GC misconception
    "gt.ctx.cancel": "Call cancel with defer. Skipping it is fine since the garbage collector "
    "collects the context anyway.",
    "gt.redis.persistence": ":idk",  # every point missed
    "gt.growth.incident": ":skip",  # passed: no card
}
EXPECTED_KEYS = {
    "gt.ctx.cancel#kp:releases-resources",  # also what its follow-up (:idk) probed
    "gt.ctx.cancel#kp:done-closed",
    "gt.ctx.cancel#mc:gc-collects-context",
    "gt.redis.persistence#kp:rdb-snapshot",
    "gt.redis.persistence#kp:aof-log",
    "gt.redis.persistence#kp:fsync-policy",
}


def fsrs_scheduler() -> Scheduler:
    """The configuration docs/growth.md documents: whole days, no fuzz."""
    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def interview(tmp_path: Path, answers: dict[str, str], seed: int = 3) -> dict[str, Any]:
    path = tmp_path / f"answers-{seed}.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    data: dict[str, Any] = run_json(
        "interview",
        "--plan",
        "screen",
        "--tag",
        "growthtest",
        "--seed",
        str(seed),
        "--answers",
        str(path),
        env=ENV,
    )
    return data


def cards(now: datetime | None = None) -> list[dict[str, Any]]:
    env = {**ENV, **({"GOINTERVIEW_NOW": iso(now)} if now else {})}
    listed: list[dict[str, Any]] = run_json("review", "--all", env=env)
    return listed


def test_a_weak_interview_creates_one_card_per_missed_point_and_misconception(
    tmp_path: Path,
) -> None:
    session = interview(tmp_path, WEAK_ANSWERS)
    statuses = {(i["ref"], i["kind"]): i["status"] for i in session["items"]}
    assert statuses[("gt.ctx.cancel", "follow_up")] == "dont_know"
    assert statuses[("gt.growth.incident", "question")] == "skipped"
    made = cards()
    assert {c["key"] for c in made} == EXPECTED_KEYS
    by_key = {c["key"]: c for c in made}
    # the follow-up written for the point is the card's question
    assert by_key["gt.ctx.cancel#kp:releases-resources"]["prompt"] == (
        "If cancel is never called, what leaks and for how long?"
    )
    # a point without one is asked as a cloze of its wording, its terms blanked
    assert "____" in by_key["gt.redis.persistence#kp:rdb-snapshot"]["prompt"]
    assert (
        "snapshot" not in by_key["gt.redis.persistence#kp:rdb-snapshot"]["prompt"].split("\n")[-1]
    )
    assert by_key["gt.ctx.cancel#mc:gc-collects-context"]["prompt"].startswith("Someone says")
    assert all(c["state"] == "new" and c["reviews"] == 0 for c in made)
    # new cards wait until tomorrow
    today = run_json("review", "--due", env=ENV)
    assert today["due_now"] == 0 and today["due_tomorrow"] == 6 and today["new"] == 6

    # the same answers in another session count a second miss, not a second card
    interview(tmp_path, WEAK_ANSWERS, seed=4)
    again = cards()
    assert len(again) == 6
    assert {c["misses"] for c in again if c["question_id"] == "gt.redis.persistence"} == {2}


def expected_after(card: Card, rating: Rating, when: datetime) -> Card:
    reviewed, _ = fsrs_scheduler().review_card(card, rating, review_datetime=when)
    return reviewed


def assert_scheduled_like_fsrs(listed: dict[str, Any], expected: Card) -> None:
    assert datetime.fromisoformat(listed["due"]) == expected.due
    assert listed["stability"] == pytest.approx(expected.stability)
    assert listed["difficulty"] == pytest.approx(expected.difficulty)
    assert listed["state"] == {State.Review: "review", State.Relearning: "relearning"}.get(
        expected.state, "learning"
    )


REVIEW_ANSWERS = {
    "gt.redis.persistence#kp:rdb-snapshot": ("RDB writes a snapshot from a forked child.", "Easy"),
    "gt.redis.persistence#kp:aof-log": (":idk", "Again"),
    "gt.redis.persistence#kp:fsync-policy": ("It depends on appendfsync.", "Hard"),
    # the point, with the misconception stated beside it: 100 - 20 = 80, 熟练
    "gt.ctx.cancel#kp:releases-resources": (
        "Cancel stops the timer and detaches the child from its parent. The garbage collector "
        "collects the context anyway.",
        "Good",
    ),
    "gt.ctx.cancel#kp:done-closed": (":skip", None),
    # the correction in other words: rated by the calibrated reference grader, whatever it is
    "gt.ctx.cancel#mc:gc-collects-context": (
        "No. The parent keeps a reference to the child and the timer keeps running until the "
        "deadline, so nothing is freed early.",
        None,
    ),
}


def test_review_tomorrow_in_a_terminal_schedules_as_fsrs_does(tmp_path: Path) -> None:
    interview(tmp_path, WEAK_ANSWERS)
    created = {c["key"]: c for c in cards()}
    tomorrow = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    due = run_json("review", "--due", env={**ENV, "GOINTERVIEW_NOW": iso(tomorrow)})
    assert due["due_now"] == 6

    child = spawn_cli("review", env={**ENV, "GOINTERVIEW_NOW": iso(tomorrow)})
    shown: list[str] = []
    ratings: dict[str, str] = {}
    by_id = {str(c["id"]): key for key, c in created.items()}
    for _ in range(6):
        child.expect(r"#(\d+) · gt\.")
        key = by_id[child.match.group(1)]
        shown.append(key)
        child.expect("> ")
        answer, _ = REVIEW_ANSWERS[key]
        child.sendline(answer)
        if answer == ":skip":
            continue
        if answer != ":idk":
            child.expect("  ")
            child.sendline("")  # an empty line ends the answer
        child.expect(r"Rating: (\w+)")
        ratings[key] = child.match.group(1)
    child.expect("Reviewed 5; everything is saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert set(shown) == set(REVIEW_ANSWERS)
    assert {k: r for k, r in ratings.items() if REVIEW_ANSWERS[k][1]} == {
        k: r for k, (_, r) in REVIEW_ANSWERS.items() if r is not None
    }

    # the skipped card is still due; Ctrl-C stops the run and keeps what was saved
    child = spawn_cli("review", env={**ENV, "GOINTERVIEW_NOW": iso(tomorrow)})
    child.expect(r"#(\d+) · gt\.")
    assert by_id[child.match.group(1)] == "gt.ctx.cancel#kp:done-closed"
    child.expect("> ")
    child.sendintr()
    child.expect("Reviewed 0; everything is saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    after = {c["key"]: c for c in cards(tomorrow)}
    for key, name in ratings.items():
        listed = after[key]
        assert [log["rating"] for log in listed["logs"]] == [int(Rating[name])]
        assert listed["logs"][0]["review_datetime"] == iso(tomorrow)
        new = Card(card_id=listed["id"], state=State.Learning, step=0, due=tomorrow)
        assert_scheduled_like_fsrs(listed, expected_after(new, Rating[name], tomorrow))
    skipped = after["gt.ctx.cancel#kp:done-closed"]
    assert skipped["reviews"] == 0 and skipped["state"] == "new"
    # Again: back the next day; Easy: days later — as fsrs's initial stabilities say
    assert (
        after["gt.redis.persistence#kp:aof-log"]["due"]
        < after["gt.redis.persistence#kp:rdb-snapshot"]["due"]
    )

    # the day the Again card comes back: a scripted review continues the same fsrs schedule
    again = after["gt.redis.persistence#kp:aof-log"]
    day2 = datetime.fromisoformat(again["due"])
    script = tmp_path / "review.yaml"
    script.write_text(
        f'{again["id"]}: "AOF appends every write command to a log."\n', encoding="utf-8"
    )
    results = run_json(
        "review", "--answers", str(script), env={**ENV, "GOINTERVIEW_NOW": iso(day2)}
    )
    assert [(r["card"], r["rating_name"]) for r in results] == [(again["id"], "Easy")]
    first = Card(card_id=again["id"], state=State.Learning, step=0, due=tomorrow)
    chain = expected_after(expected_after(first, Rating.Again, tomorrow), Rating.Easy, day2)
    second = {c["key"]: c for c in cards(day2)}["gt.redis.persistence#kp:aof-log"]
    assert_scheduled_like_fsrs(second, chain)
    assert [log["rating"] for log in second["logs"]] == [1, 4]


def test_review_refuses_to_run_without_a_terminal_and_reports_bad_input(tmp_path: Path) -> None:
    proc = run_cli("review", env=ENV)
    assert proc.returncode == 1 and "--answers" in proc.stderr
    assert run_json("review", env=ENV) == []  # --json lists the (no) due cards
    bad = run_cli("review", "--due", env={**ENV, "GOINTERVIEW_NOW": "tomorrow"})
    assert bad.returncode == 1 and "ISO 8601" in bad.stderr
    script = tmp_path / "r.yaml"
    script.write_text("abc: hello\n", encoding="utf-8")
    wrong = run_cli("review", "--answers", str(script), env=ENV)
    assert wrong.returncode == 1 and "not a card id" in wrong.stderr


def test_grade_answer_adds_cards_unless_told_not_to() -> None:
    answer = "RDB writes a snapshot from a forked child."
    proc = run_cli("grade", "answer", "-q", "gt.redis.persistence", "-a", answer, env=ENV)
    assert proc.returncode == 0, proc.stderr
    assert "2 review card(s) added" in proc.stderr
    assert {c["key"] for c in cards()} == {
        "gt.redis.persistence#kp:aof-log",
        "gt.redis.persistence#kp:fsync-policy",
    }
    quiet = run_cli(
        "grade", "answer", "-q", "gt.ctx.cancel", "-a", "no idea", "--no-history", env=ENV
    )
    assert quiet.returncode == 0 and "card" not in quiet.stderr
    assert len(cards()) == 2


@pytest.mark.parametrize(
    ("wording", "groups", "expected"),
    [
        ("It is the number of Ps", [["number of Ps", "processors"]], "It is the ____"),
        (
            "它是 P 的个数，限制同时执行 Go 代码的线程数",
            [["P 的个数"], ["同时执行"]],
            "它是 ____，限制____ Go 代码的线程数",
        ),
        ("P 的个数，限制同时执行", [["P 的个数"], ["同时执行"]], None),  # too little left
        ("Explains the trade-off", [["latency"]], None),  # nothing to blank
        ("GOMAXPROCS", [["GOMAXPROCS"]], None),  # nothing but blanks would remain
    ],
)
def test_cloze_blanks_the_terms_the_grader_listens_for(
    wording: str, groups: list[list[str]], expected: str | None
) -> None:
    from gointerview.progress.prompts import cloze

    assert cloze(wording, groups) == expected


def test_rating_follows_the_level_bands() -> None:
    from gointerview.progress.review import rating_for

    assert [rating_for(s) for s in (None, 0, 39.9, 40, 64.9, 65, 84.9, 85, 100)] == [
        Rating.Again,
        Rating.Again,
        Rating.Again,
        Rating.Hard,
        Rating.Hard,
        Rating.Good,
        Rating.Good,
        Rating.Easy,
        Rating.Easy,
    ]


def test_no_traceback_text_in_review_output() -> None:
    proc = run_cli("review", "--due", env=ENV)
    assert proc.returncode == 0
    assert re.search(r"due today 0", proc.stdout)
