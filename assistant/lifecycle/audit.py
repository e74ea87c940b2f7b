"""The audit line's reply part: written by the API for every /v1 request, read back by `assistant replay`."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ASK_ROUTES = ("/v1/ask", "/v1/ask/stream", "/v1/chat/completions")  # the routes whose lines `assistant replay` reads


def answer_digest(text: str) -> str:
    """The first 16 hex digits of the answer's SHA-256: tells replies apart without keeping their text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class ReplyFacts:
    """What a reply was and was computed from (routes put it in `request.state.reply`); what replay compares."""

    corpus_version: str
    status: str
    cited: tuple[str, ...]
    rule: str | None
    answer_sha: str
    cached: bool = False

    @classmethod
    def of(cls, reply: Mapping[str, Any], *, cached: bool = False) -> ReplyFacts:
        """From a reply dict (`Reply.to_dict()`)."""
        rule = reply.get("rule")
        return cls(
            corpus_version=str(reply.get("corpus_version") or ""),
            status=str(reply["status"]),
            cited=tuple(str(c["id"]) for c in reply.get("citations") or ()),
            rule=str(rule["id"]) if isinstance(rule, Mapping) else None,
            answer_sha=answer_digest(str(reply.get("answer") or "")),
            cached=cached,
        )

    def record(self) -> dict[str, Any]:
        return {
            "reply_status": self.status,
            "corpus_version": self.corpus_version,
            "cited": list(self.cited),
            "rule": self.rule,
            "answer_sha": self.answer_sha,
            "cached": self.cached,
        }


NO_REPLY: dict[str, Any] = {
    "reply_status": None,
    "corpus_version": None,
    "cited": [],
    "rule": None,
    "answer_sha": None,
    "cached": None,
}
