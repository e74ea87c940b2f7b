"""In-process nearest windows: the same clauses Chroma's own query finds (exact cosine vs HNSW)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from assistant.retrieve.dense import DenseRetriever, Windows

QUESTIONS = [
    "劳务派遣工的工会经费由谁拨缴",
    "会计所不足25人怎么建会",
    "出租车司机怎么加入工会",
    "老板不让我们成立工会，工会能怎么办？",
    "工会主席任期几年",
    "农民工入会要什么手续",
    "用人单位单方解除劳动合同要通知工会吗",
    "八大群体指哪些",
]


def test_windows_rank_by_cosine() -> None:
    w = Windows(["a", "b", "a"], np.array([[1.0, 0.0], [0.6, 0.8], [0.8, 0.6]], dtype=np.float32))
    assert w.nearest(np.array([1.0, 0.0], dtype=np.float32), 1) == [("a", 1.0), ("a", pytest.approx(0.8))]


@pytest.mark.integration
def test_in_process_windows_find_what_chroma_finds(bot: Any) -> None:
    assert bot.dense.windows is not None  # the embedded default searches in process
    chroma = DenseRetriever(**{**dict(bot.dense), "windows": None})
    for q in QUESTIONS:
        query = bot.analyzer(q)
        mine, theirs = bot.dense.rank(query, 10), chroma.rank(query, 10)
        assert mine[0][0] == theirs[0][0], q
        assert len({c for c, _ in mine[:5]} & {c for c, _ in theirs[:5]}) >= 4, q
        assert mine[0][1] == pytest.approx(theirs[0][1], abs=1e-4)
