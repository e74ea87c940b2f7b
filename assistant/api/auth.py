"""API keys (SHA-256 digests, constant-time comparison) and a per-key token-bucket rate limit."""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


def hash_key(key: str) -> str:
    """The digest to configure for a key: `sha256(key)` as hex."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> tuple[str, str]:
    """A fresh random key and its digest (the digest goes in the config, the key to the caller)."""
    key = "ua-" + secrets.token_urlsafe(32)
    return key, hash_key(key)


def key_id(digest: str) -> str:
    """What logs and metrics name a key by: a prefix of its digest, never the key."""
    return digest[:12]


class KeyRing:
    """The configured key digests; `enabled` is False when none are configured (the API is open)."""

    def __init__(self, digests: tuple[str, ...]) -> None:
        self._digests = tuple(bytes.fromhex(d) for d in digests)

    @property
    def enabled(self) -> bool:
        return bool(self._digests)

    def identify(self, presented: str) -> str | None:
        """Key id for a presented key, or None; compares against every digest so timing says nothing."""
        candidate = hashlib.sha256(presented.encode("utf-8", "surrogatepass")).digest()
        found: bytes | None = None
        for digest in self._digests:
            if hmac.compare_digest(candidate, digest):
                found = digest
        return key_id(found.hex()) if found is not None else None


def bearer_token(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, else None."""
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


@dataclass
class _Bucket:
    tokens: float
    stamp: float


@dataclass
class RateLimiter:
    """Token bucket per key id: `rate` tokens a second up to `burst`; thread-safe."""

    rate: float
    burst: int
    clock: Callable[[], float] = time.monotonic
    max_keys: int = 10_000  # anonymous limiting keys by client address: bound the table
    _buckets: dict[str, _Bucket] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def acquire(self, key: str) -> float:
        """Take one token: 0.0 when allowed, else the seconds until one is available."""
        now = self.clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) >= self.max_keys:
                    self._forget_full(now)
                bucket = self._buckets[key] = _Bucket(float(self.burst), now)
            bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.stamp) * self.rate)
            bucket.stamp = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        # A bucket that has refilled completely carries no state worth keeping.
        full = [k for k, b in self._buckets.items() if b.tokens + (now - b.stamp) * self.rate >= self.burst]
        for k in full:
            del self._buckets[k]

    @staticmethod
    def retry_after(wait: float) -> int:
        """Whole seconds for the Retry-After header (at least 1)."""
        return max(1, math.ceil(wait))
