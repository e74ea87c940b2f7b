"""Per-request bookkeeping as plain ASGI (streaming-safe): request id, metrics, audit line and the catch-all 500."""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api.audit import Asked, AuditLog
from assistant.api.errors import INTERNAL_MESSAGE, PAYLOAD_MESSAGE
from assistant.api.jsonresp import dumps
from assistant.api.metrics import Metrics
from assistant.api.schemas import error_body
from assistant.lifecycle.audit import NO_REPLY, ReplyFacts

log = logging.getLogger(__name__)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def route_label(scope: Scope) -> str:
    """The route template (`/v1/clauses/{clause_id}`), so metrics stay low-cardinality."""
    route = scope.get("route")
    if isinstance(route, Mount):
        return "ui"
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"


def _header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == wanted:
            return str(value.decode("latin-1"))
    return None


def _incoming_request_id(scope: Scope) -> str | None:
    rid = _header(scope, b"x-request-id")
    return rid if rid is not None and _REQUEST_ID.match(rid) else None


def _too_large(scope: Scope, limit: int) -> bool:
    # Declared sizes are refused here with the JSON error; chunked bodies meet the route's own byte limit.
    length = _header(scope, b"content-length")
    return length is not None and length.isdigit() and int(length) > limit


class RequestMiddleware:
    """Wraps the whole app, the mounted page included, so every response gets an id and is counted."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics, audit: AuditLog, max_body_bytes: int) -> None:
        self.app = app
        self.metrics = metrics
        self.audit = audit
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _incoming_request_id(scope) or uuid.uuid4().hex
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = rid
        start = time.perf_counter()
        status = 500
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                started = True
                status = int(message["status"])
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode("latin-1"))]
            await send(message)

        try:
            if str(scope.get("path", "")).startswith("/v1/") and _too_large(scope, self.max_body_bytes):
                await self._send_error(send_with_id, 413, "payload_too_large", PAYLOAD_MESSAGE, rid)
            else:
                await self.app(scope, receive, send_with_id)
        except Exception:
            # Internals go to the server log under the request id, never to the caller.
            log.exception("unhandled error in %s %s (request %s)", scope.get("method"), scope.get("path"), rid)
            self.metrics.unhandled.labels(route_label(scope)).inc()
            if started:
                raise
            await self._send_error(send_with_id, 500, "internal_error", INTERNAL_MESSAGE, rid)
        finally:
            self._record(scope, state, rid, status, time.perf_counter() - start)

    @staticmethod
    async def _send_error(send: Send, status: int, code: str, message: str, rid: str) -> None:
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": dumps(error_body(code, message, request_id=rid))})

    def _record(self, scope: Scope, state: dict[str, Any], rid: str, status: int, seconds: float) -> None:
        route = route_label(scope)
        method = str(scope.get("method", ""))
        self.metrics.observe(route, method, status, seconds)
        # The routes leave what was asked and what was replied in the request state (scope["state"]).
        reply, asked = state.get("reply"), state.get("asked")
        if isinstance(reply, ReplyFacts):
            self.metrics.replies.labels(route, reply.status).inc()
        if not str(scope.get("path", "")).startswith("/v1/"):
            return
        self.audit.write({
            "request_id": rid,
            "key_id": state.get("key_id"),
            "method": method,
            "route": route,
            "status": status,
            **(reply.record() if isinstance(reply, ReplyFacts) else NO_REPLY),
            "latency_ms": round(seconds * 1000, 2),
            **(asked.record() if isinstance(asked, Asked) else {}),
        })
