"""Signed cookies, CSRF tokens and the sign-in rate limit.

Cookies (all HttpOnly, SameSite=Lax, Secure behind HTTPS):
    gi_browser  a random id for this browser, signed: the CSRF token is derived from it
    gi_login    the sign-in token, signed; the database keeps its SHA-256 (store/accounts.py)
    gi_lang     the interface language the user chose (not secret, not signed)
The CSRF token is an HMAC of the browser id and the sign-in token with the server's secret:
another site can neither read it nor compute it, and it changes when the user signs in.
Every POST, PUT, PATCH and DELETE must carry it, in the form field `csrf_token` or the
header `X-CSRF-Token`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque

from itsdangerous import BadSignature, URLSafeSerializer

BROWSER_COOKIE = "gi_browser"
LOGIN_COOKIE = "gi_login"
LANG_COOKIE = "gi_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class Signer:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret
        self._browser = URLSafeSerializer(secret, salt="gointerview.browser")
        self._login = URLSafeSerializer(secret, salt="gointerview.login")

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    def sign_browser(self, browser_id: str) -> str:
        return str(self._browser.dumps(browser_id))

    def browser(self, cookie: str | None) -> str | None:
        return _loads(self._browser, cookie)

    def sign_login(self, token: str) -> str:
        return str(self._login.dumps(token))

    def login(self, cookie: str | None) -> str | None:
        return _loads(self._login, cookie)

    def csrf_token(self, browser_id: str, login_token: str | None) -> str:
        message = f"csrf|{browser_id}|{login_token or ''}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def csrf_ok(self, browser_id: str | None, login_token: str | None, sent: str | None) -> bool:
        if not browser_id or not sent:
            return False
        return hmac.compare_digest(self.csrf_token(browser_id, login_token), sent)


def _loads(serializer: URLSafeSerializer, cookie: str | None) -> str | None:
    if not cookie or len(cookie) > 512:
        return None
    try:
        value = serializer.loads(cookie)
    except BadSignature:
        return None
    return value if isinstance(value, str) else None


class RateLimiter:
    """Failed sign-ins per key (the name with the address, and the address alone) in a
    sliding window; past the limit the key is refused until its oldest failure ages out.
    In memory: one server process, as `gointerview serve` runs."""

    def __init__(self, *, limit: int, window: float, clock: object = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _now(self) -> float:
        return float(self._clock())  # type: ignore[operator]

    def retry_after(self, keys: list[str]) -> int:
        """Seconds until a sign-in may be tried again (0: now)."""
        now = self._now()
        wait = 0.0
        with self._lock:
            for key, limit in self._limits(keys):
                times = self._recent(key, now)
                if len(times) >= limit:
                    wait = max(wait, times[0] + self.window - now)
        return int(wait) + 1 if wait > 0 else 0

    def failed(self, keys: list[str]) -> None:
        now = self._now()
        with self._lock:
            for key, _ in self._limits(keys):
                self._recent(key, now).append(now)
            if len(self._failures) > 10_000:  # forget keys whose failures all aged out
                for key in [
                    k for k, v in self._failures.items() if not v or v[-1] < now - self.window
                ]:
                    del self._failures[key]

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _limits(self, keys: list[str]) -> list[tuple[str, int]]:
        # the first key is the specific one (name@address); the others are wider (the
        # address alone) and allow more, so one user's typos do not lock out a shared office
        return [(k, self.limit if i == 0 else self.limit * 4) for i, k in enumerate(keys)]

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times
