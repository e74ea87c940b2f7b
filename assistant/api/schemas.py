"""Request and response models of the HTTP API; replies themselves are the `Reply` contract unchanged."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

from assistant.answer.reply import Reply
from assistant.config import LIMITS

# The one set of limits (assistant.config.Limits), checked at the edge (422 before any work) and published in the
# OpenAPI schema.
MAX_QUESTION_CHARS = LIMITS.question_chars
MAX_HISTORY_TURNS = LIMITS.history_turns
MAX_TURN_CHARS = LIMITS.turn_chars
MAX_SEARCH_K = 50

# A question needs one character that normalisation keeps: whitespace, control and invisible format characters are
# dropped or folded to spaces (assistant.text.normalize), so a question of only those is empty. Published as the
# `pattern` of question fields; only \xHH and \uHHHH escapes, so JSON Schema (ECMA-262), Rust (jsonschema-rs) and
# Python regexes read it alike. tests/api/test_schemathesis.py checks it against normalize() for every code point.
NOT_BLANK = r"[^\x00-\x20\x7f\x85\xa0\u1680\u2000-\u200f\u2028-\u202f\u205f\u2066-\u2069\u3000\ufeff]"
_MEANINGFUL = re.compile(NOT_BLANK)


def not_blank(text: str) -> bool:
    return _MEANINGFUL.search(text) is not None


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

    # The pattern is checked by `_question` below, so a blank question keeps its own error type and message.
    question: str = Field(max_length=MAX_QUESTION_CHARS, description=f"用户的问题（1–{MAX_QUESTION_CHARS}字）",
                          json_schema_extra={"pattern": NOT_BLANK})
    history: list[Turn] = Field(default_factory=list, max_length=MAX_HISTORY_TURNS,
                                description=f"此前的对话，按时间顺序，最多{MAX_HISTORY_TURNS}条")

    @field_validator("question")
    @classmethod
    def _question(cls, value: str) -> str:
        if not not_blank(value):
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


def _error(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"model": ErrorResponse, "description": description, **({"headers": headers} if headers else {})}


def _retry_after(what: str) -> dict[str, Any]:
    return {"Retry-After": {"description": what, "required": True, "schema": {"type": "integer", "minimum": 1}}}


# Every status a /v1 route can answer besides its own, in one place so no route forgets one (the router applies it).
API_ERRORS: dict[int | str, dict[str, Any]] = {
    400: _error("请求体无法解析（例如不是 UTF-8）"),
    401: _error("缺少或无效的 API 密钥（配置了密钥时）", {"WWW-Authenticate": {
        "description": 'Bearer realm="assistant"', "required": True, "schema": {"type": "string"}}}),
    413: _error("请求体过大"),
    422: _error("请求不合法（中文 / English 说明）"),
    429: _error("请求过于频繁", _retry_after("多少秒后可以重试")),
    500: _error("服务器内部错误（详情只写入服务器日志，可按 request_id 查找）"),
}
# Routes that compute an answer or search: a vector store that does not answer, or a full answer queue, is a
# temporary 503.
INDEX_ERRORS: dict[int | str, dict[str, Any]] = {
    503: _error("检索索引暂时不可用，或服务繁忙（答题队列已满）", _retry_after("多少秒后可以重试")),
}
# /healthz, /readyz, /metrics: no keys, limits or bodies, only the catch-all.
OPS_ERRORS: dict[int | str, dict[str, Any]] = {500: API_ERRORS[500]}


# -- Server-Sent Events, described per event as FastAPI documents its own streams (OpenAPI 3.2 `itemSchema`) ------

_REPLY_REF = {"$ref": "#/components/schemas/Reply"}  # registered by /v1/ask's response_model


def _json_data(schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": "string", "contentMediaType": "application/json", "contentSchema": schema}


def _event(name: str, data: dict[str, Any]) -> dict[str, Any]:
    # Without an `event:` line the event's type is "message" (WHATWG).
    return {"type": "object", "required": ["event", "data"],
            "properties": {"event": {"const": name}, "data": data, "id": {"type": "string"},
                           "retry": {"type": "integer", "minimum": 0}}}


_PIECE = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}
ASK_EVENTS: dict[str, Any] = {"oneOf": [_event("piece", _json_data(_PIECE)), _event("reply", _json_data(_REPLY_REF))]}

_CHUNK = {
    "type": "object",
    "required": ["id", "object", "created", "model", "choices"],
    "properties": {
        "id": {"type": "string"},
        "object": {"const": "chat.completion.chunk"},
        "created": {"type": "integer"},
        "model": {"type": "string"},
        "choices": {"type": "array", "items": {
            "type": "object",
            "required": ["index", "delta", "finish_reason"],
            "properties": {
                "index": {"type": "integer"},
                "delta": {"type": "object", "properties": {"role": {"const": "assistant"},
                                                           "content": {"type": "string"}}},
                "finish_reason": {"enum": ["stop", None]},
            },
        }},
        "assistant": _REPLY_REF,  # on the last chunk only
    },
}
CHAT_EVENTS: dict[str, Any] = _event("message", {"anyOf": [_json_data(_CHUNK), {"const": "[DONE]"}]})


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
    message: str | None = None  # why not ready (中文 / English)


class ReloadResponse(BaseModel):
    """POST /v1/admin/reload: the corpus version served before and now, and the index generation in use."""

    corpus_version: str
    previous_version: str
    changed: bool
    collection: str
    vectors: int
    seconds: float


# -- OpenAI-compatible chat completions -------------------------------------------------------


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="ignore")

    # Other part types (image_url …) are refused by ChatMessage with their own message; the schema says "text".
    type: str = Field(json_schema_extra={"const": "text"})
    text: str | None = Field(None, max_length=MAX_TURN_CHARS)


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    # system/developer messages are accepted for compatibility and ignored: instructions do not steer the answers.
    role: Literal["system", "developer", "user", "assistant"]
    # The length is checked on the joined text below (parts may be split anywhere), for every role alike.
    content: (Annotated[str, WithJsonSchema({"type": "string", "maxLength": MAX_TURN_CHARS})]
              | list[ContentPart] | None) = None

    @field_validator("content")
    @classmethod
    def _text_only(cls, value: str | list[ContentPart] | None) -> str | list[ContentPart] | None:
        if isinstance(value, list) and any(p.type != "text" for p in value):
            raise PydanticCustomError("text_only", "只支持文本消息。/ Only text content is supported.")
        if value is not None and len(_joined(value)) > MAX_TURN_CHARS:
            raise PydanticCustomError("string_too_long", "too long", {"max_length": MAX_TURN_CHARS})
        return value

    def text(self) -> str:
        return "" if self.content is None else _joined(self.content)


def _joined(content: str | list[ContentPart]) -> str:
    return content if isinstance(content, str) else "".join(p.text or "" for p in content)


class ChatRequest(BaseModel):
    model_config = ConfigDict(
        extra="allow",  # temperature, max_tokens, user …: accepted and ignored
        json_schema_extra={"examples": [{"model": "union-assistant", "stream": False, "messages": [
            {"role": "user", "content": "派遣工应该先入哪边的工会？"}]}]},
    )

    model: str | None = None
    messages: list[ChatMessage] = Field(min_length=1, max_length=MAX_HISTORY_TURNS + 10)
    # Strict: what the schema says and nothing it does not (no "yes" or 1 for true, no "1" or 1.0 for 1).
    stream: bool = Field(False, strict=True)
    n: int | None = Field(None, ge=1, le=1, strict=True)


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
