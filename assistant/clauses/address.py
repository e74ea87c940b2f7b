"""Resolve how people address a clause ("工会法第十四条", "《劳动合同法》第64条", "2009年工会法第十二条") to IDs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.clauses.store import ClauseStore
from assistant.text.normalize import normalize
from assistant.text.numerals import cn_to_int

_ART = re.compile(r"第\s*([零〇一二两三四五六七八九十百千\d]+)\s*条")


@dataclass(frozen=True)
class Reference:
    """A document + article named in a question; `clause_id` is None when no such article exists."""

    doc_id: str
    number: int
    clause_id: str | None
    name: str


class Addresser:
    """Longest document name wins, so 劳动合同法实施条例 is not read as 劳动合同法."""

    def __init__(self, store: ClauseStore) -> None:
        self.store = store
        names: dict[str, str] = {}
        for doc in store.documents.values():
            for n in (doc.short, doc.title, *doc.names):
                names.setdefault(normalize(n), doc.id)
        for q in store.quoted_sources.values():
            for n in (q.short, q.title, *q.names):
                names.setdefault(normalize(n), q.id)
        # 全总 is how everyone abbreviates 中华全国总工会 in a document title.
        for n, doc_id in list(names.items()):
            if "中华全国总工会" in n:
                names.setdefault(n.replace("中华全国总工会", "全总"), doc_id)
        self._names = sorted(names.items(), key=lambda kv: -len(kv[0]))
        # "2009年的工会法" / "09版工会法": the year in front of a name selects the version.
        self._years = {
            "2009": "union-law-2009",
            "09": "union-law-2009",
            "2021": "union-law-2021",
            "21": "union-law-2021",
        }

    @property
    def names(self) -> list[str]:
        return [n for n, _ in self._names]

    def find(self, question: str) -> list[Reference]:
        q = normalize(question).replace("《", "").replace("》", "")
        refs: list[Reference] = []
        for m in _ART.finditer(q):
            before = q[: m.start()]
            doc_id, name = self._doc_before(before)
            if doc_id is None:
                continue
            try:
                num = cn_to_int(m.group(1))
            except (ValueError, KeyError, TypeError):
                continue
            clause = self.store.article(doc_id, num)
            refs.append(Reference(doc_id, num, clause.id if clause else None, name))
        return refs

    def _doc_before(self, text: str) -> tuple[str | None, str]:
        """The document named closest before an article number (within a few characters)."""
        best: tuple[int, str, str] | None = None
        for name, doc_id in self._names:
            pos = text.rfind(name)
            if pos < 0 or len(text) - (pos + len(name)) > 6:
                continue
            end = pos + len(name)
            if best is None or end > best[0]:
                best = (end, doc_id, name)
        if best is None:
            return None, ""
        _, doc_id, name = best
        if doc_id == "union-law-2021":
            head = text[max(0, best[0] - len(name) - 8) : best[0] - len(name)]
            for year, target in self._years.items():
                if year in head:
                    doc_id = target
        return doc_id, name
