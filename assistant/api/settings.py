"""HTTP API settings from the environment (prefix ASSISTANT_API_): keys, rate limits, limits and audit options."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class ApiSettings(BaseSettings):
    """API keys are configured as SHA-256 hex digests only, so the keys themselves never sit in config or memory.

    `ASSISTANT_API_KEY_HASHES="<hex>,<hex>"` or `ASSISTANT_API_KEYS_FILE=path` (one digest per line, `#` comments).
    With neither, /v1/* is open (and not rate limited unless `rate_limit_anonymous`).
    """

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_API_", env_file=".env", extra="ignore")

    key_hashes: Annotated[tuple[str, ...], NoDecode] = ()
    keys_file: Path | None = None

    rate_per_second: Annotated[float, Field(gt=0)] = 5.0  # token refill per key
    rate_burst: Annotated[int, Field(ge=1)] = 30  # bucket size per key
    rate_limit_anonymous: bool = False  # without keys, limit per client address

    max_body_bytes: Annotated[int, Field(ge=1024)] = 1_000_000
    # Answers computed side by side (each with one torch thread, see server.py): about one per core.
    worker_threads: Annotated[int, Field(ge=1)] = 2
    # Answers that may wait for a worker thread; one more is refused with 503 + Retry-After (bench.load: 50 clients
    # never reach it on two cores, a burst of hundreds does instead of queueing for seconds)
    queue_depth: Annotated[int, Field(ge=0)] = 64
    reply_cache_size: Annotated[int, Field(ge=0)] = 2048  # finished replies kept (no LLM only); 0: off
    stream_piece_chars: Annotated[int, Field(ge=1)] = 24

    audit_file: Path | None = None  # None: JSON lines go to the `assistant.audit` logger
    audit_questions: bool = False  # question text in the audit log only when explicitly enabled
    model_name: str = "union-assistant"  # the `model` reported by /v1/chat/completions

    @field_validator("key_hashes", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip().lower() for part in value.split(",") if part.strip())
        return value

    @field_validator("key_hashes")
    @classmethod
    def _hex(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [h[:8] for h in value if not _SHA256_HEX.match(h)]
        if bad:
            raise ValueError(f"key_hashes must be SHA-256 hex digests (64 hex characters); bad: {bad}")
        return value

    def all_key_hashes(self) -> tuple[str, ...]:
        """Digests from the setting and the keys file, deduplicated, in order."""
        hashes = list(self.key_hashes)
        if self.keys_file is not None:
            for line in self.keys_file.read_text(encoding="utf-8").splitlines():
                digest = line.split("#", 1)[0].strip().lower()
                if not digest:
                    continue
                if not _SHA256_HEX.match(digest):
                    raise ValueError(f"{self.keys_file}: not a SHA-256 hex digest: {digest[:8]}…")
                hashes.append(digest)
        return tuple(dict.fromkeys(hashes))
