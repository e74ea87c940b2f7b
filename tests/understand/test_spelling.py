"""Spelling correction: domain typos are fixed, clause text and correct questions are never touched."""

from pathlib import Path

import pytest

from assistant.clauses import ClauseStore
from assistant.core import load_speller
from assistant.text.normalize import normalize
from assistant.text.tokenize import Tokenizer
from assistant.understand.spelling import Speller


@pytest.fixture(scope="module")
def speller(corpus_dir: Path, store: ClauseStore) -> Speller:
    return load_speller(corpus_dir, store, Tokenizer(corpus_dir / "dict" / "terms.txt"))


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("我想加如工会", "我想加入工会"),  # homophone (pinyin)
        ("派谴工怎么入会", "派遣工怎么入会"),
        ("劳务派遗工该入哪个工会", "劳务派遣工该入哪个工会"),  # shape-alike, from the confusion set
        ("公司不让我们建公会", "公司不让我们建工会"),  # a word jieba knows in another sense
        ("我们会记师事务所有20人", "我们会计师事务所有20人"),
        ("农名工入会", "农民工入会"),
    ],
)
def test_domain_typos_are_corrected(speller: Speller, typed: str, meant: str) -> None:
    fixed, corrections = speller.correct(normalize(typed))
    assert fixed == meant
    assert corrections and all(c.wrong != c.right for c in corrections)


@pytest.mark.parametrize(
    "text",
    ["如会员人数不足二十五人", "办公会议上讨论工会的事", "在建的大工地能不能建工会", "不需要征得同意", "加班费怎么算"],
)
def test_correct_text_is_left_alone(speller: Speller, text: str) -> None:
    assert speller.correct(normalize(text)) == (normalize(text), ())


def test_no_clause_sentence_is_changed(speller: Speller, store: ClauseStore) -> None:
    """The corpus has no typos: every change the speller would make to it is a false correction."""
    changed = [s for c in store for s in c.norm.split("。") if speller.correct(s)[1]]
    assert changed == []
