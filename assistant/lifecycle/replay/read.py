"""Reading an audit file: the replies of the ask routes, with malformed lines reported instead of raised."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.lifecycle.audit import ASK_ROUTES, ReplyFacts
from assistant.lifecycle.replay.base import AuditEntry, Malformed, ReplayError


def read_audit(path: Path, limit: int | None = None) -> list[AuditEntry | Malformed]:
    """Ask-route replies and malformed lines in file order, at most `limit` of them; other lines are skipped."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ReplayError(f"找不到审计日志 {path}") from None
    except IsADirectoryError:
        raise ReplayError(f"{path} 是目录，请给出审计日志文件（JSON Lines）") from None
    except OSError as exc:
        raise ReplayError(f"无法读取审计日志 {path}：{exc.strerror}") from None
    items: list[AuditEntry | Malformed] = []
    for n, line in enumerate(raw.splitlines(), 1):
        if limit is not None and len(items) >= limit:
            break
        item = parse_line(n, line)
        if item is not None:
            items.append(item)
    return items


def parse_line(n: int, line: bytes) -> AuditEntry | Malformed | None:
    """None for blank lines and for lines that are not an ask route's reply (search, errors, other routes)."""
    if not line.strip():
        return None
    try:
        obj = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Malformed(n, f"不是合法的 JSON（{exc}）")
    if not isinstance(obj, dict):
        return Malformed(n, "不是 JSON 对象")
    if obj.get("route") not in ASK_ROUTES or not obj.get("reply_status"):
        return None
    try:
        return AuditEntry(
            line=n,
            recorded=_facts(obj),
            request_id=_opt_str(obj, "request_id"),
            question=_opt_str(obj, "question"),
            history=_history(obj.get("history")),
        )
    except ValueError as exc:
        return Malformed(n, str(exc))


def _facts(obj: dict[str, Any]) -> ReplyFacts:
    cited = obj.get("cited") or []
    if not isinstance(cited, list) or not all(isinstance(c, str) for c in cited):
        raise ValueError("cited 不是条款编号列表")
    return ReplyFacts(
        corpus_version=_opt_str(obj, "corpus_version") or "",
        status=str(obj["reply_status"]),
        cited=tuple(cited),
        rule=_opt_str(obj, "rule"),
        answer_sha=_opt_str(obj, "answer_sha") or "",
        cached=obj.get("cached") is True,
    )


def _opt_str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{key} 不是字符串")
    return value


def _history(value: Any) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    turns = value if isinstance(value, list) else None
    if turns is None or not all(
        isinstance(t, dict) and isinstance(t.get("role"), str) and isinstance(t.get("content"), str) for t in turns
    ):
        raise ValueError("history 不是 {role, content} 列表")
    return tuple((t["role"], t["content"]) for t in turns)
