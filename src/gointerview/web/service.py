"""The web's use of the services: who may see which session, and every action on one.

A viewer is the local user (127.0.0.1 with no accounts: sees everything) or a signed-in
account: an account sees its own sessions; an admin also sees the sessions started in the
terminal, which belong to no account. Another account's session answers "not found", the
same as a session that does not exist, so ids cannot be probed.

Actions on one session run under a per-session lock (a double click, two tabs), and each
names the item it acts on: an answer typed for question 3 is never recorded as the answer to
question 4 because the first click already moved the session on.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from gointerview.bank import Bank, Question
from gointerview.bank.schema import Level, QuestionType
from gointerview.errors import GointerviewError, NotFoundError
from gointerview.exercises.catalog import Catalog
from gointerview.grading.text.grader import grade_text
from gointerview.interview.engine import (
    Answer,
    DontKnow,
    EngineError,
    Event,
    Item,
    Pause,
    Resume,
    Session,
    Skip,
)
from gointerview.interview.plans import Plan, load_plans
from gointerview.interview.service import Runner, new_session
from gointerview.report.evaluate import Report, evaluate
from gointerview.store.accounts import Drafts, User
from gointerview.store.db import Store
from gointerview.store.models import SessionRow

Action = Literal["answer", "skip", "dont_know", "pause", "resume"]
LOCK_STRIPES = 64
MAX_ITEMS = 1000  # a session asks at most 30 questions with 3 follow-ups each: far below


class InputError(GointerviewError):
    """Something the browser sent that we will not take; `status` is the HTTP status."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class ConflictError(GointerviewError):
    """The session has moved on (or is paused, or finished): the action no longer applies."""


@dataclass(frozen=True)
class Viewer:
    user: User | None  # None: the local user (loopback, no accounts)

    @property
    def owner_id(self) -> int | None:
        return self.user.id if self.user is not None else None

    @property
    def owners(self) -> list[int | None] | None:
        """Whose sessions this viewer sees (None: everyone's)."""
        if self.user is None:
            return None
        return [self.user.id, None] if self.user.is_admin else [self.user.id]

    def may_see(self, owner: int | None) -> bool:
        owners = self.owners
        return owners is None or owner in owners


@dataclass(frozen=True)
class SessionSummary:
    id: str
    plan: str
    level: str
    lang: str
    state: str
    created_at: float
    asked: int
    total: int
    answered: int
    mean_score: float | None
    from_terminal: bool


def clean_text(text: str, *, limit: int, what: str = "answer") -> str:
    """Text a person typed, made safe to store: no NUL or other control characters than tab
    and newlines, no lone surrogates, at most `limit` characters."""
    if len(text) > limit:
        raise InputError(
            f"the {what} is too long: {len(text):,} characters, at most {limit:,} are taken. "
            "Nothing was saved; shorten it and send it again.",
            status=413,
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"the {what} is not valid Unicode text (a lone surrogate)") from None
    return "".join(c for c in text if c >= " " or c in "\t\n\r").replace("\r\n", "\n")


