"""The JSON API under /api (schema at /api/openapi.json). The same services as the pages;
sessions leave through present.public_session, so the rubric of a question in progress never
does."""

from __future__ import annotations

import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from gointerview.bank.schema import Area, Level
from gointerview.web import deps
from gointerview.web.present import public_session
from gointerview.web.security import LOGIN_COOKIE
from gointerview.web.service import (
    MAX_ITEMS,
    Action,
    ConflictError,
    SessionSummary,
    Viewer,
    clean_text,
    search_bank,
)

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"description": text, "model": None}
    for code, text in (
        (400, "bad input"),
        (401, "sign in first"),
        (403, "CSRF token missing or wrong"),
        (404, "no such session or question (or not yours)"),
        (409, "the session has moved on, is paused or finished"),
        (413, "too large"),
        (422, "malformed request"),
    )
}

router = APIRouter(prefix="/api", dependencies=[Depends(deps.check_csrf)], responses=ERRORS)
ViewerDep = Annotated[Viewer, Depends(deps.viewer)]
Seq = Annotated[int, Field(ge=1, le=MAX_ITEMS)]


class Me(BaseModel):
    signed_in: bool
    local: bool
    name: str | None
    role: str | None
    lang: str
    csrf_token: str


class Credentials(BaseModel):
    name: str = Field(max_length=64)
    password: str = Field(max_length=1024)


class StartRound(BaseModel):
    plan: str = Field("screen", max_length=64, description="screen, deep, design or final")
    level: Level = Level.MID
    lang: Literal["zh", "en"] = "en"
    tags: list[Annotated[str, Field(max_length=64)]] = Field(default_factory=list, max_length=20)
    coding: bool = False
    seed: int | None = Field(None, ge=1, le=10**9)


class AnswerIn(BaseModel):
    text: str = Field(max_length=200_000, description="checked against the answer limit")
    seq: Seq | None = Field(None, description="the item answered; a mismatch is a 409")


class ActionIn(BaseModel):
    seq: Seq | None = None


class DraftIn(BaseModel):
    seq: Seq
    text: str = Field(max_length=200_000)


class Draft(BaseModel):
    seq: int
    text: str
    saved_at: float | None = None


class ItemOut(BaseModel):
    seq: int
    kind: str
    ref: str
    prompt: str
    status: str
    answer: str | None
    score: float | None
    level: str | None
    grade: dict[str, Any] | None = Field(description="only once the item is graded")


class SessionOut(BaseModel):
    id: str
    plan: str
    plan_name: str
    level: str
    lang: str
    state: str
    finished_reason: str | None
    question: int
    questions: int
    time_left_seconds: int
    clock_running: bool
    current: ItemOut | None
    items: list[ItemOut]


class ActionResult(BaseModel):
    session: SessionOut
    graded: ItemOut | None = None


class QuestionSummary(BaseModel):
    id: str
    area: str
    level: str
    type: str
    tags: list[str]
    prompt: str


class QuestionDetail(QuestionSummary):
    reference_answer: str | None = None
    key_points: list[dict[str, Any]] | None = None
    misconceptions: list[dict[str, Any]] | None = None
    follow_ups: list[str] | None = None


class GradeIn(BaseModel):
    question: str = Field(max_length=120)
    answer: str = Field(max_length=200_000)


class ExerciseOut(BaseModel):
    id: str
    title: str
    level: str
    minutes: int
    topics: list[str]
    prompt: str


class PlanOut(BaseModel):
    id: str
    name: str
    minutes: int
    questions: int
    coding: int


def _session_out(request: Request, viewer_lang: str, session: Any) -> SessionOut:
    return SessionOut.model_validate(public_session(session, now=time.time(), lang=viewer_lang))


# ---------------------------------------------------------------- who am I


@router.get("/me")
def me(request: Request) -> Me:
    """Who is signed in, and the CSRF token every POST/PUT needs (header X-CSRF-Token)."""
    context = deps.ctx(request)
    user = None if context.local else deps.current_user(request)
    return Me(
        signed_in=context.local or user is not None,
        local=context.local,
        name=user.name if user else None,
        role=user.role if user else None,
        lang=deps.lang(request),
        csrf_token=deps.csrf_token(request),
    )


