"""Chroma vector store (embedded PersistentClient or a `chroma run` server) via langchain-chroma."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlparse

import chromadb
from langchain_chroma import Chroma
from langchain_core.documents import Document

from assistant.clauses.base import Clause
from assistant.config import Settings
from assistant.index.embed import Embedder
from assistant.text.normalize import display


class IndexError_(RuntimeError):
    """The vector store cannot be opened or is inconsistent."""


def passage(clause: Clause) -> str:
    """What gets embedded: citation, heading path, then the clause text without OCR spaces."""
    head = " ".join((clause.cite, *clause.heading_path))
    return f"{head}\n{display(clause.text)}"


def client(settings: Settings) -> chromadb.api.ClientAPI:
    if settings.chroma_url:
        u = urlparse(settings.chroma_url)
        if not u.hostname:
            raise IndexError_(f"ASSISTANT_CHROMA_URL is not a URL: {settings.chroma_url!r}")
        return chromadb.HttpClient(host=u.hostname, port=u.port or 8000, ssl=u.scheme == "https")
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chromadb.Settings(anonymized_telemetry=False))


def open_store(settings: Settings, embedder: Embedder) -> Chroma:
    return Chroma(
        collection_name=settings.collection,
        embedding_function=embedder,
        client=client(settings),
        collection_metadata={"hnsw:space": "cosine"},
    )


@dataclass(frozen=True)
class SyncReport:
    added: int
    updated: int
    removed: int
    unchanged: int


def stored_hashes(store: Chroma) -> dict[str, str]:
    got = store.get(include=["metadatas"])
    return {i: str((m or {}).get("sha", "")) for i, m in zip(got["ids"], got["metadatas"], strict=True)}


def sync(
    store: Chroma,
    clauses: Sequence[Clause],
    *,
    batch: int = 32,
    progress: Callable[[int], None] | None = None,
) -> SyncReport:
    """Make the collection equal the clause list, embedding only new or changed clauses (by content sha)."""
    have = stored_hashes(store)
    want = {c.id: c for c in clauses}
    stale = [i for i in have if i not in want]
    todo = [c for c in clauses if have.get(c.id) != c.sha]
    if stale:
        store.delete(ids=stale)
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        docs = [
            Document(
                page_content=passage(c),
                metadata={
                    "doc_id": c.doc_id,
                    "locator": c.locator,
                    "tier": c.tier.value,
                    "superseded": c.superseded,
                    "sha": c.sha,
                },
            )
            for c in chunk
        ]
        ids = [c.id for c in chunk]
        store.delete(ids=[i for i in ids if i in have])
        store.add_documents(docs, ids=ids)
        if progress:
            progress(len(chunk))
    updated = sum(1 for c in todo if c.id in have)
    return SyncReport(len(todo) - updated, updated, len(stale), len(clauses) - len(todo))
