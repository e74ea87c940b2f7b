"""Clause: the smallest citable unit (a law article, a guidance paragraph, a quoted rule article)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from assistant.corpus.base import Tier


@dataclass(frozen=True)
class Clause:
    """One citable clause.

    `text` is the clause exactly as in the source file (OCR spaces and all); `norm` is
    `text.normalize.normalize(text)`, the form used for matching and quote checks.
    `refs` are clause IDs this clause cites; `versions` the same provision in other
    versions of its document (Trade Union Law 2009 ↔ 2021); `parent` links a quoted
    rule clause to the guidance paragraph quoting it, and `quoted` the other way.
    """

    id: str
    doc_id: str
    source: str
    short: str
    locator: str
    text: str
    norm: str
    tier: Tier
    version_date: str
    superseded: bool
    completeness: str
    heading_path: tuple[str, ...] = ()
    number: int | None = None
    parent: str | None = None
    quoted: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()
    versions: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def sha(self) -> str:
        """Content hash: changes exactly when the citable text or its address changes."""
        return hashlib.sha256(f"{self.id}\n{self.locator}\n{self.text}".encode()).hexdigest()[:16]

    @property
    def cite(self) -> str:
        """How a person cites it: 《工会法》第十一条."""
        return f"《{self.short}》{self.locator}"

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "source": self.source,
            "locator": self.locator,
            "heading_path": list(self.heading_path),
            "tier": self.tier.value,
            "tier_label": self.tier.label,
            "version_date": self.version_date,
            "superseded": self.superseded,
            "completeness": self.completeness,
            "text": self.text,
            "parent": self.parent,
            "quoted": list(self.quoted),
            "refs": list(self.refs),
            "versions": list(self.versions),
        }
