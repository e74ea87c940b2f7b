"""Retriever contract: `search(query, k) -> list[Hit]`, best first; every retriever is also a langchain BaseRetriever.

Every implementation must: reject empty/over-long queries with `InvalidQuery`; return at most k
hits with unique clause IDs that exist in the store, ordered by non-increasing score; never raise
on odd but valid text (emoji, English, control characters); and rank a superseded clause below its
current version unless the query asks for the old text (2009年, 旧法 …).
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass, field
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.clauses.address import Addresser
from assistant.clauses.base import Clause
from assistant.clauses.store import ClauseStore
from assistant.text.aliases import Aliases
from assistant.text.normalize import normalize
from assistant.text.tokenize import Tokenizer


class InvalidQuery(ValueError):
    """The query cannot be searched; the message is a readable Chinese sentence."""


@dataclass(frozen=True)
class Hit:
    clause: Clause
    score: float
    detail: dict[str, float] = field(default_factory=dict, compare=False)  # per-retriever ranks/scores

    def to_dict(self) -> dict[str, Any]:
        c = self.clause
        return {
            "id": c.id,
            "source": c.source,
            "locator": c.locator,
            "score": round(self.score, 6),
            "text": c.text,
            "tier": c.tier.value,
            "superseded": c.superseded,
        }


@dataclass(frozen=True)
class Query:
    """An analysed query: normalised text, alias-expanded text and BM25 tokens."""

    raw: str
    norm: str
    expanded: str
    tokens: tuple[str, ...]
    wants_old: bool  # names an old version explicitly: keep superseded clauses where they score
    refs: tuple[str, ...]  # clause IDs addressed directly ("工会法第十四条")


_OLD_MARKERS = ("2009", "09年", "旧", "原工会法", "修正前", "修改前", "老版", "以前的", "章程")


class QueryAnalyzer:
    """Shared by all retrievers so they see the same query."""

    def __init__(self, store: ClauseStore, tokenizer: Tokenizer, aliases: Aliases, max_chars: int = 2000) -> None:
        self.store = store
        self.tokenizer = tokenizer
        self.aliases = aliases
        self.addresser = Addresser(store)
        self.max_chars = max_chars

    def __call__(self, text: str) -> Query:
        if not isinstance(text, str):
            raise InvalidQuery("问题必须是文本。/ The question must be a string.")
        if len(text) > self.max_chars:
            raise InvalidQuery(f"问题过长（{len(text)}字），请控制在{self.max_chars}字以内。/ Query too long.")
        norm = normalize(text)
        if not norm:
            raise InvalidQuery("问题为空，请输入要咨询的问题。/ The question is empty.")
        words = self.tokenizer.cut(norm)
        expanded = self.aliases.expand(norm, words)
        tokens = tuple(self.tokenizer.tokens(expanded))
        refs = tuple(r.clause_id for r in self.addresser.find(norm) if r.clause_id)
        wants_old = any(m in norm for m in _OLD_MARKERS)
        return Query(text, norm, expanded, tokens, wants_old, refs)


class ClauseRetriever(BaseRetriever):
    """Base for all retrievers: implement `rank(query, n)`; `search` adds the shared contract."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: ClauseStore
    analyzer: QueryAnalyzer
    k: int = 5
    superseded_penalty: float = 0.5
    orphan_penalty: float = 0.8

    @abstractmethod
    def rank(self, query: Query, n: int) -> list[tuple[str, float]]:
        """(clause id, score) best first, up to n."""

    def search(self, text: str, k: int | None = None) -> list[Hit]:
        q = self.analyzer(text)
        k = k or self.k
        if k < 1:
            raise InvalidQuery("k 必须是正整数。/ k must be a positive integer.")
        ranked = self.rank(q, max(k * 4, 40))
        return self.finish(q, ranked, k)

    def finish(self, q: Query, ranked: list[tuple[str, float]], k: int) -> list[Hit]:
        """Demote superseded clauses that have a current version, put directly addressed articles first,
        dedupe, cut to k."""
        scores: dict[str, float] = {}
        for cid, s in ranked:
            clause = self.store.get(cid)
            if clause is None or cid in scores:
                continue
            # an old version yields to its successor; one with no successor in the corpus (the 2008
            # 章程) is the only text on some subjects and yields less (the answer marks it superseded)
            if clause.superseded and not q.wants_old:
                s *= self.superseded_penalty if self.store.current(clause) is not clause else self.orphan_penalty
            scores[cid] = s
        top = max(scores.values(), default=1.0)
        for i, cid in enumerate(q.refs):
            scores[cid] = abs(top) + 1.0 + (len(q.refs) - i) * 1e-3
        order = sorted(scores.items(), key=lambda kv: -kv[1])[:k]
        return [Hit(self.store[cid], s) for cid, s in order]

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [
            Document(page_content=h.clause.text, id=h.clause.id, metadata={**h.to_dict(), "text": None})
            for h in self.search(query)
        ]
