"""The lead-clause reranker (boosted trees as data) and the answer's shape: one-clause lead, whole lists, sources."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.answer.reply import ReplyStatus
from assistant.answer.rerank import FEATURES, Reranker, Tree
from assistant.core import Assistant
from assistant.eval.answers import lead_coherent

_ITEM = re.compile(r"[（(]([一二三四五六七八九十]+)[）)]")


def test_a_tree_is_walked_by_its_thresholds() -> None:
    # feature 0 ≤ 0.5 → leaf 1 (-1.0), else leaf 2 (+2.0)
    tree = Tree((0, -2, -2), (0.5, -2.0, -2.0), (1, -1, -1), (2, -1, -1), (0.0, -1.0, 2.0))
    model = Reranker(0.1, 0.5, (tree,))
    row = [0.0] * len(FEATURES)
    assert model.score(row) == pytest.approx(0.1 - 0.5)
    row[0] = 1.0
    assert model.score(row) == pytest.approx(0.1 + 1.0)


def test_the_shipped_model_loads_and_a_foreign_one_fails_loudly(corpus_dir: Path, tmp_path: Path) -> None:
    model = Reranker.load(corpus_dir / "models" / "rerank.json")
    assert model is not None and len(model.trees) >= 50
    assert Reranker.load(tmp_path / "missing.json") is None
    bad = json.loads((corpus_dir / "models" / "rerank.json").read_text(encoding="utf-8"))
    bad["features"] = ["reciprocal_rank"]
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(ValueError, match="fitted for features"):
        Reranker.load(tmp_path / "bad.json")


@pytest.mark.integration
@pytest.mark.parametrize(
    ("question", "items"),
    [("中国工会民主集中制的主要内容有哪些？", 6), ("工会会员大会的职权有哪些？", 5), ("工会经费有哪些来源？", 5)],
)
def test_a_list_question_gets_every_item_of_its_list(bot: Assistant, question: str, items: int) -> None:
    reply = bot.ask(question)
    assert reply.status is ReplyStatus.ANSWERED
    lead = reply.answer.split("\n")[0]
    numbers = _ITEM.findall(lead)
    assert len(numbers) >= items, lead
    assert numbers == sorted(set(numbers), key=numbers.index), lead  # in the source's order, none twice


@pytest.mark.integration
@pytest.mark.parametrize(
    "question",
    ["老板不让我们成立工会，工会能怎么办？", "劳务派遣工应该加入哪个工会？", "企业改制时工会资产怎么处理？"],
)
def test_the_lead_is_one_source_and_other_clauses_name_theirs(bot: Assistant, question: str) -> None:
    reply = bot.ask(question)
    assert reply.status is ReplyStatus.ANSWERED
    assert lead_coherent(reply.answer, bot.store), reply.answer
    if "相关规定：" in reply.answer:
        block = reply.answer.split("相关规定：\n", 1)[1].split("\n依据")[0]
        for line in block.split("\n"):
            assert re.match(r"· 《[^》]+》\S*?：", line), line
