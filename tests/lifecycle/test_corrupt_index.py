"""Corrupt or missing index files: each leads to a rebuild (or a re-check) with one clear warning, never a
traceback. Runs `ensure_index` in a fresh process with a hashing embedder (no model needed)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assistant.clauses.store import ClauseStore
from assistant.config import Settings
from assistant.index.build import manifest_path
from assistant.index.manifest import read_manifest

ROOT = Path(__file__).resolve().parents[2]
COLLECTION = "corrupt-test"


def run_index(data_dir: Path) -> tuple[dict[str, Any], str]:
    """(stdout JSON, stderr) of one `ensure_index` in a new interpreter; fails on a non-zero exit."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    done = subprocess.run(
        [sys.executable, "-m", "tests.lifecycle.index_runner", str(data_dir), COLLECTION],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, store: ClauseStore) -> Path:
    """One index built by a fresh process; each test damages its own copy."""
    data = tmp_path_factory.mktemp("index-template") / "data"
    out, err = run_index(data)
    assert out["report"]["added"] == len(store) and out["hits"] == 3
    assert err.strip() == ""  # a first build warns about nothing
    return data


@pytest.fixture
def built(template: Path, tmp_path: Path) -> Settings:
    shutil.copytree(template, tmp_path / "data")
    return Settings(data_dir=tmp_path / "data", collection=COLLECTION)


def assert_rebuilt(settings: Settings, store: ClauseStore, out: dict[str, Any], recheck: bool = False) -> None:
    assert out["report"]["added"] == len(store) and out["hits"] == 3
    manifest = read_manifest(manifest_path(settings))
    assert manifest is not None and manifest.vectors == out["vectors"] and manifest.clauses == len(store)
    if recheck:
        again, err = run_index(settings.data_dir)  # recovered for good: the next start has nothing to do
        assert again["report"] is None and err.strip() == ""


@pytest.mark.parametrize("garbage", ["{not json", '{"corpus_sha": 1}'])
def test_corrupt_manifest_is_rechecked_without_reembedding(built: Settings, store: ClauseStore, garbage: str) -> None:
    path = manifest_path(built)
    path.write_text(garbage, encoding="utf-8")
    out, err = run_index(built.data_dir)
    # The vectors carry their clause hashes, so nothing is re-embedded; only the manifest is rewritten.
    assert out["report"] == {"added": 0, "updated": 0, "removed": 0, "unchanged": len(store)}
    assert "manifest" in err and "unreadable" in err and len(err.strip().splitlines()) == 1
    assert read_manifest(path) is not None


def test_missing_manifest_is_rewritten_silently(built: Settings, store: ClauseStore) -> None:
    manifest_path(built).unlink()
    out, err = run_index(built.data_dir)
    assert out["report"]["unchanged"] == len(store) and err.strip() == ""


def test_deleted_chroma_dir_is_rebuilt(built: Settings, store: ClauseStore) -> None:
    shutil.rmtree(built.chroma_dir)
    out, err = run_index(built.data_dir)
    assert "holds 0 vectors" in err and len(err.strip().splitlines()) == 1
    assert_rebuilt(built, store, out, recheck=True)


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_damaged_chroma_sqlite_is_wiped_and_rebuilt(built: Settings, store: ClauseStore, damage: str) -> None:
    db = built.chroma_dir / "chroma.sqlite3"
    data = db.read_bytes()
    if damage == "garbage":
        db.write_bytes(os.urandom(len(data)))
    else:
        db.write_bytes(data[: len(data) // 3])
    out, err = run_index(built.data_dir)
    assert "unreadable" in err and "rebuilding" in err and len(err.strip().splitlines()) == 1
    assert_rebuilt(built, store, out, recheck=damage == "garbage")


def test_chroma_path_that_is_a_file_is_replaced(built: Settings, store: ClauseStore) -> None:
    shutil.rmtree(built.chroma_dir)
    built.chroma_dir.write_text("not a directory")
    out, err = run_index(built.data_dir)
    assert "unreadable" in err
    assert_rebuilt(built, store, out)
