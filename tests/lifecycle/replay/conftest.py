"""Replay fixtures: a throwaway data dir sharing the model folder, its index seeded from the default one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.config import Settings
from assistant.lifecycle.replay.run import seed_index


@pytest.fixture
def data_dir(tmp_path: Path, bot: Any) -> Path:
    """Snapshots, replay indexes and audit files land here, never under the default .data."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "models").symlink_to(bot.settings.model_dir.resolve())
    assert seed_index(bot.settings, Settings(data_dir=data))  # copies vectors: nothing is embedded again
    return data
