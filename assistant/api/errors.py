"""JSON errors `{"error": {"code", "message": "中文 / English", "details"}}` for every failure the API can report."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from assistant.api.jsonresp import json_response
from assistant.api.schemas import error_body
from assistant.index.chroma import UNAVAILABLE_MESSAGE, IndexUnavailable

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5  # a restarted Chroma server answers within seconds


class ApiError(Exception):
    """An error with its HTTP status, machine code and bilingual message."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message, {"WWW-Authenticate": 'Bearer realm="assistant"'})


def not_found(message: str) -> ApiError:
    return ApiError(404, "not_found", message)


def invalid(message: str) -> ApiError:
    return ApiError(422, "invalid_request", message)


def unavailable(message: str = UNAVAILABLE_MESSAGE) -> ApiError:
    return ApiError(503, "index_unavailable", message, {"Retry-After": str(RETRY_AFTER_SECONDS)})


PAYLOAD_MESSAGE = "请求体过大。/ Request body too large."
INTERNAL_MESSAGE = "服务器内部错误，请稍后重试或联系管理员。/ Internal server error; please retry later."

_HTTP_MESSAGES = {
    400: ("bad_request", "请求格式不正确。/ Bad request."),
    404: ("not_found", "没有这个接口。/ No such endpoint."),
    405: ("method_not_allowed", "该接口不支持此请求方法。/ Method not allowed."),
    413: ("payload_too_large", PAYLOAD_MESSAGE),
    415: ("unsupported_media_type", "请求体须为 JSON。/ The body must be JSON."),
}

# Chinese and English names of the request fields, by their last named location part.
_FIELDS = {
    "question": ("问题", "question"),
    "history": ("对话历史", "history"),
    "role": ("角色", "role"),
    "content": ("内容", "content"),
    "messages": ("消息列表", "messages"),
    "q": ("查询词", "q"),
    "k": ("返回条数", "k"),
    "n": ("n", "n"),
    "stream": ("stream", "stream"),
    "model": ("模型名", "model"),
    "clause_id": ("条款编号", "clause id"),
}


def request_id_of(request: Request) -> str | None:
    rid = request.scope.get("state", {}).get("request_id")
    return rid if isinstance(rid, str) else None


def _loc(loc: Sequence[int | str]) -> str:
    """`("body", "history", 3, "role")` → `history[3].role`."""
    out = ""
    for part in loc[1:] if loc and loc[0] in ("body", "query", "path", "header") else loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "body"


def _field(loc: Sequence[int | str]) -> tuple[str, str]:
    """Chinese phrase and English name for a location, e.g. 对话历史第4条的角色 / history[3].role."""
    parts = [p for p in loc if p not in ("body", "query", "path", "header")]
    zh = ""
    for i, part in enumerate(parts):
        if isinstance(part, int):
            zh += f"第{part + 1}条"
            continue
        name = _FIELDS.get(str(part), (str(part), str(part)))[0]
        zh += ("的" + name) if i and isinstance(parts[i - 1], int) else name
    return (zh or "请求体"), _loc(loc)


def describe(error: dict[str, Any]) -> str:
    """One pydantic error as a readable Chinese sentence followed by its English version."""
    kind = str(error.get("type", ""))
    loc = tuple(error.get("loc", ()))
    ctx = error.get("ctx") or {}
    zh, en = _field(loc)
    if kind in ("blank", "text_only", "invalid_characters"):
        return str(error.get("msg", ""))
    if kind == "json_invalid":
        return "请求体不是合法的 JSON。/ The request body is not valid JSON."
    if kind == "model_attributes_type" and loc == ("body",):
        return ("请求体必须是 JSON 对象，并带 Content-Type: application/json。"
                "/ The body must be a JSON object sent as application/json.")
    if kind == "missing":
        if loc == ("body",):
            return "缺少请求体（JSON）。/ The JSON request body is missing."
        return f"缺少{zh}（{en}）。/ Field '{en}' is required."
    if kind == "string_too_long":
        n = ctx.get("max_length")
        return f"{zh}过长，请控制在{n}字以内。/ '{en}' must be at most {n} characters."
    if kind == "string_too_short":
        return f"{zh}为空。/ '{en}' is empty."
    if kind == "too_long":
        n = ctx.get("max_length")
        return f"{zh}过长，最多{n}条。/ '{en}' may have at most {n} items."
    if kind == "too_short":
        n = ctx.get("min_length")
        return f"{zh}至少需要{n}条。/ '{en}' needs at least {n} items."
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        return f"{zh}无效，应为 {expected.replace(' or ', ' 或 ')}。/ '{en}' must be {expected}."
    if kind == "string_unicode":
        return f"{zh}包含无法识别的字符。/ '{en}' contains invalid characters."
    if kind == "string_type":
        return f"{zh}必须是文本。/ '{en}' must be a string."
    if kind in ("list_type", "tuple_type"):
        return f"{zh}必须是列表。/ '{en}' must be a list."
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{zh}必须是 JSON 对象。/ '{en}' must be a JSON object."
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{zh}必须是整数。/ '{en}' must be an integer."
    if kind in ("bool_type", "bool_parsing"):
        return f"{zh}必须是 true 或 false。/ '{en}' must be true or false."
    if kind in ("greater_than_equal", "greater_than"):
        n = ctx.get("ge", ctx.get("gt"))
        return f"{zh}不能小于{n}。/ '{en}' must be at least {n}."
    if kind in ("less_than_equal", "less_than"):
        n = ctx.get("le", ctx.get("lt"))
        return f"{zh}不能大于{n}。/ '{en}' must be at most {n}."
    return f"{zh}不符合要求。/ '{en}' is invalid ({kind})."


def validation_details(errors: Sequence[Any]) -> list[dict[str, Any]]:
    # The offending input is never echoed back: it may be 10,000 characters or carry a secret.
    return [{"loc": "body" if e.get("type") == "json_invalid" else _loc(tuple(e.get("loc", ()))),
             "type": str(e.get("type", "")), "message": describe(e)} for e in errors]


def _error_response(request: Request, status: int, code: str, message: str,
                    details: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None) -> Response:
    return json_response(error_body(code, message, details, request_id_of(request)), status, headers)


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    details = validation_details(exc.errors())
    message = details[0]["message"] if details else "请求格式不正确。/ Invalid request."
    return _error_response(request, 422, "invalid_request", message, details)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return _error_response(request, exc.status, exc.code, exc.message, headers=exc.headers)


async def _index_unavailable(request: Request, exc: Exception) -> Response:
    # The detail (store URL, cause) is for the operator's log; the caller learns it is temporary.
    log.warning("%s %s: %s", request.method, request.url.path, exc)
    return await _api_error(request, unavailable())


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    fallback = ("http_error", f"请求失败（{exc.status_code}）。/ HTTP {exc.status_code}.")
    code, message = _HTTP_MESSAGES.get(exc.status_code, fallback)
    return _error_response(request, exc.status_code, code, message, headers=dict(exc.headers or {}))


def install(app: FastAPI) -> None:
    """Register the handlers; unhandled exceptions are caught by the request middleware (see middleware.py)."""
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(IndexUnavailable, _index_unavailable)
    app.add_exception_handler(StarletteHTTPException, _http)
