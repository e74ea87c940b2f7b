"""Document model and loader: sources.toml + each file's front matter → Document."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Tier(StrEnum):
    """Legal weight of a source, highest first; a bad value raises ValueError."""

    LAW = "law"
    REGULATION = "regulation"
    ACFTU_RULE = "acftu_rule"
    CONSTITUTION = "constitution"
    GUIDANCE = "guidance"

    @property
    def label(self) -> str:
        return _TIER_LABELS[self]


_TIER_LABELS = {
    Tier.LAW: "法律",
    Tier.REGULATION: "国务院行政法规",
    Tier.ACFTU_RULE: "全总规定",
    Tier.CONSTITUTION: "中国工会章程",
    Tier.GUIDANCE: "指导材料",
}


class CorpusError(Exception):
    """A source file or the registry is missing or malformed."""


@dataclass(frozen=True)
class Document:
    """One source text with its front matter; `body` is the text after the front matter."""

    id: str
    title: str
    short: str
    tier: Tier
    issuer: str
    version: str
    version_date: str
    source: str
    completeness: str
    superseded: bool
    parser: str
    body: str = field(repr=False)
    path: str = ""
    superseded_by: str | None = None
    cites: dict[str, str] = field(default_factory=dict)
    names: tuple[str, ...] = ()  # how people name it: 工会法, 2009年工会法 …
    notice: str | None = None  # shown beside citations: superseded, partial …

    @property
    def sha(self) -> str:
        return hashlib.sha256(self.body.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class QuotedSource:
    """A rule known only through verbatim quotes in another document (no file of its own)."""

    id: str
    title: str
    short: str
    tier: Tier
    issuer: str
    completeness: str
    names: tuple[str, ...] = ()
    notice: str | None = None


def _names(entry: dict[str, object]) -> tuple[str, ...]:
    raw = entry.get("names", [])
    return tuple(str(n) for n in raw) if isinstance(raw, list) else ()


def parse_front_matter(text: str, name: str = "", *, required: bool = True) -> tuple[dict[str, str], str]:
    """Split a `---` front-matter block (one `key: value` per line) from the body.

    With `required=False` (ingest, where flags fill in what is missing) the block may be absent or
    partial; it must still be well-formed.
    """
    if not text.startswith("---\n"):
        if not required:
            return {}, text
        raise CorpusError(f"{name}: no front matter (the file must start with '---')")
    end = text.find("\n---\n", 3)
    if end < 0:
        raise CorpusError(f"{name}: front matter is not closed with '---'")
    meta: dict[str, str] = {}
    for line in text[4:end].splitlines():
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip():
            raise CorpusError(f"{name}: front-matter line without 'key: value': {line[:40]!r}")
        if key.strip() in meta:
            raise CorpusError(f"{name}: front-matter key {key.strip()!r} appears twice")
        meta[key.strip()] = value.strip()
    missing = {"title", "issuer", "version", "source", "completeness"} - meta.keys()
    if missing and required:
        raise CorpusError(f"{name}: front matter lacks {', '.join(sorted(missing))}")
    return meta, text[end + 5 :]


def load_registry(corpus_dir: Path) -> dict[str, list[dict[str, object]]]:
    path = corpus_dir / "sources.toml"
    if not path.exists():
        raise CorpusError(f"{path}: corpus registry not found")
    with path.open("rb") as fh:
        return tomllib.load(fh)


def load_documents(corpus_dir: Path) -> tuple[list[Document], list[QuotedSource]]:
    """Read every registered document and quoted source, in registry order."""
    reg = load_registry(corpus_dir)
    docs: list[Document] = []
    for entry in reg.get("document", []):
        path = corpus_dir / str(entry["file"])
        if not path.exists():
            raise CorpusError(f"{path}: registered in sources.toml but missing")
        meta, body = parse_front_matter(path.read_text(encoding="utf-8"), path.name)
        cites = entry.get("cites", {})
        docs.append(
            Document(
                id=str(entry["id"]),
                title=meta["title"],
                short=str(entry.get("short", meta["title"])),
                tier=Tier(str(entry["tier"])),
                issuer=meta["issuer"],
                version=meta["version"],
                version_date=str(entry["version_date"]),
                source=meta["source"],
                completeness=meta["completeness"],
                superseded=bool(entry.get("superseded", False)),
                superseded_by=str(entry["superseded_by"]) if "superseded_by" in entry else None,
                parser=str(entry["parser"]),
                body=body,
                path=str(entry["file"]),
                cites={str(k): str(v) for k, v in cites.items()} if isinstance(cites, dict) else {},
                names=_names(entry),
                notice=str(entry["notice"]) if "notice" in entry else None,
            )
        )
    quoted = [
        QuotedSource(
            id=str(q["id"]),
            title=str(q["title"]),
            short=str(q["short"]),
            tier=Tier(str(q["tier"])),
            issuer=str(q["issuer"]),
            completeness=str(q["completeness"]),
            names=_names(q),
            notice=str(q["notice"]) if "notice" in q else None,
        )
        for q in reg.get("quoted", [])
    ]
    return docs, quoted
