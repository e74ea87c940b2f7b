"""Chroma vector store (embedded PersistentClient or a `chroma run` server) via langchain-chroma."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlparse

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.documents import Document

from assistant.clauses.base import Clause
from assistant.config import Settings
from assistant.index.embed import Embedder
from assistant.text.normalize import display


class IndexError_(RuntimeError):
    """The vector store cannot be opened or is inconsistent."""


_SENTENCE = re.compile(r"(?<=[。；！？;!?\n])")


def passages(clause: Clause, size: int = 160) -> list[str]:
    """What gets embedded: the clause cut into windows of whole sentences (~`size` chars), each
    headed by its citation and heading path. Long guidance paragraphs cover several topics; a
    window per topic lets a question match the one sentence that answers it."""
    head = " ".join((clause.cite, *clause.heading_path))
    text = display(clause.text)
    if len(text) <= size * 1.25:
        return [f"{head}\n{text}"]
    windows: list[str] = []
    cur = ""
    for sent in (x for x in _SENTENCE.split(text) if x.strip()):
        if cur and len(cur) + len(sent) > size:
            windows.append(cur)
            cur = ""
        cur += sent
    if cur.strip():
        windows.append(cur)
    return [f"{head}\n{w.strip()}" for w in windows]


def client(settings: Settings) -> chromadb.api.ClientAPI:
    if settings.chroma_url:
        u = urlparse(settings.chroma_url)
        if not u.hostname:
            raise IndexError_(f"ASSISTANT_CHROMA_URL is not a URL: {settings.chroma_url!r}")
        from assistant.index.server import heartbeat, set_http_timeout

        # chromadb's HTTP client has no timeout and its constructor already makes a request: probe first.
        if not heartbeat(settings.chroma_url, settings.chroma_timeout):
            raise IndexError_(f"Chroma server {settings.chroma_url} does not answer (is `chroma run` up?)")
        http = chromadb.HttpClient(host=u.hostname, port=u.port or 8000, ssl=u.scheme == "https")
        set_http_timeout(http, settings.chroma_timeout)
        return http
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=ChromaSettings(anonymized_telemetry=False))


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
    """clause id → content sha of its stored windows."""
    got = store.get(include=["metadatas"])
    return {str(m["clause_id"]): str(m.get("sha", "")) for m in got["metadatas"] if m and "clause_id" in m}


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
    gone = stale + [c.id for c in todo if c.id in have]
    for start in range(0, len(gone), 256):
        store.delete(where={"clause_id": {"$in": gone[start : start + 256]}})
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        docs: list[Document] = []
        ids: list[str] = []
        for c in chunk:
            for n, text in enumerate(passages(c)):
                ids.append(f"{c.id}#{n}")
                docs.append(
                    Document(
                        page_content=text,
                        metadata={
                            "clause_id": c.id,
                            "doc_id": c.doc_id,
                            "locator": c.locator,
                            "superseded": c.superseded,
                            "sha": c.sha,
                        },
                    )
                )
        store.add_documents(docs, ids=ids)
        if progress:
            progress(len(chunk))
    updated = sum(1 for c in todo if c.id in have)
    return SyncReport(len(todo) - updated, updated, len(stale), len(clauses) - len(todo))
