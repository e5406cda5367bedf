"""The HTML pages: parse the form, call a service, render a template. Nothing else."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markdown_it import MarkdownIt
from markupsafe import Markup

from gointerview import __version__
from gointerview.bank.schema import Area, Level
from gointerview.report.evaluate import NOT_ENOUGH
from gointerview.report.render import radar_svg, to_json, to_markdown
from gointerview.store.accounts import ROLES
from gointerview.web import deps
from gointerview.web.i18n import translator
from gointerview.web.passwords import hash_password
from gointerview.web.present import public_session, review, session_review
from gointerview.web.security import LANG_COOKIE, LOGIN_COOKIE
from gointerview.web.service import MAX_ITEMS, Action, InputError, Viewer, clean_text, search_bank

router = APIRouter(include_in_schema=False, dependencies=[Depends(deps.check_csrf)])
ViewerDep = Annotated[Viewer, Depends(deps.viewer)]
AdminDep = Annotated[Viewer, Depends(deps.admin)]
_markdown = MarkdownIt("commonmark", {"html": False})
BANK_PAGE = 300


def markdown(text: str) -> Markup:
    """Prompts and reference answers are Markdown; raw HTML in them is shown as text."""
    return Markup(_markdown.render(text or ""))  # html is off: markdown-it escaped it all


def render(request: Request, template: str, *, status: int = 200, **values: Any) -> HTMLResponse:
    context = deps.ctx(request)
    lang = deps.lang(request)
    base = {
        "t": translator(lang),
        "lang": lang,
        "csrf_token": deps.csrf_token(request),
        "user": None if context.local else deps.current_user(request),
        "local": context.local,
        "path": request.url.path,
        "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        "version": __version__,
        "markdown": markdown,
        "max_answer": context.settings.max_answer_chars,
    }
    text = context.templates.get_template(template).render(**base, **values)
    return HTMLResponse(text, status_code=status)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def safe_next(target: str | None) -> str:
    """Only a path on this site: never `//elsewhere` or `https://elsewhere`."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


# ---------------------------------------------------------------- home and rounds


@router.get("/")
def home(request: Request, viewer: ViewerDep) -> Response:
    service = deps.ctx(request).interviews
    sessions = service.summaries(viewer, limit=8)
    unfinished = next((s for s in sessions if s.state != "finished"), None)
    drill = []
    if unfinished is None:
        last = next((s for s in sessions if s.state == "finished"), None)
        if last is not None:
            drill = service.report(viewer, last.id, deps.lang(request)).study_plan[:4]
    return render(
        request,
        "home.html",
        sessions=sessions,
        unfinished=unfinished,
        drill=drill,
        plans=list(service.plans.values()),
    )


@router.get("/start")
def start_page(request: Request, viewer: ViewerDep, plan: str = "screen") -> Response:
    service = deps.ctx(request).interviews
    return render(
        request,
        "start.html",
        plans=list(service.plans.values()),
        chosen=plan if plan in service.plans else "screen",
        levels=[lv.value for lv in Level],
    )


