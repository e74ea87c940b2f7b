"""Replay: version snapshots (what a corpus_version was computed from) and re-asking audited questions against them."""

from assistant.lifecycle.replay.base import (
    AuditEntry,
    LineResult,
    Malformed,
    Outcome,
    ReplayError,
    ReplayReport,
    VersionNote,
)
from assistant.lifecycle.replay.read import read_audit
from assistant.lifecycle.replay.run import Replayer
from assistant.lifecycle.snapshots import SnapshotError, Snapshots, save_snapshot

__all__ = [
    "AuditEntry",
    "LineResult",
    "Malformed",
    "Outcome",
    "ReplayError",
    "ReplayReport",
    "Replayer",
    "SnapshotError",
    "Snapshots",
    "VersionNote",
    "read_audit",
    "save_snapshot",
]
