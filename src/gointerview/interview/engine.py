"""The interview session as a pure step function: `advance(session, event, *, now, pick)`.

States:  ready ─Start→ awaiting_answer ─Answer→ awaiting_grade ─Graded→ awaiting_answer | finished
                         │  Skip / DontKnow → next item (or finished)
                 any ─Pause→ paused ─Resume→ the state it left
Time and randomness come in as arguments (`now`, and `pick`, the selection function with its
seeded RNG), so a run can be replayed exactly. Grading happens outside: the caller commits the
answer, grades it, and feeds the result back as `Graded` — an answer is never lost to a crash
between the two, and never graded twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, Field

from gointerview.interview.plans import Plan

STRONG = 75.0  # a score at or above this moves on (deeper); below it, a follow-up if one fits

State = Literal["ready", "awaiting_answer", "awaiting_grade", "paused", "finished"]
Kind = Literal["question", "follow_up", "exercise"]


class Item(BaseModel):
    seq: int
    kind: Kind
    ref: str  # question or exercise id
    prompt: dict[str, str]
    target_point: str | None = None  # the key point a follow-up probes
    follow_up_index: int | None = None  # which of the question's follow-ups (its rubric)
    asked_at: float
    status: Literal["asked", "answered", "graded", "skipped", "dont_know"] = "asked"
    answer: str | None = None
    answered_at: float | None = None
    score: float | None = None
    level: str | None = None
    grade: dict[str, Any] | None = None


class Session(BaseModel):
    id: str
    plan: Plan
    level: str
    lang: str
    seed: int
    created_at: float
    state: State = "ready"
    paused_from: State | None = None
    items: list[Item] = Field(default_factory=list)
    active_seconds: float = 0.0
    clock_started_at: float | None = None  # when the clock last started running
    finished_reason: str | None = None
    # the 点评 in the answer's language rather than the session's (only when asked for)
    feedback_in_answer_lang: bool = False
    # the seed was chosen by the user: selection ignores history so that the same seed asks
    # the same questions whatever was practised before (as `kit --seed` does)
    seeded: bool = False

    @property
    def current(self) -> Item | None:
        return self.items[-1] if self.items else None

    def main_items(self) -> list[Item]:
        return [i for i in self.items if i.kind != "follow_up"]

    def used_seconds(self, now: float) -> float:
        running = now - self.clock_started_at if self.clock_started_at is not None else 0.0
        return self.active_seconds + max(0.0, running)

    def time_left(self, now: float) -> float:
        return self.plan.minutes * 60 - self.used_seconds(now)


# ---------------------------------------------------------------- events


class Start(BaseModel):
    kind: Literal["start"] = "start"


class Answer(BaseModel):
    kind: Literal["answer"] = "answer"
    text: str


class Graded(BaseModel):
    kind: Literal["graded"] = "graded"
    score: float
    level: str
    grade: dict[str, Any]
    follow_up: dict[str, Any] | None = None  # {"point", "zh", "en", "index"} proposed next


class Skip(BaseModel):
    kind: Literal["skip"] = "skip"


class DontKnow(BaseModel):
    kind: Literal["dont_know"] = "dont_know"


class Pause(BaseModel):
    kind: Literal["pause"] = "pause"


class Resume(BaseModel):
    kind: Literal["resume"] = "resume"


Event = Start | Answer | Graded | Skip | DontKnow | Pause | Resume


class Pick(BaseModel):
    """What the selection function proposes next."""

    kind: Kind
    ref: str
    prompt: dict[str, str]


Picker = Callable[[Session], Pick | None]


class EngineError(Exception):
    pass


def advance(session: Session, event: Event, *, now: float, pick: Picker) -> Session:
    """The next session; the argument is not modified."""
    s = session.model_copy(deep=True)
    if isinstance(event, Pause):
        if s.state in ("paused", "finished"):
            return s
        _stop_clock(s, now)
        s.paused_from, s.state = s.state, "paused"
        return s
    if isinstance(event, Resume):
        if s.state != "paused":
            return s
        s.state, s.paused_from = s.paused_from or "awaiting_answer", None
        s.clock_started_at = now
        return s
    if s.state == "paused":
        raise EngineError("the session is paused: resume it first")
    if s.state == "finished":
        raise EngineError("the session is finished")

    if isinstance(event, Start):
        _expect(s, "ready")
        s.clock_started_at = now
        return _ask_next(s, now, pick)
    if isinstance(event, Answer):
        _expect(s, "awaiting_answer")
        item = _current(s)
        item.answer, item.answered_at, item.status = event.text, now, "answered"
        s.state = "awaiting_grade"
        return s
    if isinstance(event, Skip | DontKnow):
        _expect(s, "awaiting_answer")
        item = _current(s)
        item.status = "skipped" if isinstance(event, Skip) else "dont_know"
        item.answered_at = now
        if isinstance(event, DontKnow):
            item.score, item.level = 0.0, "欠缺"
        return _ask_next(s, now, pick)
    if isinstance(event, Graded):
        _expect(s, "awaiting_grade")
        item = _current(s)
        item.status, item.score, item.level, item.grade = (
            "graded",
            event.score,
            event.level,
            event.grade,
        )
        follow = _follow_up(s, item, event)
        if follow is not None and s.time_left(now) > 0:
            s.items.append(follow.model_copy(update={"asked_at": now}))
            s.state = "awaiting_answer"
            return s
        return _ask_next(s, now, pick)
    raise EngineError(f"unknown event {event!r}")


def _expect(s: Session, state: State) -> None:
    if s.state != state:
        raise EngineError(f"cannot do that while {s.state}")


def _current(s: Session) -> Item:
    if s.current is None:
        raise EngineError("no question has been asked")
    return s.current


def _stop_clock(s: Session, now: float) -> None:
    if s.clock_started_at is not None:
        s.active_seconds += max(0.0, now - s.clock_started_at)
        s.clock_started_at = None


def _follow_up(s: Session, item: Item, event: Graded) -> Item | None:
    """A weak answer gets the follow-up on its missed key point, once per point, within the
    plan's limit per question; a strong one moves on."""
    if item.kind == "exercise" or event.follow_up is None or event.score >= STRONG:
        return None
    root = item.ref
    asked = [i for i in s.items if i.kind == "follow_up" and i.ref == root]
    if len(asked) >= s.plan.follow_ups:
        return None
    point = event.follow_up.get("point")
    if point and any(i.target_point == point for i in asked):
        return None
    index = event.follow_up.get("index")
    return Item(
        seq=len(s.items) + 1,
        kind="follow_up",
        ref=root,
        prompt={k: v for k, v in event.follow_up.items() if k in ("zh", "en")},
        target_point=point,
        follow_up_index=index if isinstance(index, int) else None,
        asked_at=0.0,
    )


def _ask_next(s: Session, now: float, pick: Picker) -> Session:
    if s.time_left(now) <= 0:
        return _finish(s, now, "time")
    proposal = pick(s)
    if proposal is None:
        return _finish(s, now, "complete")
    s.items.append(
        Item(
            seq=len(s.items) + 1,
            kind=proposal.kind,
            ref=proposal.ref,
            prompt=proposal.prompt,
            asked_at=now,
        )
    )
    s.state = "awaiting_answer"
    return s


def _finish(s: Session, now: float, reason: str) -> Session:
    _stop_clock(s, now)
    s.state, s.finished_reason = "finished", reason
    return s
