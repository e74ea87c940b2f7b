"""Rule review lock: each rule's basis clauses pinned by content hash, so a changed clause needs a human review."""

from __future__ import annotations

import difflib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from assistant.clauses.store import ClauseStore
from assistant.lifecycle.diff import basis_hashes, unreviewed
from assistant.lifecycle.snapshots import RULES_DIR
from assistant.rules.base import Rule
from assistant.rules.engine import check_basis

LOCK_PATH = RULES_DIR / "basis.lock.json"  # rule data: it stays beside the rules it pins
LOCK_VERSION = 1


def review_command(rule_id: str) -> str:
    return f"assistant rules review {rule_id} --note '…'"


@dataclass(frozen=True)
class Entry:
    """One rule as last reviewed: basis clause id → content sha (Clause.sha), with the reviewer's note and date."""

    clauses: Mapping[str, str]
    note: str = ""
    reviewed: str = ""  # ISO date of the review

    def to_dict(self) -> dict[str, Any]:
        return {"clauses": dict(sorted(self.clauses.items())), "note": self.note, "reviewed": self.reviewed}


@dataclass(frozen=True)
class Lock:
    """The committed review state. `texts` keeps each locked clause's text by sha, so a review can show the diff."""

    rules: Mapping[str, Entry] = field(default_factory=dict)
    texts: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Lock:
        if data.get("version") != LOCK_VERSION:
            raise ValueError(f"basis lock version {data.get('version')!r}, expected {LOCK_VERSION}")
        rules = {
            str(rid): Entry(
                {str(c): str(s) for c, s in e.get("clauses", {}).items()},
                str(e.get("note", "")),
                str(e.get("reviewed", "")),
            )
            for rid, e in data.get("rules", {}).items()
        }
        return cls(rules, {str(k): str(v) for k, v in data.get("texts", {}).items()})

    def to_json(self) -> str:
        """Sorted and indented, so a review shows up in `git diff` as exactly the lines it changed."""
        used = {s for e in self.rules.values() for s in e.clauses.values()}
        data = {
            "version": LOCK_VERSION,
            "rules": {rid: self.rules[rid].to_dict() for rid in sorted(self.rules)},
            "texts": {s: self.texts[s] for s in sorted(used) if s in self.texts},
        }
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"

    def hashes(self) -> dict[str, dict[str, str]]:
        return {rid: dict(e.clauses) for rid, e in self.rules.items()}


def read_lock(path: Path = LOCK_PATH) -> Lock:
    """The lock at `path`; a missing file is an empty lock (every rule then needs a first review)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Lock()
    return Lock.from_dict(json.loads(text))


def write_lock(lock: Lock, path: Path = LOCK_PATH) -> None:
    """Atomic: a temporary file in the same directory, then os.replace (readers never see half a lock)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(lock.to_json())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- what changed -------------------------------------------------------------------------


class Kind(StrEnum):
    CHANGED = "changed"  # cited, locked, text (or locator) differs
    REMOVED = "removed"  # cited, but no longer in the corpus
    ADDED = "added"  # cited, but not in the lock (new rule or new basis clause)
    DROPPED = "dropped"  # in the lock, no longer cited by the rule


@dataclass(frozen=True)
class Change:
    rule_id: str
    clause_id: str
    kind: Kind
    old_sha: str = ""
    new_sha: str = ""
    old_text: str | None = None  # as reviewed (None when the lock has no text for it)
    new_text: str | None = None  # in the current corpus

    def describe(self, context: int = 20) -> str:
        if self.kind is Kind.CHANGED:
            what = f"text changed since review (sha {self.old_sha} → {self.new_sha})"
            if self.old_text is not None and self.new_text is not None:
                what += ": " + inline_diff(self.old_text, self.new_text, context)
            return f"{self.clause_id}: {what}"
        if self.kind is Kind.REMOVED:
            return f"{self.clause_id}: cited but no longer in the corpus (reviewed at sha {self.old_sha or '—'})"
        if self.kind is Kind.ADDED:
            return f"{self.clause_id}: cited but not in the lock (never reviewed)"
        return f"{self.clause_id}: in the lock but no longer cited by the rule"


