"""API keys (hashes only, constant-time), 401 without/with a wrong key, per-key 429 with Retry-After."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from assistant.api.auth import KeyRing, RateLimiter, bearer_token, hash_key, key_id, new_key
from assistant.api.settings import ApiSettings
from tests.api.helpers import KEY, OTHER_KEY, audit_lines

CPA = "我们会计师事务所有18名会员，可以单独建工会吗？"


# -- units ---------------------------------------------------------------------------------


def test_keyring_identifies_by_hash_and_never_keeps_the_key() -> None:
    ring = KeyRing((hash_key(KEY), hash_key(OTHER_KEY)))
    assert ring.enabled
    assert ring.identify(KEY) == key_id(hash_key(KEY)) == hash_key(KEY)[:12]
    assert ring.identify(OTHER_KEY) == hash_key(OTHER_KEY)[:12]
    assert ring.identify(KEY + "x") is None and ring.identify("") is None
    assert ring.identify("\ud800") is None  # odd input is just a wrong key
    assert KEY not in repr(vars(ring))
    assert not KeyRing(()).enabled


def test_new_key_round_trips() -> None:
    key, digest = new_key()
    assert KeyRing((digest,)).identify(key) is not None and len(key) > 40


@pytest.mark.parametrize(("header", "token"), [
    ("Bearer abc", "abc"), ("bearer   abc ", "abc"), ("Basic abc", None), ("Bearer", None), ("", None), (None, None),
])
def test_bearer_token(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token


def test_token_bucket_refills_at_its_rate() -> None:
    now = [100.0]
    limiter = RateLimiter(rate=2.0, burst=3, clock=lambda: now[0])
    assert [limiter.acquire("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter.acquire("a")
    assert wait == pytest.approx(0.5)
    assert RateLimiter.retry_after(wait) == 1
    assert limiter.acquire("b") == 0.0  # buckets are per key
    now[0] += 0.5
    assert limiter.acquire("a") == 0.0
    now[0] += 100
    assert [limiter.acquire("a") for _ in range(3)] == [0.0, 0.0, 0.0]  # refills to burst, not beyond
    assert limiter.acquire("a") > 0


def test_token_bucket_table_is_bounded() -> None:
    now = [0.0]
    limiter = RateLimiter(rate=1.0, burst=1, clock=lambda: now[0], max_keys=10)
    for i in range(10):
        limiter.acquire(f"addr{i}")
    now[0] += 5  # all refilled: forgettable
    limiter.acquire("new")
    assert len(limiter._buckets) == 1


def test_settings_take_digests_from_env_and_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keys = tmp_path / "keys.txt"
    keys.write_text(f"# help desk A\n{hash_key(OTHER_KEY)}  # desk B\n\n", encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_API_KEY_HASHES", f" {hash_key(KEY).upper()} ,")
    monkeypatch.setenv("ASSISTANT_API_KEYS_FILE", str(keys))
    s = ApiSettings()
    assert s.all_key_hashes() == (hash_key(KEY), hash_key(OTHER_KEY))
    monkeypatch.setenv("ASSISTANT_API_KEY_HASHES", KEY)  # a raw key where a digest belongs is refused
    with pytest.raises(ValidationError):
        ApiSettings()


# -- over HTTP -----------------------------------------------------------------------------

integration = pytest.mark.integration


@integration
def test_open_when_no_keys_are_configured(client: TestClient) -> None:
    assert client.post("/v1/ask", json={"question": CPA}).status_code == 200
    assert client.get("/v1/sources").status_code == 200


@integration
@pytest.mark.parametrize("route", ["/v1/sources", "/v1/search?q=工会", "/v1/clauses/guidance/6.2", "/v1/nope"])
@pytest.mark.parametrize("header", [None, "Bearer wrong-key", f"Basic {KEY}", "Bearer "])
def test_keys_on_every_v1_route_needs_a_valid_bearer(make_client: Any, route: str, header: str | None) -> None:
    c = make_client(key_hashes=(hash_key(KEY),))
    r = c.get(route, headers={"Authorization": header} if header else {})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthorized"
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert "API 密钥" in r.json()["error"]["message"]


@integration
def test_keys_on_valid_key_passes_and_ops_routes_stay_open(make_client: Any) -> None:
    c = make_client(key_hashes=(hash_key(KEY), hash_key(OTHER_KEY)))
    auth = {"Authorization": f"Bearer {KEY}"}
    assert c.post("/v1/ask", json={"question": CPA}, headers=auth).status_code == 200
    assert c.post("/v1/chat/completions", headers={"Authorization": f"Bearer {OTHER_KEY}"},
                  json={"messages": [{"role": "user", "content": CPA}]}).status_code == 200
    for path in ("/healthz", "/readyz", "/metrics", "/docs", "/openapi.json"):
        assert c.get(path).status_code == 200, path


@integration
def test_auth_is_checked_before_the_body(make_client: Any) -> None:
    c = make_client(key_hashes=(hash_key(KEY),))
    assert c.post("/v1/ask", json={"question": ""}).status_code == 401


@integration
def test_rate_limit_per_key_gives_429_with_retry_after(make_client: Any) -> None:
    c = make_client(key_hashes=(hash_key(KEY), hash_key(OTHER_KEY)), rate_per_second=0.2, rate_burst=3)
    a, b = {"Authorization": f"Bearer {KEY}"}, {"Authorization": f"Bearer {OTHER_KEY}"}
    assert [c.get("/v1/sources", headers=a).status_code for _ in range(3)] == [200, 200, 200]
    r = c.get("/v1/sources", headers=a)
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(r.headers["retry-after"]) <= 5
    assert "请求过于频繁" in r.json()["error"]["message"]
    assert c.get("/v1/sources", headers=b).status_code == 200  # another key has its own bucket
    assert c.get("/healthz").status_code == 200  # ops routes are not limited


@integration
def test_anonymous_rate_limit_only_when_enabled(make_client: Any) -> None:
    open_ = make_client(rate_per_second=0.1, rate_burst=1)
    assert {open_.get("/v1/sources").status_code for _ in range(5)} == {200}
    limited = make_client(rate_per_second=0.1, rate_burst=1, rate_limit_anonymous=True)
    assert [limited.get("/v1/sources").status_code for _ in range(2)] == [200, 429]


@integration
def test_keys_never_reach_the_audit_log(make_client: Any, tmp_path: Path) -> None:
    c = make_client(key_hashes=(hash_key(KEY),), audit_file=tmp_path / "a.jsonl")
    c.post("/v1/ask", json={"question": CPA}, headers={"Authorization": f"Bearer {KEY}"})
    c.get("/v1/sources", headers={"Authorization": "Bearer not-the-key"})
    text = (tmp_path / "a.jsonl").read_text(encoding="utf-8")
    assert KEY not in text and "not-the-key" not in text and hash_key(KEY) not in text
    lines = audit_lines(tmp_path / "a.jsonl")
    assert [(rec["status"], rec["key_id"]) for rec in lines] == [(200, hash_key(KEY)[:12]), (401, None)]
