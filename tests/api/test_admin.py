"""POST /v1/admin/reload: a key when keys are configured, localhost only without keys; an unchanged corpus keeps
the assistant and its reply cache. (A changed corpus under load: tests/lifecycle/test_live_reload.py.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.api.auth import hash_key
from assistant.api.service import Services
from tests.api.helpers import KEY

pytestmark = pytest.mark.integration

CPA = "我们会计师事务所有18名会员，可以单独建工会吗？"


def test_reload_needs_a_key_when_keys_are_configured(make_client: Callable[..., TestClient], bot: Any) -> None:
    c = make_client(key_hashes=(hash_key(KEY),))
    svc = c.app.state.services  # type: ignore[attr-defined]
    assert isinstance(svc, Services)
    auth = {"Authorization": f"Bearer {KEY}"}
    assert c.post("/v1/ask", json={"question": CPA}, headers=auth).status_code == 200
    assert len(svc.cache) == 1

    assert c.post("/v1/admin/reload").status_code == 401
    assert svc.bot is bot
    r = c.post("/v1/admin/reload", headers=auth)
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["changed"] is False and done["corpus_version"] == done["previous_version"]
    assert done["collection"] == bot.manifest.collection  # the same corpus: the same index generation
    assert svc.bot is bot and len(svc.cache) == 1  # nothing changed: nothing to swap
    reply = c.post("/v1/ask", json={"question": CPA}, headers=auth).json()
    assert reply["corpus_version"] == done["corpus_version"] and reply["status"] == "answered"


def test_without_keys_only_localhost_may_reload(client: TestClient, bot: Any) -> None:
    r = client.post("/v1/admin/reload")  # TestClient's peer is "testclient", not a loopback address
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert "localhost" in r.json()["error"]["message"]
    assert client.app.state.services.bot is bot  # type: ignore[attr-defined]
