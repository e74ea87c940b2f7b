"""Build or update the vector index so it matches the clause store; record a manifest."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from langchain_chroma import Chroma

from assistant.clauses.store import ClauseStore
from assistant.config import Settings
from assistant.index.chroma import SyncReport, open_store, sync
from assistant.index.embed import Embedder
from assistant.index.manifest import Manifest, read_manifest, write_manifest

Progress = Callable[[int, int], Callable[[int], None]]  # (total, …) → per-batch advance callback


def manifest_path(settings: Settings) -> Path:
    return settings.data_dir / "index" / f"manifest-{settings.collection}.json"


def is_current(manifest: Manifest | None, store: ClauseStore, embedder: Embedder, count: int) -> bool:
    return (
        manifest is not None
        and manifest.corpus_sha == store.sha
        and manifest.model_id == embedder.model_id
        and manifest.clauses == len(store)
        and manifest.vectors == count
    )


def _open(settings: Settings, embedder: Embedder) -> Chroma:
    """Open the store; an unreadable embedded store is wiped and recreated (it is derived data)."""
    try:
        vectors = open_store(settings, embedder)
        vectors._collection.count()
        return vectors
    except Exception:
        if settings.chroma_url:
            raise
        shutil.rmtree(settings.chroma_dir, ignore_errors=True)
        return open_store(settings, embedder)


def ensure_index(
    settings: Settings,
    store: ClauseStore,
    embedder: Embedder,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> tuple[Chroma, Manifest, SyncReport | None]:
    """Return the vector store, its manifest and what was synced (None when already current)."""
    vectors = _open(settings, embedder)
    mpath = manifest_path(settings)
    manifest = read_manifest(mpath)
    if manifest is not None and manifest.model_id != embedder.model_id:
        rebuild = True  # vectors from another model are not comparable
    if rebuild:
        vectors.reset_collection()
    elif is_current(manifest, store, embedder, vectors._collection.count()):
        assert manifest is not None
        return vectors, manifest, None
    start = time.perf_counter()
    clauses = list(store)
    advance = progress(len(clauses), 0) if progress else None
    report = sync(vectors, clauses, progress=advance)
    manifest = Manifest(
        corpus_sha=store.sha,
        model_id=embedder.model_id,
        dim=embedder.dim,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        clauses=len(clauses),
        vectors=vectors._collection.count(),
        collection=settings.collection,
        hashes={c.id: c.sha for c in clauses},
        seconds=round(time.perf_counter() - start, 2),
    )
    write_manifest(mpath, manifest)
    return vectors, manifest, report
