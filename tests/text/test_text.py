from pathlib import Path

import pytest

from assistant.text.aliases import Aliases
from assistant.text.normalize import display, normalize
from assistant.text.numerals import article_number, cn_to_int, digits_to_cn_articles, int_to_cn, percent_to_digits
from assistant.text.tokenize import Tokenizer, fold_numbers


@pytest.fixture(scope="module")
def tok(corpus_dir: Path) -> Tokenizer:
    return Tokenizer(corpus_dir / "dict" / "terms.txt")


@pytest.fixture(scope="module")
def aliases(corpus_dir: Path) -> Aliases:
    return Aliases.load(corpus_dir / "dict" / "aliases.toml")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("劳务派遣工 加入 工 会", "劳务派遣工加入工会"),
        ("乡镇 (街道)一级", "乡镇(街道)一级"),
        ("勞務派遣工怎麼入會", "劳务派遣工怎么入会"),
        ("ＣＰＡ事务所２５人", "CPA事务所25人"),
        ("hello  world 工会", "hello world工会"),
        ("a\x00b\u200b工会\x7f", "ab工会"),
        ("   ", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_display_keeps_punctuation() -> None:
    assert display("职工 自愿结合，工会") == "职工自愿结合，工会"


@pytest.mark.parametrize(("cn", "n"), [("二十五", 25), ("四十三", 43), ("一百零七", 107), ("十", 10), ("58", 58)])
def test_numerals(cn: str, n: int) -> None:
    assert cn_to_int(cn) == n


def test_article_forms() -> None:
    assert int_to_cn(43) == "四十三" and int_to_cn(11) == "十一"
    assert article_number("工会法第四十三条") == 43 and article_number("第43条") == 43
    assert article_number("没有条") is None
    assert digits_to_cn_articles("第43条和第11条") == "第四十三条和第十一条"
    assert percent_to_digits("百分之二") == "2%"


def test_fold_numbers_is_conservative() -> None:
    assert fold_numbers("第四十三条") == "第43条"
    assert fold_numbers("百分之二") == "2%"
    assert fold_numbers("会员二十五人以上") == "会员25人以上"
    assert fold_numbers("统一部署一些地方") == "统一部署一些地方"


def test_domain_words_are_not_split(tok: Tokenizer) -> None:
    words = tok.cut("劳务派遣工的工会经费由谁拨缴")
    assert "工的" not in words and "拨缴" in words and "劳务派遣工" in words and "工会经费" in words
    for term in [
        "基层工会委员会",
        "用工单位",
        "会计师事务所",
        "联合基层工会",
        "组织员",
        "女职工委员会",
        "个体出租车工会",
    ]:
        assert term in tok.cut(f"关于{term}的问题"), term


def test_bm25_tokens(tok: Tokenizer) -> None:
    toks = tok.tokens("会计师事务所不足二十五人怎么建会？")
    assert "25" in toks and "会计师事务所" in toks and "？" not in toks and "怎么" not in toks
    assert tok.tokens("工会法第四十三条") == tok.tokens("工会法第43条")
    assert tok.tokens("😀🎉") == [] and tok.tokens("") == []


def test_corpus_terms(store) -> None:  # type: ignore[no-untyped-def]
    terms = Tokenizer.corpus_terms([c.text for c in store])
    assert "工会会员会籍管理办法" in terms and "中华全国总工会关于组织劳务派遣工加入工会的规定" in terms


@pytest.mark.parametrize(
    ("q", "canon"),
    [
        ("派遣员工怎么入会", "劳务派遣工"),
        ("CPA所能建工会吗", "会计师事务所"),
        ("网约车司机入会", "网络预约出租车"),
        ("外企不让建工会", "外商投资企业"),
        ("老板不同意建会怎么办", "用人单位"),
    ],
)
def test_aliases(aliases: Aliases, q: str, canon: str) -> None:
    assert canon in aliases.expand(q)


def test_dues_are_not_the_two_percent_fund(aliases: Aliases) -> None:
    assert "工会经费" not in aliases.expand("会员会费交多少")
    assert aliases.expand("劳务派遣工入会") == "劳务派遣工入会"  # canonical already present: unchanged


@pytest.mark.parametrize(
    ("q", "canon", "present"),
    [
        ("跟互联网平台企业合作推进入会", "港澳台商投资企业", False),  # 平台|企业 holds 台企 by accident
        ("台企怎么建会", "港澳台商投资企业", True),
        ("我们单位要不要建工会委员会", "基层工会委员会", True),  # jieba: 建工会|委员会, one end inside a word
        ("加班费怎么算", "延长工作时间", True),  # 加班 inside 加班费
    ],
)
def test_a_variant_straddling_two_words_is_no_match(
    aliases: Aliases, tok: Tokenizer, q: str, canon: str, present: bool
) -> None:
    assert (canon in aliases.expand(normalize(q), tok.cut(normalize(q)))) is present
