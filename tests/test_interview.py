"""Mock interviews: the pure engine, selection, persistence, scripted runs, a real terminal,
and a SIGKILL in the middle of a session."""

from __future__ import annotations

import json
import os
import re
import signal
from pathlib import Path
from typing import Any

import pexpect
import pytest

from cli_helpers import run_cli, spawn_cli
from conftest import DATA, GO_CACHE_DIR
from gointerview.bank import load_bank
from gointerview.bank.schema import Ability, Level
from gointerview.interview.engine import (
    Answer,
    DontKnow,
    EngineError,
    Graded,
    Pause,
    Pick,
    Resume,
    Session,
    Skip,
    Start,
    advance,
)
from gointerview.interview.plans import get_plan
from gointerview.interview.select import Selector, allocation
from gointerview.interview.service import Runner, new_session, run_scripted
from gointerview.store.db import Store

GOLDEN = DATA / "golden" / "interview-deep-senior-seed42.json"


def picker_of(ids: list[str]) -> Any:
    def pick(session: Session) -> Pick | None:
        asked = [i for i in session.items if i.kind == "question"]
        if len(asked) >= len(ids):
            return None
        ref = ids[len(asked)]
        return Pick(kind="question", ref=ref, prompt={"en": ref, "zh": ref})

    return pick


def fresh(plan: str = "screen") -> Session:
    return new_session(get_plan(plan), level=Level.MID, lang="en", seed=1, now=1000.0)


def test_engine_states_and_follow_ups() -> None:
    pick = picker_of(["q1", "q2"])
    s = advance(fresh(), Start(), now=1000, pick=pick)
    assert s.state == "awaiting_answer" and s.current and s.current.ref == "q1"
    s2 = advance(s, Answer(text="something"), now=1010, pick=pick)
    assert s.state == "awaiting_answer"  # pure: the input is untouched
    assert s2.state == "awaiting_grade" and s2.current and s2.current.answer == "something"
    weak = Graded(
        score=30,
        level="欠缺",
        grade={},
        follow_up={"point": "p1", "zh": "追问", "en": "Follow-up?"},
    )
    s3 = advance(s2, weak, now=1020, pick=pick)
    assert s3.current and s3.current.kind == "follow_up" and s3.current.target_point == "p1"
    s4 = advance(s3, DontKnow(), now=1030, pick=pick)
    assert s4.current and s4.current.ref == "q2"  # one follow-up per question (plan), then on
    s5 = advance(s4, Skip(), now=1040, pick=pick)
    assert s5.state == "finished" and s5.finished_reason == "complete"
    assert [i.status for i in s5.items] == ["graded", "dont_know", "skipped"]


def test_strong_answer_gets_no_follow_up_and_pause_stops_the_clock() -> None:
    pick = picker_of(["q1", "q2"])
    s = advance(fresh(), Start(), now=0, pick=pick)
    s = advance(s, Pause(), now=60, pick=pick)
    with pytest.raises(EngineError):
        advance(s, Answer(text="x"), now=70, pick=pick)
    s = advance(s, Resume(), now=5000, pick=pick)
    assert s.used_seconds(5030) == pytest.approx(90)
    s = advance(s, Answer(text="x"), now=5030, pick=pick)
    strong = Graded(
        score=90, level="精通", grade={}, follow_up={"point": "p", "zh": "z", "en": "e"}
    )
    s = advance(s, strong, now=5040, pick=pick)
    assert s.current and s.current.ref == "q2"


def test_time_budget_finishes_the_round() -> None:
    pick = picker_of(["q1", "q2", "q3"])
    s = advance(fresh(), Start(), now=0, pick=pick)
    s = advance(s, Answer(text="x"), now=45 * 60 + 1, pick=pick)
    s = advance(s, Graded(score=50, level="了解", grade={}), now=45 * 60 + 2, pick=pick)
    assert s.state == "finished" and s.finished_reason == "time"


def test_allocation_follows_the_weights() -> None:
    weights = {
        Ability.SYSTEM_DESIGN: 0.38,
        Ability.CONCURRENCY: 0.25,
        Ability.RUNTIME: 0.20,
        Ability.ENGINEERING: 0.17,
    }
    # 3.8 / 2.5 / 2.0 / 1.7: floors 3+2+2+1, the two largest remainders (.8, .7) get the rest
    assert allocation(weights, 10) == {
        Ability.SYSTEM_DESIGN: 4,
        Ability.CONCURRENCY: 2,
        Ability.RUNTIME: 2,
        Ability.ENGINEERING: 2,
    }
    assert sum(allocation(weights, 7).values()) == 7


