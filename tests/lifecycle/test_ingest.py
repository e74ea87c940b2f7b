"""`ingest`: .md/.txt/.docx into a corpus copy — parsed, registered atomically; duplicates and bad files refused."""

from __future__ import annotations

import os
import threading
import tomllib
from pathlib import Path
from typing import Any

import docx
import pytest

from assistant.clauses.store import ClauseStore
from assistant.corpus.base import CorpusError, Tier, load_documents
from assistant.lifecycle.ingest import ingest
from tests.lifecycle.helpers import snapshot

LAW_TXT = """中华人民共和国测试法

2020年1月1日第十三届全国人民代表大会常务委员会第一次会议通过
2022年6月30日修正

第一章 总则

第一条 为了检验语料导入，制定本法。

第二条 用人单位应当支持职工依法组建工会。
职工人数较少的，可以联合建立工会。

第二章 附则

第三条 本法自2022年7月1日起施行。
"""

GUIDE_MD = """---
title: 旧标题
issuer: 某省总工会
version: 2023年印发
source: handed over by the provincial federation
completeness: full
---

# 新业态劳动者入会工作指引

（一）平台企业建会

1.工作目标。

推动头部平台企业普遍建立工会组织。

(1)摸清底数。(2)分类推进。

（二）网约配送员入会

依托区域性行业工会联合会吸纳网约配送员入会。
"""

