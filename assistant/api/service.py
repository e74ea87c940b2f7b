"""What the routes depend on: the live assistant generation, settings, keys, limits, metrics and audit, per app."""

from __future__ import annotations

import asyncio
import functools
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from assistant.answer.reply import Reply
from assistant.api.audit import AuditLog
from assistant.api.auth import KeyRing, RateLimiter
from assistant.api.cache import ReplyCache, cache_key
from assistant.api.errors import ApiError
from assistant.api.metrics import Metrics
from assistant.api.schemas import ReloadResponse
from assistant.api.settings import ApiSettings
from assistant.clauses.store import ClauseStore
from assistant.config import Settings
from assistant.index.manifest import Manifest
from assistant.retrieve import Hit

if TYPE_CHECKING:
    from assistant.core import AssistantLike

T = TypeVar("T")
P = ParamSpec("P")


@dataclass(frozen=True)
class Generation:
    """One loaded assistant and what is derived from it. A reload replaces the whole generation with one assignment,
    so a request that took it once sees one corpus version from start to end, and no cached reply outlives it."""

    bot: AssistantLike
    sources: dict[str, Any]  # /v1/sources, computed once: the loaded corpus does not change
    cache: ReplyCache

    @property
    def version(self) -> str:
        return str(self.sources["corpus_version"])


@dataclass
class Services:
    live: Generation
    settings: ApiSettings
    keys: KeyRing
    limiter: RateLimiter
    metrics: Metrics
    audit: AuditLog
    derive: Callable[[AssistantLike], Generation]  # a loaded assistant → its generation (create_app's recipe)
    _pool: ThreadPoolExecutor | None = field(init=False, default=None)  # made on first use, again after close()
    _pending: int = field(init=False, default=0)  # answers running or queued; touched on the event loop only
    _reloading: threading.Lock = field(init=False, default_factory=threading.Lock)

    @property
    def bot(self) -> AssistantLike:
        return self.live.bot

    @bot.setter
    def bot(self, value: AssistantLike) -> None:
        self.live = replace(self.live, bot=value)

    @property
    def sources(self) -> dict[str, Any]:
        return self.live.sources

    @property
    def cache(self) -> ReplyCache:
        return self.live.cache

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run blocking, CPU-bound assistant work on the answer pool; the event loop keeps serving /healthz.

        The pool has `worker_threads` threads (on 2 cores more only thrash the caches) and at most `queue_depth`
        calls wait for one: beyond that the caller gets a 503 with Retry-After at once, not an unbounded wait."""
        cap = self.settings.worker_threads + self.settings.queue_depth
        if self._pending >= cap:
            self.metrics.busy.inc()
            raise ApiError(503, "busy", f"服务繁忙（{cap}个请求排队中），请稍后重试。/ Busy; retry shortly.",
                           {"Retry-After": "1"})
        if self._pool is None:  # an app's lifespan may run more than once (tests, some ASGI hosts)
            self._pool = ThreadPoolExecutor(self.settings.worker_threads, thread_name_prefix="answer")
        self._pending += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, functools.partial(fn, *args, **kwargs))
        finally:
            self._pending -= 1

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    async def answer(self, question: str, history: list[dict[str, str]]) -> tuple[dict[str, Any], bool]:
        """The reply as a dict, and whether it came from the cache."""
        live = self.live  # one generation for the whole request, even if a reload swaps it meanwhile
        key = cache_key(question, history)
        cached = live.cache.get(key)
        if cached is not None:
            self.metrics.cache_hits.inc()
            return cached, True
        reply = (await self.run(live.bot.ask, question, history)).to_dict()
        live.cache.put(key, reply)
        return reply, False

    async def reload(self) -> ReloadResponse:
        """Load the corpus as it is on disk now and swap it in; requests keep being answered by the current
        generation meanwhile. Raises what loading raises (the current generation then stays)."""
        return await run_in_threadpool(self._reload)

    def _reload(self) -> ReloadResponse:
        with self._reloading:  # one reload at a time; not under the CPU semaphore, which answers keep using
            start = time.perf_counter()
            old = self.live
            loaded = old.bot.reload()
            new = old if loaded is old.bot else self.derive(loaded)  # unchanged: keep the bot and its cache
            self.live = new  # the swap: one reference assignment
            m = new.bot.manifest
            return ReloadResponse(
                corpus_version=new.version,
                previous_version=old.version,
                changed=new.version != old.version,
                collection=m.collection,
                vectors=m.vectors,
                seconds=round(time.perf_counter() - start, 2),
            )


class LiveAssistant:
    """The current generation's assistant, looked up on every call: for holders of an assistant that must follow
    reloads (the chat page). Each call sees one assistant."""

    def __init__(self, services: Services) -> None:
        self._services = services

    @property
    def settings(self) -> Settings:
        return self._services.live.bot.settings

    @property
    def store(self) -> ClauseStore:
        return self._services.live.bot.store

    @property
    def manifest(self) -> Manifest:
        return self._services.live.bot.manifest

    def ask(self, question: str, history: list[dict[str, str]] | None = None) -> Reply:
        return self._services.live.bot.ask(question, history)

    def search(self, question: str, k: int = 5) -> list[Hit]:
        return self._services.live.bot.search(question, k)

    def reload(self) -> AssistantLike:
        return self._services.live.bot.reload()

    def vectors_problem(self, timeout: float = 2.0) -> str | None:
        return self._services.live.bot.vectors_problem(timeout)


def services(request: Request) -> Services:
    """FastAPI dependency: the app's services (set once by create_app)."""
    svc = request.app.state.services
    assert isinstance(svc, Services)
    return svc