def test_selection_is_seeded_varied_and_avoids_recent_questions() -> None:
    bank = load_bank()
    plan = get_plan("deep").model_copy(update={"coding": 0})

    def questions(seed: int, recent: set[str]) -> list[str]:
        s = new_session(plan, level=Level.SENIOR, lang="en", seed=seed, now=0)
        selector = Selector(bank, None, recently_seen=recent)
        s = advance(s, Start(), now=0, pick=selector)
        while s.state != "finished":
            s = advance(s, Skip(), now=1, pick=selector)
        return [i.ref for i in s.items]

    first = questions(42, set())
    assert first == questions(42, set())  # replayable
    assert len(set(first)) == len(first) == 10  # no repeats
    assert first != questions(43, set())
    levels = [bank.get(q).level for q in first]
    assert sum(lv in (Level.SENIOR, Level.MID, Level.STAFF) for lv in levels) >= 9
    abilities = [bank.get(q).ability for q in first]
    assert abilities.count(Ability.CONCURRENCY) == 4 and abilities.count(Ability.RUNTIME) == 3
    avoided = questions(42, set(first))
    assert len(set(avoided) & set(first)) <= 3  # recent ones are down-weighted


def test_store_round_trip_and_history(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    runner = Runner(bank=load_bank(), catalog=None, store=store)
    plan = get_plan("screen")
    session = new_session(plan, level=Level.MID, lang="zh", seed=9, now=0)
    done = run_scripted(runner, session, {"1": "sync.Map 适合读多写少、键稳定的场景。"})
    loaded = store.load(done.id)
    assert loaded == done
    assert store.recently_seen() == {i.ref for i in done.items}
    assert store.sessions()[0].state == "finished"


# ---------------------------------------------------------------- through the CLI


def _env(tmp_path: Path) -> dict[str, str]:
    return {"GOINTERVIEW_DATA_DIR": str(tmp_path / "data"), "GOINTERVIEW_LANG": "en"}


def normalise(transcript: dict[str, Any]) -> dict[str, Any]:
    """Drop what changes run to run: ids, clocks, durations, paths."""
    out: dict[str, Any] = json.loads(json.dumps(transcript))
    for key in ("id", "created_at", "active_seconds", "clock_started_at"):
        out.pop(key, None)
    for item in out["items"]:
        item.pop("asked_at", None)
        item.pop("answered_at", None)
        code = (item.get("grade") or {}).get("code")
        if code:
            for key in ("duration_ms", "build_ms", "test_ms", "go_version"):
                code.pop(key, None)
            for test in code.get("tests", []):
                test.pop("duration_ms", None)
        if item["kind"] == "exercise" and item.get("answer"):
            item["answer"] = Path(item["answer"]).name
    return out


@pytest.mark.sandbox
def test_scripted_senior_round_is_reproducible(tmp_path: Path) -> None:
    answers = DATA / "interview" / "deep-senior-answers.yaml"
    runs = []
    for run in range(2):  # each run with a fresh history, so "recently seen" cannot differ
        env = {
            **_env(tmp_path),
            "GOINTERVIEW_DATA_DIR": str(GO_CACHE_DIR),
            "GOINTERVIEW_DATABASE_URL": f"sqlite:///{tmp_path / f'run{run}.db'}",
        }
        proc = run_cli(
            "interview",
            "--plan",
            "deep",
            "--level",
            "senior",
            "--seed",
            "42",
            "--answers",
            str(answers),
            "--json",
            env=env,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
        runs.append(normalise(json.loads(proc.stdout)))
    assert runs[0] == runs[1]
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps(runs[0], ensure_ascii=False, indent=1) + "\n")
    assert runs[0] == json.loads(GOLDEN.read_text(encoding="utf-8"))
    kinds = [i["kind"] for i in runs[0]["items"]]
    assert kinds.count("question") == 10 and kinds.count("exercise") == 1
    assert all(i["status"] in ("graded", "skipped", "dont_know") for i in runs[0]["items"])


def spawn(args: list[str], tmp_path: Path) -> pexpect.spawn:
    return spawn_cli(*args, env=_env(tmp_path))


ANSWERS = [
    "Goroutines are cheap: a few KB of stack that grows by copying, scheduled M:N on threads.",
    "Use a mutex for invariants across fields and atomics for a single counter.",
    "Close the channel from the sender side; receivers see the zero value and ok == false.",
]


def answer_questions(child: pexpect.spawn, count: int) -> None:
    answered = 0
    while answered < count:
        child.expect(r"(Question|Follow-up) \d+/\d+")
        kind = child.match.group(1)
        child.expect("> ")
        child.sendline(ANSWERS[answered % len(ANSWERS)] if kind == "Question" else ":idk")
        if kind == "Question":
            child.sendline("")
            child.expect(r"Verdict \d+/100")
            answered += 1


def test_terminal_session_pause_and_resume(tmp_path: Path) -> None:
    child = spawn(["interview", "--plan", "screen", "--level", "mid", "--seed", "5"], tmp_path)
    child.expect("basics screen")
    answer_questions(child, 3)
    child.expect("> ")
    child.sendintr()  # Ctrl-C
    child.expect("Paused")
    child.expect(r"--resume (\w+)")
    session_id = child.match.group(1)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    listed = json.loads(run_cli("sessions", "--json", env=_env(tmp_path)).stdout)
    assert listed[0]["id"] == session_id and listed[0]["state"] == "paused"
    assert listed[0]["answered"] == 3

    child = spawn(["interview", "--resume", session_id], tmp_path)
    child.expect("Resuming")
    child.expect(r"(Question|Follow-up) \d+/\d+")
    child.expect("> ")
    child.sendline(":pause")
    child.expect("Paused")
    child.expect(pexpect.EOF)

    # starting a new round while one is paused offers to continue it
    child = spawn(["interview", "--plan", "screen"], tmp_path)
    child.expect(rf"A paused round is waiting \({session_id}, .*3/6 answered\)")
    child.sendline("")
    child.expect("Resuming")
    child.expect("> ")
    child.sendline(":pause")
    child.expect(pexpect.EOF)


def test_sigkill_mid_session_loses_nothing(tmp_path: Path) -> None:
    child = spawn(["interview", "--plan", "screen", "--level", "mid", "--seed", "11"], tmp_path)
    answer_questions(child, 2)
    child.expect("> ")
    child.sendline("A third answer, typed but not finished")  # no blank line: still typing
    child.kill(signal.SIGKILL)
    child.close()

    [row] = json.loads(run_cli("sessions", "--json", env=_env(tmp_path)).stdout)
    assert row["answered"] == 2
    shown = json.loads(run_cli("sessions", "show", row["id"], "--json", env=_env(tmp_path)).stdout)
    main = [i for i in shown["items"] if i["kind"] == "question" and i["answer"]]
    assert [i["answer"] for i in main] == ANSWERS[:2]
    assert all(i["status"] == "graded" and i["score"] is not None for i in main)

    answers = tmp_path / "rest.yaml"
    answers.write_text("{}\n", encoding="utf-8")  # skip the rest
    proc = run_cli(
        "interview", "--resume", row["id"], "--answers", str(answers), "--json", env=_env(tmp_path)
    )
    assert proc.returncode == 0, proc.stderr
    done = json.loads(proc.stdout)
    assert done["state"] == "finished"
    again = [i for i in done["items"] if i["kind"] == "question" and i["answer"]]
    assert [(i["seq"], i["score"]) for i in again] == [(i["seq"], i["score"]) for i in main]


def test_plans_and_bad_options(tmp_path: Path) -> None:
    plans = json.loads(run_cli("plans", "--json").stdout)
    assert {p["id"] for p in plans} == {"screen", "deep", "design", "final"}
    proc = run_cli("interview", "--plan", "nope", "--answers", "x.yaml", env=_env(tmp_path))
    assert proc.returncode == 1 and "no plan 'nope'" in proc.stderr
    proc = run_cli("interview", "abc", env=_env(tmp_path))
    assert proc.returncode == 1 and "--resume" in proc.stderr


def test_ctrl_d_asks_before_submitting_half_an_answer_and_panels_fit_60_columns(
    tmp_path: Path,
) -> None:
    child = spawn_cli(
        "interview", "--plan", "screen", "--level", "mid", "--seed", "5",
        env={**_env(tmp_path), "TERM": "xterm"}, columns=60,
    )  # fmt: skip
    child.expect(r"Question 1/\d+")
    child.expect("> ")
    child.sendline("Goroutines are cheap: a few KB of stack,")
    child.sendeof()  # Ctrl-D after one line
    child.expect(r"Submit this answer\? \[y/N\]")
    child.sendline("")  # no: keep writing
    child.sendline("scheduled M:N on OS threads by the runtime.")
    child.sendline("")
    child.expect(r"Verdict \d+/100")
    child.expect(r"(Question|Follow-up) \d+/\d+")
    child.expect("> ")
    screen = child.before
    child.sendintr()
    child.expect(pexpect.EOF)
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen or "")  # styles, not colours
    wide = [line for line in plain.splitlines() if len(line.rstrip()) > 60]
    assert not wide, wide
    shown = json.loads(run_cli("sessions", "--json", env=_env(tmp_path)).stdout)
    detail = json.loads(
        run_cli("sessions", "show", shown[0]["id"], "--json", env=_env(tmp_path)).stdout
    )
    assert detail["items"][0]["answer"].endswith("by the runtime.")  # both parts, one answer
