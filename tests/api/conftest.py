"""API fixtures: apps over the one session-loaded assistant, a TestClient, and a real uvicorn server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.api import ApiSettings, create_app
from assistant.api.server import serve_in_thread


@pytest.fixture
def make_client(bot: Any, tmp_path: Path) -> Iterator[Callable[..., TestClient]]:
    """Build an app with the given ApiSettings fields (audit file under tmp_path unless given) and a client for it."""
    clients: list[TestClient] = []

    def make(**fields: Any) -> TestClient:
        fields.setdefault("audit_file", tmp_path / "audit.jsonl")
        client = TestClient(create_app(bot, ApiSettings(**fields)), raise_server_exceptions=False)
        client.__enter__()  # run the lifespan, as a server would
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    """Open API (no keys), default limits."""
    return make_client()


@pytest.fixture(scope="session")
def live_app(bot: Any, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    from assistant.feedback import FeedbackStore
    from assistant.ui import mount_ui

    data = tmp_path_factory.mktemp("live")
    app = create_app(bot, ApiSettings(audit_file=data / "audit.jsonl"))
    return mount_ui(app, bot, FeedbackStore(data / "feedback.sqlite3"))


@pytest.fixture(scope="session")
def live_url(live_app: FastAPI) -> Iterator[str]:
    """A real uvicorn server on 127.0.0.1 (free port) serving the API and the page."""
    with serve_in_thread(live_app) as url:
        yield url
