"""问答对 entries: bad lines fail loudly; an entry whose span left its clause is reported and not served."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.clauses import ClauseStore
from assistant.faq.base import Entry, Faq, FaqError, spans
from assistant.retrieve.faq import FaqMatcher

ART = "union-law-2021/art-11"


def _write(folder: Path, *rows: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "faq.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return folder


def test_the_corpus_faq_loads_and_every_entry_is_bound_to_its_clause(corpus_dir: Path, store: ClauseStore) -> None:
    faq = Faq.load(corpus_dir / "faq")
    assert len(faq) >= 100
    assert faq.problems(store) == []
    assert all(3 <= len(e.questions) <= 5 for e in faq)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["not", "an", "object"], "expected an object"),
        ({"questions": ["问"], "clause": ART, "span": "x"}, "missing id"),
        ({"id": "f1", "questions": [], "clause": ART, "span": "x"}, "questions"),
        ({"id": "f1", "questions": ["问"], "clause": ART, "span": ""}, "span"),
    ],
)
def test_a_bad_line_names_its_file_and_line(tmp_path: Path, row: object, message: str) -> None:
    with pytest.raises(FaqError, match=rf"faq\.jsonl:1: .*{message}"):
        Faq.load(_write(tmp_path, row))


def test_a_repeated_id_fails(tmp_path: Path) -> None:
    row = {"id": "f1", "questions": ["问"], "clause": ART, "span": "x"}
    with pytest.raises(FaqError, match="repeated"):
        Faq.load(_write(tmp_path, row, row))


def test_a_span_that_left_its_clause_is_reported_and_not_served(tmp_path: Path, store: ClauseStore) -> None:
    text = store[ART].text
    good = {"id": "f1", "questions": ["多少会员要建委员会"], "clause": ART, "span": text[:20]}
    edited = {"id": "f2", "questions": ["改过的"], "clause": ART, "span": "这句话不在条文里"}
    gone = {"id": "f3", "questions": ["没了"], "clause": "union-law-2021/art-999", "span": "x"}
    faq = Faq.load(_write(tmp_path, good, edited, gone))
    problems = faq.problems(store)
    assert len(problems) == 2 and "f2" in problems[0] and "f3" in problems[1]
    assert [e.id for e in faq.valid(store)] == ["f1"]
    assert spans(text, text[:20]) and not spans(text, "这句话不在条文里")


def test_an_edited_entry_changes_its_sha() -> None:
    a = Entry("f1", ("问",), ART, "span")
    assert a.sha != Entry("f1", ("问",), ART, "span2").sha
    assert Faq((a,)).sha != Faq().sha == ""


def test_the_matcher_takes_the_nearest_variant_above_its_bar() -> None:
    faq = Faq((Entry("f1", ("甲", "乙"), ART, "s"), Entry("f2", ("丙",), ART, "s")))
    vectors = np.eye(3, dtype=np.float32)
    table = {"甲": [1, 0, 0], "乙": [0, 1, 0], "丙": [0, 0, 1], "近乙": [0.1, 0.99, 0], "远": [0.6, 0.6, 0.5]}
    embed = lambda t: np.asarray(table[t], dtype=np.float32)  # noqa: E731
    matcher = FaqMatcher(faq, ["faq:f1#0", "faq:f1#1", "faq:f2#0"], vectors, embed, sure=0.9)
    near = matcher.nearest("近乙")
    assert near is not None and near.entry.id == "f1" and near.question == "乙" and near.score > 0.9
    far = matcher.nearest("远")
    assert far is not None and far.score < 0.9
    # keys of entries no longer served are skipped
    assert len(FaqMatcher(Faq(), ["faq:f1#0"], vectors[:1], embed, 0.9).keys) == 0
