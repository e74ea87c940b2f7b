"""The official `openai` client against a real uvicorn server on 127.0.0.1: plain and streamed completions."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from openai import OpenAI, UnprocessableEntityError

from tests.api.helpers import parse_sse

pytestmark = pytest.mark.integration
CPA = "我们会计师事务所有18名会员，可以单独建工会吗？"


@pytest.fixture(scope="module")
def openai_client(live_url: str) -> OpenAI:
    return OpenAI(base_url=f"{live_url}/v1", api_key="unused-when-no-keys", max_retries=0, timeout=30)


def test_chat_completion(openai_client: OpenAI, bot: Any) -> None:
    done = openai_client.chat.completions.create(
        model="union-assistant", messages=[{"role": "user", "content": CPA}])
    expected = bot.ask(CPA).to_dict()
    assert done.object == "chat.completion" and done.model == "union-assistant"
    assert done.choices[0].message.role == "assistant"
    assert done.choices[0].message.content == expected["answer"]
    assert done.choices[0].finish_reason == "stop"
    extra = done.model_extra or {}
    assert extra["assistant"] == expected
    assert any(c["id"] == "union-law-2021/art-11" for c in extra["assistant"]["citations"])


def test_chat_completion_with_history(openai_client: OpenAI, bot: Any) -> None:
    first = bot.ask(CPA).answer
    done = openai_client.chat.completions.create(model="x", messages=[
        {"role": "system", "content": "你是助手"}, {"role": "user", "content": CPA},
        {"role": "assistant", "content": first}, {"role": "user", "content": "如果有30名会员呢？"}])
    reply = (done.model_extra or {})["assistant"]
    assert reply == bot.ask("如果有30名会员呢？", [{"role": "user", "content": CPA},
                                                  {"role": "assistant", "content": first}]).to_dict()
    assert reply["rewritten_question"]


def test_chat_completion_stream(openai_client: OpenAI, bot: Any) -> None:
    stream = openai_client.chat.completions.create(
        model="union-assistant", messages=[{"role": "user", "content": CPA}], stream=True)
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    expected = bot.ask(CPA).to_dict()
    assert text == expected["answer"]
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert (chunks[-1].model_extra or {})["assistant"] == expected  # citations travel on the final chunk


def test_validation_error_surfaces_as_422(openai_client: OpenAI) -> None:
    with pytest.raises(UnprocessableEntityError) as info:
        openai_client.chat.completions.create(model="x", messages=[{"role": "user", "content": "   "}])
    assert info.value.status_code == 422
    assert "问题为空" in info.value.response.json()["error"]["message"]


def test_ask_stream_over_real_http(live_url: str) -> None:
    with httpx.Client(timeout=30) as http, http.stream(
            "POST", f"{live_url}/v1/ask/stream", json={"question": CPA}) as r:
        events = parse_sse(list(r.iter_lines()))
    assert r.status_code == 200
    final = json.loads(events[-1][1])
    assert events[-1][0] == "reply" and final["citations"]


def test_ops_routes_over_real_http(live_url: str) -> None:
    with httpx.Client(timeout=10) as http:
        assert http.get(f"{live_url}/healthz").json() == {"status": "ok"}
        assert http.get(f"{live_url}/readyz").json()["status"] == "ready"
        assert "assistant_http_requests_total" in http.get(f"{live_url}/metrics").text
        assert http.get(f"{live_url}/docs").status_code == 200
