"""Dense retriever: E5 (or configured) query vector → Chroma nearest clauses."""

from __future__ import annotations

from typing import Any

from langchain_chroma import Chroma
from pydantic import ConfigDict

from assistant.index.chroma import FAQ_KIND, guarded
from assistant.index.embed import Embedder
from assistant.retrieve.base import ClauseRetriever, Query

WINDOWS: dict[str, Any] = {"kind": {"$ne": FAQ_KIND}}


class DenseRetriever(ClauseRetriever):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    vectors: Chroma
    embedder: Embedder
    where: str = "embedded"  # the store's URL or path, for the error when it does not answer

    def rank(self, query: Query, n: int) -> list[tuple[str, float]]:
        # Embed the alias-expanded text: 'CPA' alone means little to the model, 会计师事务所 does.
        vec = self.embedder.query_vector(query.expanded).tolist()
        with guarded(self.where):  # a store that is down is an IndexUnavailable, not an empty result
            # windows only: the 问答对 keys beside them are questions, which sit closer to a question than any
            # passage does and so would outrank the clause that answers (retrieve/faq.py reads them instead)
            got = self.vectors.similarity_search_by_vector_with_relevance_scores(vec, k=n * 2, filter=WINDOWS)
        # Windows → clauses: a clause scores as its best window (Chroma gives cosine distance).
        best: dict[str, float] = {}
        for doc, dist in got:
            cid = str(doc.metadata.get("clause_id", ""))
            if cid and cid not in best:
                best[cid] = 1.0 - float(dist)
        return sorted(best.items(), key=lambda kv: -kv[1])[:n]
