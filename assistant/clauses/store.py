"""ClauseStore: every clause of every source, addressable by stable ID, with quotes, refs and version links."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from assistant.clauses.base import Clause
from assistant.clauses.guidance import parse_guidance
from assistant.clauses.law import RawClause, parse_law
from assistant.clauses.quoted import find_quotes
from assistant.clauses.refs import find_citations
from assistant.clauses.versions import align
from assistant.corpus.base import CorpusError, Document, QuotedSource, load_documents
from assistant.text.normalize import normalize

_PARSERS = {"law": parse_law, "guidance": parse_guidance}


class ClauseStore:
    """Immutable after load. IDs are `<doc_id>/<key>`: `union-law-2021/art-11`, `guidance/6.2`."""

    def __init__(self, documents: list[Document], quoted: list[QuotedSource]) -> None:
        self.documents = {d.id: d for d in documents}
        self.quoted_sources = {q.id: q for q in quoted}
        clauses: dict[str, Clause] = {}
        for doc in documents:
            parser = _PARSERS.get(doc.parser)
            if parser is None:
                raise CorpusError(f"{doc.id}: unknown parser {doc.parser!r} (law, guidance)")
            for raw in parser(doc):
                clause = self._make(doc, raw)
                if clause.id in clauses:
                    raise CorpusError(f"duplicate clause id {clause.id}")
                clauses[clause.id] = clause
        self._clauses = clauses
        self._version_links()
        self._extract_quotes()
        self._link_refs()
        self._shorts = {d.short: d.id for d in documents if not d.superseded}

    @classmethod
    def load(cls, corpus_dir: Path) -> ClauseStore:
        docs, quoted = load_documents(corpus_dir)
        return cls(docs, quoted)

    # -- construction -------------------------------------------------------------------

    @staticmethod
    def _make(doc: Document, raw: RawClause) -> Clause:
        return Clause(
            id=f"{doc.id}/{raw.key}",
            doc_id=doc.id,
            source=doc.title,
            short=doc.short,
            locator=raw.locator,
            text=raw.text,
            norm=normalize(raw.text),
            tier=doc.tier,
            version_date=doc.version_date,
            superseded=doc.superseded,
            completeness=doc.completeness,
            heading_path=raw.heading_path,
            number=raw.number,
        )

    def _version_links(self) -> None:
        """Link each article of a superseded statute to its successor's article, by text alignment."""
        self._version_maps: dict[tuple[str, str], dict[int, int]] = {}
        for doc in self.documents.values():
            if not doc.superseded_by:
                continue
            old = [c for c in self.by_doc(doc.id) if c.number is not None]
            new = [c for c in self.by_doc(doc.superseded_by) if c.number is not None]
            pairs = align([c.norm for c in old], [c.norm for c in new])
            mapping: dict[int, int] = {}
            for i, j, _ in pairs:
                a_num, b_num = old[i].number, new[j].number
                if a_num is not None and b_num is not None:
                    mapping[a_num] = b_num
            self._version_maps[(doc.id, doc.superseded_by)] = mapping
            for i, j, _ in pairs:
                a, b = old[i], new[j]
                self._clauses[a.id] = replace(a, versions=(*a.versions, b.id))
                self._clauses[b.id] = replace(self._clauses[b.id], versions=(*self._clauses[b.id].versions, a.id))

    def _extract_quotes(self) -> None:
        by_title = {q.title: q for q in self.quoted_sources.values()}
        for clause in list(self._clauses.values()):
            found: list[str] = []
            for quote in find_quotes(clause.text):
                src = by_title.get(quote.title)
                if src is None:
                    continue
                qid = f"{src.id}/art-{quote.number}"
                if qid in self._clauses:
                    raise CorpusError(f"{qid} is quoted twice")
                self._clauses[qid] = Clause(
                    id=qid,
                    doc_id=src.id,
                    source=src.title,
                    short=src.short,
                    locator=quote.locator,
                    text=quote.text,
                    norm=normalize(quote.text),
                    tier=src.tier,
                    version_date="",
                    superseded=False,
                    completeness=f"据指导材料{clause.locator}逐字引用；{src.completeness}",
                    heading_path=(),
                    number=quote.number,
                    parent=clause.id,
                )
                found.append(qid)
            if found:
                self._clauses[clause.id] = replace(clause, quoted=tuple(found))

    def _link_refs(self) -> None:
        """Resolve 《short》第N条 citations, following the version map to the current text."""
        titles = {q.title: q.id for q in self.quoted_sources.values()}
        for clause in list(self._clauses.values()):
            doc = self.documents.get(clause.doc_id)
            cites = doc.cites if doc else {}
            refs: list[str] = []
            for short, num in find_citations(clause.text):
                target = cites.get(short) or titles.get(short)
                if target is None:
                    continue
                rid = f"{target}/art-{num}"
                if rid in self._clauses and rid not in refs:
                    refs.append(rid)
                    refs.extend(v for v in self._clauses[rid].versions if v not in refs)
            if refs:
                self._clauses[clause.id] = replace(self._clauses[clause.id], refs=tuple(refs))

    # -- queries ------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._clauses)

    def __iter__(self) -> Iterator[Clause]:
        return iter(self._clauses.values())

    def __contains__(self, clause_id: object) -> bool:
        return clause_id in self._clauses

    def __getitem__(self, clause_id: str) -> Clause:
        return self._clauses[clause_id]

    def get(self, clause_id: str) -> Clause | None:
        return self._clauses.get(clause_id)

    def by_doc(self, doc_id: str) -> list[Clause]:
        return [c for c in self._clauses.values() if c.doc_id == doc_id]

    def article(self, doc_id: str, number: int) -> Clause | None:
        return self._clauses.get(f"{doc_id}/art-{number}")

    def version_map(self, old_doc: str, new_doc: str) -> dict[int, int]:
        """Article number in `old_doc` → article number in `new_doc`."""
        return dict(self._version_maps.get((old_doc, new_doc), {}))

    def current(self, clause: Clause) -> Clause:
        """The in-force counterpart of a superseded clause (itself when current or unmapped)."""
        if not clause.superseded:
            return clause
        for vid in clause.versions:
            v = self._clauses.get(vid)
            if v is not None and not v.superseded:
                return v
        return clause

    def doc_for_short(self, short: str) -> str | None:
        """Current document for a short title such as 工会法."""
        return self._shorts.get(short)

    @property
    def sha(self) -> str:
        """Hash of every clause's content hash: the corpus version."""
        h = hashlib.sha256()
        for c in sorted(self._clauses.values(), key=lambda c: c.id):
            h.update(f"{c.id}:{c.sha}\n".encode())
        return h.hexdigest()[:16]
