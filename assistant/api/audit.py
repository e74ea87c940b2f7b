"""Audit log: one JSON line per /v1 request; key ids and reply facts, question and history only when enabled."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

LOGGER_NAME = "assistant.audit"
ASK_ROUTES = ("/v1/ask", "/v1/ask/stream", "/v1/chat/completions")  # the routes whose lines `assistant replay` reads
PRIVATE = ("question", "history")  # dropped unless questions are enabled


def answer_digest(text: str) -> str:
    """The first 16 hex digits of the answer's SHA-256: tells replies apart without keeping their text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Asked:
    """What a request asked (routes put it in `request.state.asked`); private, audited only when enabled."""

    question: str
    history: list[dict[str, str]] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        return {"question": self.question, "history": self.history}


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
        return {"reply_status": self.status, "corpus_version": self.corpus_version, "cited": list(self.cited),
                "rule": self.rule, "answer_sha": self.answer_sha, "cached": self.cached}


NO_REPLY: dict[str, Any] = {"reply_status": None, "corpus_version": None, "cited": [], "rule": None,
                            "answer_sha": None, "cached": None}


class AuditLog:
    """Writes to `path` (appending, one line per record) or, without a path, to the `assistant.audit` logger."""

    def __init__(self, path: Path | None = None, *, include_questions: bool = False) -> None:
        self.path = path
        self.include_questions = include_questions
        self._lock = threading.Lock()
        self._fh: TextIO | None = None
        self._logger = logging.getLogger(LOGGER_NAME)

    def write(self, record: dict[str, Any]) -> None:
        if not self.include_questions:
            for key in PRIVATE:
                record.pop(key, None)
        line = json.dumps({"ts": datetime.now(UTC).isoformat(timespec="milliseconds"), **record},
                          ensure_ascii=False, separators=(",", ":"), default=str)
        if self.path is None:
            self._logger.info(line)
            return
        with self._lock:
            if self._fh is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fh = self.path.open("a", encoding="utf-8", errors="backslashreplace")
            self._fh.write(line + "\n")
            self._fh.flush()  # a crash must not lose the last requests

    def close(self) -> None:
        with self._lock:
            if self._fh is not None:
                self._fh.close()
                self._fh = None
