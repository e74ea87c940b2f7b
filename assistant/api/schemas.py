"""Request and response models of the HTTP API; replies themselves are the `Reply` contract unchanged."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from assistant.answer.reply import Reply

# The bounds, checked at the edge (422 before any work) and published in the OpenAPI schema.
MAX_QUESTION_CHARS = 1000
MAX_HISTORY_TURNS = 20
MAX_TURN_CHARS = 8000  # one history message; assistant answers may quote whole articles
MAX_SEARCH_K = 50


def _encodable(text: str, what: str) -> str:
    # A lone surrogate ("\ud800" in JSON) cannot be written back as UTF-8: refuse it here, not with a 500 later.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError(
            "invalid_characters", "{what}包含无法识别的字符。/ The {what_en} contains invalid characters.",
            {"what": what, "what_en": "text"},
        ) from None
    return text


class Turn(BaseModel):
    """One earlier message of the conversation, as the caller kept it (the server is stateless)."""

    model_config = ConfigDict(extra="ignore")

    role: Literal["user", "assistant"]
    content: str = Field(max_length=MAX_TURN_CHARS)

    @field_validator("content")
    @classmethod
    def _content(cls, value: str) -> str:
        return _encodable(value, "对话内容")


class AskRequest(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={"examples": [{"question": "我们会计师事务所有18名会员，可以单独建工会吗？", "history": []}]},
    )

    question: str = Field(max_length=MAX_QUESTION_CHARS, description="用户的问题（1–1000字）")
    history: list[Turn] = Field(default_factory=list, max_length=MAX_HISTORY_TURNS,
                                description="此前的对话，按时间顺序，最多20条")

    @field_validator("question")
    @classmethod
    def _question(cls, value: str) -> str:
        if not value.strip():
            raise PydanticCustomError("blank", "问题为空，请输入要咨询的问题。/ The question is empty.")
        return _encodable(value, "问题")

    def history_dicts(self) -> list[dict[str, str]]:
        return [{"role": t.role, "content": t.content} for t in self.history]


class ErrorDetail(BaseModel):
    loc: str
    type: str
    message: str


class ErrorInfo(BaseModel):
    code: str
    message: str = Field(description="中文 / English")
    details: list[ErrorDetail] = Field(default_factory=list)
    request_id: str | None = None


class ErrorResponse(BaseModel):
    error: ErrorInfo


class SearchHit(BaseModel):
    id: str
    source: str
    locator: str
    score: float
    text: str
    tier: str
    superseded: bool


class SearchResponse(BaseModel):
    query: str
    k: int
    hits: list[SearchHit]


class ClauseResponse(BaseModel):
    id: str
    doc_id: str
    source: str
    locator: str
    heading_path: list[str]
    tier: str
    tier_label: str
    version_date: str
    superseded: bool
    completeness: str
    text: str
    parent: str | None
    quoted: list[str]
    refs: list[str]
    versions: list[str]


class SourceInfo(BaseModel):
    id: str
    title: str
    short: str
    tier: str
    tier_label: str
    version: str
    version_date: str
    superseded: bool
    completeness: str
    clauses: int


class IndexInfo(BaseModel):
    corpus_sha: str
    model_id: str
    built_at: str
    clauses: int


class SourcesResponse(BaseModel):
    corpus_version: str = Field(description="与回答中的 corpus_version 相同（条款与规则的哈希）")
    clauses_sha: str
    index: IndexInfo
    documents: list[SourceInfo]
    quoted_sources: list[SourceInfo]


class Health(BaseModel):
    status: Literal["ok"]


class Readiness(BaseModel):
    status: Literal["ready", "not_ready"]
    checks: dict[str, bool]
    corpus_version: str | None = None
    model_id: str | None = None


# -- OpenAI-compatible chat completions -------------------------------------------------------


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    # system/developer messages are accepted for compatibility and ignored: instructions do not steer the answers.
    role: Literal["system", "developer", "user", "assistant"]
    content: str | list[ContentPart] | None = None

    @field_validator("content")
    @classmethod
    def _text_only(cls, value: str | list[ContentPart] | None) -> str | list[ContentPart] | None:
        if isinstance(value, list) and any(p.type != "text" for p in value):
            raise PydanticCustomError("text_only", "只支持文本消息。/ Only text content is supported.")
        return value

    def text(self) -> str:
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "".join(p.text or "" for p in self.content)


class ChatRequest(BaseModel):
    model_config = ConfigDict(
        extra="allow",  # temperature, max_tokens, user …: accepted and ignored
        json_schema_extra={"examples": [{"model": "union-assistant", "stream": False, "messages": [
            {"role": "user", "content": "派遣工应该先入哪边的工会？"}]}]},
    )

    model: str | None = None
    messages: list[ChatMessage] = Field(min_length=1, max_length=MAX_HISTORY_TURNS + 10)
    stream: bool = False
    n: int | None = Field(None, ge=1, le=1)


class ChatChoiceMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class ChatChoice(BaseModel):
    index: int
    message: ChatChoiceMessage
    finish_reason: Literal["stop"]


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[ChatChoice]
    assistant: Reply = Field(description="完整的回答结构：状态、引用原文、规则推理、缺少的事实")


def error_body(code: str, message: str, details: list[dict[str, Any]] | None = None,
               request_id: str | None = None) -> dict[str, Any]:
    info: dict[str, Any] = {"code": code, "message": message, "details": details or []}
    if request_id:
        info["request_id"] = request_id
    return {"error": info}
