"""Schemathesis hooks: the rules of POST /v1/chat/completions that JSON Schema cannot state, for valid cases only.

The last message must be the user's question (not blank, at most 1000 characters), after at most 20 user/assistant
messages, each at most 8000 characters once its text parts are joined. Cases generated as valid are made to follow
them, so "valid request rejected" keeps meaning what it says; invalid cases are left alone. Named by
schemathesis.toml, so the CLI run from the repository root and tests/api/test_schemathesis.py both use it.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis import Case, GenerationMode, HookContext

from assistant.api.schemas import MAX_HISTORY_TURNS, MAX_QUESTION_CHARS, MAX_TURN_CHARS, not_blank

QUESTION = {"role": "user", "content": "派遣工应该先入哪边的工会？"}


def _text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return "".join(str(part.get("text") or "") for part in content if isinstance(part, dict))
    return content if isinstance(content, str) else ""


def _is_question(message: dict[str, Any]) -> bool:
    text = _text(message)
    return message.get("role") == "user" and not_blank(text) and len(text) <= MAX_QUESTION_CHARS


@schemathesis.hook("map_case").apply_to(method="POST", path="/v1/chat/completions")
def answerable_conversation(_: HookContext, case: Case) -> Case:
    meta = case.meta
    body = case.body
    if meta is None or meta.generation.mode != GenerationMode.POSITIVE or not isinstance(body, dict):
        return case
    messages = [m for m in body.get("messages", []) if isinstance(m, dict)]
    if not messages:
        return case
    question = messages[-1] if _is_question(messages[-1]) else QUESTION
    earlier = []
    for message in messages[:-1]:
        if len(_text(message)) > MAX_TURN_CHARS:
            message = {**message, "content": _text(message)[:MAX_TURN_CHARS]}
        earlier.append(message)
    turns = [i for i, m in enumerate(earlier) if m.get("role") in ("user", "assistant")]
    drop = set(turns[: max(0, len(turns) - MAX_HISTORY_TURNS)])  # the oldest turns beyond the limit
    case.body = {**body, "messages": [m for i, m in enumerate(earlier) if i not in drop] + [question]}
    return case
