"""Request-level helpers for the routes: the context, the viewer, CSRF, the language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fastapi import HTTPException, Request

from gointerview.store.accounts import User
from gointerview.web.context import WebContext
from gointerview.web.i18n import translator
from gointerview.web.security import BROWSER_COOKIE, CSRF_FIELD, CSRF_HEADER, LOGIN_COOKIE
from gointerview.web.service import Viewer

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class SignInRequiredError(Exception):
    """No signed-in user where one is needed: pages redirect to /login, the API says 401."""


def ctx(request: Request) -> WebContext:
    context: WebContext = request.app.state.ctx
    return context


def lang(request: Request) -> str:
    value = getattr(request.state, "lang", None)
    return value if value in ("zh", "en") else ctx(request).settings.lang


def t(request: Request) -> Callable[..., str]:
    return translator(lang(request))


def login_token(request: Request) -> str | None:
    return ctx(request).signer.login(request.cookies.get(LOGIN_COOKIE))


def browser_id(request: Request) -> str | None:
    known: str | None = getattr(request.state, "browser_id", None)
    return known or ctx(request).signer.browser(request.cookies.get(BROWSER_COOKIE))


def current_user(request: Request) -> User | None:
    if hasattr(request.state, "user"):
        cached: User | None = request.state.user
        return cached
    token = login_token(request)
    user = None
    if token is not None and not ctx(request).local:
        user = ctx(request).accounts.signed_in(token, now=datetime.now(UTC))
    request.state.user = user
    return user


async def viewer(request: Request) -> Viewer:
    """Everyone in local mode; else the signed-in user, or SignInRequiredError. Async: one
    primary-key lookup costs less than the hop to a worker thread a sync dependency takes."""
    if ctx(request).local:
        return Viewer(user=None)
    user = current_user(request)
    if user is None:
        raise SignInRequiredError
    return Viewer(user=user)


async def admin(request: Request) -> Viewer:
    if ctx(request).local:
        raise HTTPException(404, t(request)("no_accounts"))
    who = await viewer(request)
    if who.user is None or not who.user.is_admin:
        raise HTTPException(403, t(request)("admins_only"))
    return who


def csrf_token(request: Request) -> str:
    bid = browser_id(request) or ""
    return ctx(request).signer.csrf_token(bid, login_token(request))


async def check_csrf(request: Request) -> None:
    """Every state-changing request carries the token (form field or header)."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if sent is None and kind in FORM_TYPES:
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    signer = ctx(request).signer
    cookie_bid = signer.browser(request.cookies.get(BROWSER_COOKIE))
    if not signer.csrf_ok(cookie_bid, login_token(request), sent):
        raise HTTPException(403, t(request)("csrf_failed"))


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt: a status (303 signed in, 401 wrong, 429 too many)."""

    status: int
    message: str = ""
    cookie: str = ""  # the signed sign-in token, when status is 303
    retry_after: int = 0


def try_sign_in(request: Request, name: str, password: str) -> SignIn:
    """Check the rate limit, then the password; on success record a new sign-in."""
    from gointerview.web.passwords import verify_password

    context = ctx(request)
    address = request.client.host if request.client else "?"
    keys = [f"{name.lower()}@{address}", f"@{address}"]
    wait = context.limiter.retry_after(keys)
    if wait:
        return SignIn(429, t(request)("too_many", minutes=max(1, (wait + 59) // 60)), "", wait)
    found = context.accounts.credentials(name)
    if found is None or not verify_password(found[1], password):
        context.limiter.failed(keys)
        return SignIn(401, t(request)("bad_login"))
    context.limiter.succeeded(keys[0])
    now = datetime.now(UTC)
    context.accounts.end_expired(now=now)
    token = context.signer.new_token()
    context.accounts.start_login(
        found[0].id, token, expires_at=now + timedelta(days=context.settings.login_days)
    )
    return SignIn(303, cookie=context.signer.sign_login(token))
