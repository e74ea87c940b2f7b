"""What the routes depend on: the assistant (as a protocol), settings, keys, limits, metrics and audit, per app."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from assistant.answer.reply import Reply
from assistant.api.audit import AuditLog
from assistant.api.auth import KeyRing, RateLimiter
from assistant.api.metrics import Metrics
from assistant.api.settings import ApiSettings
from assistant.clauses.store import ClauseStore
from assistant.config import Settings
from assistant.index.manifest import Manifest
from assistant.retrieve import Hit

T = TypeVar("T")


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
    _cpu: threading.BoundedSemaphore = field(init=False)

    def __post_init__(self) -> None:
        self._cpu = threading.BoundedSemaphore(self.settings.worker_threads)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run blocking, CPU-bound assistant work in the threadpool; the event loop keeps serving /healthz.

        The semaphore caps how many calls compute at once: on 2 cores more only thrash the caches and torch threads.
        """

        def bounded() -> T:
            with self._cpu:
                return fn(*args)

        return await run_in_threadpool(bounded)


def services(request: Request) -> Services:
    """FastAPI dependency: the app's services (set once by create_app)."""
    svc = request.app.state.services
    assert isinstance(svc, Services)
    return svc
