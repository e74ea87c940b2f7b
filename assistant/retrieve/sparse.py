"""BM25 retriever over alias-expanded jieba tokens."""

from __future__ import annotations

from pydantic import ConfigDict

from assistant.index.bm25 import BM25Index
from assistant.retrieve.base import ClauseRetriever, Query


class BM25Retriever(ClauseRetriever):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: BM25Index

    def rank(self, query: Query, n: int) -> list[tuple[str, float]]:
        return self.index.search(query.tokens, n)
