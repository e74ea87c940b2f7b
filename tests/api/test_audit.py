"""Audit lines of the ask routes carry what replay needs: corpus version, status, citations, rule, answer digest;
question and history only when enabled. Serving a version keeps its snapshot."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.lifecycle.audit import ReplyFacts, answer_digest
from assistant.lifecycle.snapshots import Snapshots
from tests.api.helpers import audit_lines, parse_sse

CPA = "我们会计师事务所有18名会员，可以单独建工会吗？"
FUND = "劳务派遣工的工会经费由谁拨缴"
FOLLOW = [
    {"role": "user", "content": "我们会计所想建工会，可以单独建吗？"},
    {"role": "assistant", "content": "请问贵所有多少名会员？"},
]


def _final(client: TestClient, route: str, body: dict[str, Any]) -> dict[str, Any]:
    """The complete reply a streamed response ends with."""
    with client.stream("POST", route, json=body) as r:
        events = parse_sse(list(r.iter_lines()))
    if route == "/v1/ask/stream":
        return dict(json.loads(events[-1][1]))
    chunks = [json.loads(d) for _, d in events[:-1]]
    return dict(next(c["assistant"] for c in chunks if "assistant" in c))


def _ask_every_route(c: TestClient) -> list[dict[str, Any]]:
    replies = [c.post("/v1/ask", json={"question": CPA}).json()]
    replies.append(_final(c, "/v1/ask/stream", {"question": FUND}))
    chat = {"messages": [*FOLLOW, {"role": "user", "content": "18名"}]}
    replies.append(c.post("/v1/chat/completions", json=chat).json()["assistant"])
    replies.append(_final(c, "/v1/chat/completions", {**chat, "stream": True}))
    return replies


@pytest.mark.integration
def test_ask_lines_carry_the_reply_facts_and_no_question(
    make_client: Callable[..., TestClient], tmp_path: Path
) -> None:
    path = tmp_path / "audit.jsonl"
    c = make_client(audit_file=path)
    replies = _ask_every_route(c)
    c.get("/v1/search", params={"q": "工会经费"})
    lines = audit_lines(path)
    assert [x["route"] for x in lines] == [
        "/v1/ask", "/v1/ask/stream", "/v1/chat/completions", "/v1/chat/completions", "/v1/search"
    ]
    for line, reply in zip(lines, replies, strict=False):
        assert line["corpus_version"] == reply["corpus_version"] and len(reply["corpus_version"]) == 16
        assert line["reply_status"] == reply["status"]
        assert line["cited"] == [x["id"] for x in reply["citations"]]
        assert line["rule"] == (reply["rule"]["id"] if reply["rule"] else None)
        assert line["answer_sha"] == hashlib.sha256(reply["answer"].encode()).hexdigest()[:16]
        assert "question" not in line and "history" not in line
    assert lines[0]["rule"] == "committee-threshold" and lines[2]["rule"] == "committee-threshold"
    assert lines[3]["cached"] is True  # same conversation again: the facts are those of the cached reply
    assert lines[4]["corpus_version"] is None and lines[4]["answer_sha"] is None and lines[4]["cited"] == []
    raw = path.read_text(encoding="utf-8")
    assert CPA not in raw and FOLLOW[1]["content"] not in raw


@pytest.mark.integration
def test_question_and_history_only_when_enabled(make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    c = make_client(audit_file=path, audit_questions=True)
    _ask_every_route(c)
    c.post("/v1/ask", json={"question": "x" * 2000})  # refused by the schema: no reply, nothing asked
    lines = audit_lines(path)
    assert [x["question"] for x in lines[:4]] == [CPA, FUND, "18名", "18名"]
    assert lines[0]["history"] == [] and lines[2]["history"] == FOLLOW == lines[3]["history"]
    assert lines[4]["status"] == 422 and lines[4]["reply_status"] is None


def test_reply_facts_digest() -> None:
    reply = {"status": "answered", "answer": "答", "citations": [{"id": "a/1"}, {"id": "b/2"}],
             "rule": {"id": "r"}, "corpus_version": "0123456789abcdef"}
    facts = ReplyFacts.of(reply)
    assert facts == ReplyFacts("0123456789abcdef", "answered", ("a/1", "b/2"), "r", answer_digest("答"))
    assert facts.answer_sha == hashlib.sha256("答".encode()).hexdigest()[:16]


@pytest.mark.integration
def test_serving_a_version_keeps_its_snapshot(client: TestClient, bot: Any) -> None:
    version = client.get("/v1/sources").json()["corpus_version"]
    snap = Snapshots.of(bot.settings)
    assert version == bot.answerer.version and snap.has(version)
    assert snap.path(version).stat().st_size < 1_000_000
