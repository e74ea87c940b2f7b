import itertools
import re
from collections import Counter

import pytest

from assistant.clauses import ClauseStore
from assistant.corpus.base import Tier
from assistant.text.normalize import normalize


@pytest.mark.parametrize(
    ("doc_id", "count"),
    [
        ("union-law-2021", 58),
        ("union-law-2009", 57),
        ("labor-contract-law", 98),
        ("labor-law", 107),
        ("labor-contract-regs", 38),
        ("labor-inspection-regs", 36),
        ("acftu-constitution-2008", 44),  # 43 articles + 总则
    ],
)
def test_article_counts(store: ClauseStore, doc_id: str, count: int) -> None:
    clauses = store.by_doc(doc_id)
    assert len(clauses) == count
    numbers = [c.number for c in clauses if c.number is not None]
    assert numbers == list(range(1, len(numbers) + 1))


def test_ids_are_unique_readable_and_stable(corpus_dir) -> None:  # type: ignore[no-untyped-def]
    a, b = ClauseStore.load(corpus_dir), ClauseStore.load(corpus_dir)
    assert [c.id for c in a] == [c.id for c in b]
    assert a.sha == b.sha
    assert len({c.id for c in a}) == len(a)
    for c in a:
        assert re.fullmatch(r"[a-z0-9-]+/(art-\d+|preamble|\d+(\.\d+)*(\.p\d+)?)", c.id), c.id


def test_article_keeps_kuan_and_xiang(store: ClauseStore) -> None:
    art = store["union-law-2021/art-11"]
    assert art.locator == "第十一条"
    assert art.heading_path == ("第二章 工会组织",)
    assert art.text.startswith("用人单位有会员二十五人以上的，应当建立基层工会委员会")
    assert art.text.count("\n") == 4  # five 款
    items = store["union-law-2021/art-43"]
    assert "（二）建立工会组织的用人单位按每月全部职工工资总额的百分之二向工会拨缴的经费" in items.text


def test_section_heading_path_for_law_sections(store: ClauseStore) -> None:
    art = store["labor-contract-law/art-64"]
    assert art.heading_path == ("第五章 特别规定", "第二节 劳务派遣")


def test_constitution_preamble(store: ClauseStore) -> None:
    pre = store["acftu-constitution-2008/preamble"]
    assert pre.locator == "总则" and pre.tier is Tier.CONSTITUTION and pre.superseded


def test_superseded_flags(store: ClauseStore) -> None:
    assert store["union-law-2009/art-10"].superseded
    assert not store["union-law-2021/art-11"].superseded


def test_normalised_text_removes_ocr_spaces(store: ClauseStore) -> None:
    c = store["guidance/6.1"]
    assert "职工 的" not in c.norm
    assert "派遣单位不用工,用工单位无合同" in c.norm
    assert c.norm == normalize(c.text)


@pytest.mark.parametrize(("old", "new"), [(10, 11), (12, 13), (42, 43), (53, 54), (2, 2), (57, 58)])
def test_version_map_2009_to_2021(store: ClauseStore, old: int, new: int) -> None:
    mapping = store.version_map("union-law-2009", "union-law-2021")
    assert mapping[old] == new
    assert f"union-law-2021/art-{new}" in store[f"union-law-2009/art-{old}"].versions
    assert store.current(store[f"union-law-2009/art-{old}"]).id == f"union-law-2021/art-{new}"


def test_version_map_is_one_to_one_and_monotone(store: ClauseStore) -> None:
    mapping = store.version_map("union-law-2009", "union-law-2021")
    assert len(mapping) >= 50
    pairs = sorted(mapping.items())
    assert all(b1 < b2 for (_, b1), (_, b2) in itertools.pairwise(pairs))


def test_guidance_old_numbering_links_both_versions(store: ClauseStore) -> None:
    refs = store["guidance/2.p2"].refs
    for cid in ("union-law-2009/art-12", "union-law-2021/art-13", "union-law-2009/art-53", "union-law-2021/art-54"):
        assert cid in refs


def test_quoted_rules_are_clauses_linked_to_their_paragraph(store: ClauseStore) -> None:
    expected = {
        "acftu-dispatch-rule/art-1": "guidance/6.1",
        "acftu-membership-rule/art-9": "guidance/6.1",
        "acftu-dispatch-rule/art-3": "guidance/6.2",
        "acftu-dispatch-rule/art-2": "guidance/6.3",
        "acftu-dispatch-rule/art-5": "guidance/6.4",
    }
    for cid, parent in expected.items():
        c = store[cid]
        assert c.parent == parent and c.tier is Tier.ACFTU_RULE
        assert cid in store[parent].quoted
        assert c.norm in store[parent].norm  # verbatim
        assert "引用" in c.completeness
    assert store["acftu-dispatch-rule/art-3"].text.startswith(
        "劳务派遣工的工会经费应由用工单位按劳务派遣工工资总额的百分之二"
    )


def test_counts_by_doc(store: ClauseStore) -> None:
    counts = Counter(c.doc_id for c in store)
    assert counts["guidance"] == 40
    assert len(store) == sum(counts.values())