class Interviews:
    def __init__(
        self,
        *,
        store: Store,
        bank: Bank,
        catalog: Catalog | None,
        grade_options: Mapping[str, Any] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.bank = bank
        self.catalog = catalog
        self.grade_options = dict(grade_options or {})
        self.clock = clock
        self.drafts = Drafts(store.engine)
        self.plans: dict[str, Plan] = load_plans()
        self._locks = [threading.Lock() for _ in range(LOCK_STRIPES)]

    # ------------------------------------------------------------ plumbing

    def runner(self, viewer: Viewer) -> Runner:
        return Runner(
            bank=self.bank,
            catalog=self.catalog,
            store=self.store.owned_by(viewer.owner_id),
            clock=self.clock,
            grade_options=self.grade_options,
        )

    @contextmanager
    def _locked(self, session_id: str) -> Iterator[None]:
        with self._locks[zlib.crc32(session_id.encode("utf-8")) % LOCK_STRIPES]:
            yield

    def _check_access(self, viewer: Viewer, session_id: str) -> None:
        if not viewer.may_see(self.store.owner_of(session_id)):
            raise NotFoundError(f"no session {session_id!r}")

    # ------------------------------------------------------------ sessions

    def start(
        self,
        viewer: Viewer,
        *,
        plan_id: str,
        level: str,
        lang: str,
        tags: Collection[str] = (),
        coding: bool = False,
        seed: int | None = None,
    ) -> Session:
        plan = self.plans.get(plan_id)
        if plan is None:
            raise InputError(f"no plan {plan_id!r}: one of {', '.join(self.plans)}")
        try:
            chosen_level = Level(level)
        except ValueError:
            raise InputError(f"no level {level!r}: one of {', '.join(Level)}") from None
        if lang not in ("zh", "en"):
            raise InputError("the language must be zh or en")
        tags = [t.strip() for t in tags if t.strip()]
        if tags:
            if not self.bank.filter(tags=tags):
                raise InputError(f"no question has the tag {', '.join(tags)}")
            plan = plan.model_copy(
                update={"tags": tags, "types": list(QuestionType), "areas": [], "coding": 0}
            )
        if not coding:  # code is written and graded in the terminal for now
            plan = plan.model_copy(update={"coding": 0})
        session = new_session(plan, level=chosen_level, lang=lang, seed=seed, now=self.clock())
        return self.runner(viewer).start(session)

    def get(self, viewer: Viewer, session_id: str) -> Session:
        """The session as it stands; an answer committed but not graded (a crash between the
        two) is graded now, exactly once."""
        self._check_access(viewer, session_id)
        session = self.store.load(session_id)
        if session.state == "awaiting_grade":
            with self._locked(session_id):
                session = self.store.load(session_id)
                session = self.runner(viewer).grade_pending(session)
        return session

    def page(self, viewer: Viewer, session_id: str) -> tuple[Session, str]:
        """The session and the draft of the item waiting for an answer (one access check)."""
        session = self.get(viewer, session_id)
        current = session.current
        draft = ""
        if session.state == "awaiting_answer" and current is not None:
            draft = self.drafts.get(session_id, current.seq) or ""
        return session, draft

    def act(
        self,
        viewer: Viewer,
        session_id: str,
        action: Action,
        *,
        seq: int | None = None,
        text: str = "",
    ) -> tuple[Session, int | None]:
        """Apply one action; returns the session and, after an answer, the seq of the item
        just graded (its 点评 is shown next)."""
        self._check_access(viewer, session_id)
        events: dict[str, Event] = {
            "answer": Answer(text=text),
            "skip": Skip(),
            "dont_know": DontKnow(),
            "pause": Pause(),
            "resume": Resume(),
        }
        event = events[action]
        with self._locked(session_id):
            runner = self.runner(viewer)
            session = runner.store.load(session_id)
            current = session.current
            if action in ("answer", "skip", "dont_know"):
                if session.state == "paused":
                    raise ConflictError("the session is paused: resume it first")
                if session.state != "awaiting_answer" or current is None:
                    raise ConflictError(f"the session is {session.state}: nothing to answer")
                if seq is not None and seq != current.seq:
                    raise ConflictError(
                        "that question was already answered (in another tab, or a second "
                        "click); the session has moved on"
                    )
                if current.kind == "exercise" and action == "answer":
                    raise ConflictError(
                        "coding exercises are written and submitted in the terminal for now: "
                        f"`gointerview interview --resume {session.id}`"
                    )
            if action == "answer" and not text.strip():
                raise InputError("the answer is empty: write something, or use skip / don't know")
            if action == "pause" and current is not None and seq == current.seq and text.strip():
                self.drafts.save(session_id, current.seq, text)  # what was typed is kept
            try:
                session = runner.apply(session, event)
            except EngineError as exc:
                raise ConflictError(str(exc)) from exc
            graded = None
            if action == "answer" and current is not None:
                session = runner.grade_pending(session)
                graded = current.seq
            if action in ("answer", "skip", "dont_know") and current is not None:
                self.drafts.discard(session_id, current.seq)
        return session, graded

    def summaries(self, viewer: Viewer, *, limit: int = 200) -> list[SessionSummary]:
        return [_summary(row) for row in self.store.sessions(owners=viewer.owners, limit=limit)]

    def in_progress(self, viewer: Viewer) -> set[str]:
        """Questions waiting for this viewer's answer in an unfinished session: their rubric
        and reference answer stay hidden until the answer is graded."""
        refs = set()
        for row in self.store.sessions(owners=viewer.owners):
            if row.state in ("finished", "ready"):
                continue
            items = row.snapshot.get("items") or []
            if isinstance(items, list) and items:
                last = items[-1]
                if isinstance(last, dict) and last.get("status") in ("asked", "answered"):
                    refs.add(str(last.get("ref")))
        return refs

    def blocking_session(self, viewer: Viewer, question_id: str) -> str | None:
        """The id of the viewer's session in which `question_id` waits for an answer."""
        if question_id not in self.in_progress(viewer):
            return None
        for row in self.store.sessions(owners=viewer.owners):
            items = row.snapshot.get("items") or []
            if row.state not in ("finished", "ready") and isinstance(items, list) and items:
                last = items[-1]
                if isinstance(last, dict) and last.get("ref") == question_id:
                    return row.id
        return None

    def grade_one(self, viewer: Viewer, question_id: str, text: str) -> Item:
        """One answer to a bank question graded, not stored, as a graded item (what the
        点评 shows). Refused for a question waiting for the viewer's answer in a session:
        its rubric is still secret there."""
        question = self.bank.get(question_id.strip())
        blocking = self.blocking_session(viewer, question.id)
        if blocking is not None:
            raise ConflictError(
                f"this question waits for your answer in session {blocking}: answer it there first"
            )
        if not text.strip():
            raise InputError("the answer is empty")
        result = grade_text(question, text, **self.grade_options)
        data = result.model_dump(mode="json")
        data.pop("features", None)  # the model's inputs: no use to a reader
        return Item(
            seq=0,
            kind="question",
            ref=question.id,
            prompt={"zh": question.prompt.zh, "en": question.prompt.en},
            asked_at=0.0,
            status="graded",
            answer=text,
            score=result.score,
            level=result.level,
            grade=data,
        )

    # ------------------------------------------------------------ drafts

    def draft(self, viewer: Viewer, session_id: str, seq: int) -> str:
        self._check_access(viewer, session_id)
        return self.drafts.get(session_id, seq) or ""

    def save_draft(self, viewer: Viewer, session_id: str, seq: int, text: str) -> float:
        self._check_access(viewer, session_id)
        session = self.store.load(session_id)
        current = session.current
        if current is None or current.seq != seq or current.status != "asked":
            raise ConflictError("that question is no longer waiting for an answer")
        return self.drafts.save(session_id, seq, text).timestamp()

    # ------------------------------------------------------------ reports

    def report(self, viewer: Viewer, session_id: str, lang: str | None = None) -> Report:
        session = self.get(viewer, session_id)
        if lang in ("zh", "en") and lang != session.lang:
            session = session.model_copy(update={"lang": lang})
        report = evaluate(session, self.bank, self.catalog)
        current = session.current
        if session.state != "finished" and current is not None and current.status == "asked":
            # a weak answer's reference answers its follow-up: not while that is in progress
            report.references = [n for n in report.references if n.question != current.ref]
        return report


def _summary(row: SessionRow) -> SessionSummary:
    snapshot: dict[str, Any] = dict(row.snapshot)
    items = [i for i in snapshot.get("items") or [] if isinstance(i, dict)]
    plan = snapshot.get("plan") or {}
    main = [i for i in items if i.get("kind") != "follow_up"]
    scores = [float(i["score"]) for i in main if isinstance(i.get("score"), int | float)]
    return SessionSummary(
        id=row.id,
        plan=row.plan_id,
        level=row.level,
        lang=row.lang,
        state=row.state,
        created_at=float(snapshot.get("created_at") or 0.0),  # the row's may be naive
        asked=len(main),
        total=int(plan.get("questions", 0)) + int(plan.get("coding", 0)),
        answered=sum(1 for i in items if i.get("answer")),
        mean_score=round(sum(scores) / len(scores), 1) if scores else None,
        from_terminal=row.owner_id is None,
    )


def search_bank(questions: list[Question], *, q: str) -> list[Question]:
    """Questions whose id, prompt (either language) or a tag contains `q`, any case."""
    needle = q.strip().lower()
    if not needle:
        return questions
    return [
        question
        for question in questions
        if needle in question.id.lower()
        or needle in question.prompt.zh.lower()
        or needle in question.prompt.en.lower()
        or any(needle in tag.lower() for tag in question.tags)
    ]
