"""FAQ entries (corpus/faq/*.jsonl) and the checks that keep each bound to the clause text it quotes.

One line per entry: {"id", "questions": [variants], "clause": clause id, "span": verbatim text of that clause, "note"}.
The variants are indexed as extra keys of their clause (index/chroma.py `sync_faq`, langchain's multi-vector
pattern); a question close enough to a variant (retrieve/faq.py) is answered with that clause leading and the span
quoted first, cited to the clause (answer/compose.py).
An entry whose clause is gone or whose span no longer occurs in the clause text is reported by `problems`, which
`assistant diff` and `assistant rules check` run, and is never served.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.clauses.store import ClauseStore
from assistant.text.normalize import display


class FaqError(ValueError):
    """A FAQ file line that is not an entry; the message names the file and line."""


@dataclass(frozen=True)
class Entry:
    id: str
    questions: tuple[str, ...]
    clause: str
    span: str
    note: str = ""

    @property
    def sha(self) -> str:
        raw = json.dumps([self.questions, self.clause, self.span], ensure_ascii=False)
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Match:
    """The FAQ variant closest to a question."""

    entry: Entry
    question: str
    score: float


def _entry(raw: object, where: str) -> Entry:
    if not isinstance(raw, dict):
        raise FaqError(f"{where}: expected an object")
    qs, clause, span = raw.get("questions"), raw.get("clause"), raw.get("span")
    if not isinstance(raw.get("id"), str) or not raw["id"]:
        raise FaqError(f"{where}: missing id")
    if not isinstance(qs, list) or not qs or not all(isinstance(q, str) and q.strip() for q in qs):
        raise FaqError(f"{where}: questions must be a non-empty list of texts")
    if not isinstance(clause, str) or not isinstance(span, str) or not span.strip():
        raise FaqError(f"{where}: clause and span must be texts")
    return Entry(raw["id"], tuple(qs), clause, span, str(raw.get("note", "")))


@dataclass(frozen=True)
class Faq:
    entries: tuple[Entry, ...] = ()

    @classmethod
    def load(cls, folder: Path) -> Faq:
        """Every entry of folder/*.jsonl; a malformed line or a repeated id fails loudly (FaqError)."""
        out: list[Entry] = []
        seen: set[str] = set()
        for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                where = f"{path.name}:{n}"
                try:
                    raw = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise FaqError(f"{where}: not JSON ({exc.msg})") from exc
                entry = _entry(raw, where)
                if entry.id in seen:
                    raise FaqError(f"{where}: id {entry.id} repeated")
                seen.add(entry.id)
                out.append(entry)
        return cls(tuple(out))

    @property
    def sha(self) -> str:
        """What the index was built from: "" without entries."""
        if not self.entries:
            return ""
        return hashlib.sha256("\0".join(f"{e.id}:{e.sha}" for e in self.entries).encode()).hexdigest()[:16]

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def problems(self, store: ClauseStore) -> list[str]:
        """One line per entry that cannot be served: its clause is not in the corpus, or its span is not in the
        clause's text (the clause was edited since the entry was written)."""
        out: list[str] = []
        for e in self.entries:
            clause = store.get(e.clause)
            if clause is None:
                out.append(f"FAQ {e.id}: clause {e.clause} is not in the corpus")
            elif not spans(clause.text, e.span):
                out.append(f"FAQ {e.id}: its span no longer occurs in {e.clause}: {e.span[:30]}…")
        return out

    def valid(self, store: ClauseStore) -> Faq:
        """The entries that can be served (see `problems`)."""
        return Faq(tuple(e for e in self.entries if (c := store.get(e.clause)) is not None and spans(c.text, e.span)))

    def variants(self) -> Sequence[tuple[Entry, int, str]]:
        """(entry, n, variant) for every question variant: what gets indexed."""
        return [(e, n, q) for e in self.entries for n, q in enumerate(e.questions)]


def spans(text: str, span: str) -> bool:
    """Whether the span is the clause's text verbatim (as stored or as displayed)."""
    return span in text or display(span) in display(text)
