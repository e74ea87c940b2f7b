"""Build or update the vector index so it matches the clause store; record a manifest."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import re
import shutil
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from chromadb.api import ClientAPI
from langchain_chroma import Chroma

from assistant.clauses.store import ClauseStore
from assistant.config import Settings
from assistant.faq.base import Faq
from assistant.index.chroma import (
    IndexError_,
    IndexUnavailable,
    SyncReport,
    client,
    gone,
    open_store,
    sync,
    sync_faq,
)
from assistant.index.embed import Embedder
from assistant.index.manifest import Manifest, read_manifest, write_manifest

Progress = Callable[[int, int], Callable[[int], None]]  # (total, …) → per-batch advance callback
log = logging.getLogger(__name__)


def manifest_path(settings: Settings) -> Path:
    return settings.data_dir / "index" / f"manifest-{settings.collection}.json"


NO_FAQ = Faq()


def is_current(
    manifest: Manifest | None, store: ClauseStore, embedder: Embedder, count: int, faq: Faq = NO_FAQ
) -> bool:
    return (
        manifest is not None
        and manifest.corpus_sha == store.sha
        and manifest.faq_sha == faq.sha
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


def content_key(store: ClauseStore, faq: Faq = NO_FAQ) -> str:
    """What an index generation is built from: the clauses, and the FAQ keys when there are any."""
    return store.sha + (f"+faq:{faq.sha}" if faq.sha else "")


def generation_name(settings: Settings, corpus_sha: str, model_id: str) -> str:
    """The collection holding one index generation: named by what it was built from."""
    digest = hashlib.sha256(f"{corpus_sha}\0{model_id}".encode()).hexdigest()[:12]
    return f"{settings.collection}-{digest}"


def _generations(settings: Settings, names: set[str]) -> set[str]:
    """The collections of this index family: generations, and the single in-place collection of older versions."""
    family = re.compile(re.escape(settings.collection) + r"(-[0-9a-f]{12})?")
    return {n for n in names if family.fullmatch(n)}


@contextlib.contextmanager
def _build_lock(settings: Settings) -> Iterator[None]:
    """One index builder per data dir at a time (the CLI and a reloading server may both try)."""
    path = manifest_path(settings).with_suffix(".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _open(settings: Settings, pointed: str | None) -> tuple[ClientAPI, dict[str, int], bool]:
    """The client, the collections present with their sizes, and whether the store was wiped: an unreadable
    embedded store is wiped and recreated (it is derived data); an unusable Chroma server is an `IndexError_`."""
    if settings.chroma_url:
        try:
            api = client(settings)
            return api, _sizes(api, settings, pointed), False
        except IndexError_:
            raise
        except Exception as exc:
            kind = IndexUnavailable if gone(exc) else IndexError_
            raise kind(
                f"Chroma server {settings.chroma_url} is not usable ({type(exc).__name__}: {exc}); "
                "start it or unset ASSISTANT_CHROMA_URL"
            ) from exc
    path = settings.chroma_dir
    if not (path / "chroma.sqlite3").exists():
        _forget(path)  # deleted under this process: a cached client would keep using the unlinked file
    try:
        api = client(settings)
        return api, _sizes(api, settings, pointed), False
    except Exception as exc:
        log.warning(
            "vector store %s is unreadable (%s: %s); wiping it and rebuilding the index", path, type(exc).__name__, exc
        )
        _forget(path)
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        return client(settings), {}, True


def _sizes(api: ClientAPI, settings: Settings, pointed: str | None) -> dict[str, int]:
    """Collections of this family → windows held; counting the published one proves the store is readable."""
    names = _generations(settings, {c.name for c in api.list_collections()})
    return {n: api.get_collection(n).count() if n == pointed else -1 for n in names}


def ensure_index(
    settings: Settings,
    store: ClauseStore,
    embedder: Embedder,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    faq: Faq | None = None,
) -> tuple[Chroma, Manifest, SyncReport | None]:
    """Return the vector store, its manifest and what was synced (None when already current).

    Each corpus and model get their own collection (a generation). A new one is filled completely — windows of
    unchanged clauses copied from the published generation, only new or changed clauses embedded — before the
    manifest, written atomically, points at it; so whoever opens the index sees the old or the new generation,
    never a half-synced one. Generations other than the new one and its predecessor are then dropped. The FAQ's
    question keys (`faq`, by default the servable entries of `settings.corpus_dir/faq`) belong to the generation: an
    edited FAQ makes a new one like an edited clause.
    """
    if faq is None:
        faq = Faq.load(settings.corpus_dir / "faq").valid(store)
    with _build_lock(settings):
        mpath = manifest_path(settings)
        manifest = read_manifest(mpath)
        if manifest is None and mpath.exists():
            log.warning("index manifest %s is unreadable; checking every clause against the vector store", mpath)
        api, sizes, wiped = _open(settings, manifest.collection if manifest else None)
        target = generation_name(settings, content_key(store, faq), embedder.model_id)
        if manifest is not None and manifest.model_id != embedder.model_id:
            rebuild = True  # vectors from another model are not comparable
        if manifest is not None and not (rebuild or wiped):
            count = max(sizes.get(manifest.collection, 0), 0)
            if manifest.collection == target and is_current(manifest, store, embedder, count, faq):
                return open_store(settings, embedder, target, api), manifest, None
            if count != manifest.vectors:
                log.warning(
                    "vector store holds %d vectors, the manifest says %d; re-embedding what is missing",
                    count,
                    manifest.vectors,
                )
        previous = manifest.collection if manifest is not None else None  # kept: a running server may still use it
        seed_name = None
        if previous is not None and previous != target and previous in sizes and not rebuild:
            seed_name = previous
        if rebuild and target in sizes:
            api.delete_collection(target)
        start = time.perf_counter()
        vectors = open_store(settings, embedder, target, api)
        seed = open_store(settings, embedder, seed_name, api) if seed_name else None
        clauses = list(store)
        advance = progress(len(clauses), 0) if progress else None
        report = sync(vectors, clauses, seed=seed, progress=advance)
        sync_faq(vectors, faq, embedder)
        manifest = Manifest(
            corpus_sha=store.sha,
            model_id=embedder.model_id,
            dim=embedder.dim,
            built_at=datetime.now(UTC).isoformat(timespec="seconds"),
            clauses=len(clauses),
            vectors=vectors._collection.count(),
            collection=target,
            hashes={c.id: c.sha for c in clauses},
            seconds=round(time.perf_counter() - start, 2),
            faq_sha=faq.sha,
        )
        write_manifest(mpath, manifest)  # the swap: from here on the new generation is the index
        for name in set(sizes) - {target, previous}:
            with contextlib.suppress(Exception):  # gone already (another builder) is fine
                api.delete_collection(name)
        return vectors, manifest, report
