"""The naive LangChain baseline's chunking and chunk → clause mapping (no embedding model needed)."""

from __future__ import annotations

from assistant.clauses import ClauseStore
from assistant.eval.naive import CHUNK_SIZE, best_clause, cache_key, candidates_by_doc, coverage, source_chunks


def test_coverage_counts_shared_runs() -> None:
    assert coverage("abcdef", "xxabcdefxx", 3) == 4
    assert coverage("abcdef", "xyz", 3) == 0
    assert coverage("ab", "ab", 3) == 0


def test_best_clause_prefers_long_verbatim_overlap_then_shorter_clause() -> None:
    cands = [
        ("art-3", "劳动者享有平等就业和选择职业的权利,取得劳动报酬的权利"),
        ("art-6", "国家提倡劳动者参加社会义务劳动,开展劳动竞赛和合理化建议活动,鼓励劳动者进行科学研究"),
        ("para", "规定:“用工单位应当按照劳务派遣工工资总额的百分之二提取经费”。由于劳务派遣"),
        ("rule", "用工单位应当按照劳务派遣工工资总额的百分之二提取经费"),
    ]
    # common words (劳动者, 劳动) must not beat a verbatim run
    assert best_clause("第三条 劳动者享有平等就业和选择职业的权利", cands) == "art-3"
    # a chunk inside a quoted rule overlaps the rule and the paragraph quoting it equally: the rule wins
    assert best_clause("按照劳务派遣工工资总额的百分之二提取", cands) == "rule"
    assert best_clause("完全无关的英文 text", cands) is None
    assert best_clause("第三條 勞動者享有平等就業", cands) == "art-3"  # compared in normalised form


def test_real_corpus_chunks_map_to_their_own_clauses(store: ClauseStore) -> None:
    chunks = source_chunks(store)
    assert chunks and all(len(c.page_content) <= CHUNK_SIZE for c in chunks)
    cands = candidates_by_doc(store)
    assert any(cid.startswith("acftu-dispatch-rule/") for cid, _ in cands["guidance"])  # quoted rules included
    law = [c for c in chunks if c.metadata["doc_id"] == "union-law-2021"]
    art11 = next(c for c in law if "第十一条 用人单位有会员" in c.page_content)
    assert best_clause(art11.page_content, cands["union-law-2021"]) == "union-law-2021/art-11"


class Emb:
    model_id = "m1"
    passage_prefix = "passage: "


def test_cache_key_follows_corpus_and_model(store: ClauseStore) -> None:
    a = cache_key(store, Emb())  # type: ignore[arg-type]
    assert a == cache_key(store, Emb())  # type: ignore[arg-type]
    other = Emb()
    other.model_id = "m2"
    assert a != cache_key(store, other)  # type: ignore[arg-type]