@router.post("/start")
def start(
    request: Request,
    viewer: ViewerDep,
    plan: Annotated[str, Form(max_length=64)],
    level: Annotated[str, Form(max_length=16)] = "mid",
    lang: Annotated[str, Form(max_length=8)] = "",
    tags: Annotated[str, Form(max_length=500)] = "",
    coding: Annotated[str, Form(max_length=8)] = "",
    seed: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    seed_value = None
    if seed.strip():
        if not seed.strip().isdigit() or not 0 < int(seed) <= 10**9:
            raise InputError("the seed is a whole number from 1 to 1000000000")
        seed_value = int(seed)
    session = deps.ctx(request).interviews.start(
        viewer,
        plan_id=plan,
        level=level,
        lang=lang or deps.lang(request),
        tags=tags.replace("，", ",").split(","),
        coding=bool(coding),
        seed=seed_value,
    )
    return redirect(f"/sessions/{session.id}")


@router.get("/sessions")
def sessions_page(request: Request, viewer: ViewerDep) -> Response:
    summaries = deps.ctx(request).interviews.summaries(viewer)
    return render(request, "sessions.html", sessions=summaries)


@router.get("/sessions/{session_id}")
def interview_page(
    request: Request, viewer: ViewerDep, session_id: str, graded: int | None = None
) -> Response:
    session, draft = deps.ctx(request).interviews.page(viewer, session_id)
    lang = deps.lang(request)
    view = public_session(session, now=time.time(), lang=lang)
    current = view["current"]
    root_k = 0
    if current is not None and current["kind"] == "follow_up":
        root_k = sum(1 for i in session.items if i.kind != "follow_up")
    return render(
        request,
        "interview.html",
        s=view,
        review=session_review(session, graded, lang),
        draft=draft,
        root_k=root_k,
    )


def _act(
    request: Request, viewer: Viewer, session_id: str, action: Action, seq: int | None, text: str
) -> Response:
    limit = deps.ctx(request).settings.max_answer_chars
    cleaned = clean_text(text, limit=limit)
    session, graded = deps.ctx(request).interviews.act(
        viewer, session_id, action, seq=seq, text=cleaned
    )
    if graded is not None:
        return redirect(f"/sessions/{session.id}?graded={graded}#review")
    return redirect(f"/sessions/{session.id}")


Text = Annotated[str, Form()]
Seq = Annotated[int | None, Form(ge=1, le=MAX_ITEMS)]


@router.post("/sessions/{session_id}/answer")
def answer(
    request: Request, viewer: ViewerDep, session_id: str, seq: Seq = None, text: Text = ""
) -> Response:
    return _act(request, viewer, session_id, "answer", seq, text)


@router.post("/sessions/{session_id}/skip")
def skip(
    request: Request, viewer: ViewerDep, session_id: str, seq: Seq = None, text: Text = ""
) -> Response:
    return _act(request, viewer, session_id, "skip", seq, "")


@router.post("/sessions/{session_id}/dont-know")
def dont_know(
    request: Request, viewer: ViewerDep, session_id: str, seq: Seq = None, text: Text = ""
) -> Response:
    return _act(request, viewer, session_id, "dont_know", seq, "")


@router.post("/sessions/{session_id}/pause")
def pause(
    request: Request, viewer: ViewerDep, session_id: str, seq: Seq = None, text: Text = ""
) -> Response:
    return _act(request, viewer, session_id, "pause", seq, text)


@router.post("/sessions/{session_id}/resume")
def resume(request: Request, viewer: ViewerDep, session_id: str) -> Response:
    return _act(request, viewer, session_id, "resume", None, "")


# ---------------------------------------------------------------- reports


@router.get("/sessions/{session_id}/report")
def report_page(request: Request, viewer: ViewerDep, session_id: str) -> Response:
    service = deps.ctx(request).interviews
    lang = deps.lang(request)
    t = translator(lang)
    report = service.report(viewer, session_id, lang)
    session = service.get(viewer, session_id)
    svg = radar_svg(report, title=t("radar_title"))
    return render(
        request,
        "report.html",
        report=report,
        radar=Markup(svg),  # radar_svg escapes every text it draws
        finished=session.state == "finished",
        not_enough=NOT_ENOUGH,
    )


@router.get("/sessions/{session_id}/report.md")
def report_markdown(request: Request, viewer: ViewerDep, session_id: str) -> Response:
    report = deps.ctx(request).interviews.report(viewer, session_id, deps.lang(request))
    return _download(to_markdown(report), "text/markdown", f"report-{report.session}.md")


@router.get("/sessions/{session_id}/report.json")
def report_json(request: Request, viewer: ViewerDep, session_id: str) -> Response:
    report = deps.ctx(request).interviews.report(viewer, session_id, deps.lang(request))
    return _download(to_json(report) + "\n", "application/json", f"report-{report.session}.json")


def _download(text: str, media: str, filename: str) -> Response:
    return Response(
        text.encode("utf-8"),
        media_type=f"{media}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# ---------------------------------------------------------------- bank, grading, exercises


@router.get("/bank")
def bank_page(
    request: Request,
    viewer: ViewerDep,
    area: Annotated[str, Query(max_length=32)] = "",
    level: Annotated[str, Query(max_length=16)] = "",
    tag: Annotated[str, Query(max_length=64)] = "",
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    bank = deps.ctx(request).interviews.bank
    areas = [Area(area)] if area in {a.value for a in Area} else []
    levels = [Level(level)] if level in {lv.value for lv in Level} else []
    found = search_bank(
        bank.filter(areas=areas, levels=levels, tags=[tag] if tag else []),
        q=q,
    )
    found.sort(key=lambda x: (x.area.value, x.id))
    all_tags = sorted({tg for question in bank.questions for tg in question.tags})
    return render(
        request,
        "bank.html",
        questions=found[:BANK_PAGE],
        total=len(found),
        page=BANK_PAGE,
        areas=[a.value for a in Area],
        levels=[lv.value for lv in Level],
        tags=all_tags,
        f={"area": area, "level": level, "tag": tag, "q": q},
    )


@router.get("/bank/{question_id}")
def question_page(
    request: Request, viewer: ViewerDep, question_id: str, answer: bool = False
) -> Response:
    service = deps.ctx(request).interviews
    question = service.bank.get(question_id)
    blocked = service.blocking_session(viewer, question_id) if answer else None
    return render(
        request,
        "question.html",
        q=question,
        show_answer=answer and blocked is None,
        blocked=blocked,
    )


@router.get("/grade")
def grade_page(
    request: Request, viewer: ViewerDep, q: Annotated[str, Query(max_length=120)] = ""
) -> Response:
    return render(request, "grade.html", question_id=q, answer="", review=None, blocked=None)


@router.post("/grade")
def grade(
    request: Request,
    viewer: ViewerDep,
    question: Annotated[str, Form(max_length=120)],
    text: Text = "",
) -> Response:
    context = deps.ctx(request)
    service = context.interviews
    cleaned = clean_text(text, limit=context.settings.max_answer_chars)
    question_id = service.bank.get(question.strip()).id
    blocked = service.blocking_session(viewer, question_id)
    shown = None
    if blocked is None:
        shown = review(service.grade_one(viewer, question_id, cleaned), deps.lang(request))
    return render(
        request,
        "grade.html",
        question_id=question_id,
        answer=cleaned,
        review=shown,
        blocked=blocked,
    )


@router.get("/exercises")
def exercises_page(request: Request, viewer: ViewerDep) -> Response:
    catalog = deps.ctx(request).interviews.catalog
    exercises = sorted(
        catalog.exercises.values() if catalog is not None else [],
        key=lambda e: (list(Level).index(e.meta.level), e.id),
    )
    return render(request, "exercises.html", exercises=exercises)


# ---------------------------------------------------------------- language, sign-in, users


@router.post("/lang")
def set_lang(
    request: Request,
    lang: Annotated[str, Form(max_length=8)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    response = redirect(safe_next(next))
    if lang in ("zh", "en"):
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="lax",
            secure=deps.ctx(request).settings.secure_cookies,
        )
    return response


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    if deps.ctx(request).local:
        return redirect("/")
    return render(request, "login.html", next=safe_next(next), error=None, name="")


@router.post("/login")
def login(
    request: Request,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    context = deps.ctx(request)
    if context.local:
        return redirect("/")
    result = deps.try_sign_in(request, name, password)
    if result.status != 303:
        headers = {"Retry-After": str(result.retry_after)} if result.retry_after else {}
        return _login_again(request, name, next, result.message, result.status, headers)
    response = redirect(safe_next(next))
    response.set_cookie(
        LOGIN_COOKIE,
        result.cookie,
        max_age=context.settings.login_days * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=context.settings.secure_cookies,
    )
    return response


def _login_again(
    request: Request, name: str, target: str, error: str, status: int, headers: dict[str, str]
) -> Response:
    response = render(
        request, "login.html", status=status, next=safe_next(target), error=error, name=name
    )
    response.headers.update(headers)
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    token = deps.login_token(request)
    if token is not None:
        deps.ctx(request).accounts.end_login(token)
    response = redirect("/login")
    response.delete_cookie(LOGIN_COOKIE)
    return response


NOTICES = ("user_added", "user_removed", "password_set")


@router.get("/admin/users")
def users_page(
    request: Request,
    viewer: AdminDep,
    done: Annotated[str, Query(max_length=20)] = "",
    name: Annotated[str, Query(max_length=64)] = "",
    n: int = 0,
) -> Response:
    notice = deps.t(request)(done, name=name, n=n) if done in NOTICES else ""
    return render(
        request, "users.html", users=deps.ctx(request).accounts.users(), roles=ROLES, notice=notice
    )


@router.post("/admin/users")
def add_user(
    request: Request,
    viewer: AdminDep,
    name: Annotated[str, Form(max_length=64)],
    role: Annotated[str, Form(max_length=16)],
    password: Annotated[str, Form(max_length=1024)],
) -> Response:
    deps.ctx(request).accounts.add(name, role, hash_password(password))
    return _users_notice(request, "user_added", name=name)


@router.post("/admin/users/{name}/remove")
def remove_user(request: Request, viewer: AdminDep, name: str) -> Response:
    if viewer.user is not None and viewer.user.name == name:
        raise InputError("you cannot remove yourself")
    removed = deps.ctx(request).accounts.remove(name)
    return _users_notice(request, "user_removed", name=name, n=removed)


@router.post("/admin/users/{name}/password")
def set_user_password(
    request: Request,
    viewer: AdminDep,
    name: str,
    password: Annotated[str, Form(max_length=1024)],
) -> Response:
    deps.ctx(request).accounts.set_password(name, hash_password(password))
    return _users_notice(request, "password_set", name=name)


def _users_notice(request: Request, key: str, *, name: str, n: int = 0) -> Response:
    from urllib.parse import urlencode

    return redirect("/admin/users?" + urlencode({"done": key, "name": name, "n": n}))
