"""Version comparison: an article of a superseded statute beside its successor, the difference marked (difflib).

`pair(store, clause)` finds both texts of one provision through the store's version map (either side may be
missing: an article added or dropped by the amendment). `compare(store, pairs, terms)` writes the reply: the
conclusion first (unchanged / what was added and removed / which of the asked terms each text holds), then both
texts, the old one marked ~~删去~~ and the new one **新增**, each cited verbatim. Only statutes with a
`superseded_by` in corpus/sources.toml take part; nothing here names a document.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer.reply import Citation
from assistant.clauses.base import Clause
from assistant.clauses.store import ClauseStore
from assistant.text.normalize import display, normalize

MAX_PAIRS = 2  # articles compared in one reply: the best hit and, when close, the next
MIN_CHANGE = 2  # characters: shorter edits (punctuation, 的/地) are shown in the texts but not listed


@dataclass(frozen=True)
class Pair:
    old: Clause | None
    new: Clause | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.old.id if self.old else "", self.new.id if self.new else "")


def versioned(store: ClauseStore, clause: Clause) -> bool:
    """Whether the clause belongs to a statute that has another version in the corpus."""
    docs = store.documents
    doc = docs.get(clause.doc_id)
    if doc is None:
        return False
    return bool(doc.superseded_by) or any(d.superseded_by == clause.doc_id for d in docs.values())


def pair(store: ClauseStore, clause: Clause) -> Pair:
    if clause.superseded:
        new = store.current(clause)
        return Pair(clause, new if new is not clause else None)
    olds = [store[v] for v in clause.versions if v in store and store[v].superseded]
    return Pair(olds[0] if olds else None, clause)


@dataclass(frozen=True)
class Diff:
    old_marked: str
    new_marked: str
    added: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def same(self) -> bool:
        return not self.added and not self.removed


def diff(old: str, new: str) -> Diff:
    """Character diff of two display texts: marked copies and the added / removed spans (longest first)."""
    sm = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    o: list[str] = []
    n: list[str] = []
    added: list[str] = []
    removed: list[str] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        a, b = old[i1:i2], new[j1:j2]
        if op == "equal":
            o.append(a)
            n.append(b)
            continue
        if a.strip():
            o.append(f"~~{a}~~")
            if len(normalize(a)) >= MIN_CHANGE:
                removed.append(a)
        if b.strip():
            n.append(f"**{b}**")
            if len(normalize(b)) >= MIN_CHANGE:
                added.append(b)
    key = len
    return Diff(
        "".join(o),
        "".join(n),
        tuple(sorted(added, key=key, reverse=True)),
        tuple(sorted(removed, key=key, reverse=True)),
    )


def _label(store: ClauseStore, clause: Clause) -> str:
    doc = store.documents[clause.doc_id]
    year = clause.version_date[:4]
    state = "已被取代" if clause.superseded else "现行"
    return f"{year}年《{doc.short}》（{state}）{clause.locator}"


def _terms_line(terms: Sequence[str], p: Pair) -> list[str]:
    """Yes/no per asked term: which text holds it ("09版有没有写Y")."""
    out = []
    for t in terms:
        in_old = bool(p.old and t in p.old.norm)
        in_new = bool(p.new and t in p.new.norm)
        if in_old == in_new:
            continue
        if in_new:
            out.append(f"“{t}”：旧文本没有写，修正后的文本写入了。")
        else:
            out.append(f"“{t}”：旧文本写了，修正后的文本不再这样写。")
    return out


def compare(store: ClauseStore, pairs: Sequence[Pair], terms: Sequence[str]) -> tuple[str, list[Citation]]:
    """The reply text and its citations (verbatim clause texts) for the given pairs, conclusion first."""
    lead: list[str] = []
    body: list[str] = []
    cites: list[Citation] = []
    for p in list({p.key: p for p in pairs}.values())[:MAX_PAIRS]:
        if p.old is None and p.new is not None:
            lead.append(f"{_label(store, p.new)}在旧文本中没有对应条文，是修正时新增的规定。")
            body.append(f"{_label(store, p.new)}：\n{display(p.new.text)}")
            cites.append(Citation.of(p.new, display(p.new.text)))
            continue
        if p.new is None and p.old is not None:
            lead.append(f"{_label(store, p.old)}在现行文本中没有对应条文。")
            body.append(f"{_label(store, p.old)}：\n{display(p.old.text)}")
            cites.append(Citation.of(p.old, display(p.old.text), note="已被取代的版本"))
            continue
        assert p.old is not None and p.new is not None
        old_text, new_text = display(p.old.text), display(p.new.text)
        d = diff(old_text, new_text)
        renumbered = p.old.locator != p.new.locator
        where = f"旧文本{p.old.locator}（现行{p.new.locator}）" if renumbered else p.new.locator
        if normalize(old_text) == normalize(new_text) or d.same:
            lead.append(f"{where}修正前后内容相同" + ("，只是条号变了。" if renumbered else "。"))
        else:
            parts = []
            if d.added:
                parts.append("新增“" + "”“".join(d.added[:3]) + "”")
            if d.removed:
                parts.append("删去“" + "”“".join(d.removed[:3]) + "”")
            lead.append(f"{where}修正时有改动：" + "；".join(parts) + "。")
        lead.extend(_terms_line(terms, p))
        body.append(f"{_label(store, p.old)}：\n{d.old_marked}")
        body.append(f"{_label(store, p.new)}：\n{d.new_marked}")
        cites.append(Citation.of(p.new, new_text))
        cites.append(Citation.of(p.old, old_text, note="已被取代的版本，仅供对照"))
    if not lead:
        return "", []
    legend = "（下文旧文本中~~删除线~~为修正时删去的文字，新文本中**加粗**为新增的文字。）"
    return "\n".join(lead) + "\n\n" + "\n\n".join(body) + "\n" + legend, cites
