"""Fixtures for the rules tests: one engine over the real corpus."""

from __future__ import annotations

import pytest

from assistant.clauses import ClauseStore
from assistant.rules import RulesEngine


@pytest.fixture(scope="session")
def engine(store: ClauseStore) -> RulesEngine:
    return RulesEngine(store)
