"""Shared fixtures: the real corpus, and (for integration tests) the real model and index under .data."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.clauses import ClauseStore
from assistant.config import Settings

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "test-output"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return ROOT / "corpus"


@pytest.fixture(scope="session")
def store(corpus_dir: Path) -> ClauseStore:
    return ClauseStore.load(corpus_dir)


@pytest.fixture(scope="session")
def bot():  # type: ignore[no-untyped-def]
    """The real assistant on the default settings (model converted and index built by `make index`)."""
    from assistant.core import Assistant

    return Assistant.load(Settings())
