"""Running a session: grading items, persisting every step, scripted answers."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gointerview.bank import Bank, Question
from gointerview.bank.schema import Level
from gointerview.exercises.catalog import Catalog
from gointerview.grading.text.grader import (
    TextGrade,
    grade_rubric,
    grade_text,
    related_questions,
    rubric_for,
)
from gointerview.grading.text.rubric import follow_up_rubric
from gointerview.interview.engine import (
    Answer,
    DontKnow,
    Event,
    Graded,
    Item,
    Pause,
    Resume,
    Session,
    Skip,
    Start,
    advance,
)
from gointerview.interview.plans import Plan
from gointerview.interview.select import Selector
from gointerview.levels import level_for

if TYPE_CHECKING:  # the database layer loads only when a session is stored
    from gointerview.store.db import Store

Clock = Callable[[], float]
CodeGrader = Callable[[str, Path], dict[str, Any]]  # (exercise id, dir) -> CodeResult JSON


def new_session(plan: Plan, *, level: Level, lang: str, seed: int | None, now: float) -> Session:
    return Session(
        id=uuid.uuid4().hex[:12],
        plan=plan,
        level=level.value,
        lang=lang,
        seed=seed if seed is not None else random.SystemRandom().randrange(1, 10**9),
        seeded=seed is not None,
        created_at=now,
    )


def follow_up_for(question: Question, grade: TextGrade) -> dict[str, Any] | None:
    """The follow-up for the heaviest missed (then partial) point, else an 'always' one."""
    open_points = sorted(
        (p for p in grade.points if p.status != "hit"),
        key=lambda p: (p.status != "missed", -p.weight),
    )
    for point in open_points:
        for index, f in enumerate(question.follow_ups):
            if f.when_missed == point.id:
                return {"point": point.id, "zh": f.zh, "en": f.en, "index": index}
    for index, f in enumerate(question.follow_ups):
        if f.when_missed is None and open_points:
            return {"point": "", "zh": f.zh, "en": f.en, "index": index}
    return None


def follow_up_index(question: Question, item: Item) -> int | None:
    """Which follow-up of `question` an item asked: by index, or by its wording for sessions
    stored before follow-ups had their own rubrics."""
    if item.follow_up_index is not None and item.follow_up_index < len(question.follow_ups):
        return item.follow_up_index
    for index, f in enumerate(question.follow_ups):
        if item.prompt.get("en") == f.en or item.prompt.get("zh") == f.zh:
            return index
    return None


def grade_item(
    bank: Bank,
    item: Item,
    answer: str,
    options: Mapping[str, Any] | None = None,
    *,
    lang: str | None = None,
) -> TextGrade:
    """A question's answer on its rubric; a follow-up's on the follow-up's own rubric. Either
    is also checked against the misconceptions of related questions. The 点评 is in `lang`
    (the session's language) when given."""
    question = bank.get(item.ref)
    related = related_questions(question, bank.questions)
    index = follow_up_index(question, item) if item.kind == "follow_up" else None
    if index is None:
        return grade_text(question, answer, related=related, reply_lang=lang, **(options or {}))
    return grade_rubric(
        follow_up_rubric(question, index),
        answer,
        related=tuple(m for q in related for m in rubric_for(q).misconceptions),
        reply_lang=lang,
        **(options or {}),
    )


class Runner:
    """Applies events and commits after each one; grades pending answers."""

    def __init__(
        self,
        *,
        bank: Bank,
        catalog: Catalog | None,
        store: Store,
        clock: Clock = time.time,
        code_grader: CodeGrader | None = None,
        grade_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.bank = bank
        self.catalog = catalog
        self.store = store
        self.clock = clock
        self.code_grader = code_grader
        self.grade_options = dict(grade_options or {})
        self._pickers: dict[bool, Selector] = {}

    def picker(self, session: Session) -> Selector:
        """Questions rarely repeat across the user's recent sessions, unless the user chose
        the seed: then the same seed asks the same questions, history or not."""
        if session.seeded not in self._pickers:
            recent = set() if session.seeded else self.store.recently_seen()
            self._pickers[session.seeded] = Selector(self.bank, self.catalog, recently_seen=recent)
        return self._pickers[session.seeded]

    def apply(self, session: Session, event: Event) -> Session:
        now = self.clock()
        answered = session.current.seq if session.current is not None else 0
        session = advance(session, event, now=now, pick=self.picker(session))
        self.store.save(session)
        if isinstance(event, Graded | DontKnow):  # review cards for what was missed
            from gointerview.progress.cards import record_session_item

            record_session_item(self.store, self.bank, session, answered, now=_utc(now))
        return session

    def start(self, session: Session) -> Session:
        self.store.save(session)
        return self.apply(session, Start())

    def reopen(self, session: Session) -> Session:
        """A session loaded after a crash (not paused) restarts its clock now: the time it
        spent dead is not charged to the candidate."""
        if session.state in ("awaiting_answer", "awaiting_grade"):
            session = session.model_copy(update={"clock_started_at": self.clock()})
        return session

    def grade_pending(self, session: Session) -> Session:
        """Grade the answer waiting for a grade (already committed), exactly once."""
        if session.state != "awaiting_grade" or session.current is None:
            return session
        lang = None if session.feedback_in_answer_lang else session.lang
        return self.apply(session, self._grade(session.current, lang))

    def _grade(self, item: Item, lang: str | None = None) -> Graded:
        answer = item.answer or ""
        if item.kind == "exercise":
            return self._grade_code(item, answer)
        grade = grade_item(self.bank, item, answer, self.grade_options, lang=lang)
        data = grade.model_dump(mode="json")
        data.pop("features", None)
        if item.kind == "follow_up":
            data["follow_up"] = None  # a follow-up is not followed up again
            return Graded(score=grade.score, level=grade.level, grade=data)
        follow = follow_up_for(self.bank.get(item.ref), grade)
        return Graded(score=grade.score, level=grade.level, grade=data, follow_up=follow)

    def _grade_code(self, item: Item, answer: str) -> Graded:
        directory = Path(answer.strip()).expanduser()
        if self.code_grader is None or not answer.strip() or not directory.exists():
            result: dict[str, Any] = {"status": "error", "message": f"no code at {answer!r}"}
        else:
            result = self.code_grader(item.ref, directory)
        tests = result.get("tests") or []
        passed = sum(1 for t in tests if t.get("status") == "pass")
        score = (
            100.0
            if result.get("status") == "pass"
            else (60.0 * passed / len(tests) if tests else 0.0)
        )
        return Graded(score=round(score, 1), level=level_for(score), grade={"code": result})


def _utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


# ---------------------------------------------------------------- scripted sessions

SKIP, IDK = ":skip", ":idk"


def scripted_answer(answers: Mapping[str, Any], item: Item) -> str:
    """An answer for `item` from a scripted answers map: by position (1-based over every item
    asked), by question id, or `<id>/follow-up` for its follow-up; missing → :skip."""
    for key in (str(item.seq), f"{item.ref}/follow-up" if item.kind == "follow_up" else item.ref):
        if key in answers:
            value = answers[key]
            if isinstance(value, dict):
                value = value.get("code") or value.get("answer") or ""
            return str(value)
    return IDK if item.kind == "follow_up" else SKIP


def event_for(text: str) -> Event:
    stripped = text.strip()
    if stripped == SKIP:
        return Skip()
    if stripped == IDK:
        return DontKnow()
    return Answer(text=text)


def run_scripted(runner: Runner, session: Session, answers: Mapping[str, Any]) -> Session:
    session = runner.reopen(session)
    if session.state == "ready":
        session = runner.start(session)
    if session.state == "paused":
        session = runner.apply(session, Resume())
    while session.state != "finished":
        if session.state == "awaiting_grade":
            session = runner.grade_pending(session)
            continue
        assert session.current is not None
        session = runner.apply(session, event_for(scripted_answer(answers, session.current)))
    return session


def pause(runner: Runner, session: Session) -> Session:
    return runner.apply(session, Pause())
