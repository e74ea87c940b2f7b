"""Corpus diff (clauses added/changed/removed between two versions) and its impact on rules and gold sets."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from assistant.clauses.store import ClauseStore
from assistant.config import ROOT
from assistant.corpus.base import CorpusError


@dataclass(frozen=True)
class Diff:
    """Clause ids, sorted. `changed` means the content hash (id, locator, text) differs."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    old_version: str = ""
    new_version: str = ""

    @property
    def touched(self) -> tuple[str, ...]:
        """Clauses whose old text no longer stands: changed or removed."""
        return tuple(sorted({*self.changed, *self.removed}))

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def diff(old: ClauseStore, new: ClauseStore) -> Diff:
    """What changed from `old` to `new`, clause by clause."""
    old_ids, new_ids = {c.id for c in old}, {c.id for c in new}
    changed = sorted(i for i in old_ids & new_ids if old[i].sha != new[i].sha)
    return Diff(
        added=tuple(sorted(new_ids - old_ids)),
        changed=tuple(changed),
        removed=tuple(sorted(old_ids - new_ids)),
        old_version=old.sha,
        new_version=new.sha,
    )


# -- impact -----------------------------------------------------------------------------


class Catalogue(Protocol):
    """What `impact` needs of a rules engine: `RulesEngine.catalogue()`."""

    def catalogue(self) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class GoldItem:
    """One eval/gold/*.jsonl row, reduced to what impact needs."""

    file: str
    id: str
    question: str
    gold: tuple[str, ...]


@dataclass(frozen=True)
class RuleImpact:
    rule_id: str
    title: str
    clauses: tuple[str, ...]  # the rule's basis clauses that changed or were removed
    problems: tuple[str, ...] = ()  # check_basis against the new corpus: missing clause, quote no longer verbatim


@dataclass(frozen=True)
class GoldImpact:
    file: str
    id: str
    question: str
    clauses: tuple[str, ...]  # gold clauses that changed or were removed


@dataclass(frozen=True)
class Impact:
    rules: tuple[RuleImpact, ...] = ()
    gold: tuple[GoldImpact, ...] = ()
    unaffected_rules: tuple[str, ...] = field(default=(), repr=False)

    def __bool__(self) -> bool:
        return bool(self.rules or self.gold)

    def to_dict(self) -> dict[str, Any]:
        return {"rules": [asdict(r) for r in self.rules], "gold": [asdict(g) for g in self.gold]}


def impact(
    diff: Diff,
    rules_engine: Catalogue,
    gold_items: Iterable[GoldItem],
    *,
    new: ClauseStore | None = None,
) -> Impact:
    """Rules whose basis cites a changed/removed clause, and gold items whose gold clauses are among them.

    Build `rules_engine` on the OLD store (a rule citing a removed clause cannot be checked against the
    new one); pass `new` to also list each affected rule's basis problems in the new corpus.
    """
    touched = set(diff.touched)
    problems_for = _basis_checker(new)
    rules: list[RuleImpact] = []
    fine: list[str] = []
    for entry in rules_engine.catalogue():
        rid = str(entry["id"])
        basis = [str(b["clause_id"]) for b in entry.get("basis", [])]
        hit = tuple(c for c in dict.fromkeys(basis) if c in touched)
        if hit:
            rules.append(RuleImpact(rid, str(entry.get("title", "")), hit, problems_for(rid)))
        else:
            fine.append(rid)
    gold = [
        GoldImpact(g.file, g.id, g.question, tuple(c for c in g.gold if c in touched))
        for g in gold_items
        if touched.intersection(g.gold)
    ]
    return Impact(tuple(rules), tuple(gold), tuple(fine))


def _basis_checker(new: ClauseStore | None) -> Any:
    if new is None:
        return lambda _rid: ()
    from assistant.rules import all_rules, check_basis

    by_id = {r.id: r for r in all_rules()}
    return lambda rid: tuple(check_basis(by_id[rid], new)) if rid in by_id else ()


