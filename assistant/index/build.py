"""Build or update the vector index so it matches the clause store; record a manifest."""

from __future__ import annotations

import contextlib
import logging
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from langchain_chroma import Chroma

from assistant.clauses.store import ClauseStore
from assistant.config import Settings
from assistant.index.chroma import IndexError_, SyncReport, open_store, sync
from assistant.index.embed import Embedder
from assistant.index.manifest import Manifest, read_manifest, write_manifest

Progress = Callable[[int, int], Callable[[int], None]]  # (total, …) → per-batch advance callback
log = logging.getLogger(__name__)


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


def _forget(path: Path) -> None:
    """Drop chromadb's cached client for `path` (it caches one per path, broken or not), so the next
    open really reads the files again."""
    from chromadb.api.shared_system_client import SharedSystemClient

    system = SharedSystemClient._identifier_to_system.pop(str(path), None)
    SharedSystemClient._identifier_to_refcount.pop(str(path), None)
    if system is not None:
        with contextlib.suppress(Exception):
            system.stop()


def _open(settings: Settings, embedder: Embedder) -> tuple[Chroma, bool]:
    """Open the store (and whether it was wiped): an unreadable embedded store is wiped and recreated
    (it is derived data); an unusable Chroma server is an `IndexError_` with the reason."""
    if settings.chroma_url:
        try:
            vectors = open_store(settings, embedder)
            vectors._collection.count()
            return vectors, False
        except IndexError_:
            raise
        except Exception as exc:
            raise IndexError_(
                f"Chroma server {settings.chroma_url} is not usable ({type(exc).__name__}: {exc}); "
                "start it or unset ASSISTANT_CHROMA_URL"
            ) from exc
    path = settings.chroma_dir
    if not (path / "chroma.sqlite3").exists():
        _forget(path)  # deleted under this process: a cached client would keep using the unlinked file
    try:
        vectors = open_store(settings, embedder)
        vectors._collection.count()
        return vectors, False
    except Exception as exc:
        log.warning(
            "vector store %s is unreadable (%s: %s); wiping it and rebuilding the index", path, type(exc).__name__, exc
        )
        _forget(path)
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        return open_store(settings, embedder), True


def ensure_index(
    settings: Settings,
    store: ClauseStore,
    embedder: Embedder,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> tuple[Chroma, Manifest, SyncReport | None]:
    """Return the vector store, its manifest and what was synced (None when already current)."""
    vectors, wiped = _open(settings, embedder)
    mpath = manifest_path(settings)
    manifest = read_manifest(mpath)
    if manifest is None and mpath.exists():
        log.warning("index manifest %s is unreadable; checking every clause against the vector store", mpath)
    if manifest is not None and manifest.model_id != embedder.model_id:
        rebuild = True  # vectors from another model are not comparable
    count = vectors._collection.count()
    if manifest is not None and not (rebuild or wiped) and count != manifest.vectors:
        log.warning(
            "vector store holds %d vectors, the manifest says %d; re-embedding what is missing", count, manifest.vectors
        )
    if rebuild:
        vectors.reset_collection()
    elif is_current(manifest, store, embedder, count):
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