@router.post("/login")
def api_login(request: Request, body: Credentials) -> Response:
    context = deps.ctx(request)
    if context.local:
        return JSONResponse({"detail": "local mode: no sign-in needed"})
    result = deps.try_sign_in(request, body.name, body.password)
    if result.status != 303:
        headers = {"Retry-After": str(result.retry_after)} if result.retry_after else {}
        return JSONResponse({"detail": result.message}, status_code=result.status, headers=headers)
    response = JSONResponse({"detail": "signed in", "name": body.name})
    response.set_cookie(
        LOGIN_COOKIE,
        result.cookie,
        max_age=context.settings.login_days * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=context.settings.secure_cookies,
    )
    return response


# ---------------------------------------------------------------- sessions


@router.get("/plans")
def plans(request: Request, viewer: ViewerDep) -> list[PlanOut]:
    lang = deps.lang(request)
    return [
        PlanOut(
            id=p.id,
            name=p.name.get(lang),
            minutes=p.minutes,
            questions=p.questions,
            coding=p.coding,
        )
        for p in deps.ctx(request).interviews.plans.values()
    ]


@router.get("/sessions")
def sessions(request: Request, viewer: ViewerDep) -> list[SessionSummary]:
    # the service's own dataclass is the response model: one list of fields, not two
    return deps.ctx(request).interviews.summaries(viewer)


@router.post("/sessions", status_code=201)
def start_session(request: Request, viewer: ViewerDep, body: StartRound) -> SessionOut:
    session = deps.ctx(request).interviews.start(
        viewer,
        plan_id=body.plan,
        level=body.level.value,
        lang=body.lang,
        tags=body.tags,
        coding=body.coding,
        seed=body.seed,
    )
    return _session_out(request, deps.lang(request), session)


@router.get("/sessions/{session_id}")
def get_session(request: Request, viewer: ViewerDep, session_id: str) -> SessionOut:
    session = deps.ctx(request).interviews.get(viewer, session_id)
    return _session_out(request, deps.lang(request), session)


def _act(
    request: Request, viewer: Viewer, session_id: str, action: Action, seq: int | None, text: str
) -> ActionResult:
    context = deps.ctx(request)
    cleaned = clean_text(text, limit=context.settings.max_answer_chars)
    session, graded = context.interviews.act(viewer, session_id, action, seq=seq, text=cleaned)
    out = _session_out(request, deps.lang(request), session)
    graded_out = next((i for i in out.items if i.seq == graded), None)
    return ActionResult(session=out, graded=graded_out)


@router.post("/sessions/{session_id}/answer")
def answer(request: Request, viewer: ViewerDep, session_id: str, body: AnswerIn) -> ActionResult:
    """Record the answer, grade it, and return the 点评 (`graded`) with the next item."""
    return _act(request, viewer, session_id, "answer", body.seq, body.text)


@router.post("/sessions/{session_id}/skip")
def skip(request: Request, viewer: ViewerDep, session_id: str, body: ActionIn) -> ActionResult:
    return _act(request, viewer, session_id, "skip", body.seq, "")


@router.post("/sessions/{session_id}/dont-know")
def dont_know(request: Request, viewer: ViewerDep, session_id: str, body: ActionIn) -> ActionResult:
    return _act(request, viewer, session_id, "dont_know", body.seq, "")


@router.post("/sessions/{session_id}/pause")
def pause(request: Request, viewer: ViewerDep, session_id: str) -> ActionResult:
    return _act(request, viewer, session_id, "pause", None, "")


@router.post("/sessions/{session_id}/resume")
def resume(request: Request, viewer: ViewerDep, session_id: str) -> ActionResult:
    return _act(request, viewer, session_id, "resume", None, "")


@router.get("/sessions/{session_id}/draft")
def get_draft(
    request: Request,
    viewer: ViewerDep,
    session_id: str,
    seq: Annotated[int, Query(ge=1, le=MAX_ITEMS)],
) -> Draft:
    text = deps.ctx(request).interviews.draft(viewer, session_id, seq)
    return Draft(seq=seq, text=text)


