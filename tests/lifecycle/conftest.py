"""Lifecycle fixtures: a throwaway copy of the corpus per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture
def corpus_copy(tmp_path: Path, corpus_dir: Path) -> Path:
    """A private copy of corpus/ (tests edit it; the real corpus is never touched)."""
    dst = tmp_path / "corpus"
    shutil.copytree(corpus_dir, dst)
    return dst
