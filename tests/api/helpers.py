"""Shared test helpers: test keys, audit-log reading and an SSE parser."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

KEY = "ua-test-key-0123456789"
OTHER_KEY = "ua-test-key-abcdefghij"


def audit_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def parse_sse(lines: Iterable[str]) -> list[tuple[str | None, str]]:
    """(event, data) per event of a text/event-stream, per the WHATWG rules this API uses (one data line)."""
    events: list[tuple[str | None, str]] = []
    event: str | None = None
    data: list[str] = []
    for line in lines:
        if line == "":
            if data:
                events.append((event, "\n".join(data)))
            event, data = None, []
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
    if data:
        events.append((event, "\n".join(data)))
    return events


class Gate:
    """The real assistant, held at a gate before answering: a machine busy for as long as the test says."""

    def __init__(self, bot: Any) -> None:
        self.bot = bot
        self.entered = threading.Event()
        self.release = threading.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.bot, name)

    def ask(self, question: str, history: list[dict[str, str]] | None = None) -> Any:
        self.entered.set()
        assert self.release.wait(30), "the test never opened the gate"
        return self.bot.ask(question, history)
