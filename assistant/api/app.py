"""create_app(bot, settings): the FastAPI app for one loaded assistant (no module-level assistant)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from assistant.api import errors
from assistant.api.audit import AuditLog
from assistant.api.auth import KeyRing, RateLimiter
from assistant.api.cache import ReplyCache
from assistant.api.metrics import Metrics
from assistant.api.middleware import RequestMiddleware
from assistant.api.routes import ops, sources_payload, v1
from assistant.api.service import AssistantLike, Services
from assistant.api.settings import ApiSettings

DESCRIPTION = """工会建会入会政策助手的 HTTP 接口，供服务台系统调用。

每个回答都附有经过核验的原文引用（条款编号、出处、逐字引文）。配置了 API 密钥时，`/v1/*` 需要
`Authorization: Bearer <密钥>`。错误统一为 `{"error": {"code", "message": "中文 / English", "details"}}`。
"""


def create_app(bot: AssistantLike, settings: ApiSettings | None = None) -> FastAPI:
    settings = settings or ApiSettings()
    metrics = Metrics()
    audit = AuditLog(settings.audit_file, include_questions=settings.audit_questions)
    svc = Services(
        bot=bot,
        settings=settings,
        keys=KeyRing(settings.all_key_hashes()),
        limiter=RateLimiter(settings.rate_per_second, settings.rate_burst),
        metrics=metrics,
        audit=audit,
        sources=sources_payload(bot),
        # An LLM may phrase the same question differently each time: cache only deterministic answers.
        cache=ReplyCache(0 if bot.settings.llm_base_url and bot.settings.llm_model else settings.reply_cache_size),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
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
    app.include_router(v1, tags=["v1"], max_body_size=settings.max_body_bytes)
    app.include_router(ops, tags=["ops"])
    return app
