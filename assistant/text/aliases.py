"""Alias layer: colloquial variants in a query add the corpus's canonical terms (corpus/dict/aliases.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from assistant.text.normalize import normalize


@dataclass(frozen=True)
class Aliases:
    """canonical term → variants; `expand` never drops the user's own words."""

    table: dict[str, tuple[str, ...]]

    @classmethod
    def load(cls, path: Path) -> Aliases:
        with path.open("rb") as fh:
            raw = tomllib.load(fh).get("alias", {})
        return cls({normalize(k): tuple(normalize(v) for v in vs) for k, vs in raw.items()})

    def canonical_terms(self, query: str, tokens: list[str] | None = None) -> list[str]:
        """Canonical terms whose variant occurs in the query (multi-char by substring, one char by token)."""
        q = normalize(query)
        toks = set(tokens or [])
        found: list[str] = []
        for canon, variants in self.table.items():
            if canon in q:
                continue
            for v in variants:
                if (len(v) > 1 and v in q) or (len(v) == 1 and v in toks):
                    found.append(canon)
                    break
        return found

    def expand(self, query: str, tokens: list[str] | None = None) -> str:
        """The query with canonical terms appended: '派遣工入会' → '派遣工入会 劳务派遣工'."""
        extra = self.canonical_terms(query, tokens)
        return f"{query} {' '.join(extra)}" if extra else query
