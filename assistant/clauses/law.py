"""Statute parser: 章/节 headings → heading path; 第N条 → one clause holding all its 款 and 项."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from assistant.corpus.base import CorpusError, Document
from assistant.text.normalize import strip_cjk_spaces
from assistant.text.numerals import cn_to_int

_HEADING = re.compile(r"^(#{1,6})\s*(.+?)\s*$")
# Public: ingest uses the same patterns to decide whether a new file will parse.
ARTICLE = re.compile(r"^第([零〇一二两三四五六七八九十百千]+)条\s*(.*)$")
DIVISION = re.compile(r"^(第[零〇一二三四五六七八九十百千]+([编章节]))\s*(.*)$")  # (label, kind, title)


@dataclass(frozen=True)
class RawClause:
    """Parser output before document metadata is attached."""

    key: str
    locator: str
    text: str
    heading_path: tuple[str, ...]
    number: int | None = None


def _heading_label(raw: str) -> str:
    m = DIVISION.match(raw)
    if m:
        return f"{m.group(1)} {strip_cjk_spaces(m.group(3))}".strip()
    return strip_cjk_spaces(raw)


def parse_law(doc: Document) -> Iterator[RawClause]:
    """Yield articles in order; a `## 总则` preamble without articles becomes `preamble`."""
    path: list[tuple[int, str]] = []
    current: tuple[int, str, list[str], tuple[str, ...]] | None = None
    preamble: list[str] = []
    preamble_label = "序言"
    seen: set[int] = set()
    started = False  # past the title block (first ## heading)

    def flush() -> Iterator[RawClause]:
        nonlocal current
        if current is not None:
            num, locator, paras, hp = current
            yield RawClause(f"art-{num}", locator, "\n".join(paras), hp, num)
            current = None

    for line in doc.body.splitlines():
        line = line.strip()
        if not line:
            continue
        h = _HEADING.match(line)
        if h:
            level = len(h.group(1))
            if level == 1:
                continue  # document title
            started = True
            yield from flush()
            path = [(lv, t) for lv, t in path if lv < level] + [(level, _heading_label(h.group(2)))]
            continue
        if not started:
            continue  # adoption / amendment lines of the title block
        a = ARTICLE.match(line)
        if a:
            yield from flush()
            num = cn_to_int(a.group(1))
            if num in seen:
                raise CorpusError(f"{doc.id}: article {num} appears twice")
            seen.add(num)
            locator = f"第{a.group(1)}条"
            current = (num, locator, [a.group(2)] if a.group(2) else [], tuple(t for _, t in path))
        elif current is not None:
            current[2].append(line)
        else:
            preamble.append(line)
            preamble_label = path[-1][1] if path else "序言"
    yield from flush()
    if preamble:
        yield RawClause("preamble", preamble_label, "\n".join(preamble), (preamble_label,))
