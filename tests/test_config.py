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


def test_one_set_of_limits_everywhere() -> None:
    from assistant.api import schemas
    from assistant.config import LIMITS, Settings

    assert Settings().limits is LIMITS
    assert (schemas.MAX_QUESTION_CHARS, schemas.MAX_HISTORY_TURNS, schemas.MAX_TURN_CHARS) == (1000, 20, 8000)
    assert LIMITS.question_problem("问" * 1000) is None and "1001字" in str(LIMITS.question_problem("问" * 1001))
    assert LIMITS.history_problem([{"role": "user", "content": "工会"}] * 20) is None
    assert "21条" in str(LIMITS.history_problem([{"role": "user", "content": "工会"}] * 21))
    assert LIMITS.history_problem([{"role": "assistant", "content": "工" * 8000}]) is None
    assert "8001字" in str(LIMITS.history_problem([{"role": "assistant", "content": "工" * 8001}]))