@router.put("/sessions/{session_id}/draft")
def put_draft(request: Request, viewer: ViewerDep, session_id: str, body: DraftIn) -> Draft:
    context = deps.ctx(request)
    text = clean_text(body.text, limit=context.settings.max_answer_chars)
    saved = context.interviews.save_draft(viewer, session_id, body.seq, text)
    return Draft(seq=body.seq, text=text, saved_at=saved)


@router.get("/sessions/{session_id}/report")
def report(
    request: Request,
    viewer: ViewerDep,
    session_id: str,
    lang: Annotated[Literal["zh", "en"] | None, Query()] = None,
) -> dict[str, Any]:
    """The evaluation report (the same JSON as `gointerview report ID --format json`)."""
    chosen = lang or deps.lang(request)
    return deps.ctx(request).interviews.report(viewer, session_id, chosen).model_dump(mode="json")


# ---------------------------------------------------------------- bank, grading, exercises


@router.get("/bank")
def bank(
    request: Request,
    viewer: ViewerDep,
    area: Area | None = None,
    level: Level | None = None,
    tag: Annotated[str | None, Query(max_length=64)] = None,
    q: Annotated[str, Query(max_length=200)] = "",
) -> list[QuestionSummary]:
    lang = deps.lang(request)
    questions = deps.ctx(request).interviews.bank.filter(
        areas=[area] if area else [], levels=[level] if level else [], tags=[tag] if tag else []
    )
    return [
        QuestionSummary(
            id=question.id,
            area=question.area.value,
            level=question.level.value,
            type=question.type.value,
            tags=list(question.tags),
            prompt=question.prompt.get(lang),
        )
        for question in search_bank(questions, q=q)
    ]


@router.get("/bank/{question_id}")
def question(
    request: Request, viewer: ViewerDep, question_id: str, answer: bool = False
) -> QuestionDetail:
    """A question; with `answer=true` also its reference answer, key points, misconceptions
    and follow-ups — refused (409) while the question waits for your answer in a session."""
    context = deps.ctx(request)
    lang = deps.lang(request)
    found = context.interviews.bank.get(question_id)
    out = QuestionDetail(
        id=found.id,
        area=found.area.value,
        level=found.level.value,
        type=found.type.value,
        tags=list(found.tags),
        prompt=found.prompt.get(lang),
    )
    if not answer:
        return out
    if found.id in context.interviews.in_progress(viewer):
        raise ConflictError(
            "this question waits for your answer in a session: its reference answer is shown "
            "once that answer is graded"
        )
    out.reference_answer = found.reference_answer.get(lang)
    out.key_points = [
        {"id": k.id, "text": k.text(lang), "weight": k.weight, "required": k.required}
        for k in found.key_points
    ]
    out.misconceptions = [
        {"id": m.id, "claim": m.claim.get(lang), "why": m.why.get(lang)}
        for m in found.misconceptions
    ]
    out.follow_ups = [f.text(lang) for f in found.follow_ups]
    return out


@router.post("/grade")
def grade(request: Request, viewer: ViewerDep, body: GradeIn) -> dict[str, Any]:
    """Grade one answer to a bank question (not stored). Refused (409) for a question that
    waits for your answer in a session."""
    context = deps.ctx(request)
    text = clean_text(body.answer, limit=context.settings.max_answer_chars)
    graded = context.interviews.grade_one(viewer, body.question, text)
    return graded.grade or {}


@router.get("/exercises")
def exercises(request: Request, viewer: ViewerDep) -> list[ExerciseOut]:
    lang = deps.lang(request)
    catalog = deps.ctx(request).interviews.catalog
    return [
        ExerciseOut(
            id=e.id,
            title=e.meta.title.get(lang),
            level=e.meta.level.value,
            minutes=e.meta.time_limit_minutes,
            topics=list(e.meta.topics),
            prompt=e.meta.prompt.get(lang),
        )
        for e in sorted(catalog.exercises.values() if catalog else [], key=lambda e: e.id)
    ]
