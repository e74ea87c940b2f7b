"""What the routes depend on: the assistant (as a protocol), settings, keys, limits, metrics and audit, per app."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ParamSpec, Protocol, TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from assistant.answer.reply import Reply
from assistant.api.audit import AuditLog
from assistant.api.auth import KeyRing, RateLimiter
from assistant.api.cache import ReplyCache, cache_key
from assistant.api.metrics import Metrics
from assistant.api.settings import ApiSettings
from assistant.clauses.store import ClauseStore
from assistant.config import Settings
from assistant.index.manifest import Manifest
from assistant.retrieve import Hit

T = TypeVar("T")
P = ParamSpec("P")


class AssistantLike(Protocol):
    """The parts of `assistant.core.Assistant` the API and UI use."""

    settings: Settings
    store: ClauseStore
    manifest: Manifest

    def ask(self, question: str, history: list[dict[str, str]] | None = None) -> Reply: ...

    def search(self, question: str, k: int = 5) -> list[Hit]: ...


@dataclass
class Services:
    bot: AssistantLike
    settings: ApiSettings
    keys: KeyRing
    limiter: RateLimiter
    metrics: Metrics
    audit: AuditLog
    sources: dict[str, Any]  # /v1/sources, computed once: the loaded corpus does not change
    cache: ReplyCache
    _cpu: threading.BoundedSemaphore = field(init=False)

    def __post_init__(self) -> None:
        self._cpu = threading.BoundedSemaphore(self.settings.worker_threads)

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run blocking, CPU-bound assistant work in the threadpool; the event loop keeps serving /healthz.

        The semaphore caps how many calls compute at once: on 2 cores more only thrash the caches and torch threads.
        """

        def bounded() -> T:
            with self._cpu:
                return fn(*args, **kwargs)

        return await run_in_threadpool(bounded)

    async def answer(self, question: str, history: list[dict[str, str]]) -> tuple[dict[str, Any], bool]:
        """The reply as a dict, and whether it came from the cache."""
        key = cache_key(question, history)
        cached = self.cache.get(key)
        if cached is not None:
            self.metrics.cache_hits.inc()
            return cached, True
        reply = (await self.run(self.bot.ask, question, history)).to_dict()
        self.cache.put(key, reply)
        return reply, False


def services(request: Request) -> Services:
    """FastAPI dependency: the app's services (set once by create_app)."""
    svc = request.app.state.services
    assert isinstance(svc, Services)
    return svc
