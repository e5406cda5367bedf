"""The FastAPI app: wiring, per-request cookies and headers, error pages.

`create_app` refuses to build an app served off loopback while no admin exists: such an
address reaches other people, and without an admin nobody could sign in to manage them.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException

from gointerview import __version__
from gointerview.bank import Bank
from gointerview.errors import GointerviewError, NotFoundError
from gointerview.exercises.catalog import Catalog
from gointerview.store.accounts import Accounts
from gointerview.store.db import Store
from gointerview.web import deps
from gointerview.web.context import STATIC, WebContext, template_environment
from gointerview.web.guard import ASGIApp, BodyGuard, Message, Receive, Scope, Send
from gointerview.web.i18n import negotiate, translator
from gointerview.web.security import BROWSER_COOKIE, LANG_COOKIE, RateLimiter, Signer
from gointerview.web.service import ConflictError, InputError, Interviews
from gointerview.web.settings import WebSettings, is_loopback

log = logging.getLogger("gointerview.web")
YEAR = 365 * 24 * 3600
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


class NoAdminError(GointerviewError):
    pass


def create_app(
    settings: WebSettings,
    *,
    store: Store,
    bank: Bank,
    catalog: Catalog | None,
    grade_options: Mapping[str, Any] | None = None,
    clock: Callable[[], float] = time.time,
) -> FastAPI:
    accounts = Accounts(store.engine)
    loopback = is_loopback(settings.host)
    if not loopback and accounts.count("admin") == 0:
        raise NoAdminError(
            f"{settings.host} is reachable from other machines, so sign-in is required and "
            "an admin must exist first: gointerview users add NAME --role admin "
            "(or serve on 127.0.0.1 for yourself alone)"
        )
    context = WebContext(
        settings=settings,
        interviews=Interviews(
            store=store, bank=bank, catalog=catalog, grade_options=grade_options, clock=clock
        ),
        accounts=accounts,
        signer=Signer(settings.secret),
        limiter=RateLimiter(
            limit=settings.sign_in_failures, window=settings.sign_in_window_seconds
        ),
        templates=template_environment(),
        local=loopback and accounts.count() == 0,
    )
    app = FastAPI(
        title="gointerview",
        version=__version__,
        description="Mock interviews, the question bank and grading, as JSON. Cookies carry "
        "the sign-in; every POST/PUT needs the X-CSRF-Token header from GET /api/me.",
        docs_url=None,  # the bundled doc pages load their scripts from a CDN
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.ctx = context
    from gointerview.web import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _install_handlers(app)

    app.add_middleware(PerRequest, context=context)

    def reject(scope: Scope, status: int, key: str, values: dict[str, Any]) -> ASGIApp:
        request = Request(scope)
        request.state.lang = negotiate(
            request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"), settings.lang
        )
        message = translator(request.state.lang)(key, chars=settings.max_answer_chars, **values)
        return error_response(request, status, message)

    app.add_middleware(BodyGuard, max_bytes=settings.max_body_bytes, reject=reject)
    return app


class PerRequest:
    """Per request, as plain ASGI (cheaper than a BaseHTTPMiddleware): the browser id and
    the interface language into the request state, then the browser cookie (first visit),
    the security headers and the cache policy onto the response."""

    def __init__(self, app: ASGIApp, *, context: WebContext) -> None:
        self.app = app
        self.context = context

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings, signer = self.context.settings, self.context.signer
        request = Request(scope)
        bid = signer.browser(request.cookies.get(BROWSER_COOKIE))
        fresh = bid is None
        state = scope.setdefault("state", {})
        state["browser_id"] = bid if bid is not None else secrets.token_urlsafe(18)
        state["lang"] = negotiate(
            request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"), settings.lang
        )
        static = scope["path"].startswith("/static/")

        async def respond(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if fresh:
                    headers.append(
                        "set-cookie",
                        cookie(
                            BROWSER_COOKIE,
                            signer.sign_browser(state["browser_id"]),
                            max_age=YEAR,
                            secure=settings.secure_cookies,
                        ),
                    )
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                if static:
                    headers["Cache-Control"] = "public, max-age=3600"
                elif "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, respond)


def cookie(name: str, value: str, *, max_age: int, secure: bool) -> str:
    """A Set-Cookie value: HttpOnly, SameSite=Lax, the whole site."""
    parts = [f"{name}={value}", f"Max-Age={max_age}", "Path=/", "HttpOnly", "SameSite=lax"]
    return "; ".join([*parts, "Secure"] if secure else parts)


def error_response(request: Request, status: int, message: str) -> Response:
    """JSON under /api, else the error page: the message and nothing else — no traceback,
    no SQL, no input echoed back."""
    if request.url.path.startswith("/api"):
        return JSONResponse({"detail": message}, status_code=status)
    from gointerview.web.pages import render

    return render(request, "error.html", status=status, message=message, code=status)


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(deps.SignInRequiredError)
    async def _sign_in(request: Request, exc: deps.SignInRequiredError) -> Response:
        if request.url.path.startswith("/api"):
            return JSONResponse(
                {"detail": "sign in first (POST /api/login)"},
                status_code=401,
                headers={"WWW-Authenticate": 'Cookie realm="gointerview"'},
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={_quote(target)}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        t = deps.t(request)
        message = exc.detail if isinstance(exc.detail, str) else ""
        if exc.status_code == 404 and (not message or message == "Not Found"):
            message = t("error_404")
        response = error_response(request, exc.status_code, message or str(exc.status_code))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for error in exc.errors()[:5]:
            where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query"))
            problems.append(f"{where or 'request'}: {error.get('msg', 'invalid')}")
        return error_response(request, 422, "the request is not valid: " + "; ".join(problems))

    @app.exception_handler(GointerviewError)
    async def _ours(request: Request, exc: GointerviewError) -> Response:
        if isinstance(exc, NotFoundError):
            return error_response(request, 404, deps.t(request)("error_404"))
        status = (
            exc.status
            if isinstance(exc, InputError)
            else 409
            if isinstance(exc, ConflictError)
            else 400
        )
        return error_response(request, status, str(exc))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(request, 500, deps.t(request)("error_500"))


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")


def warm_up(bank: Bank) -> None:
    """Load the grader's dictionaries now, not on the first user's first answer."""
    from gointerview.grading.text.grader import grade_text

    if bank.questions:
        grade_text(bank.questions[0], "goroutine 调度 scheduler")


def html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status)
