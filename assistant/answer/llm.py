"""Optional LLM (langchain chat model, e.g. ChatOpenAI on vLLM/Ollama/Qwen): rewrites follow-ups and phrases
answers from the retrieved clauses only. Its output is untrusted: citations go through the same gate, rule
numbers never come from it, and any error or timeout falls back to the deterministic composer."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.retrieve.base import Hit

SYSTEM = (
    "你是工会建会入会政策助手。只能依据用户消息中给出的条款回答，不得使用条款以外的知识，不得编造条款。"
    "先给结论，再说明依据；不超过300字。"
    '只输出一个JSON对象：{"answer": "中文回答", '
    '"citations": [{"id": "条款ID", "quote": "从该条款原文中逐字摘录的句子"}]}。'
)
REWRITE = (
    "把用户的追问改写成一个不依赖上下文、可以单独理解的中文问题，保留上文中的主体、话题和数字。只输出改写后的问题本身。"
)
_JSON = re.compile(r"\{.*\}", re.S)


class LLMError(RuntimeError):
    """The model failed, timed out or answered in an unusable form."""


class LLM:
    def __init__(self, model: BaseChatModel) -> None:
        self.model = model

    @classmethod
    def from_settings(cls, base_url: str, model: str, api_key: str | None, timeout: float) -> LLM:
        from langchain_openai import ChatOpenAI

        chat = ChatOpenAI(
            base_url=base_url, model=model, api_key=api_key or "EMPTY", timeout=timeout, max_retries=0, temperature=0
        )
        return cls(chat)

    def _call(self, system: str, user: str) -> str:
        try:
            out = self.model.invoke([SystemMessage(system), HumanMessage(user)])
        except Exception as exc:  # network, timeout, provider errors: all mean "fall back"
            raise LLMError(str(exc)) from exc
        content = out.content if isinstance(out.content, str) else json.dumps(out.content, ensure_ascii=False)
        return content.strip()

    def rewrite(self, question: str, history: Sequence[dict[str, str]]) -> str:
        convo = "\n".join(f"{t['role']}: {t['content']}" for t in history[-6:])
        text = self._call(REWRITE, f"上文：\n{convo}\n\n追问：{question}")
        if not text or len(text) > 300:
            raise LLMError("unusable rewrite")
        return text

    def phrase(self, question: str, hits: Sequence[Hit]) -> tuple[str, list[dict[str, Any]]]:
        """(answer, [{"id", "quote"}]) — the caller verifies every citation."""
        ctx = "\n\n".join(f"[{h.clause.id}] {h.clause.cite}\n{h.clause.text}" for h in hits)
        raw = self._call(SYSTEM, f"条款：\n{ctx}\n\n问题：{question}")
        m = _JSON.search(raw)
        if not m:
            raise LLMError("no JSON in the answer")
        try:
            data = json.loads(m.group(0))
        except json.JSONDecodeError as exc:
            raise LLMError("bad JSON") from exc
        answer = data.get("answer")
        cites = data.get("citations")
        if not isinstance(answer, str) or not answer.strip() or not isinstance(cites, list):
            raise LLMError("missing fields")
        return answer.strip(), [c for c in cites if isinstance(c, dict)]
