"""UI fixtures: a real server (API + page) on 127.0.0.1 with its feedback store in a temporary directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.api import ApiSettings, create_app
from assistant.api.server import serve_in_thread
from assistant.feedback import FeedbackStore
from assistant.ui import mount_ui


@pytest.fixture(scope="session")
def ui_feedback(tmp_path_factory: pytest.TempPathFactory) -> FeedbackStore:
    return FeedbackStore(tmp_path_factory.mktemp("ui") / "feedback.sqlite3")


@pytest.fixture(scope="session")
def ui_url(bot: Any, ui_feedback: FeedbackStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    audit: Path = tmp_path_factory.mktemp("ui-audit") / "audit.jsonl"
    app = mount_ui(create_app(bot, ApiSettings(audit_file=audit)), bot, ui_feedback)
    with serve_in_thread(app) as url:
        yield url
