"""ReplyCache: finished replies by (question, history), for an assistant whose answers are deterministic."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

Key = tuple[str, tuple[tuple[str, str], ...]]


def cache_key(question: str, history: list[dict[str, str]]) -> Key:
    return question, tuple((h["role"], h["content"]) for h in history)


class ReplyCache:
    """LRU of reply dicts. Without an LLM the same question and history always give the same reply for the
    loaded corpus, and help desks ask the same questions over and over; size 0 turns it off."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Key, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Key) -> dict[str, Any] | None:
        if not self.size:
            return None
        with self._lock:
            reply = self._items.get(key)
            if reply is not None:
                self._items.move_to_end(key)
            return reply

    def put(self, key: Key, reply: dict[str, Any]) -> None:
        if not self.size:
            return
        with self._lock:
            self._items[key] = reply
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)
