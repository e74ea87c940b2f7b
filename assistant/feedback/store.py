"""FeedbackStore: one row per rated answer in SQLite (last rating wins), exportable as JSON lines."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TextIO

Rating = Literal["up", "down"]
FILENAME = "feedback.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    conversation TEXT NOT NULL,
    turn INTEGER NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    question TEXT NOT NULL,
    rewritten_question TEXT,
    reply_status TEXT NOT NULL,
    corpus_version TEXT NOT NULL,
    reply TEXT NOT NULL,
    history TEXT NOT NULL,
    source TEXT NOT NULL,
    UNIQUE (conversation, turn)
)
"""


@dataclass(frozen=True)
class FeedbackRecord:
    id: int
    created_at: str
    conversation: str
    turn: int
    rating: Rating
    question: str
    rewritten_question: str | None
    reply_status: str
    corpus_version: str
    reply: dict[str, Any]
    history: list[dict[str, str]]
    source: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def faq_draft(self) -> dict[str, Any]:
        """A 问答对 draft for corpus/faq/ from this turn: the question (and its standalone form) as variants, the
        clause and quote the reply cited first as the binding to review. An editor fixes clause and span to the
        clause that should have answered; `assistant rules check` then verifies the span against the text."""
        cites = [c for c in self.reply.get("citations", []) if isinstance(c, dict)]
        first = cites[0] if cites else {}
        questions = list(dict.fromkeys(q for q in (self.question, self.rewritten_question) if q))
        return {
            "id": f"draft-{self.id}",
            "questions": questions,
            "clause": str(first.get("id", "")),
            "span": str(first.get("quote", "")),
            "note": f"{self.rating} {self.created_at} {self.reply_status}: 改为应答的条款与原文片段后放入 corpus/faq/",
        }


class FeedbackStore:
    """A connection per call, so UI worker threads never share one; WAL lets readers run beside the writer."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(_SCHEMA)

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> FeedbackStore:
        return cls(data_dir / FILENAME)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=10)) as db, db:  # inner `with db`: commit or roll back
            yield db

    def rate(self, *, conversation: str, turn: int, rating: Rating, question: str, reply: dict[str, Any],
             history: list[dict[str, str]] | None = None, source: str = "ui") -> int:
        """Store (or replace: a changed mind overwrites) the rating of one answer; returns the row id."""
        if rating not in ("up", "down"):
            raise ValueError(f"rating must be 'up' or 'down', not {rating!r}")
        row = (
            datetime.now(UTC).isoformat(timespec="seconds"), conversation, turn, rating, question,
            reply.get("rewritten_question"), str(reply.get("status", "")), str(reply.get("corpus_version", "")),
            json.dumps(reply, ensure_ascii=False), json.dumps(history or [], ensure_ascii=False), source,
        )
        with self._connect() as db:
            cur = db.execute(
                "INSERT INTO feedback (created_at, conversation, turn, rating, question, rewritten_question,"
                " reply_status, corpus_version, reply, history, source) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT (conversation, turn) DO UPDATE SET created_at=excluded.created_at,"
                " rating=excluded.rating RETURNING id",
                row,
            )
            return int(cur.fetchone()[0])

    def remove(self, *, conversation: str, turn: int) -> bool:
        """Forget a rating (the user clicked the same thumb again)."""
        with self._connect() as db:
            return db.execute("DELETE FROM feedback WHERE conversation=? AND turn=?", (conversation, turn)).rowcount > 0

    def records(self) -> list[FeedbackRecord]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT id, created_at, conversation, turn, rating, question, rewritten_question, reply_status,"
                " corpus_version, reply, history, source FROM feedback ORDER BY id"
            ).fetchall()
        return [
            FeedbackRecord(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], json.loads(r[9]), json.loads(r[10]),
                           r[11])
            for r in rows
        ]

    def __len__(self) -> int:
        with self._connect() as db:
            return int(db.execute("SELECT COUNT(*) FROM feedback").fetchone()[0])

    def export_jsonl(self, out: TextIO, faq: bool = False) -> int:
        """Write every record as one JSON line (with `faq`: a 问答对 draft per 👎 record); returns how many."""
        records = [r for r in self.records() if r.rating == "down"] if faq else self.records()
        for rec in records:
            out.write(json.dumps(rec.faq_draft() if faq else rec.to_dict(), ensure_ascii=False) + "\n")
        return len(records)
