"""Replay contract: audit entries in, one outcome per line and one note per corpus version out."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from assistant.lifecycle.audit import ReplyFacts


class ReplayError(RuntimeError):
    """The audit file cannot be read at all (missing, a directory, unreadable)."""


class Outcome(StrEnum):
    SAME = "same"
    DIFFERS = "differs"
    VERSION_UNAVAILABLE = "version_unavailable"
    NO_QUESTION = "no_question"
    MALFORMED = "malformed"
    ERROR = "error"  # asking again raised (e.g. the vector store went away): not a verdict either way


LABELS = {
    Outcome.SAME: "相同",
    Outcome.DIFFERS: "不同",
    Outcome.VERSION_UNAVAILABLE: "版本不可用",
    Outcome.NO_QUESTION: "未记录问题",
    Outcome.MALFORMED: "格式错误",
    Outcome.ERROR: "重放出错",
}
COMPARED = ("status", "cited", "rule", "answer_sha")  # what must match for "same"; cached and version do not


@dataclass(frozen=True)
class AuditEntry:
    """One audited reply of an ask route: what was recorded, and the question when questions were enabled."""

    line: int
    recorded: ReplyFacts
    request_id: str | None = None
    question: str | None = None
    history: tuple[tuple[str, str], ...] = ()  # (role, content) per earlier turn

    def history_dicts(self) -> list[dict[str, str]]:
        return [{"role": r, "content": c} for r, c in self.history]


@dataclass(frozen=True)
class Malformed:
    line: int
    reason: str


@dataclass(frozen=True)
class Difference:
    field: str
    recorded: Any
    replayed: Any


@dataclass(frozen=True)
class LineResult:
    line: int
    outcome: Outcome
    request_id: str | None = None
    version: str | None = None
    question: str | None = None
    differences: tuple[Difference, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class VersionNote:
    """How a recorded corpus version was reconstructed: from its snapshot, with which rules code."""

    version: str
    available: bool
    reason: str = ""  # why not available
    rules_changed: tuple[str, ...] = ()  # rules files that differ from the snapshot: replayed with the current code
    replayed_version: str = ""  # the version replies carry on replay (differs when the rules code does)


def compare(recorded: ReplyFacts, replayed: ReplyFacts) -> tuple[Difference, ...]:
    return tuple(
        Difference(name, getattr(recorded, name), getattr(replayed, name))
        for name in COMPARED
        if getattr(recorded, name) != getattr(replayed, name)
    )


@dataclass(frozen=True)
class ReplayReport:
    results: tuple[LineResult, ...]
    versions: tuple[VersionNote, ...] = ()

    @property
    def failed(self) -> bool:
        """A line differs or could not be replayed: what makes `assistant replay` exit 1."""
        return any(r.outcome in (Outcome.DIFFERS, Outcome.ERROR) for r in self.results)

    def counts(self) -> dict[str, int]:
        seen = Counter(r.outcome for r in self.results)
        return {o.value: seen[o] for o in Outcome}

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.counts(),
            "versions": [asdict(v) for v in self.versions],
            "lines": [asdict(r) for r in self.results],
        }

    def render(self) -> list[str]:
        """The human report: one line per version note, per audit line, and a summary."""
        out: list[str] = []
        for v in self.versions:
            if not v.available:
                out.append(f"语料版本 {v.version}：无法重建（{v.reason}）")
            elif v.rules_changed:
                out.append(
                    f"语料版本 {v.version}：快照中的规则代码与当前代码不同（{', '.join(v.rules_changed)}），"
                    f"按快照语料和当前规则代码重放，重放结果的版本为 {v.replayed_version}"
                )
            else:
                out.append(f"语料版本 {v.version}：按快照重放（语料与规则代码一致）")
        for r in self.results:
            head = f"第{r.line}行 {LABELS[r.outcome]}"
            if r.outcome is Outcome.DIFFERS:
                out.append(
                    f"{head}："
                    + "；".join(f"{d.field} {_show(d.recorded)} → {_show(d.replayed)}" for d in r.differences)
                    + _quote(r.question)
                )
            elif r.outcome is Outcome.MALFORMED:
                out.append(f"{head}，已跳过：{r.detail}")
            elif r.detail:
                out.append(f"{head}：{r.detail}" + _quote(r.question))
            else:
                out.append(head + _quote(r.question))
        n = self.counts()
        out.append(f"共 {len(self.results)} 条：" + "，".join(f"{LABELS[o]} {n[o.value]}" for o in Outcome))
        return out


def _show(value: Any) -> str:
    if isinstance(value, tuple | list):
        return "[" + ", ".join(map(str, value)) + "]"
    return "—" if value is None else str(value)


def _quote(question: str | None, width: int = 30) -> str:
    if not question:
        return ""
    flat = " ".join(question.split())
    return f"  「{flat[:width]}{'…' if len(flat) > width else ''}」"
