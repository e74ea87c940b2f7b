"""Guidance outline parser: （一）…（七） → 1. 2. → (1)(2); each paragraph lands in exactly one clause."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant.clauses.law import RawClause
from assistant.corpus.base import CorpusError, Document
from assistant.text.normalize import strip_cjk_spaces
from assistant.text.numerals import cn_to_int

SECTION = re.compile(r"^\(([一二三四五六七八九十]+)\)\s*(.+)$")
_SUB = re.compile(r"^(\d+)\.\s*(.+)$")
_ITEM = re.compile(r"^\((\d+)\)\s*(.*)$")
# An inline item marker: "(2)" right after a sentence end — (七)2 and (七)3 run their items together.
_LABEL = re.compile(r"^\s*[(（]\d+[)）]\s*")
_INLINE = re.compile(r"(?<=[。；;])\s*[(（](\d+)[)）]")


@dataclass
class _Node:
    key: str  # "6", "6.2", "6.2.1"
    locator: str  # "（六）", "（六）2", "（六）2（1）"
    heading: str
    paras: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)


def _split_inline_items(para: str) -> list[tuple[int, str]]:
    """'(1)a。(2)b。' → [(1, 'a。'), (2, 'b。')], only when the numbers run 1, 2, 3 …"""
    m = _ITEM.match(unicodedata.normalize("NFKC", para))
    if not m or m.group(1) != "1":
        return []
    parts: list[tuple[int, str]] = []
    start, num = 0, 1
    for hit in _INLINE.finditer(para):
        if int(hit.group(1)) != num + 1:
            continue
        parts.append((num, para[start : hit.start()].strip()))
        start, num = hit.start(), num + 1
    parts.append((num, para[start:].strip()))
    return [(n, _LABEL.sub("", p, count=1)) for n, p in parts]


def _outline(doc: Document) -> list[_Node]:
    sections: list[_Node] = []
    sub: _Node | None = None
    for raw in doc.body.splitlines():
        line = unicodedata.normalize("NFKC", raw).strip()
        if not line:
            continue
        original = raw.strip()
        if s := SECTION.match(line):
            n = cn_to_int(s.group(1))
            label = s.group(1)
            sections.append(_Node(str(n), f"（{label}）", f"（{label}）{strip_cjk_spaces(s.group(2))}"))
            sub = None
            continue
        if not sections:
            raise CorpusError(f"{doc.id}: text before the first section （一）: {line[:30]!r}")
        sec = sections[-1]
        if m := _SUB.match(line):
            sub = _Node(
                f"{sec.key}.{m.group(1)}", f"{sec.locator}{m.group(1)}", f"{m.group(1)}.{strip_cjk_spaces(m.group(2))}"
            )
            sec.children.append(sub)
            continue
        parent = sub or sec
        if im := _ITEM.match(line):
            items = _split_inline_items(original) or [(int(im.group(1)), _LABEL.sub("", original, count=1))]
            for num, text in items:
                parent.children.append(_Node(f"{parent.key}.{num}", f"{parent.locator}（{num}）", "", [text]))
        elif parent.children and parent.children[-1].heading == "":
            # A paragraph after an item continues that item.
            parent.children[-1].paras.append(original)
        else:
            parent.paras.append(original)
    return sections


def _emit(node: _Node, path: tuple[str, ...]) -> Iterator[RawClause]:
    hp = path + ((node.heading,) if node.heading else ())
    if len(node.paras) == 1:
        yield RawClause(node.key, node.locator, node.paras[0], hp)
    else:
        for i, p in enumerate(node.paras, 1):
            yield RawClause(f"{node.key}.p{i}", f"{node.locator}第{i}段", p, hp)
    for child in node.children:
        yield from _emit(child, hp)


def parse_guidance(doc: Document) -> Iterator[RawClause]:
    """Yield clauses in reading order; keys like '6.2', '1.2.4', '2.p1'."""
    for sec in _outline(doc):
        yield from _emit(sec, ())
