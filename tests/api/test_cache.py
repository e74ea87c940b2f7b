"""The reply cache: LRU by (question, history), visible in metrics and the audit log, off at size 0."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.api.cache import ReplyCache, cache_key
from tests.api.helpers import audit_lines

CPA = "我们会计师事务所有18名会员，可以单独建工会吗？"


def test_lru_evicts_the_least_recently_used() -> None:
    cache = ReplyCache(2)
    a, b, c = (cache_key(q, []) for q in "abc")
    cache.put(a, {"n": 1})
    cache.put(b, {"n": 2})
    assert cache.get(a) == {"n": 1}  # a is now the most recent
    cache.put(c, {"n": 3})
    assert cache.get(b) is None and cache.get(a) and cache.get(c) and len(cache) == 2


def test_history_is_part_of_the_key() -> None:
    cache = ReplyCache(4)
    cache.put(cache_key("那30人呢？", [{"role": "user", "content": "甲"}]), {"n": 1})
    assert cache.get(cache_key("那30人呢？", [])) is None
    assert cache.get(cache_key("那30人呢？", [{"role": "user", "content": "乙"}])) is None


def test_size_zero_is_off() -> None:
    cache = ReplyCache(0)
    cache.put(cache_key("a", []), {"n": 1})
    assert cache.get(cache_key("a", [])) is None and len(cache) == 0


@pytest.mark.integration
def test_repeated_question_is_served_from_the_cache(make_client: Any, tmp_path: Path) -> None:
    c = make_client(audit_file=tmp_path / "a.jsonl")
    first = c.post("/v1/ask", json={"question": CPA}).json()
    second = c.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": CPA}]}).json()
    assert second["assistant"] == first
    assert "assistant_reply_cache_hits_total 1.0" in c.get("/metrics").text
    assert [line["cached"] for line in audit_lines(tmp_path / "a.jsonl")] == [False, True]


@pytest.mark.integration
def test_cache_can_be_turned_off(make_client: Any) -> None:
    c = make_client(reply_cache_size=0)
    for _ in range(2):
        c.post("/v1/ask", json={"question": CPA})
    assert "assistant_reply_cache_hits_total 0.0" in c.get("/metrics").text
