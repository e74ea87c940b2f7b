"""JSON encoding for responses: readable UTF-8 Chinese, never a 500 on an unencodable character."""

from __future__ import annotations

import json
from typing import Any

import orjson  # installed with gradio; several times faster than json for reply-sized bodies
from starlette.responses import Response


def dumps(data: Any) -> bytes:
    try:
        return orjson.dumps(data)
    except TypeError:  # a lone surrogate (or an odd type): \u-escaped JSON is still valid JSON
        return json.dumps(data, ensure_ascii=True, separators=(",", ":"), default=str).encode("ascii")


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    # A plain Response with pre-encoded bytes skips FastAPI's re-validation of the return value.
    return Response(dumps(data), status_code=status, headers=headers, media_type="application/json")
