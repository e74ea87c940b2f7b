"""Replayer: re-ask audited questions against the corpus snapshot of the version that answered them."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.config import Settings
from assistant.lifecycle.audit import ReplyFacts
from assistant.lifecycle.replay.base import (
    AuditEntry,
    LineResult,
    Malformed,
    Outcome,
    ReplayReport,
    VersionNote,
    compare,
)
from assistant.lifecycle.snapshots import RULES_ARC, RULES_DIR, SnapshotError, Snapshots, rules_changes, save_snapshot

if TYPE_CHECKING:
    from assistant.core import Assistant

log = logging.getLogger(__name__)


class Replayer:
    """Loads one assistant per recorded corpus version, under <data>/replay/<version>/ (its own index, the models
    dir symlinked), so the default index is only ever read. One version is in memory at a time."""

    def __init__(self, settings: Settings, *, on_load: Callable[[str], None] | None = None) -> None:
        self.settings = settings
        self.snapshots = Snapshots.of(settings)
        self.on_load = on_load

    def run(self, items: Iterable[AuditEntry | Malformed]) -> ReplayReport:
        results: dict[int, LineResult] = {}
        by_version: dict[str, list[AuditEntry]] = {}
        for item in items:
            if isinstance(item, Malformed):
                results[item.line] = LineResult(item.line, Outcome.MALFORMED, detail=item.reason)
            elif not item.question:
                results[item.line] = LineResult(
                    item.line,
                    Outcome.NO_QUESTION,
                    item.request_id,
                    item.recorded.corpus_version or None,
                    detail="服务端未开启 ASSISTANT_API_AUDIT_QUESTIONS",
                )
            elif not item.recorded.corpus_version:
                results[item.line] = LineResult(
                    item.line,
                    Outcome.VERSION_UNAVAILABLE,
                    item.request_id,
                    None,
                    item.question,
                    detail="审计记录中没有 corpus_version",
                )
            else:
                by_version.setdefault(item.recorded.corpus_version, []).append(item)
        if by_version:
            self._snapshot_current()
        notes: list[VersionNote] = []
        for version, entries in by_version.items():
            bot, note = self.load(version)
            notes.append(note)
            for e in entries:
                results[e.line] = self._replay(e, bot, note)
            del bot  # freed before the next version loads: one model and index in memory at a time
        return ReplayReport(tuple(results[k] for k in sorted(results)), tuple(notes))

    def _snapshot_current(self) -> None:
        """The current corpus is a version too: snapshot it, so lines it answered replay without a server start."""
        from assistant.clauses.store import ClauseStore
        from assistant.core import corpus_version

        try:
            version = corpus_version(ClauseStore.load(self.settings.corpus_dir))
        except Exception as exc:  # a broken working corpus must not stop replaying older versions
            log.warning("current corpus not snapshotted: %s: %s", type(exc).__name__, exc)
            return
        save_snapshot(self.settings, version)

    def load(self, version: str) -> tuple[Assistant | None, VersionNote]:
        """The assistant for `version` (snapshot corpus, current rules code) and how it was reconstructed."""
        if not self.snapshots.has(version):
            return None, VersionNote(version, False, f"{self.snapshots.root} 中没有这个版本的快照")
        home = self.settings.data_dir / "replay" / version
        try:
            tree = self.snapshots.extract(version, home / "snapshot")
        except (SnapshotError, OSError) as exc:
            return None, VersionNote(version, False, str(exc))
        settings = self.settings.model_copy(
            update={"corpus_dir": tree / "corpus", "data_dir": home, "chroma_url": None, "chroma_path": None}
        )
        _link_models(self.settings.model_dir, settings.model_dir)
        seed_index(self.settings, settings)
        if self.on_load:
            self.on_load(version)
        from assistant.core import Assistant, corpus_version

        try:
            bot = Assistant.load(settings)
        except Exception as exc:  # e.g. current rules whose basis is not in the old corpus: report, do not crash
            return None, VersionNote(version, False, f"载入失败：{type(exc).__name__}: {exc}")
        if corpus_version(bot.store, tree / RULES_ARC) != version:
            return None, VersionNote(version, False, "快照内容与版本号不符")
        return bot, VersionNote(
            version,
            True,
            rules_changed=rules_changes(tree / RULES_ARC, RULES_DIR),
            replayed_version=bot.answerer.version,
        )

    @staticmethod
    def _replay(entry: AuditEntry, bot: Assistant | None, note: VersionNote) -> LineResult:
        version = entry.recorded.corpus_version
        if bot is None:
            return LineResult(
                entry.line, Outcome.VERSION_UNAVAILABLE, entry.request_id, version, entry.question, detail=note.reason
            )
        assert entry.question is not None
        try:
            replayed = ReplyFacts.of(bot.ask(entry.question, entry.history_dicts()).to_dict())
        except Exception as exc:  # ask() answers bad input itself; what is left is infrastructure: report the line
            return LineResult(
                entry.line,
                Outcome.ERROR,
                entry.request_id,
                version,
                entry.question,
                detail=f"{type(exc).__name__}: {exc}",
            )
        diffs = compare(entry.recorded, replayed)
        outcome = Outcome.DIFFERS if diffs else Outcome.SAME
        return LineResult(entry.line, outcome, entry.request_id, version, entry.question, diffs)


def _link_models(src: Path, link: Path) -> None:
    """Share the converted embedding model instead of converting it again per version."""
    if link.exists() or link.is_symlink() or not src.is_dir():
        return
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(src.resolve(), target_is_directory=True)


def seed_index(source: Settings, target: Settings) -> bool:
    """Copy the source index's vectors into an empty target index, so loading the target embeds only the clauses
    that differ (seconds instead of a full build). Reads the source only; best effort: False when skipped."""
    from assistant.index.build import manifest_path
    from assistant.index.chroma import client
    from assistant.index.manifest import read_manifest, write_manifest

    if manifest_path(target).exists():
        return False
    manifest = read_manifest(manifest_path(source))
    # Never create an embedded store where there is none: the source is only read.
    if manifest is None or (source.chroma_url is None and not (source.chroma_dir / "chroma.sqlite3").is_file()):
        return False
    try:
        got = client(source).get_collection(manifest.collection).get(include=["embeddings", "documents", "metadatas"])
        # Same collection name and manifest as the source: whatever the index layout, the target starts out as a
        # copy of the source index, and loading syncs it to the snapshot's corpus.
        dst = client(target).get_or_create_collection(manifest.collection, metadata={"hnsw:space": "cosine"})
        ids, step = got["ids"], 256
        for i in range(0, len(ids), step):
            dst.add(
                ids=ids[i : i + step],
                embeddings=got["embeddings"][i : i + step],  # type: ignore[index]
                documents=got["documents"][i : i + step],  # type: ignore[index]
                metadatas=got["metadatas"][i : i + step],  # type: ignore[index]
            )
        write_manifest(manifest_path(target), manifest)
    except Exception as exc:  # the full build still works, only slower
        log.warning("replay index not seeded from %s: %s: %s", source.data_dir, type(exc).__name__, exc)
        return False
    return True
