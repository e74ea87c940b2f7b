"""Per-request bookkeeping as plain ASGI (streaming-safe): request id, metrics, audit line and the catch-all 500."""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api.audit import AuditLog
from assistant.api.errors import INTERNAL_MESSAGE
from assistant.api.jsonresp import dumps
from assistant.api.metrics import Metrics
from assistant.api.schemas import error_body

log = logging.getLogger(__name__)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def route_label(scope: Scope) -> str:
    """The route template (`/v1/clauses/{clause_id}`), so metrics stay low-cardinality."""
    route = scope.get("route")
    if isinstance(route, Mount):
        return "ui"
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            rid = value.decode("latin-1")
            return rid if _REQUEST_ID.match(rid) else None
    return None


class RequestMiddleware:
    def __init__(self, app: ASGIApp, *, metrics: Metrics, audit: AuditLog) -> None:
        self.app = app
        self.metrics = metrics
        self.audit = audit

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
            await self.app(scope, receive, send_with_id)
        except Exception:
            # Internals go to the server log under the request id, never to the caller.
            log.exception("unhandled error in %s %s (request %s)", scope.get("method"), scope.get("path"), rid)
            self.metrics.unhandled.labels(route_label(scope)).inc()
            if started:
                raise
            status = 500
            await send_with_id({"type": "http.response.start", "status": 500,
                                "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body",
                        "body": dumps(error_body("internal_error", INTERNAL_MESSAGE, request_id=rid))})
        finally:
            self._record(scope, state, rid, status, time.perf_counter() - start)

    def _record(self, scope: Scope, state: dict[str, Any], rid: str, status: int, seconds: float) -> None:
        route = route_label(scope)
        method = str(scope.get("method", ""))
        self.metrics.observe(route, method, status, seconds)
        reply_status = state.get("reply_status")
        if reply_status:
            self.metrics.replies.labels(route, reply_status).inc()
        if not str(scope.get("path", "")).startswith("/v1/"):
            return
        self.audit.write({
            "request_id": rid,
            "key_id": state.get("key_id"),
            "method": method,
            "route": route,
            "status": status,
            "reply_status": reply_status,
            "cited": state.get("cited", []),
            "latency_ms": round(seconds * 1000, 2),
            "question": state.get("question"),
        })
