"""Assistant: the one object callers load — clause store, index and retrievers wired from Settings."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from assistant.clauses.store import ClauseStore
from assistant.config import Settings
from assistant.index.bm25 import BM25Index
from assistant.index.build import Progress, ensure_index
from assistant.index.embed import Embedder, load_embedder
from assistant.index.manifest import Manifest
from assistant.retrieve import BM25Retriever, DenseRetriever, Hit, HybridRetriever, QueryAnalyzer
from assistant.text.aliases import Aliases
from assistant.text.tokenize import Tokenizer


@dataclass
class Assistant:
    settings: Settings
    store: ClauseStore
    analyzer: QueryAnalyzer
    embedder: Embedder
    manifest: Manifest
    bm25: BM25Retriever
    dense: DenseRetriever
    hybrid: HybridRetriever

    @classmethod
    def load(
        cls, settings: Settings | None = None, *, rebuild: bool = False, progress: Progress | None = None
    ) -> Assistant:
        """Load everything; builds the embedding model folder and the index when missing or stale."""
        settings = settings or Settings()
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub at run time
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        store = ClauseStore.load(settings.corpus_dir)
        tokenizer = Tokenizer(settings.corpus_dir / "dict" / "terms.txt", Tokenizer.corpus_terms([c.text for c in store]))
        aliases = Aliases.load(settings.corpus_dir / "dict" / "aliases.toml")
        analyzer = QueryAnalyzer(store, tokenizer, aliases, settings.max_query_chars)
        embedder = load_embedder(settings)
        vectors, manifest, _ = ensure_index(settings, store, embedder, rebuild=rebuild, progress=progress)
        common = {"store": store, "analyzer": analyzer, "superseded_penalty": settings.superseded_penalty}
        bm25 = BM25Retriever(index=BM25Index(list(store), tokenizer), **common)
        dense = DenseRetriever(vectors=vectors, embedder=embedder, **common)
        hybrid = HybridRetriever(
            sparse=bm25,
            dense=dense,
            fusion=settings.fusion,
            rrf_k=settings.rrf_k,
            bm25_weight=settings.bm25_weight,
            dense_weight=settings.dense_weight,
            candidates=settings.candidates,
            **common,
        )
        return cls(settings, store, analyzer, embedder, manifest, bm25, dense, hybrid)

    def search(self, question: str, k: int = 5) -> list[Hit]:
        """Hybrid search; raises `InvalidQuery` (Chinese message) for empty or over-long input."""
        return self.hybrid.search(question, k)

    @property
    def corpus_dir(self) -> Path:
        return self.settings.corpus_dir
