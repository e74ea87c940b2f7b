"""Citation gate: a citation survives only if its clause exists and its quote is verbatim in that clause."""

from __future__ import annotations

from collections.abc import Iterable

from assistant.answer.reply import Citation
from assistant.clauses.store import ClauseStore
from assistant.text.normalize import normalize


def verified(citation: Citation, store: ClauseStore) -> bool:
    clause = store.get(citation.id)
    if clause is None:
        return False
    quote = normalize(citation.quote)
    # A few characters prove nothing; a real quote is at least a short phrase.
    return len(quote) >= 4 and quote in clause.norm


def gate(citations: Iterable[Citation], store: ClauseStore) -> list[Citation]:
    """Keep verified citations, first occurrence of each (id, quote) pair, in order."""
    seen: set[tuple[str, str]] = set()
    kept: list[Citation] = []
    for c in citations:
        key = (c.id, normalize(c.quote))
        if key in seen or not verified(c, store):
            continue
        seen.add(key)
        kept.append(c)
    return kept
