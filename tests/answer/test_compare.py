"""Version comparison: both texts side by side, the difference marked, each quoted verbatim."""

import pytest

from assistant.answer.compare import compare, diff, pair, versioned
from assistant.clauses import ClauseStore
from assistant.text.normalize import normalize


def test_diff_marks_what_was_added_and_removed() -> None:
    d = diff("工会可以提供法律服务。", "工会依法提供法律援助等法律服务。")
    assert "~~可以~~" in d.old_marked and "**依法**" in d.new_marked
    assert not d.same and d.added


def test_pairs_come_from_the_version_map(store: ClauseStore) -> None:
    new = store["union-law-2021/art-11"]
    p = pair(store, new)
    assert p.new is new and p.old is not None and p.old.superseded
    assert versioned(store, new) and not versioned(store, store["guidance/6.2"])


def test_an_article_that_changed_is_shown_both_ways(store: ClauseStore) -> None:
    answer, cites = compare(store, [pair(store, store["union-law-2021/art-3"])], ["就业形态"])
    assert answer.index("修正时有改动") < answer.index("2009年")  # the conclusion comes first
    assert "“就业形态”：旧文本没有写" in answer
    assert {c.id for c in cites} == {"union-law-2021/art-3", "union-law-2009/art-3"}
    for c in cites:
        assert normalize(c.quote) in store[c.id].norm


@pytest.mark.integration
def test_a_comparison_question_gets_both_versions(bot) -> None:  # type: ignore[no-untyped-def]
    r = bot.ask("新旧工会法在基层工会取得法人资格的依据上有什么不同？")
    ids = {c.id for c in r.citations}
    assert r.status.value == "answered"
    assert "union-law-2021/art-15" in ids and "union-law-2009/art-14" in ids
    assert "民法通则" in r.answer
