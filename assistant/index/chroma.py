"""Chroma vector store (embedded PersistentClient or a `chroma run` server) via langchain-chroma."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import chromadb
import httpx
import numpy as np
from chromadb.api import ClientAPI
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import ChromaError, NotFoundError
from langchain_chroma import Chroma
from langchain_core.documents import Document

from assistant.clauses.base import Clause
from assistant.config import Settings
from assistant.faq.base import Faq
from assistant.index.embed import Embedder
from assistant.text.normalize import display


class IndexError_(RuntimeError):
    """The vector store cannot be opened or is inconsistent."""


class IndexUnavailable(IndexError_):
    """The vector store does not answer right now (server down, hung or its collection gone): retry later."""


UNAVAILABLE_MESSAGE = (
    "检索索引暂时不可用（向量数据库无响应），请稍后重试。"
    "/ The search index is temporarily unavailable (the vector store does not answer); please retry shortly."
)


def gone(exc: BaseException) -> bool:
    """Failures that mean "the store is not there", as opposed to a bad request."""
    if isinstance(exc, httpx.TransportError | NotFoundError):  # refused, reset, timed out; collection deleted
        return True
    return isinstance(exc, ChromaError) and exc.code() >= 500


@contextmanager
def guarded(where: str) -> Iterator[None]:
    """Raise `IndexUnavailable` (naming `where` and the cause) when the store does not answer."""
    try:
        yield
    except Exception as exc:
        if gone(exc):
            raise IndexUnavailable(f"vector store {where} is unavailable ({type(exc).__name__}: {exc})") from exc
        raise


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


def client(settings: Settings) -> ClientAPI:
    if settings.chroma_url:
        u = urlparse(settings.chroma_url)
        if not u.hostname:
            raise IndexError_(f"ASSISTANT_CHROMA_URL is not a URL: {settings.chroma_url!r}")
        from assistant.index.server import heartbeat, set_http_timeout

        # chromadb's HTTP client has no timeout and its constructor already makes a request: probe first.
        if not heartbeat(settings.chroma_url, settings.chroma_timeout):
            raise IndexUnavailable(f"Chroma server {settings.chroma_url} does not answer (is `chroma run` up?)")
        http = chromadb.HttpClient(host=u.hostname, port=u.port or 8000, ssl=u.scheme == "https")
        set_http_timeout(http, settings.chroma_timeout)
        return http
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=ChromaSettings(anonymized_telemetry=False))


def open_store(settings: Settings, embedder: Embedder, name: str | None = None, api: ClientAPI | None = None) -> Chroma:
    """The collection `name` (default: `settings.collection`), created when missing."""
    return Chroma(
        collection_name=name or settings.collection,
        embedding_function=embedder,
        client=api or client(settings),
        collection_metadata={"hnsw:space": "cosine"},
    )


def probe(settings: Settings, vectors: Chroma, timeout: float = 2.0) -> str | None:
    """None when the vector store answers (server heartbeat within `timeout`, then the collection's count),
    otherwise why not: the readiness check."""
    if settings.chroma_url:
        from assistant.index.server import heartbeat

        if not heartbeat(settings.chroma_url, timeout):
            return f"Chroma server {settings.chroma_url} does not answer"
    try:
        vectors._collection.count()
    except Exception as exc:  # whatever it is, the store cannot serve queries: not ready
        return f"vector store {settings.chroma_url or settings.chroma_dir} is unavailable ({type(exc).__name__}: {exc})"
    return None


FAQ_KIND = "faq"  # metadata kind of a FAQ question key (the clause windows have none)


@dataclass(frozen=True)
class SyncReport:
    added: int
    updated: int
    removed: int
    unchanged: int


def stored_hashes(store: Chroma) -> dict[str, str]:
    """clause id → content sha of its stored windows."""
    got = store.get(include=["metadatas"])
    return {
        str(m["clause_id"]): str(m.get("sha", ""))
        for m in got["metadatas"]
        if m and "clause_id" in m and m.get("kind") != FAQ_KIND
    }


def sync(
    store: Chroma,
    clauses: Sequence[Clause],
    *,
    seed: Chroma | None = None,
    batch: int = 32,
    progress: Callable[[int], None] | None = None,
) -> SyncReport:
    """Make the collection equal the clause list, embedding only new or changed clauses (by content sha).

    With `seed` (the previous index generation) the windows of clauses it holds unchanged are copied with their
    vectors instead of embedded. The report compares with what the seed and the collection held before.
    """
    have = stored_hashes(store)
    seeded = stored_hashes(seed) if seed is not None else {}
    before = {**seeded, **have}
    want = {c.id: c for c in clauses}
    stale = [i for i in have if i not in want]
    todo = [c for c in clauses if have.get(c.id) != c.sha]
    gone = stale + [c.id for c in todo if c.id in have]
    for start in range(0, len(gone), 256):
        store.delete(where={"clause_id": {"$in": gone[start : start + 256]}})
    copy = {c.id for c in todo if seeded.get(c.id) == c.sha}
    if seed is not None and copy:
        _copy_windows(seed, store, copy)
        if progress:
            progress(len(copy))
    embed = [c for c in todo if c.id not in copy]
    for start in range(0, len(embed), batch):
        chunk = embed[start : start + batch]
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
    updated = sum(1 for c in embed if c.id in before)
    removed = sum(1 for i in before if i not in want)
    return SyncReport(len(embed) - updated, updated, removed, len(clauses) - len(embed))


def _copy_windows(src: Chroma, dst: Chroma, clause_ids: set[str], step: int = 256) -> None:
    """Copy the windows of `clause_ids` (ids, vectors, texts, metadata) from one collection to another."""
    got = src._collection.get(include=["embeddings", "documents", "metadatas"])
    metas, documents = got["metadatas"] or [], got["documents"] or []
    vectors = np.asarray(got["embeddings"], dtype=np.float32)
    rows = [n for n, m in enumerate(metas) if m and m.get("clause_id") in clause_ids]
    for start in range(0, len(rows), step):
        part = rows[start : start + step]
        dst._collection.upsert(
            ids=[got["ids"][n] for n in part],
            embeddings=vectors[part],
            documents=[documents[n] for n in part],
            metadatas=[metas[n] for n in part],
        )


def sync_faq(store: Chroma, faq: Faq, embedder: Embedder) -> SyncReport:
    """Make the collection's FAQ keys equal the entries': one vector per question variant, embedded as a query
    (a question is matched to questions), pointing to its clause by `clause_id` (langchain's multi-vector pattern:
    many keys, one parent). Dense retrieval over windows leaves them out (`kind` filter); retrieve/faq.py reads
    them."""
    got = store.get(where={"kind": FAQ_KIND}, include=["metadatas"])
    have = {str(i): str((m or {}).get("sha", "")) for i, m in zip(got["ids"], got["metadatas"], strict=True)}
    want = {f"faq:{e.id}#{n}": (e, q) for e, n, q in faq.variants()}
    stale = [i for i, sha in have.items() if i not in want or sha != want[i][0].sha]
    for start in range(0, len(stale), 256):
        store.delete(ids=stale[start : start + 256])
    todo = [i for i in want if i not in have or i in stale]
    for start in range(0, len(todo), 64):
        ids = todo[start : start + 64]
        vectors = embedder.encode_queries([want[i][1] for i in ids])
        store._collection.upsert(
            ids=ids,
            embeddings=vectors,
            documents=[want[i][1] for i in ids],
            metadatas=[
                {"clause_id": want[i][0].clause, "kind": FAQ_KIND, "faq": want[i][0].id, "sha": want[i][0].sha}
                for i in ids
            ],
        )
    updated = sum(1 for i in todo if i in have)
    return SyncReport(len(todo) - updated, updated, len([i for i in stale if i not in want]), len(want) - len(todo))


def faq_vectors(store: Chroma) -> tuple[list[str], np.ndarray]:
    """(key ids, unit vectors) of the FAQ keys in the collection, for matching a question in process."""
    ids, _, vectors = _vectors(store, {"kind": FAQ_KIND})
    return ids, vectors


def window_vectors(store: Chroma) -> tuple[list[str], np.ndarray]:
    """(clause id of each window, unit vectors) of the clause windows, for nearest-window search in process."""
    _, metas, vectors = _vectors(store, {"kind": {"$ne": FAQ_KIND}})
    return [str((m or {}).get("clause_id", "")) for m in metas], vectors


def _vectors(store: Chroma, where: dict[str, Any]) -> tuple[list[str], list[Any], np.ndarray]:
    got = store._collection.get(where=where, include=["embeddings", "metadatas"])
    ids = [str(i) for i in got["ids"]]
    vectors = np.asarray(got["embeddings"], dtype=np.float32).reshape(len(ids), -1)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return ids, list(got["metadatas"] or []), vectors / np.where(norms == 0, 1.0, norms)
