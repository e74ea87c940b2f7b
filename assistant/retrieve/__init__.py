"""Retrieve: BM25, dense and hybrid clause retrievers (langchain BaseRetrievers returning scored hits)."""

from assistant.retrieve.base import Hit, InvalidQuery, Query, QueryAnalyzer
from assistant.retrieve.dense import DenseRetriever
from assistant.retrieve.hybrid import HybridRetriever
from assistant.retrieve.sparse import BM25Retriever

__all__ = ["BM25Retriever", "DenseRetriever", "Hit", "HybridRetriever", "InvalidQuery", "Query", "QueryAnalyzer"]
