"""Metrics by route and status with latency histograms; one audit JSON line per /v1 request."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.api.audit import AuditLog
from assistant.api.service import Services
from tests.api.helpers import Gate, audit_lines

CPA = "我们会计师事务所有18名会员，可以单独建工会吗？"


def test_audit_log_drops_questions_unless_enabled(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "x" / "a.jsonl")
    log.write({"request_id": "r1", "question": "秘密"})
    AuditLog(tmp_path / "x" / "a.jsonl", include_questions=True).write({"request_id": "r2", "question": "可见"})
    lines = audit_lines(tmp_path / "x" / "a.jsonl")
    assert "question" not in lines[0] and lines[1]["question"] == "可见"
    assert all(re.match(r"\d{4}-\d\d-\d\dT", rec["ts"]) for rec in lines)


def test_audit_log_without_a_file_uses_the_logger(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="assistant.audit"):
        AuditLog().write({"request_id": "r1", "status": 200})
    assert '"request_id":"r1"' in caplog.text


@pytest.mark.integration
def test_metrics_count_by_route_and_status_with_latency(client: TestClient) -> None:
    client.post("/v1/ask", json={"question": CPA})
    client.post("/v1/ask", json={"question": ""})
    client.get("/v1/clauses/guidance/6.2")
    client.get("/v1/clauses/none")
    text = client.get("/metrics").text
    assert 'assistant_http_requests_total{method="POST",route="/v1/ask",status="200"} 1.0' in text
    assert 'assistant_http_requests_total{method="POST",route="/v1/ask",status="422"} 1.0' in text
    assert 'assistant_http_requests_total{method="GET",route="/v1/clauses/{clause_id:path}",status="404"} 1.0' in text
    assert 'assistant_http_request_seconds_count{method="POST",route="/v1/ask"} 2.0' in text
    assert 'assistant_http_request_seconds_bucket{le="0.05",method="POST",route="/v1/ask"}' in text
    assert 'assistant_replies_total{route="/v1/ask",status="answered"} 1.0' in text


@pytest.mark.integration
def test_audit_line_per_request(make_client: Any, tmp_path: Path) -> None:
    c = make_client(audit_file=tmp_path / "audit.jsonl")
    r = c.post("/v1/ask", json={"question": CPA}, headers={"X-Request-ID": "desk-1"})
    c.post("/v1/ask", json={"question": "x" * 2000})
    c.get("/v1/search", params={"q": "工会经费"})
    c.get("/healthz")  # not a /v1 request: not audited
    lines = audit_lines(tmp_path / "audit.jsonl")
    assert len(lines) == 3
    first = lines[0]
    assert first["request_id"] == "desk-1" == r.headers["x-request-id"]
    assert first["route"] == "/v1/ask" and first["status"] == 200 and first["reply_status"] == "answered"
    assert first["cited"] == [c["id"] for c in r.json()["citations"]]
    assert first["key_id"] is None and first["latency_ms"] > 0
    assert "question" not in first and CPA not in (tmp_path / "audit.jsonl").read_text(encoding="utf-8")
    assert lines[1]["status"] == 422 and lines[1]["reply_status"] is None
    assert lines[2]["route"] == "/v1/search"


@pytest.mark.integration
def test_audit_questions_when_enabled(make_client: Any, tmp_path: Path) -> None:
    c = make_client(audit_file=tmp_path / "q.jsonl", audit_questions=True)
    c.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": CPA}]})
    assert audit_lines(tmp_path / "q.jsonl")[0]["question"] == CPA


@pytest.mark.integration
def test_blocking_answers_run_in_the_threadpool(client: TestClient) -> None:
    svc = client.app.state.services  # type: ignore[attr-defined]
    assert isinstance(svc, Services)
    gate = Gate(svc.bot)
    svc.bot = gate
    result: dict[str, Any] = {}
    worker = threading.Thread(target=lambda: result.update(r=client.post("/v1/ask", json={"question": CPA})))
    worker.start()
    try:
        assert gate.entered.wait(10)
        t0 = time.perf_counter()
        assert client.get("/healthz").status_code == 200  # served while an answer is still being computed
        assert time.perf_counter() - t0 < 2
        assert "r" not in result
    finally:
        gate.release.set()
        worker.join(10)
        svc.bot = gate.bot
    assert result["r"].status_code == 200
