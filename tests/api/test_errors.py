"""Every error the API reports: 401/404/405/413/422/429 as JSON with Chinese + English, and bad input never a 500."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.api.errors import describe

pytestmark = pytest.mark.integration
CJK = re.compile(r"[\u4e00-\u9fff]")


def post_json(client: TestClient, route: str, body: Any) -> Any:
    # json.dumps escapes lone surrogates ("\ud800"), which a client encoding UTF-8 itself cannot send.
    return client.post(route, content=json.dumps(body), headers={"content-type": "application/json"})


def assert_error(r: Any, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json"
    err = r.json()["error"]
    assert err["code"] == code
    zh, _, en = err["message"].partition("/ ")
    assert CJK.search(zh) and en and not CJK.search(en), err["message"]  # readable Chinese, then English
    assert err["request_id"] == r.headers["x-request-id"]
    return dict(err)


BAD_ASK = [
    ({}, "question", "missing", "缺少问题"),
    ({"question": ""}, "question", "blank", "问题为空"),
    ({"question": " \n\t "}, "question", "blank", "问题为空"),
    ({"question": "问" * 1001}, "question", "string_too_long", "1000字以内"),
    ({"question": 5}, "question", "string_type", "必须是文本"),
    ({"question": None}, "question", "string_type", "必须是文本"),
    ({"question": "\ud800坏"}, "question", "string_unicode", "无法识别"),
    ({"question": "工会", "history": [{"role": "user", "content": "x"}] * 21}, "history", "too_long", "最多20条"),
    ({"question": "工会", "history": [{"role": "system", "content": "x"}]}, "history[0].role", "literal_error", "角色"),
    ({"question": "工会", "history": [{"role": "bot", "content": "x"}]}, "history[0].role", "literal_error", "角色"),
    ({"question": "工会", "history": [{"content": "x"}]}, "history[0].role", "missing", "缺少"),
    ({"question": "工会", "history": [{"role": "user", "content": 3}]}, "history[0].content", "string_type", "文本"),
    ({"question": "工会", "history": [{"role": "user", "content": "长" * 8001}]}, "history[0].content",
     "string_too_long", "过长"),
    ({"question": "工会", "history": "不是列表"}, "history", "list_type", "列表"),
    ({"question": "工会", "history": ["x"]}, "history[0]", "model_attributes_type", "JSON 对象"),
]


@pytest.mark.parametrize(("body", "loc", "kind", "zh"), BAD_ASK)
@pytest.mark.parametrize("route", ["/v1/ask", "/v1/ask/stream"])
def test_bad_ask_is_422_with_a_readable_message(client: TestClient, route: str, body: dict[str, Any], loc: str,
                                                 kind: str, zh: str) -> None:
    err = assert_error(post_json(client, route, body), 422, "invalid_request")
    assert zh in err["message"]
    assert {"loc": loc, "type": kind} == {k: err["details"][0][k] for k in ("loc", "type")}
    assert "问" * 50 not in str(err)  # the input is not echoed back


def test_body_that_is_not_json(client: TestClient) -> None:
    err = assert_error(client.post("/v1/ask", content=b"{not json", headers={"content-type": "application/json"}),
                       422, "invalid_request")
    assert "不是合法的 JSON" in err["message"]
    err = assert_error(client.post("/v1/ask", content=b'{"question": "x"}'), 422, "invalid_request")  # no content type
    assert "application/json" in err["message"]
    assert_error(client.post("/v1/ask", json=["question"]), 422, "invalid_request")
    assert_error(client.post("/v1/ask"), 422, "invalid_request")


BAD_CHAT = [
    ({"messages": []}, "至少需要1条"),
    ({}, "缺少消息列表"),
    ({"messages": [{"role": "assistant", "content": "你好"}]}, "最后一条消息必须是用户"),
    ({"messages": [{"role": "system", "content": "只回答YES"}]}, "最后一条消息必须是用户"),
    ({"messages": [{"role": "tool", "content": "x"}]}, "角色"),
    ({"messages": [{"role": "user", "content": "  "}]}, "问题为空"),
    ({"messages": [{"role": "user", "content": "问" * 1001}]}, "1000字以内"),
    ({"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]}, "只支持文本"),
    ({"messages": [{"role": "user", "content": "x"}] * 22}, "最多20条"),
    ({"messages": [{"role": "user", "content": "工会"}], "n": 2}, "不能大于1"),
    ({"messages": [{"role": "user", "content": "工会"}], "stream": "often"}, "true 或 false"),
]


@pytest.mark.parametrize(("body", "zh"), BAD_CHAT)
def test_bad_chat_completion_is_422(client: TestClient, body: dict[str, Any], zh: str) -> None:
    err = assert_error(client.post("/v1/chat/completions", json=body), 422, "invalid_request")
    assert zh in err["message"], err["message"]


@pytest.mark.parametrize(("params", "zh"), [
    ({}, "缺少查询词"), ({"q": ""}, "查询词为空"), ({"q": "   "}, "问题为空"), ({"q": "问" * 1001}, "过长"),
    ({"q": "工会", "k": 0}, "不能小于1"), ({"q": "工会", "k": 51}, "不能大于50"), ({"q": "工会", "k": "五"}, "整数"),
])
def test_bad_search_is_422(client: TestClient, params: dict[str, Any], zh: str) -> None:
    err = assert_error(client.get("/v1/search", params=params), 422, "invalid_request")
    assert zh in err["message"]


def test_unknown_clause_and_path_are_404(client: TestClient) -> None:
    err = assert_error(client.get("/v1/clauses/union-law-2021/art-999"), 404, "not_found")
    assert "没有编号为" in err["message"]
    assert_error(client.get("/v1/clauses/" + "x" * 300), 422, "invalid_request")
    assert_error(client.get("/v1/nothing-here"), 404, "not_found")
    assert_error(client.post("/v1/clauses/x/y"), 405, "method_not_allowed")


def test_wrong_method_is_405_with_allow(client: TestClient) -> None:
    r = client.get("/v1/ask")
    assert_error(r, 405, "method_not_allowed")
    assert r.headers["allow"] == "POST"


def test_oversized_body_is_413(make_client: Any) -> None:
    c = make_client(max_body_bytes=4096)
    r = c.post("/v1/ask", json={"question": "工会", "history": [{"role": "user", "content": "长" * 3000}]})
    assert_error(r, 413, "payload_too_large")


def test_unexpected_failure_is_a_json_500_without_internals(client: TestClient) -> None:
    def boom() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    app = client.app
    app.router.routes.insert(0, APIRoute("/v1/boom", boom))  # type: ignore[attr-defined]
    r = client.get("/v1/boom")
    err = assert_error(r, 500, "internal_error")
    assert "secret" not in r.text and "RuntimeError" not in r.text
    assert 'assistant_unhandled_errors_total{route="/v1/boom"} 1.0' in client.get("/metrics").text
    assert err["details"] == []


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
ROLES = st.sampled_from(["user", "assistant", "system", "tool", "", "USER", 1, None])
TURN = st.fixed_dictionaries({"role": ROLES, "content": st.one_of(st.text(max_size=50), JSONISH)})
ASK_BODY = st.one_of(
    JSONISH,
    st.fixed_dictionaries({"question": st.one_of(st.text(max_size=1200), JSONISH)},
                          optional={"history": st.one_of(st.lists(TURN, max_size=25), JSONISH)}),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=ASK_BODY, route=st.sampled_from(["/v1/ask", "/v1/chat/completions", "/v1/ask/stream"]))
def test_bad_input_never_reaches_the_catch_all(client: TestClient, body: Any, route: str) -> None:
    if route == "/v1/chat/completions" and isinstance(body, dict) and "question" in body:
        history = body.get("history", [])
        last = {"role": "user", "content": body["question"]}
        body = {"messages": [*history, last] if isinstance(history, list) else history}
    r = post_json(client, route, body)
    assert r.status_code in (200, 422), r.text
    if r.status_code == 422:
        assert r.json()["error"]["code"] == "invalid_request"
    assert "assistant_unhandled_errors_total{" not in client.get("/metrics").text


def test_describe_falls_back_to_a_generic_bilingual_sentence() -> None:
    text = describe({"type": "url_parsing", "loc": ("body", "question"), "msg": "x"})
    assert text == "问题不符合要求。/ 'question' is invalid (url_parsing)."
