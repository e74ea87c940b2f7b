import unicodedata

from assistant.clauses import ClauseStore
from assistant.clauses.guidance import _split_inline_items


def _body_lines(store: ClauseStore) -> list[str]:
    return [ln.strip() for ln in store.documents["guidance"].body.splitlines() if ln.strip()]


def test_every_paragraph_belongs_to_exactly_one_clause(store: ClauseStore) -> None:
    clauses = store.by_doc("guidance")
    headings = {unicodedata.normalize("NFKC", h) for c in clauses for h in c.heading_path}
    for line in _body_lines(store):
        whole = [c.id for c in clauses if line in c.text]
        parts = [c for c in clauses if c.text and c.text in line]
        if whole:
            assert len(whole) == 1, (line[:20], whole)
        elif parts:
            # item lines: the clause holds the line minus its "(n)" labels, nothing else takes it
            assert sum(len(c.text) for c in parts) >= len(line) - 5 * len(parts), line[:20]
        else:
            norm = unicodedata.normalize("NFKC", line).replace(" ", "")
            assert any(norm[3:15] in h.replace(" ", "") for h in headings), line[:30]


def test_no_text_is_lost(store: ClauseStore) -> None:
    body = "".join(_body_lines(store))
    covered = sum(len(c.text.replace("\n", "")) for c in store.by_doc("guidance"))
    headings = {h for c in store.by_doc("guidance") for h in c.heading_path}
    assert covered + sum(len(h) for h in headings) >= 0.97 * len(body)


def test_locators_read_as_people_cite_them(store: ClauseStore) -> None:
    assert store["guidance/6.2"].locator == "（六）2"
    assert store["guidance/1.2.4"].locator == "（一）2（4）"
    assert store["guidance/2.p2"].locator == "（二）第2段"
    assert store["guidance/5.2.3"].locator == "（五）2（3）"
    assert store["guidance/7"].locator == "（七）"
    assert store["guidance/6.2"].heading_path[0] == "（六）积极组织劳务派遣工加入工会"


def test_all_seven_sections_present(store: ClauseStore) -> None:
    sections = {c.id.split("/")[1].split(".")[0] for c in store.by_doc("guidance")}
    assert sections == {str(i) for i in range(1, 8)}


def test_inline_items_are_split() -> None:
    parts = _split_inline_items("(1)甲。 (2)乙。(3)丙含(5)。")
    assert [n for n, _ in parts] == [1, 2, 3]
    assert parts[0][1] == "甲。" and parts[2][1] == "丙含(5)。"
    assert _split_inline_items("(2)不是第一项。") == []


def test_guidance_7_2_items(store: ClauseStore) -> None:
    for i in range(1, 5):
        assert store[f"guidance/7.2.{i}"].locator == f"（七）2（{i}）"
    assert store["guidance/7.2.1"].text.startswith("坚持以党建带动工建")
