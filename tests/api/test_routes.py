"""Every route through TestClient over the real assistant: shapes, the reply contract unchanged, docs."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.answer.reply import Reply

pytestmark = pytest.mark.integration

CPA = "我们会计师事务所有18名会员，可以单独建工会吗？"


def test_ask_returns_the_reply_contract_unchanged(client: TestClient, bot: Any) -> None:
    r = client.post("/v1/ask", json={"question": CPA})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.json() == bot.ask(CPA).to_dict()
    reply = Reply.model_validate(r.json())
    assert reply.status.value == "answered"
    assert reply.rule is not None and reply.rule.trace
    assert any(c.id == "union-law-2021/art-11" for c in reply.citations)
    for c in reply.citations:  # every quote is verbatim in its clause
        assert c.quote.replace(" ", "")[:20] in bot.store[c.id].text.replace(" ", "")


def test_ask_with_history_rewrites_the_follow_up(client: TestClient, bot: Any) -> None:
    history = [{"role": "user", "content": CPA}, {"role": "assistant", "content": bot.ask(CPA).answer}]
    r = client.post("/v1/ask", json={"question": "如果有30名会员呢？", "history": history})
    assert r.status_code == 200
    body = r.json()
    assert body == bot.ask("如果有30名会员呢？", history).to_dict()
    assert body["rewritten_question"]


def test_ask_needs_more_info_and_out_of_scope(client: TestClient) -> None:
    more = client.post("/v1/ask", json={"question": "我们会计所想建工会，可以单独建吗？"}).json()
    assert more["status"] == "needs_more_info" and more["missing_facts"]
    out = client.post("/v1/ask", json={"question": "今天天气怎么样"}).json()
    assert out["status"] == "out_of_scope" and out["citations"] == []


def test_search(client: TestClient) -> None:
    r = client.get("/v1/search", params={"q": "会计师事务所不足25人怎么建会", "k": 3})
    assert r.status_code == 200
    body = r.json()
    assert body["k"] == 3 and len(body["hits"]) == 3
    for hit in body["hits"]:
        assert {"id", "source", "locator", "score", "text", "tier", "superseded"} <= hit.keys()
    scores = [h["score"] for h in body["hits"]]
    assert scores == sorted(scores, reverse=True)
    assert client.get("/v1/search", params={"q": "工会法第十一条"}).json()["hits"][0]["id"] == "union-law-2021/art-11"


def test_clause(client: TestClient, bot: Any) -> None:
    r = client.get("/v1/clauses/union-law-2021/art-11")
    assert r.status_code == 200
    assert r.json() == bot.store["union-law-2021/art-11"].to_dict()
    quoted = client.get("/v1/clauses/acftu-dispatch-rule/art-1").json()
    assert quoted["parent"] and quoted["tier"] == "acftu_rule"


def test_sources(client: TestClient, bot: Any) -> None:
    body = client.get("/v1/sources").json()
    ids = {d["id"] for d in body["documents"]}
    assert ids == set(bot.store.documents)
    old = next(d for d in body["documents"] if d["id"] == "union-law-2009")
    assert old["superseded"] is True and old["clauses"] > 50
    assert {q["id"] for q in body["quoted_sources"]} == set(bot.store.quoted_sources)
    assert body["index"]["model_id"] == bot.manifest.model_id
    assert body["corpus_version"] == bot.ask(CPA).corpus_version  # the same version replies carry


def test_health_ready_metrics(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    assert all(ready.json()["checks"].values())
    metrics = client.get("/metrics")
    assert metrics.status_code == 200 and metrics.headers["content-type"].startswith("text/plain")
    assert 'assistant_http_requests_total{method="GET",route="/healthz",status="200"} 1.0' in metrics.text


def test_openapi_and_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/v1/ask", "/v1/ask/stream", "/v1/chat/completions", "/v1/search", "/v1/clauses/{clause_id}",
                 "/v1/sources", "/healthz", "/readyz", "/metrics"):
        assert path in spec["paths"], path
    schema = spec["components"]["schemas"]["AskRequest"]["properties"]
    assert schema["question"]["maxLength"] == 1000 and schema["history"]["maxItems"] == 20
    assert "/v1/{rest}" not in spec["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_request_id_is_echoed_or_made(client: TestClient) -> None:
    assert client.get("/healthz", headers={"X-Request-ID": "desk-42"}).headers["x-request-id"] == "desk-42"
    made = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"}).headers["x-request-id"]
    assert len(made) == 32 and " " not in made


def test_page_is_mounted_at_root_beside_the_api(live_app: Any) -> None:
    with TestClient(live_app) as c:
        page = c.get("/")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert c.get("/healthz").json() == {"status": "ok"}
        assert c.get("/v1/nope").json()["error"]["code"] == "not_found"  # JSON, not the page's HTML 404
        config = c.get("/config").json()
        assert config["title"] == "工会建会入会政策助手"
