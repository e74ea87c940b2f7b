"""The SQLite feedback store: upsert per answer, withdrawal, JSONL export, concurrent writers."""

from __future__ import annotations

import io
import json
import sqlite3
import threading
from pathlib import Path

import pytest

from assistant.feedback import FeedbackStore

REPLY = {"status": "answered", "answer": "可以。", "citations": [{"id": "union-law-2021/art-11"}],
         "rewritten_question": None, "corpus_version": "abc"}


def test_rate_replace_remove_export(tmp_path: Path) -> None:
    store = FeedbackStore.in_data_dir(tmp_path / "data")
    assert store.path == tmp_path / "data" / "feedback.sqlite3"
    rid = store.rate(conversation="c1", turn=0, rating="up", question="问", reply=REPLY,
                     history=[{"role": "user", "content": "前"}])
    assert store.rate(conversation="c1", turn=0, rating="down", question="问", reply=REPLY) == rid  # changed mind
    store.rate(conversation="c1", turn=1, rating="up", question="问二", reply=REPLY)
    assert len(store) == 2
    first = store.records()[0]
    assert (first.rating, first.question, first.reply, first.reply_status, first.corpus_version) == (
        "down", "问", REPLY, "answered", "abc")
    assert first.history == [{"role": "user", "content": "前"}]
    assert store.remove(conversation="c1", turn=1) and not store.remove(conversation="c1", turn=1)
    out = io.StringIO()
    assert store.export_jsonl(out) == 1
    line = json.loads(out.getvalue())
    assert line["question"] == "问" and line["reply"]["citations"][0]["id"] == "union-law-2021/art-11"
    with sqlite3.connect(store.path) as db:  # plain SQLite: readable by any tool
        assert db.execute("SELECT rating FROM feedback").fetchall() == [("down",)]


def test_thumbs_down_export_as_faq_drafts(tmp_path: Path) -> None:
    store = FeedbackStore.in_data_dir(tmp_path)
    cited = {**REPLY, "citations": [{"id": "union-law-2021/art-11", "quote": "二十五人以上的，应当建立基层工会委员会"}]}
    store.rate(conversation="c1", turn=0, rating="down", question="二十五个会员要建委员会吗", reply=cited)
    store.rate(conversation="c1", turn=1, rating="up", question="好的", reply=REPLY)
    out = io.StringIO()
    assert store.export_jsonl(out, faq=True) == 1  # only the 👎 ones
    draft = json.loads(out.getvalue())
    assert draft["questions"] == ["二十五个会员要建委员会吗"]
    assert draft["clause"] == "union-law-2021/art-11" and draft["span"].startswith("二十五人以上")
    assert set(draft) == {"id", "questions", "clause", "span", "note"}  # the corpus/faq/ line format


def test_bad_rating_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="rating"):
        FeedbackStore(tmp_path / "f.sqlite3").rate(conversation="c", turn=0, rating="meh",  # type: ignore[arg-type]
                                                   question="q", reply=REPLY)


def test_concurrent_writers(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite3")

    def write(n: int) -> None:
        for t in range(20):
            store.rate(conversation=f"c{n}", turn=t, rating="up", question="q", reply=REPLY)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(store) == 120
