"""Reply → chat message (Markdown with small HTML blocks): conclusion first, then follow-up, trace and 依据 panel."""

from __future__ import annotations

import html
from typing import Any

from assistant.clauses.store import ClauseStore
from assistant.corpus.base import Tier
from assistant.index.manifest import Manifest

_STATUS = {"needs_more_info": "需要补充信息", "out_of_scope": "超出本助手范围"}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _lines(text: object) -> str:
    # Inside an HTML block a blank line would end the block and hand the rest to Markdown: use <br> instead.
    return "<br>".join(_e(line) for line in str(text).splitlines())


def tier_label(tier: str) -> str:
    try:
        return Tier(tier).label
    except ValueError:
        return tier


def conclusion(reply: dict[str, Any]) -> str:
    """The answer text without the sections shown below it as structure (trace, 依据/原文 lines, 请补充 line).

    A section is dropped only when the reply carries it as data, so nothing the composer wrote is lost.
    """
    rule = reply.get("rule") or {}
    drop_trace = bool(rule.get("trace"))
    drop_basis = bool(reply.get("citations"))
    drop_ask = bool(reply.get("missing_facts"))
    kept: list[str] = []
    in_trace = False
    for line in str(reply.get("answer", "")).splitlines():
        stripped = line.strip()
        if in_trace and stripped.startswith("·"):
            continue
        in_trace = False
        if drop_trace and stripped.startswith("推导："):
            in_trace = True
            continue
        if (drop_basis and stripped.startswith(("依据：", "原文："))) or (drop_ask and stripped.startswith("请补充：")):
            continue
        kept.append(line)
    text = "\n".join(kept).strip()
    return text or str(reply.get("answer", "")).strip()


def citations_html(citations: list[dict[str, Any]]) -> str:
    """The collapsible 依据 panel: one entry per clause, each verbatim quote under it."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for c in citations:
        groups.setdefault(str(c.get("id")), []).append(c)
    items: list[str] = []
    for cid, quotes in groups.items():
        first = quotes[0]
        marks = f'<span class="ua-tier">{_e(tier_label(str(first.get("tier", ""))))}</span>'
        if first.get("superseded"):
            marks += ' <span class="ua-superseded">已失效</span>'
        note = f'<div class="ua-note">{_lines(first["note"])}</div>' if first.get("note") else ""
        body = "".join(f'<blockquote class="ua-quote">{_lines(q.get("quote", ""))}</blockquote>' for q in quotes)
        items.append(
            f'<div class="ua-cite"><div class="ua-cite-head"><b>{_e(first.get("source", ""))}'
            f'</b> {_e(first.get("locator", ""))} {marks} <code>{_e(cid)}</code></div>{note}{body}</div>'
        )
    return (f'<details class="ua-basis"><summary>依据（{len(groups)}处条文）</summary>{"".join(items)}</details>'
            if items else "")


def trace_html(rule: dict[str, Any] | None) -> str:
    if not rule or not rule.get("trace"):
        return ""
    steps = "".join(f"<li>{_lines(step)}</li>" for step in rule["trace"])
    summary = f"推理过程（规则 {_e(rule.get('id', ''))}）"
    return f'<details class="ua-trace"><summary>{summary}</summary><ol>{steps}</ol></details>'


def render_reply(reply: dict[str, Any]) -> str:
    """The assistant's chat message. HTML blocks are single lines so Markdown leaves them whole."""
    parts = []
    status = str(reply.get("status", ""))
    if status in _STATUS:
        parts.append(f'<span class="ua-status ua-{_e(status)}">{_STATUS[status]}</span>')
    parts.append(_e(conclusion(reply)))
    if reply.get("rewritten_question"):
        parts.append(f'<div class="ua-rewritten">本轮按此问题回答：{_lines(reply["rewritten_question"])}</div>')
    for fact in reply.get("missing_facts") or []:
        ask = _lines(fact.get("question", ""))
        parts.append(f'<div class="ua-ask"><b>请补充</b> 请在下一条消息中告诉我：{ask}</div>')
    parts.append(trace_html(reply.get("rule")))
    parts.append(citations_html(list(reply.get("citations") or [])))
    return "\n\n".join(p for p in parts if p)


def sources_line(store: ClauseStore, manifest: Manifest, llm_model: str | None) -> str:
    """Which sources and versions are loaded, the index build, and whether an LLM phrases answers."""
    docs = []
    for d in store.documents.values():
        state = "已失效" if d.superseded else "现行"
        docs.append(f"《{_e(d.short)}》{_e(d.version_date)}（{state}）")
    for q in store.quoted_sources.values():
        docs.append(f"《{_e(q.short)}》（仅引用条款）")
    mode = f"大模型 {_e(llm_model)} 组织语言，引用经核验" if llm_model else "未接入大模型：规则与原文检索直接作答"
    return (f'<div class="ua-sources">已载入来源：{"、".join(docs)}<br>'
            f"检索索引：{_e(manifest.model_id)}，{manifest.clauses}条，语料 {_e(manifest.corpus_sha)}，"
            f"构建于 {_e(manifest.built_at[:19])}；{mode}。"
            '接口文档：<a href="/docs" target="_blank">/docs</a></div>')