META: dict[str, Any] = {
    "title": "中华人民共和国测试法",
    "issuer": "全国人大常委会",
    "version": "2022年6月30日修正",
    "tier": "law",
}


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / "in" / name
    path.parent.mkdir(exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def make_docx(path: Path, paragraphs: list[str], table: bool = False) -> Path:
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    if table:
        document.add_table(rows=1, cols=1).cell(0, 0).text = "表格内容"
    path.parent.mkdir(exist_ok=True)
    document.save(str(path))
    return path


def test_txt_statute_is_parsed_and_registered(tmp_path: Path, corpus_copy: Path) -> None:
    before = len(ClauseStore.load(corpus_copy))
    doc = ingest(write(tmp_path, "test-law.txt", LAW_TXT), corpus_copy, doc_id="test-law", **META)
    assert (doc.id, doc.parser, doc.path, doc.tier) == ("test-law", "law", "sources/test-law.md", Tier.LAW)
    assert doc.short == "测试法" and doc.version_date == "2022-06-30"
    assert doc.body.lstrip().startswith("# 中华人民共和国测试法")  # the corpus convention: title as `#`
    store = ClauseStore.load(corpus_copy)
    assert len(store) == before + 3
    art2 = store["test-law/art-2"]
    assert art2.text == "用人单位应当支持职工依法组建工会。\n职工人数较少的，可以联合建立工会。"
    assert art2.heading_path == ("第一章 总则",) and store["test-law/art-3"].heading_path == ("第二章 附则",)
    registry = tomllib.loads((corpus_copy / "sources.toml").read_text(encoding="utf-8"))
    assert registry["document"][-1] == {
        "id": "test-law",
        "file": "sources/test-law.md",
        "short": "测试法",
        "tier": "law",
        "version_date": "2022-06-30",
        "superseded": False,
        "parser": "law",
    }
    assert [q["id"] for q in registry["quoted"]] == ["acftu-dispatch-rule", "acftu-membership-rule"]


def test_statute_without_chapters_gets_a_heading(tmp_path: Path, corpus_copy: Path) -> None:
    text = "某某条例\n\n第一条 为了测试。\n\n第二条 本条例自公布之日起施行。\n"
    ingest(write(tmp_path, "regs.txt", text), corpus_copy, doc_id="regs", **{**META, "title": "某某条例"})
    store = ClauseStore.load(corpus_copy)
    assert [c.id for c in store.by_doc("regs")] == ["regs/art-1", "regs/art-2"]


def test_docx_statute(tmp_path: Path, corpus_copy: Path) -> None:
    path = make_docx(
        tmp_path / "in" / "docx-law.docx",
        [
            "中华人民共和国测试法",
            "第一章　总则",
            "第一条　为了检验语料导入，制定本法。",
            "第二条　本法自公布之日起施行。",
        ],
    )
    doc = ingest(path, corpus_copy, doc_id="docx-law", **META)
    assert doc.path == "sources/docx-law.md" and (corpus_copy / doc.path).exists()
    store = ClauseStore.load(corpus_copy)
    assert store["docx-law/art-1"].text == "为了检验语料导入，制定本法。"
    assert store["docx-law/art-2"].heading_path == ("第一章 总则",)


def test_md_guidance_front_matter_filled_and_overridden(tmp_path: Path, corpus_copy: Path) -> None:
    doc = ingest(
        write(tmp_path, "platform-guide.md", GUIDE_MD),
        corpus_copy,
        title="新业态劳动者入会工作指引",
        tier="guidance",
        doc_id="platform-guide",
        names=["新业态指引"],
    )
    assert doc.title == "新业态劳动者入会工作指引"  # the flag overrides the front matter
    assert doc.issuer == "某省总工会" and doc.completeness == "full"  # the front matter fills the rest
    assert doc.parser == "guidance" and doc.names == ("新业态指引",)
    store = ClauseStore.load(corpus_copy)
    assert [c.id for c in store.by_doc("platform-guide")] == [
        "platform-guide/1.1",
        "platform-guide/1.1.1",
        "platform-guide/1.1.2",
        "platform-guide/2",
    ]
    assert store["platform-guide/1.1.2"].text == "分类推进。"


def test_dry_run_checks_and_writes_nothing(tmp_path: Path, corpus_copy: Path) -> None:
    before = snapshot(corpus_copy)
    doc = ingest(write(tmp_path, "test-law.txt", LAW_TXT), corpus_copy, doc_id="test-law", dry_run=True, **META)
    assert doc.id == "test-law" and snapshot(corpus_copy) == before


def test_file_already_in_sources_is_registered_in_place(tmp_path: Path, corpus_copy: Path) -> None:
    path = corpus_copy / "sources" / "dropped.txt"
    path.write_text(LAW_TXT, encoding="utf-8")
    doc = ingest(path, corpus_copy, doc_id="dropped", **META)
    assert doc.path == "sources/dropped.md"
    assert len(ClauseStore.load(corpus_copy).by_doc("dropped")) == 3


@pytest.mark.parametrize(
    ("name", "content", "meta", "message"),
    [
        ("dup-id.txt", LAW_TXT, {"doc_id": "guidance"}, "already exists"),
        ("dup-id2.txt", LAW_TXT, {"doc_id": "acftu-dispatch-rule"}, "already exists"),
        ("guidance.txt", LAW_TXT, {"doc_id": "new-one"}, "already registered"),
        ("GUIDANCE.md", LAW_TXT, {"doc_id": "new-one"}, "already registered"),
    ],
)
def test_duplicates_are_refused(
    tmp_path: Path, corpus_copy: Path, name: str, content: str, meta: dict[str, str], message: str
) -> None:
    before = snapshot(corpus_copy)
    with pytest.raises(CorpusError, match=message):
        ingest(write(tmp_path, name, content), corpus_copy, **{**META, **meta})
    assert snapshot(corpus_copy) == before


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_identical_content_is_refused(tmp_path: Path, corpus_copy: Path, suffix: str) -> None:
    before = snapshot(corpus_copy)
    same = (corpus_copy / "sources" / "labor-law-2018.md").read_text(encoding="utf-8")
    with pytest.raises(CorpusError, match="same content as labor-law"):
        ingest(write(tmp_path, f"copy{suffix}", same), corpus_copy, doc_id="labor-law-copy", tier="law")
    assert snapshot(corpus_copy) == before


def test_same_text_as_docx_is_refused(tmp_path: Path, corpus_copy: Path) -> None:
    ingest(write(tmp_path, "first.txt", LAW_TXT), corpus_copy, doc_id="first", **META)
    before = snapshot(corpus_copy)
    path = make_docx(tmp_path / "in" / "second.docx", [ln for ln in LAW_TXT.splitlines() if ln.strip()])
    with pytest.raises(CorpusError, match="same content as first"):
        ingest(path, corpus_copy, doc_id="second", **META)
    assert snapshot(corpus_copy) == before


OUT_OF_ORDER = "测试法\n\n第一章 总则\n\n第二条 甲。\n\n第一条 乙。\n"
REPEATED = "测试法\n\n第一章 总则\n\n第一条 甲。\n\n第一条 乙。\n"
QUOTED_AGAIN = "".join(
    [
        "（一）再次引用\n\n",
        "《中华全国总工会关于组织劳务派遣工加入工会的规定》第一条规定:",
        "“劳务派遣单位和用工单位都应当依法建立工会组织。”\n",
    ]
)


@pytest.mark.parametrize(
    ("name", "content", "meta", "message"),
    [
        ("empty.txt", "", {}, "empty"),
        ("blank.md", "\n \n", {}, "empty"),
        ("binary.txt", b"\x00\x01\x02PK", {}, "binary"),
        ("gbk.txt", LAW_TXT.encode("gb18030"), {}, "not UTF-8"),
        ("scan.pdf", b"%PDF-1.7", {}, "unsupported file type"),
        ("noext", LAW_TXT, {}, "unsupported file type"),
        ("fake.docx", LAW_TXT, {}, "not a readable .docx"),
        ("prose.txt", "这是一段没有条款编号的说明文字。\n", {}, "no clause structure"),
        ("open.md", "---\ntitle: x\n\n第一条 甲。\n", {}, "not closed"),
        ("badline.md", "---\ntitle x\n---\n第一条 甲。\n", {}, "key: value"),
        ("twice.md", "---\ntitle: a\ntitle: b\n---\n第一条 甲。\n", {}, "appears twice"),
        ("order.txt", OUT_OF_ORDER, {}, "out of order"),
        ("repeat.txt", REPEATED, {}, "out of order or repeated"),
        ("intro.md", "前言一段。\n\n（一）标题\n\n正文。\n", {"tier": "guidance"}, "before the first section"),
        ("quoted.md", QUOTED_AGAIN, {"tier": "guidance"}, "quoted twice"),
        ("control.txt", "测试法\n\n第一章 总则\n\n第一条 甲\x1b[31m。\n", {}, "control character"),
        ("tier.txt", LAW_TXT, {"tier": "statute"}, "unknown tier"),
        ("notier.txt", LAW_TXT, {"tier": None}, "missing tier"),
        ("id.txt", LAW_TXT, {"doc_id": "Bad Id/1"}, "doc id"),
        ("noid.txt", LAW_TXT, {"doc_id": None}, "doc id"),
        ("date.txt", LAW_TXT, {"version_date": "2022-13-01"}, "YYYY-MM-DD"),
        ("title.txt", LAW_TXT, {"title": "两行\n标题"}, "one line"),
        ("noissuer.txt", LAW_TXT, {"issuer": None}, "missing issuer"),
        ("parser.txt", LAW_TXT, {"parser": "pdf"}, "unknown parser"),
    ],
)
def test_malformed_files_are_refused_and_nothing_changes(
    tmp_path: Path, corpus_copy: Path, name: str, content: str | bytes, meta: dict[str, Any], message: str
) -> None:
    before = snapshot(corpus_copy)
    kwargs = {**META, "doc_id": "new-doc", **meta}
    with pytest.raises(CorpusError, match=message) as err:
        ingest(write(tmp_path, name, content), corpus_copy, **kwargs)
    assert "\n" not in str(err.value)  # one line for the CLI
    assert snapshot(corpus_copy) == before


def test_docx_with_a_table_is_refused(tmp_path: Path, corpus_copy: Path) -> None:
    before = snapshot(corpus_copy)
    path = make_docx(tmp_path / "in" / "tabled.docx", ["测试法", "第一章 总则", "第一条 甲。"], table=True)
    with pytest.raises(CorpusError, match="table"):
        ingest(path, corpus_copy, doc_id="tabled", **META)
    assert snapshot(corpus_copy) == before


def test_missing_file_and_missing_registry(tmp_path: Path, corpus_copy: Path) -> None:
    with pytest.raises(CorpusError, match="no such file"):
        ingest(tmp_path / "nope.md", corpus_copy, doc_id="x", **META)
    with pytest.raises(CorpusError, match=r"sources\.toml"):
        ingest(write(tmp_path, "t.txt", LAW_TXT), tmp_path / "empty-corpus", doc_id="x", **META)


@pytest.mark.parametrize("fail_at", [1, 2])
def test_a_failing_write_rolls_back(
    tmp_path: Path, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch, fail_at: int
) -> None:
    """The source file is written first, then the registry; a failure at either leaves the corpus as it was."""
    before = snapshot(corpus_copy)
    real, calls = os.replace, []

    def flaky(src: Any, dst: Any) -> None:
        calls.append(dst)
        if len(calls) == fail_at:
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)  # ingest calls os.replace
    with pytest.raises(CorpusError, match="rolled back"):
        ingest(write(tmp_path, "t.txt", LAW_TXT), corpus_copy, doc_id="t", **META)
    monkeypatch.undo()
    assert snapshot(corpus_copy) == before  # no temp files left either


def test_a_failing_verification_rolls_back(tmp_path: Path, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(corpus_copy)

    def broken(_: Path) -> ClauseStore:
        raise CorpusError("simulated: registry unreadable after the write")

    monkeypatch.setattr(ClauseStore, "load", staticmethod(broken))
    with pytest.raises(CorpusError, match="rolled back: simulated"):
        ingest(write(tmp_path, "t.txt", LAW_TXT), corpus_copy, doc_id="t", **META)
    monkeypatch.undo()
    assert snapshot(corpus_copy) == before


def test_concurrent_ingests_both_land(tmp_path: Path, corpus_copy: Path) -> None:
    """The corpus lock serialises writers: neither append is lost."""
    errors: list[BaseException] = []

    def run(n: int) -> None:
        text = LAW_TXT.replace("检验语料导入", f"检验语料导入{n}")
        try:
            ingest(write(tmp_path, f"law-{n}.txt", text), corpus_copy, doc_id=f"law-{n}", **META)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    ids = {d.id for d in load_documents(corpus_copy)[0]}
    assert {f"law-{n}" for n in range(4)} <= ids
