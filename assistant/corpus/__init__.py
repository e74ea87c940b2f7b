"""Corpus: the source documents, their front matter and their registry (corpus/sources.toml)."""

from assistant.corpus.base import Document, Tier, load_documents

__all__ = ["Document", "Tier", "load_documents"]
