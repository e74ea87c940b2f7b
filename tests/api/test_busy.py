"""A full answer queue: the next request gets a JSON 503 with Retry-After at once; the queued ones still finish."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.api import ApiSettings, create_app
from tests.api.helpers import Gate

pytestmark = pytest.mark.integration


def test_full_queue_is_503_with_retry_after(bot: Any, tmp_path: Any) -> None:
    held = Gate(bot)
    settings = ApiSettings(worker_threads=1, queue_depth=0, reply_cache_size=0, audit_file=tmp_path / "a.jsonl")
    with TestClient(create_app(held, settings), raise_server_exceptions=False) as client:
        first: dict[str, Any] = {}
        worker = threading.Thread(
            target=lambda: first.setdefault("r", client.post("/v1/ask", json={"question": "出租车司机怎么入会？"}))
        )
        worker.start()
        assert held.entered.wait(30)  # the one worker is busy, nothing may wait
        refused = client.post("/v1/ask", json={"question": "派遣工加入哪个工会？"})
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "1"
        assert refused.json()["error"]["code"] == "busy"
        assert client.get("/healthz").status_code == 200  # the event loop is not blocked by the answer
        held.release.set()
        worker.join(30)
        assert first["r"].status_code == 200 and first["r"].json()["status"] == "answered"
        again = client.post("/v1/ask", json={"question": "派遣工加入哪个工会？"})
        assert again.status_code == 200
        metrics = client.get("/metrics").text
        assert "assistant_busy_refusals_total 1.0" in metrics