class BasisCatalogue:
    """A catalogue of rule ids and basis clause ids without checking quotes against any corpus."""

    def catalogue(self) -> list[dict[str, Any]]:
        from assistant.rules import all_rules

        return [
            {"id": r.id, "title": r.title, "basis": [{"clause_id": c} for c in r.clause_ids()]} for r in all_rules()
        ]


def rules_for(*stores: ClauseStore) -> Catalogue:
    """A `RulesEngine` on the first store whose clauses carry every rule's basis, else the unchecked catalogue."""
    from assistant.rules import RuleBasisError, RulesEngine

    for store in stores:
        try:
            return RulesEngine(store)
        except (RuleBasisError, KeyError):
            continue
    return BasisCatalogue()


def load_gold(gold_dir: Path = ROOT / "eval" / "gold") -> list[GoldItem]:
    """Every row with a `gold` list in `gold_dir/*.jsonl`."""
    from assistant.eval.gold import read_jsonl

    items: list[GoldItem] = []
    for path in sorted(Path(gold_dir).glob("*.jsonl")):
        for row in read_jsonl(path):
            gold = row.get("gold")
            if isinstance(gold, list):
                items.append(GoldItem(path.name, str(row.get("id", "")), str(row.get("question", "")), tuple(gold)))
    return items


# -- basis review lock ------------------------------------------------------------------


def basis_hashes(store: ClauseStore, rules: Catalogue) -> dict[str, dict[str, str]]:
    """rule id → {basis clause id → content sha}: store as a lock file; a rule whose entry differs from the
    current corpus was not reviewed after its clause changed."""
    out: dict[str, dict[str, str]] = {}
    for entry in rules.catalogue():
        ids = [str(b["clause_id"]) for b in entry.get("basis", [])]
        out[str(entry["id"])] = {c: (store[c].sha if c in store else "") for c in ids}
    return out


def unreviewed(current: Mapping[str, Mapping[str, str]], reviewed: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Rule ids whose basis hashes differ from the reviewed lock (new rules included)."""
    return sorted(rid for rid, hashes in current.items() if dict(reviewed.get(rid, {})) != dict(hashes))


# -- loading a corpus version -----------------------------------------------------------


def load_corpus(spec: str | Path, repo: Path = ROOT, subdir: str = "corpus") -> ClauseStore:
    """A corpus version: a directory (holding sources.toml, or a checkout with `corpus/`) or a git ref."""
    if isinstance(spec, str) and not spec.strip():
        raise CorpusError("empty corpus version: give a directory or a git ref")
    path = Path(spec)
    if path.is_dir():
        if (path / "sources.toml").exists():
            return ClauseStore.load(path)
        if (path / subdir / "sources.toml").exists():
            return ClauseStore.load(path / subdir)
        raise CorpusError(f"{path}: no sources.toml here or in {subdir}/")
    with tempfile.TemporaryDirectory(prefix="corpus-ref-") as tmp:
        return ClauseStore.load(checkout_corpus(str(spec), Path(tmp), repo, subdir))


def checkout_corpus(ref: str, dest: Path, repo: Path = ROOT, subdir: str = "corpus") -> Path:
    """Write `subdir` as of git `ref` into `dest` (the working tree is not touched); returns the corpus dir."""
    if not ref or ref.startswith("-"):
        raise CorpusError(f"{ref!r} is not a directory or a git ref")
    rev = _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if rev is None:
        raise CorpusError(f"{ref!r} is neither a directory nor a git ref in {repo}")
    commit = rev.decode().strip()
    archive = _git(repo, "archive", "--format=tar", commit, "--", subdir)
    if archive is None:
        raise CorpusError(f"{ref} ({commit[:10]}) has no {subdir}/ directory")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    out = dest / subdir
    if not (out / "sources.toml").exists():
        raise CorpusError(f"{ref} ({commit[:10]}): {subdir}/sources.toml missing")
    return out


def _git(repo: Path, *args: str) -> bytes | None:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CorpusError(f"git failed: {exc}") from None
    return done.stdout if done.returncode == 0 else None
