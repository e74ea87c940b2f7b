"""The mention-role model: trained on corpus/slots, re-reads confused facts, never drops or takes a bare figure."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core import load_roles
from assistant.rules.facts import extract, marks, walk
from assistant.understand import lexicon
from assistant.understand.roles import KEPT, RoleModel, labelled, load_rows, same
from assistant.understand.values import Count


@pytest.fixture(scope="module")
def roles(corpus_dir: Path) -> RoleModel:
    model = load_roles(corpus_dir)
    assert model is not None
    return model


def test_it_re_reads_a_count_the_lexicon_gives_the_wrong_fact(roles: RoleModel) -> None:
    text = "同意罢免的人数为叁拾贰。"
    assert "votes" not in extract(text).facts  # the lexicon reads 人数 as the staff
    assert extract(text, roles).facts["votes"] == Count.exact(32, "三十二")


@pytest.mark.parametrize(
    "text",
    [
        "CPA事务所只有12个会员，工会怎么建？",
        "60个会员里有20人联名要求开临时会员大会",
        "如果是60万呢？",
        "刚又有1个人入会了",
    ],
)
def test_it_never_drops_a_fact_or_takes_a_bare_figure(roles: RoleModel, text: str) -> None:
    plain = extract(text).facts
    read = extract(text, roles).facts
    assert set(plain) <= set(read)
    for m in walk(text):
        if m.role in KEPT:
            assert roles.role(m) == m.role


def test_labels_come_from_the_expected_values_and_corrections_keep_only_matches() -> None:
    heads = lexicon.default()
    rows = [
        {"text": "会员30人，职工45人", "expect": {"members": 30, "staff": 45}},
        {"text": "第十一条说二十五人以上要建委员会", "expect": {}},
        {"text": "会员28个，不对，是32个", "expect": {"members": 32}},
    ]
    got = [(m.qty.text, label) for m, label in labelled(rows, walk, heads.corrects)]
    assert ("30人", "members") in got and ("45人", "staff") in got
    assert ("二十五人以上", "") in got  # a fully explained line: its other figures state nothing
    assert all(text != "28个" for text, _ in got)  # a taken-back figure teaches nothing


def test_the_banks_notation_of_an_about_figure() -> None:
    assert same(Count(135, 165, "大约150人"), 150, money=False)
    assert same(Count(27, 33, "三十来个"), 30, money=False)
    assert not same(Count(41, 49, "四十多"), 45, money=False)  # 多 is a range, not "about 45"
    assert same(Count(41, 49, "四十多"), [41, 49], money=False)


def test_the_bank_lines_are_objects_with_text(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text('["not an object"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:1"):
        load_rows(tmp_path)


def test_the_model_is_cached_and_reloaded(corpus_dir: Path, tmp_path: Path) -> None:
    heads = lexicon.default()
    first = RoleModel.ensure(corpus_dir / "slots", tmp_path, walk, heads.corrects, marks)
    files = list(tmp_path.glob("roles-*.joblib"))
    assert first is not None and len(files) == 1
    again = RoleModel.ensure(corpus_dir / "slots", tmp_path, walk, heads.corrects, marks)
    assert again is not None and list(again.clf.classes_) == list(first.clf.classes_)
    files[0].write_bytes(b"truncated")
    rebuilt = RoleModel.ensure(corpus_dir / "slots", tmp_path, walk, heads.corrects, marks)
    assert isinstance(rebuilt, RoleModel)
    assert RoleModel.ensure(tmp_path / "none", None, walk, heads.corrects, marks) is None
