"""Index sync against a real embedded Chroma in a temp dir: incremental by content hash, deletions propagate."""

from dataclasses import replace
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.index.build import ensure_index
from assistant.index.chroma import open_store, passages, stored_hashes, sync
from assistant.index.manifest import Manifest, read_manifest, write_manifest

pytestmark = pytest.mark.integration


def test_passages_cover_the_clause(store) -> None:  # type: ignore[no-untyped-def]
    c = store["guidance/6.2"]
    windows = passages(c)
    assert len(windows) > 1
    body = "".join(w.split("\n", 1)[1] for w in windows)
    assert body.replace(" ", "") == c.text.replace(" ", "").replace("\n", "")
    assert all(w.startswith(c.cite) for w in windows)
    assert len(passages(store["union-law-2021/art-12"])) == 1


def test_incremental_sync(bot, store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path, collection="sync-test")
    vectors = open_store(settings, bot.embedder)
    few = [store[i] for i in ("union-law-2021/art-11", "union-law-2021/art-12", "guidance/6.2")]
    first = sync(vectors, few)
    assert (first.added, first.updated, first.removed) == (3, 0, 0)
    assert set(stored_hashes(vectors)) == {c.id for c in few}
    changed = [few[0], replace(few[1], text=few[1].text + "（测试修改）"), few[2]]
    second = sync(vectors, changed)
    assert (second.added, second.updated, second.removed, second.unchanged) == (0, 1, 0, 2)
    third = sync(vectors, changed[:2])
    assert third.removed == 1 and "guidance/6.2" not in stored_hashes(vectors)
    got = vectors._collection.get(where={"clause_id": "guidance/6.2"})
    assert got["ids"] == []


def test_manifest_round_trip_and_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    assert read_manifest(path) is None
    m = Manifest(corpus_sha="a", model_id="b", dim=3, built_at="now", clauses=1, collection="c", hashes={"x": "y"})
    write_manifest(path, m)
    assert read_manifest(path) == m
    path.write_text("{not json")
    assert read_manifest(path) is None


def test_current_index_is_not_rebuilt(bot) -> None:  # type: ignore[no-untyped-def]
    _, manifest, report = ensure_index(bot.settings, bot.store, bot.embedder)
    assert report is None and manifest.corpus_sha == bot.store.sha and manifest.clauses == len(bot.store)
