"""Version snapshots: content-addressed, verified against their version, idempotent, atomic, never failing a start."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from assistant.clauses.store import ClauseStore
from assistant.config import Settings
from assistant.core import corpus_version
from assistant.lifecycle.snapshots import (
    RULES_DIR,
    SnapshotError,
    Snapshots,
    pack,
    rules_changes,
    save_snapshot,
    version_of,
)


@pytest.fixture(scope="module")
def version(store: ClauseStore) -> str:
    return corpus_version(store)


def test_save_is_verified_idempotent_and_leaves_no_temp_files(tmp_path: Path, corpus_dir: Path, version: str) -> None:
    snaps = Snapshots(tmp_path / "versions")
    path = snaps.save(version, corpus_dir)
    assert path == tmp_path / "versions" / f"{version}.tar.gz" and snaps.has(version)
    assert path.stat().st_size < 500_000  # the corpus and the rules source, compressed
    before = path.stat().st_mtime_ns
    assert snaps.save(version, corpus_dir) == path and path.stat().st_mtime_ns == before
    assert [p.name for p in (tmp_path / "versions").iterdir()] == [path.name]
    assert pack(corpus_dir) == path.read_bytes()  # deterministic: same content, same bytes


def test_extract_computes_to_its_version(tmp_path: Path, corpus_dir: Path, store: ClauseStore, version: str) -> None:
    snaps = Snapshots(tmp_path / "versions")
    snaps.save(version, corpus_dir)
    tree = snaps.extract(version, tmp_path / "replay" / "snapshot")
    assert version_of(tree) == version
    assert ClauseStore.load(tree / "corpus").sha == store.sha
    assert sorted(p.name for p in (tree / "assistant" / "rules").iterdir()) == sorted(
        p.name for p in RULES_DIR.glob("*.py")
    )
    assert rules_changes(tree / "assistant" / "rules") == ()
    assert snaps.extract(version, tree) == tree  # already there: reused
    assert not [p for p in tree.parent.iterdir() if p.name.startswith(".")]


def test_a_version_the_files_no_longer_compute_to_is_refused(tmp_path: Path, corpus_dir: Path) -> None:
    snaps = Snapshots(tmp_path)
    with pytest.raises(SnapshotError, match="changed since version 0123456789abcdef"):
        snaps.save("0123456789abcdef", corpus_dir)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("bad", ["../../etc/passwd", "", "ZZZZZZZZ", "a" * 65, "0123456789ABCDEF"])
def test_versions_from_audit_files_are_never_paths(tmp_path: Path, bad: str) -> None:
    snaps = Snapshots(tmp_path)
    assert not snaps.has(bad)
    with pytest.raises(SnapshotError):
        snaps.path(bad)


def test_a_corrupt_archive_is_a_snapshot_error(tmp_path: Path, version: str) -> None:
    snaps = Snapshots(tmp_path / "versions")
    snaps.root.mkdir()
    snaps.path(version).write_bytes(b"\x1f\x8b not really gzip")
    with pytest.raises(SnapshotError, match="unreadable snapshot archive"):
        snaps.extract(version, tmp_path / "replay" / "snapshot")
    assert not (tmp_path / "replay" / "snapshot").exists()


def test_save_snapshot_failure_is_a_warning(
    tmp_path: Path, corpus_dir: Path, version: str, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data dir should be")
    with caplog.at_level(logging.WARNING, logger="assistant.lifecycle.snapshots"):
        assert save_snapshot(Settings(corpus_dir=corpus_dir, data_dir=blocker), version) is None
    assert f"no snapshot of corpus version {version}" in caplog.text


def test_rules_changes_names_the_files(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules, ignore=shutil.ignore_patterns("__pycache__"))
    (rules / "union_fund.py").write_text((rules / "union_fund.py").read_text() + "\n# edited\n")
    (rules / "retired_rule.py").write_text("RULE = None\n")
    (rules / "taxi_union.py").unlink()
    assert rules_changes(rules) == ("retired_rule.py", "taxi_union.py", "union_fund.py")
