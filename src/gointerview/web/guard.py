"""Hostile request bodies stopped before any route sees them: too large (413) or not UTF-8
(400), each with a message a person can act on."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
# (scope, status, message key, values) -> an ASGI response
Reject = Callable[[Scope, int, str, dict[str, Any]], ASGIApp]

TEXT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "application/json")


class BodyGuard:
    def __init__(self, app: ASGIApp, *, max_bytes: int, reject: Reject) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.reject = reject

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(scope, receive, send, 413, int(declared))
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_bytes:
                await self._reject(scope, receive, send, 413, len(body))
                return
        kind = headers.get("content-type", "").split(";")[0].strip().lower()
        if (kind in TEXT_TYPES or kind.startswith("text/")) and not _utf8(bytes(body), kind):
            await self.reject(scope, 400, "not_utf8", {})(scope, receive, send)
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _reject(
        self, scope: Scope, receive: Receive, send: Send, status: int, size: int
    ) -> None:
        values = {"size": size, "limit": self.max_bytes}
        await self.reject(scope, status, "too_large", values)(scope, receive, send)


def _utf8(body: bytes, kind: str) -> bool:
    try:
        text = body.decode("utf-8")
        if kind == "application/x-www-form-urlencoded":  # %FF is ASCII on the wire
            parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError):
        return False
    return True
