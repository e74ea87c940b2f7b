import pytest
from pydantic import ValidationError

from assistant.config import Fusion, Settings


def test_defaults_are_offline_e5_and_embedded_chroma(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("ASSISTANT_EMBEDDING_MODEL", "ASSISTANT_CHROMA_URL", "ASSISTANT_FUSION"):
        monkeypatch.delenv(key, raising=False)
    s = Settings()
    assert s.is_e5 and s.q_prefix == "query: " and s.p_prefix == "passage: "
    assert s.chroma_url is None and s.chroma_dir == s.data_dir / "chroma"
    assert s.fusion is Fusion.COMBINED


def test_env_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_EMBEDDING_MODEL", "/models/some-minilm")
    monkeypatch.setenv("ASSISTANT_FUSION", "rrf")
    s = Settings()
    assert not s.is_e5 and s.q_prefix == "" and s.fusion is Fusion.RRF


def test_bad_values_fail_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_FUSION", "magic")
    with pytest.raises(ValidationError):
        Settings()
    with pytest.raises(ValueError):
        Fusion("magic")
