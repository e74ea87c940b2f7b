"""Prometheus metrics on a registry owned by one app: request counts by route and status, latency, reply status."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """One per app (never the process-global registry), so tests and multiple apps do not collide."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "assistant_http_requests", "HTTP requests by route template, method and status.",
            ["route", "method", "status"], registry=self.registry,
        )
        self.latency = Histogram(
            "assistant_http_request_seconds", "Time to the end of the response, by route template.",
            ["route", "method"], buckets=_LATENCY_BUCKETS, registry=self.registry,
        )
        self.replies = Counter(
            "assistant_replies", "Replies by status (answered, needs_more_info, out_of_scope).",
            ["route", "status"], registry=self.registry,
        )
        self.cache_hits = Counter(
            "assistant_reply_cache_hits", "Replies served from the reply cache.", registry=self.registry,
        )
        self.busy = Counter(
            "assistant_busy_refusals", "Requests refused with 503 because the answer queue was full.",
            registry=self.registry,
        )
        self.unhandled = Counter(
            "assistant_unhandled_errors", "Requests that ended in the catch-all 500 handler.",
            ["route"], registry=self.registry,
        )

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route, method).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)
