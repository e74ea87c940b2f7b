"""Alias layer: colloquial variants in a query add the corpus's canonical terms (corpus/dict/aliases.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from assistant.text.normalize import normalize


@dataclass(frozen=True)
class Aliases:
    """canonical term → variants; `expand` never drops the user's own words."""

    table: dict[str, tuple[str, ...]]
    # first character → (canonical term's position, term, variant): a query is checked against the variants that
    # start with one of its characters, not all thousand (2 ms → 0.1 ms a call, same matches)
    _by_first: dict[str, list[tuple[int, str, str]]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_first: dict[str, list[tuple[int, str, str]]] = {}
        for n, (canon, variants) in enumerate(self.table.items()):
            for v in variants:
                if v:
                    by_first.setdefault(v[0], []).append((n, canon, v))
        object.__setattr__(self, "_by_first", by_first)

    @classmethod
    def load(cls, path: Path) -> Aliases:
        with path.open("rb") as fh:
            raw = tomllib.load(fh).get("alias", {})
        return cls({normalize(k): tuple(normalize(v) for v in vs) for k, vs in raw.items()})

    def canonical_terms(self, query: str, tokens: list[str] | None = None) -> list[str]:
        """Canonical terms whose variant occurs in the query (multi-char by substring, one char by token).

        With the query's words given, a variant that starts and ends inside words is not a match:
        "平台企业" holds "台企" but is not about 台资企业.
        """
        q = normalize(query)
        toks = set(tokens or [])
        inside = _inside_words(q, tokens) if tokens else set()
        found: dict[int, str] = {}
        for ch in set(q):
            for n, canon, v in self._by_first.get(ch, ()):
                if n in found or canon in q:
                    continue
                if (len(v) > 1 and _occurs(q, v, inside)) or (len(v) == 1 and v in toks):
                    found[n] = canon
        return [found[n] for n in sorted(found)]  # in the table's order

    def expand(self, query: str, tokens: list[str] | None = None) -> str:
        """The query with canonical terms appended: '派遣工入会' → '派遣工入会 劳务派遣工'."""
        extra = self.canonical_terms(query, tokens)
        return f"{query} {' '.join(extra)}" if extra else query


def _inside_words(query: str, words: list[str]) -> set[int]:
    """Offsets in the query that fall strictly inside a word (not a boundary between two words)."""
    inside: set[int] = set()
    pos = 0
    for w in words:
        at = query.find(w, pos)
        if at < 0:  # the cut does not align with the text: claim no boundaries rather than guess
            return set()
        inside.update(range(at + 1, at + len(w)))
        pos = at + len(w)
    return inside


def _occurs(query: str, variant: str, inside: set[int]) -> bool:
    at = query.find(variant)
    while at >= 0:
        # straddling two words at both ends ("平|台企|业") is a coincidence of characters; one end
        # inside a word is usually jieba cutting differently ("建工会|委员会", "加班费")
        if at not in inside or at + len(variant) not in inside:
            return True
        at = query.find(variant, at + 1)
    return False
