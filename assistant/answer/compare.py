"""Version comparison: an article of a superseded statute beside its successor, the difference marked (difflib).

`pair(store, clause)` finds both texts of one provision through the store's version map (either side may be
missing: an article added or dropped by the amendment). `compare(store, pairs, terms)` writes the reply: the
conclusion first (unchanged / what was added and removed / which of the asked terms each text holds), then both
texts, the old one marked ~~删去~~ and the new one **新增**, each cited verbatim. Only statutes with a
`superseded_by` in corpus/sources.toml take part; nothing here names a document.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
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
    replaced: tuple[tuple[str, str], ...] = ()

    @property
    def same(self) -> bool:
        return not self.added and not self.removed and not self.replaced


def _chars(text: str) -> list[str]:
    return list(text)


def diff(old: str, new: str, cut: Callable[[str], list[str]] = _chars) -> Diff:
    """Diff of two display texts over `cut`'s pieces (words with jieba, so 民法通则 → 民法典 is one replacement):
    marked copies, and the added, removed and replaced spans, longest first."""
    a, b = _pieces(old, cut), _pieces(new, cut)
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    o: list[str] = []
    n: list[str] = []
    added: list[str] = []
    removed: list[str] = []
    replaced: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        x, y = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            o.append(x)
            n.append(y)
            continue
        o.append(f"~~{x}~~" if x.strip() else x)
        n.append(f"**{y}**" if y.strip() else y)
        big_x, big_y = len(normalize(x)) >= MIN_CHANGE, len(normalize(y)) >= MIN_CHANGE
        if op == "replace" and x.strip() and y.strip() and (big_x or big_y):
            replaced.append((x.strip(), y.strip()))
        elif big_x and x.strip():
            removed.append(x.strip())
        elif big_y and y.strip():
            added.append(y.strip())
    return Diff(
        "".join(o),
        "".join(n),
        tuple(sorted(added, key=len, reverse=True)),
        tuple(sorted(removed, key=len, reverse=True)),
        tuple(sorted(replaced, key=lambda p: len(p[0]) + len(p[1]), reverse=True)),
    )


def _pieces(text: str, cut: Callable[[str], list[str]]) -> list[str]:
    """`cut` pieces that join back to exactly `text` (jieba's cut drops nothing but may normalise: fall back)."""
    pieces = cut(text)
    return pieces if "".join(pieces) == text else list(text)


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


def compare(
    store: ClauseStore,
    pairs: Sequence[Pair],
    terms: Sequence[str],
    cut: Callable[[str], list[str]] = _chars,
) -> tuple[str, list[Citation]]:
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
        d = diff(old_text, new_text, cut)
        renumbered = p.old.locator != p.new.locator
        where = f"旧文本{p.old.locator}（现行{p.new.locator}）" if renumbered else p.new.locator
        if normalize(old_text) == normalize(new_text) or d.same:
            lead.append(f"{where}修正前后内容相同" + ("，只是条号变了。" if renumbered else "。"))
        else:
            parts = []
            if d.replaced:
                parts.append("；".join(f"“{x}”改为“{y}”" for x, y in d.replaced[:3]))
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
