"""Extract rule articles quoted verbatim in the guidance (《规定》第一条规定:“…”) as clauses of their own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from assistant.text.numerals import cn_to_int

_QUOTE = re.compile(r"《([^》]+)》\s*第([零一二三四五六七八九十百]+)\s*条\s*规定\s*[:：]\s*“([^”]+)”")


@dataclass(frozen=True)
class Quote:
    title: str
    number: int
    locator: str
    text: str


def find_quotes(text: str) -> Iterator[Quote]:
    """Every `《title》第N条规定:“…”` in a paragraph, in order."""
    for m in _QUOTE.finditer(text):
        yield Quote(m.group(1).strip(), cn_to_int(m.group(2)), f"第{m.group(2)}条", m.group(3))
