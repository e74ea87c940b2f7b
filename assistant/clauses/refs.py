"""Find citations such as 《工会法》第十二 条、第五十三条 in running text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from assistant.text.numerals import cn_to_int

_CITE = re.compile(r"《([^》]+)》((?:\s*[、和及与]?\s*第\s*[零一二三四五六七八九十百]+\s*条)+)")
_NUM = re.compile(r"第\s*([零一二三四五六七八九十百]+)\s*条")


def find_citations(text: str) -> Iterator[tuple[str, int]]:
    """(short title, article number) for each article cited after a 《title》."""
    for m in _CITE.finditer(text):
        for n in _NUM.finditer(m.group(2)):
            yield m.group(1).strip(), cn_to_int(n.group(1))
