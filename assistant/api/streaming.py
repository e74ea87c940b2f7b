"""Server-Sent Events for a finished reply: the answer in pieces, then one final event with the whole reply."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

from assistant.api.jsonresp import dumps

# Break after sentence and clause punctuation so pieces read naturally when shown as they arrive.
_BREAK = re.compile(r"(?<=[。！？；：，\n!?;])")


def pieces(text: str, size: int) -> Iterator[str]:
    """Consecutive pieces of `text` (joined they are exactly `text`), each at most `size` characters."""
    for part in _BREAK.split(text):
        for i in range(0, len(part), size):
            yield part[i : i + size]


def sse(data: Any, event: str | None = None) -> bytes:
    head = f"event: {event}\n".encode() if event else b""
    return head + b"data: " + dumps(data) + b"\n\n"


async def ask_events(reply: dict[str, Any], size: int) -> AsyncIterator[bytes]:
    """`event: piece` {"text"} … then `event: reply` with the complete reply (citations included)."""
    for piece in pieces(str(reply.get("answer", "")), size):
        yield sse({"text": piece}, "piece")
    yield sse(reply, "reply")


def chunk(cid: str, created: int, model: str, delta: dict[str, Any], finish: str | None = None,
          extra: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    if extra:
        body.update(extra)
    return body


async def chat_events(reply: dict[str, Any], cid: str, created: int, model: str, size: int) -> AsyncIterator[bytes]:
    """OpenAI chunk stream; the last chunk (finish_reason "stop") carries the reply under "assistant"."""
    yield sse(chunk(cid, created, model, {"role": "assistant", "content": ""}))
    for piece in pieces(str(reply.get("answer", "")), size):
        yield sse(chunk(cid, created, model, {"content": piece}))
    yield sse(chunk(cid, created, model, {}, "stop", {"assistant": reply}))
    yield b"data: [DONE]\n\n"