class _Catalogue:
    """The rules as `basis_hashes` wants them, without checking quotes (a changed clause may break them)."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = tuple(rules)

    def catalogue(self) -> list[dict[str, Any]]:
        return [{"id": r.id, "basis": [{"clause_id": c} for c in r.clause_ids()]} for r in self.rules]


def current_hashes(rules: Iterable[Rule], store: ClauseStore) -> dict[str, dict[str, str]]:
    """rule id → {basis clause id → sha in `store`} ('' for a clause the store lacks)."""
    return basis_hashes(store, _Catalogue(rules))


def changes_for(rule_id: str, current: Mapping[str, str], lock: Lock, store: ClauseStore) -> tuple[Change, ...]:
    """How one rule's current basis hashes differ from its locked ones, clause by clause."""
    locked = lock.rules[rule_id].clauses if rule_id in lock.rules else {}
    out: list[Change] = []
    for cid, sha in current.items():
        new_text = store[cid].text if cid in store else None
        old = locked.get(cid)
        if not sha:
            out.append(Change(rule_id, cid, Kind.REMOVED, old or "", "", lock.texts.get(old or "")))
        elif old is None:
            out.append(Change(rule_id, cid, Kind.ADDED, "", sha, None, new_text))
        elif old != sha:
            out.append(Change(rule_id, cid, Kind.CHANGED, old, sha, lock.texts.get(old), new_text))
    for cid, old in locked.items():
        if cid not in current:
            out.append(Change(rule_id, cid, Kind.DROPPED, old, "", lock.texts.get(old)))
    return tuple(out)


def rule_changes(rule: Rule, store: ClauseStore, lock: Lock) -> tuple[Change, ...]:
    """One rule's basis changes since its review (empty: reviewed against the texts in `store`)."""
    return changes_for(rule.id, current_hashes([rule], store)[rule.id], lock, store)


def pending(rules: Iterable[Rule], store: ClauseStore, lock: Lock) -> dict[str, tuple[Change, ...]]:
    """Rules needing review (basis clause changed, removed, added or dropped since the lock), in catalogue order."""
    current = current_hashes(rules, store)
    todo = set(unreviewed(current, lock.hashes()))
    return {rid: changes_for(rid, hashes, lock, store) for rid, hashes in current.items() if rid in todo}


def stale(rules: Iterable[Rule], lock: Lock) -> list[str]:
    """Locked rule ids that are no longer in the catalogue (a review with --all drops them)."""
    known = {r.id for r in rules}
    return sorted(rid for rid in lock.rules if rid not in known)


def message(rule_id: str, changes: Iterable[Change]) -> str:
    """What a failing conformance test and `assistant rules check` say: the rule, each clause, what to run."""
    lines = [f"rule {rule_id}: basis not reviewed since its clauses changed"]
    lines += [f"  - {c.describe()}" for c in changes]
    lines.append(f"  Re-read the rule against the new text, fix it if needed, then run: {review_command(rule_id)}")
    return "\n".join(lines)


# -- recording a review -------------------------------------------------------------------


class ReviewError(ValueError):
    """A review that cannot be recorded (unknown rule, or quotes no longer verbatim in the new text)."""


def review(
    lock: Lock,
    rules: Iterable[Rule],
    store: ClauseStore,
    rule_ids: Iterable[str],
    *,
    note: str | None,
    today: str,
    drop_stale: bool = False,
) -> Lock:
    """A new lock with `rule_ids` pinned to the current corpus (their quotes must still be verbatim in it).

    A rule whose basis is unchanged keeps its earlier entry unless a new `note` is given (re-running is a no-op).
    """
    by_id = {r.id: r for r in rules}
    ids = list(dict.fromkeys(rule_ids))
    unknown = [rid for rid in ids if rid not in by_id]
    if unknown:
        raise ReviewError(f"unknown rule {', '.join(unknown)} (see `assistant rules`)")
    problems = [p for rid in ids for p in check_basis(by_id[rid], store)]
    if problems:
        raise ReviewError("fix the rule's basis first: " + "; ".join(problems))
    current = current_hashes((by_id[rid] for rid in ids), store)
    entries = dict(lock.rules)
    texts = dict(lock.texts)
    for rid in ids:
        old = entries.get(rid)
        if old is not None and note is None and dict(old.clauses) == current[rid]:
            continue  # nothing changed, nothing to say: keep the earlier review as it is
        entries[rid] = Entry(current[rid], note or "", today)
        texts.update({store[c].sha: store[c].text for c in current[rid]})
    if drop_stale:
        for rid in stale(by_id.values(), lock):
            entries.pop(rid, None)
    return Lock(entries, texts)


def inline_diff(old: str, new: str, context: int = 20) -> str:
    """Character diff for Chinese text: '…属地[-管理-]{+管理和行业管理相结合+}的原则…', long equal runs elided."""
    parts: list[str] = []
    ops = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    for i, (tag, a0, a1, b0, b1) in enumerate(ops):
        if tag == "equal":
            run = old[a0:a1]
            head = run[:context] if i > 0 else ""
            tail = run[-context:] if i < len(ops) - 1 else ""
            if len(run) <= 2 * context + 1 or (not head and not tail):
                parts.append(run if len(run) <= 2 * context + 1 else "…")
            else:
                parts.append(f"{head}…{tail}")
            continue
        if a1 > a0:
            parts.append(f"[-{old[a0:a1]}-]")
        if b1 > b0:
            parts.append(f"{{+{new[b0:b1]}+}}")
    return "".join(parts)
