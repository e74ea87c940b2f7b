"""Schemathesis against the served OpenAPI: no 500s; statuses, content types, headers and bodies as documented.

Every operation of the real server (uvicorn, real assistant), open and with an API key: schema examples, the coverage
phase (boundaries, missing and wrong-typed fields, undeclared methods) and property-based fuzzing of valid and invalid
requests, with all of schemathesis' default checks. The CLI equivalent against a running server is in README.md.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import BaseSchema, Case

import tests.api.schemathesis_hooks  # noqa: F401  (the config names it too; imported here whatever the cwd)
from assistant.api import ApiSettings, create_app
from assistant.api.auth import hash_key
from assistant.api.schemas import not_blank
from assistant.api.server import serve_in_thread
from assistant.text.normalize import normalize
from tests.api.helpers import KEY

pytestmark = pytest.mark.integration
CONFIG = Path(__file__).resolve().parents[2] / "schemathesis.toml"  # shared with the CLI

# Per operation and phase; ~10 operations × 2 servers. Raise locally to search harder (`--max-examples` in the CLI).
MAX_EXAMPLES = 25


@dataclass(frozen=True)
class Served:
    url: str
    headers: dict[str, str]


@pytest.fixture(scope="module", params=["open", "keyed"])
def served(request: pytest.FixtureRequest, bot: Any, live_url: str, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[Served]:
    """The open API is the session's live server (API and chat page); the keyed one gets its own uvicorn."""
    if request.param == "open":
        yield Served(live_url, {})
        return
    audit: Path = tmp_path_factory.mktemp("schemathesis") / "audit.jsonl"
    # A bucket the fuzzer cannot empty: it is not what the limit is for (429 stays documented all the same).
    api = ApiSettings(key_hashes=(hash_key(KEY),), rate_per_second=10_000, rate_burst=100_000, audit_file=audit)
    with serve_in_thread(create_app(bot, api)) as url:
        yield Served(url, {"Authorization": f"Bearer {KEY}"})


@pytest.fixture
def api_schema(served: Served, request: pytest.FixtureRequest) -> BaseSchema:
    # schemathesis 4.32.5's lazy schemas read `node._nodeid`, which pytest 9.2 no longer has (it became `_id`).
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid
    schema = schemathesis.openapi.from_url(f"{served.url}/openapi.json", config=schemathesis.Config.from_path(CONFIG))
    if served.headers:
        schema.config.update(headers=served.headers)
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi(case: Case) -> None:
    case.call_and_validate(timeout=60)


def test_served_schema_documents_every_status_and_stream(served: Served) -> None:
    """What the fuzzer cannot reach at will is still documented: 401/429/500/503, the SSE events, the bearer key."""
    doc = requests.get(f"{served.url}/openapi.json", timeout=10).json()
    operations = {(m.upper(), p): op for p, item in doc["paths"].items() for m, op in item.items()}
    for (method, path), op in operations.items():
        codes = set(op["responses"])
        if path.startswith("/v1/"):
            assert {"200", "400", "401", "413", "422", "429", "500"} <= codes, (method, path, codes)
            assert op["responses"]["429"]["headers"]["Retry-After"]["required"]
            assert ("security" in op) == bool(served.headers), (method, path)
        else:
            assert {"200", "500"} <= codes, (method, path, codes)
    for path in ("/v1/ask", "/v1/ask/stream", "/v1/chat/completions", "/v1/search"):
        assert "503" in operations["POST" if path != "/v1/search" else "GET", path]["responses"], path
    for path in ("/v1/ask/stream", "/v1/chat/completions"):
        stream = operations["POST", path]["responses"]["200"]["content"]["text/event-stream"]
        assert stream["itemSchema"], path
    assert "Reply" in doc["components"]["schemas"]  # the streams' final events refer to it


def test_not_blank_matches_what_normalisation_keeps() -> None:
    """The published NOT_BLANK pattern and the retriever agree on every code point (outside the surrogates)."""
    disagree = [hex(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF
                and not_blank(chr(cp)) != bool(normalize(chr(cp)))]
    assert not disagree
