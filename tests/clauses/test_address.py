import pytest

from assistant.clauses import ClauseStore
from assistant.clauses.address import Addresser
from assistant.clauses.refs import find_citations
from assistant.clauses.versions import align, similarity


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("工会法第十四条是什么？", "union-law-2021/art-14"),
        ("《劳动合同法》第64条怎么规定的", "labor-contract-law/art-64"),
        ("2009年工会法第十二条", "union-law-2009/art-12"),
        ("劳动合同法实施条例第三条", "labor-contract-regs/art-3"),
        ("我想问下工会法里第11条", "union-law-2021/art-11"),
        ("會籍管理辦法第九條", "acftu-membership-rule/art-9"),
    ],
)
def test_direct_references(store: ClauseStore, question: str, expected: str) -> None:
    refs = Addresser(store).find(question)
    assert refs and refs[0].clause_id == expected


def test_missing_article_is_reported_not_invented(store: ClauseStore) -> None:
    (ref,) = Addresser(store).find("工会法第一百条")
    assert ref.number == 100 and ref.clause_id is None


def test_no_reference_without_a_document_name(store: ClauseStore) -> None:
    assert Addresser(store).find("第十一条讲什么") == []


def test_find_citations_handles_ocr_spaces() -> None:
    assert list(find_citations("《工会法》第十二 条、第五十三条明确规定")) == [("工会法", 12), ("工会法", 53)]


def test_align_prefers_order_and_similarity() -> None:
    old = ["甲乙丙丁戊", "己庚辛壬癸", "子丑寅卯辰"]
    new = ["新增一条完全不同", "甲乙丙丁戊己", "己庚辛壬癸", "子丑寅卯"]
    assert [(i, j) for i, j, _ in align(old, new)] == [(0, 1), (1, 2), (2, 3)]
    assert similarity("", "abc") == 0.0
