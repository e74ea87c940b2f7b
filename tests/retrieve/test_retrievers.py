"""Conformance: every retriever honours the contract in assistant/retrieve/base.py (real model and index)."""

import pytest
from langchain_core.documents import Document

from assistant.retrieve import InvalidQuery

pytestmark = pytest.mark.integration
NAMES = ["bm25", "dense", "hybrid"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "question",
    [
        "劳务派遣工的工会经费由谁拨缴",
        "会计所不足25人怎么建会",
        "勞務派遣工怎麼入會",
        "CPA firm union 25 members",
        "😀🎉 工会",
        "a\x00b\x07工会\u202e经费",
        "工会" * 300,
    ],
)
def test_contract(bot, name: str, question: str) -> None:  # type: ignore[no-untyped-def]
    hits = getattr(bot, name).search(question, 5)
    assert len(hits) <= 5
    ids = [h.clause.id for h in hits]
    assert len(set(ids)) == len(ids)
    assert all(i in bot.store for i in ids)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("bad", ["", "   ", "\n\t", "x" * 2001])
def test_bad_queries_raise_clear_error(bot, name: str, bad: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidQuery) as err:
        getattr(bot, name).search(bad, 5)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(err.value))


@pytest.mark.parametrize("name", NAMES)
def test_superseded_ranked_below_current(bot, name: str) -> None:  # type: ignore[no-untyped-def]
    ids = [h.clause.id for h in getattr(bot, name).search("任何组织和个人不得随意撤销、合并工会组织", 10)]
    assert "union-law-2021/art-13" in ids
    if "union-law-2009/art-12" in ids:
        assert ids.index("union-law-2021/art-13") < ids.index("union-law-2009/art-12")


@pytest.mark.parametrize("name", NAMES)
def test_old_version_when_asked(bot, name: str) -> None:  # type: ignore[no-untyped-def]
    assert getattr(bot, name).search("2009年工会法第十二条", 3)[0].clause.id == "union-law-2009/art-12"


@pytest.mark.parametrize("name", NAMES)
def test_is_a_langchain_retriever(bot, name: str) -> None:  # type: ignore[no-untyped-def]
    docs = getattr(bot, name).invoke("劳务派遣工的工会经费由谁拨缴")
    assert docs and all(isinstance(d, Document) for d in docs)
    assert docs[0].id in bot.store and docs[0].metadata["locator"]


def test_direct_reference_first(bot) -> None:  # type: ignore[no-untyped-def]
    assert bot.search("工会法第十四条是什么？", 3)[0].clause.id == "union-law-2021/art-14"
    assert bot.search("《劳动合同法》第64条怎么规定的", 3)[0].clause.id == "labor-contract-law/art-64"


def test_aliases_help(bot) -> None:  # type: ignore[no-untyped-def]
    top = [h.clause.id for h in bot.search("派遣员工的经费谁来交", 3)]
    assert "acftu-dispatch-rule/art-3" in top or "guidance/6.2" in top


def test_k_must_be_positive(bot) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidQuery):
        bot.hybrid.search("工会", -1)
