"""Corpus diff and impact on corpus copies with one edited clause, a removed and an added document, and git refs."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.clauses.store import ClauseStore
from assistant.corpus.base import CorpusError
from assistant.lifecycle.diff import (
    BasisCatalogue,
    basis_hashes,
    checkout_corpus,
    diff,
    impact,
    load_corpus,
    load_gold,
    rules_for,
    unreviewed,
)
from assistant.lifecycle.ingest import ingest
from assistant.rules import RulesEngine
from tests.lifecycle.helpers import drop_document, edit_clause

ROOT = Path(__file__).resolve().parents[2]
ART11 = "union-law-2021/art-11"


def citing(engine: RulesEngine | BasisCatalogue, clause_id: str) -> set[str]:
    return {r["id"] for r in engine.catalogue() if clause_id in {b["clause_id"] for b in r["basis"]}}


def gold_with(clause_id: str) -> set[tuple[str, str]]:
    """Computed straight from the JSONL files, independently of load_gold."""
    out = set()
    for path in (ROOT / "eval" / "gold").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else {}
            if clause_id in row.get("gold", []):
                out.add((path.name, row["id"]))
    return out


def test_identical_corpora_have_an_empty_diff(store: ClauseStore, corpus_copy: Path) -> None:
    d = diff(store, ClauseStore.load(corpus_copy))
    assert not d and d.old_version == d.new_version


def test_one_edited_clause(store: ClauseStore, corpus_copy: Path) -> None:
    c = store[ART11]
    edit_clause(corpus_copy, c, "有会员二十五人以上的", "有会员三十人以上的")
    new = ClauseStore.load(corpus_copy)
    d = diff(store, new)
    assert (d.added, d.changed, d.removed) == ((), (ART11,), ())
    assert d.old_version != d.new_version and d.touched == (ART11,)

    engine = RulesEngine(store)
    imp = impact(d, engine, load_gold(), new=new)
    assert {r.rule_id for r in imp.rules} == citing(engine, ART11) and imp.rules
    assert all(r.clauses == (ART11,) for r in imp.rules)
    assert {(g.file, g.id) for g in imp.gold} == gold_with(ART11) and imp.gold
    # The threshold rule quotes 二十五人以上 from this clause: no longer verbatim in the new text.
    broken = {r.rule_id: r.problems for r in imp.rules}
    assert any("not verbatim" in p for p in broken["committee-threshold"])
    json.dumps(imp.to_dict(), ensure_ascii=False)
    json.dumps(d.to_dict(), ensure_ascii=False)


def test_removed_and_added_documents(store: ClauseStore, corpus_copy: Path, tmp_path: Path) -> None:
    drop_document(corpus_copy, "labor-contract-law")
    law = tmp_path / "new-law.txt"
    law.write_text("测试法\n\n第一章 总则\n\n第一条 甲。\n\n第二条 乙。\n", encoding="utf-8")
    ingest(law, corpus_copy, title="测试法", issuer="x", version="v", tier="law", doc_id="new-law")
    new = ClauseStore.load(corpus_copy)
    d = diff(store, new)
    assert set(d.removed) == {c.id for c in store.by_doc("labor-contract-law")}
    assert d.added == ("new-law/art-1", "new-law/art-2") and d.changed == ()

    with pytest.raises(Exception, match="not in corpus"):
        RulesEngine(new)  # why impact takes the engine built on the old corpus
    engine = rules_for(new, store)
    assert isinstance(engine, RulesEngine) and engine.store is store
    imp = impact(d, engine, load_gold(), new=new)
    expected = set().union(*(citing(engine, i) for i in d.removed))
    assert {r.rule_id for r in imp.rules} == expected and expected
    assert all(any("not in corpus" in p for p in r.problems) for r in imp.rules)
    assert {(g.file, g.id) for g in imp.gold} == set().union(*(gold_with(i) for i in d.removed))


def test_unchecked_catalogue_when_no_store_fits(store: ClauseStore, corpus_copy: Path) -> None:
    drop_document(corpus_copy, "labor-contract-law")
    broken = ClauseStore.load(corpus_copy)
    cat = rules_for(broken)
    assert isinstance(cat, BasisCatalogue)
    assert citing(cat, ART11) == citing(RulesEngine(store), ART11)


def test_review_lock_flags_rules_whose_basis_changed(store: ClauseStore, corpus_copy: Path) -> None:
    engine = RulesEngine(store)
    reviewed = basis_hashes(store, engine)
    assert unreviewed(basis_hashes(store, engine), reviewed) == []
    c = store[ART11]
    edit_clause(corpus_copy, c, "全国建立统一的中华全国总工会。", "全国建立统一的中华全国总工会。（修改）")
    new = ClauseStore.load(corpus_copy)
    assert unreviewed(basis_hashes(new, engine), reviewed) == sorted(citing(engine, ART11))


def git(repo: Path, *args: str) -> str:
    cmd = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path, corpus_dir: Path) -> Path:
    """A git repository with two commits: the corpus, then the corpus with 工会法第十一条 edited."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    shutil.copytree(corpus_dir, repo / "corpus")
    git(repo, "add", "corpus")
    git(repo, "commit", "-q", "-m", "corpus")
    git(repo, "tag", "v1")
    store = ClauseStore.load(repo / "corpus")
    edit_clause(
        repo / "corpus", store[ART11], "全国建立统一的中华全国总工会。", "全国建立统一的中华全国总工会。（修改）"
    )
    git(repo, "commit", "-q", "-am", "edit art 11")
    return repo


def test_diff_between_git_refs(repo: Path) -> None:
    d = diff(load_corpus("v1", repo), load_corpus("HEAD", repo))
    assert (d.added, d.changed, d.removed) == ((), (ART11,), ())
    # A directory works too: the corpus dir itself or a checkout holding corpus/.
    assert not diff(load_corpus("HEAD", repo), load_corpus(repo))
    assert not diff(load_corpus(repo / "corpus"), load_corpus(str(repo)))


def test_checkout_does_not_touch_the_working_tree(repo: Path, tmp_path: Path) -> None:
    before = (repo / "corpus" / "sources" / "trade-union-law-2021.md").read_bytes()
    out = checkout_corpus("HEAD~1", tmp_path / "old", repo)
    assert (out / "sources.toml").exists()
    assert (out / "sources" / "trade-union-law-2021.md").read_bytes() != before
    assert (repo / "corpus" / "sources" / "trade-union-law-2021.md").read_bytes() == before
    assert git(repo, "status", "--porcelain") == ""


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("no-such-ref", "neither a directory nor a git ref"),
        ("--output=/tmp/x", "not a directory or a git ref"),
        ("", "empty corpus version"),
        (" ", "empty corpus version"),
    ],
)
def test_bad_refs_give_one_clear_line(repo: Path, spec: str, message: str) -> None:
    with pytest.raises(CorpusError, match=message):
        load_corpus(spec, repo)


def test_ref_without_a_corpus(tmp_path: Path) -> None:
    repo = tmp_path / "empty"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "README").write_text("x")
    git(repo, "add", "README")
    git(repo, "commit", "-q", "-m", "x")
    with pytest.raises(CorpusError, match="no corpus/"):
        load_corpus("HEAD", repo)
    with pytest.raises(CorpusError, match=r"no sources\.toml"):
        load_corpus(repo, repo)
