"""Audit log: one JSON line per /v1 request; key ids and reply facts, question and history only when enabled."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

LOGGER_NAME = "assistant.audit"
PRIVATE = ("question", "history")  # dropped unless questions are enabled


@dataclass(frozen=True)
class Asked:
    """What a request asked (routes put it in `request.state.asked`); private, audited only when enabled."""

    question: str
    history: list[dict[str, str]] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        return {"question": self.question, "history": self.history}


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
