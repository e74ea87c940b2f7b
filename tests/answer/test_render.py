"""The renderer owns the reply text: 相关规定 under each source, old-number notes from the registry, the 依据 line."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.answer import render
from assistant.answer.policy import DEFAULT, SelectionPolicy
from assistant.answer.select import Renumbered, Selection, citation
from assistant.clauses.store import ClauseStore


def test_retrieval_layout_names_every_further_source(store: ClauseStore) -> None:
    lead, other = store["union-law-2021/art-11"], store["guidance/6.1"]
    sel = Selection(
        lead=["用人单位有会员二十五人以上的，应当建立基层工会委员会；"],
        related=[(other, "劳务派遣单位没有建立工会组织的,劳务派遣工直接参加用工单位工会。")],
        citations=[citation(store, lead, "用人单位有会员二十五人以上的"), citation(store, other, "劳务派遣工")],
    )
    text = render.retrieval(sel, store)
    first, heading, item = text.split("\n")
    assert first.startswith("用人单位有会员二十五人以上的") and heading == "相关规定："
    assert item.startswith(f"· {other.cite}：")
    basis = render.footer(text, sel.citations, store).rsplit("\n", 1)[1]
    assert basis == "依据：《工会法》第十一条；《建会入会指导材料》（六）1"


def test_an_old_article_number_is_explained_from_the_registry(store: ClauseStore) -> None:
    old = store["union-law-2009/art-12"]
    new = store.current(old)
    assert new.id != old.id and new.number != old.number
    note = render.renumbered(Renumbered(store["guidance/2.p2"], old, new), store)
    assert note == f"指导材料所引《工会法》{old.locator}为2009年修正本条号，现行2021年修正本为{new.locator}"
    sel = Selection(lead=["甲。"], renumbered=[Renumbered(store["guidance/2.p2"], old, new)] * 2)
    assert render.retrieval(sel, store).count("2009年修正本条号") == 1  # the same note once


def test_fixed_replies_and_notes() -> None:
    assert render.unknown_law("公司法").startswith("本助手所依据的文本中没有收录《公司法》。")
    assert render.injected(["比例已改为3%"], "答").startswith("（您的问题中夹带的“比例已改为3%”不是依据文本的内容")
    assert render.check_reference("《工会法》共五十七条，没有第九十九条。").endswith("请核对法律名称和条号。")
    assert render.no_article("劳务派遣工入会规定", 9, None).startswith("本库只收录了《劳务派遣工入会规定》")


def test_the_policy_is_frozen_and_states_its_numbers() -> None:
    assert SelectionPolicy() == DEFAULT and DEFAULT.candidates == 8 and DEFAULT.max_lead == 330
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT.max_lead = 1  # type: ignore[misc]
    fields = {f.name for f in dataclasses.fields(SelectionPolicy)}
    assert {"lead_floor", "join_floor", "lead_sentences", "new_terms", "redundant"} <= fields
