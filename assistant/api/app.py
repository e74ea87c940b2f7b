"""create_app(bot, settings): the FastAPI app for one loaded assistant (no module-level assistant)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import APIRouter, FastAPI, Security
from fastapi.routing import APIRoute
from fastapi.security import HTTPBearer
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from assistant.api import errors
from assistant.api.audit import AuditLog
from assistant.api.auth import KeyRing, RateLimiter
from assistant.api.cache import ReplyCache
from assistant.api.metrics import Metrics
from assistant.api.middleware import RequestMiddleware
from assistant.api.routes import ops, sources_payload, v1
from assistant.api.service import Generation, Services
from assistant.api.settings import ApiSettings
from assistant.lifecycle.snapshots import save_snapshot

if TYPE_CHECKING:
    from assistant.core import AssistantLike

_BEARER = HTTPBearer(auto_error=False, description="API 密钥（`assistant api-key` 生成）")

DESCRIPTION = """工会建会入会政策助手的 HTTP 接口，供服务台系统调用。

每个回答都附有经过核验的原文引用（条款编号、出处、逐字引文）。配置了 API 密钥时，`/v1/*` 需要
`Authorization: Bearer <密钥>`。错误统一为 `{"error": {"code", "message": "中文 / English", "details"}}`。
"""


def create_app(bot: AssistantLike, settings: ApiSettings | None = None) -> FastAPI:
    settings = settings or ApiSettings()
    metrics = Metrics()
    audit = AuditLog(settings.audit_file, include_questions=settings.audit_questions)
    def derive(loaded: AssistantLike) -> Generation:
        """A loaded assistant (at start or after a reload) with its sources payload and its own reply cache."""
        live = Generation(
            bot=loaded,
            sources=sources_payload(loaded),
            # An LLM may phrase the same question differently each time: cache only deterministic answers.
            cache=ReplyCache(0 if loaded.settings.llm_base_url and loaded.settings.llm_model
                             else settings.reply_cache_size),
        )
        # What this version was computed from, kept so `assistant replay` can re-ask its audited questions later.
        save_snapshot(loaded.settings, live.version)
        return live

    svc = Services(
        live=derive(bot),
        settings=settings,
        keys=KeyRing(settings.all_key_hashes()),
        limiter=RateLimiter(settings.rate_per_second, settings.rate_burst),
        metrics=metrics,
        audit=audit,
        derive=derive,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        svc.close()
        audit.close()

    app = FastAPI(
        title="工会建会入会政策助手 API",
        version="1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_tags=[{"name": "v1", "description": "问答、检索与条款"}, {"name": "ops", "description": "运维"}],
    )
    app.state.services = svc
    errors.install(app)
    app.add_middleware(RequestMiddleware, metrics=metrics, audit=audit, max_body_bytes=settings.max_body_bytes)
    # The bearer scheme is declared (for /docs and clients) only when keys are configured: the open API needs none.
    # It only documents; routes.authorize checks the key.
    declared = [Security(_BEARER)] if svc.keys.enabled else None
    app.include_router(v1, tags=["v1"], max_body_size=settings.max_body_bytes, dependencies=declared)
    app.include_router(ops, tags=["ops"])
    _refuse_other_methods(app, v1, ops)
    return app


def _refuse_other_methods(app: FastAPI, *routers: APIRouter) -> None:
    """A JSON 405 with `Allow` for any other method on a documented path of these (included) routers.

    The chat page mounted at / matches every path and method, so `PUT /healthz` or `TRACE /v1/ask` would otherwise
    get its 404. (The routers' own routes, not `app.routes`: FastAPI keeps an included router as one entry there.)
    """
    allowed: dict[str, set[str]] = {}
    for router in routers:
        for route in router.routes:
            if isinstance(route, APIRoute) and route.include_in_schema:
                allowed.setdefault(route.path, set()).update(route.methods or ())
    for path, methods in allowed.items():
        app.router.routes.append(Route(path, _Refuse(", ".join(sorted(methods))), include_in_schema=False))


class _Refuse:
    """An ASGI endpoint, not a function, so its route matches every method; the handlers turn the error into JSON."""

    def __init__(self, allow: str) -> None:
        self.allow = allow

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise errors.ApiError(405, "method_not_allowed", "该接口不支持此请求方法。/ Method not allowed.",
                              {"Allow": self.allow})
