import pytest

from assistant.answer.followup import is_followup, rewrite
from assistant.answer.gate import gate, verified
from assistant.answer.reply import Citation, Reply, ReplyStatus
from assistant.answer.scope import ScopeGate, ScopeModel, Verdict, coverage


def _c(cid: str, quote: str) -> Citation:
    return Citation(id=cid, source="s", locator="l", quote=quote, tier="law")


def test_gate_keeps_only_verbatim_quotes(store) -> None:  # type: ignore[no-untyped-def]
    good = _c("union-law-2021/art-11", "用人单位有会员二十五人以上的，应当建立基层工会委员会")
    spaced = _c("guidance/6.1", "劳务派遣工应首先选择参加劳务派遣单位工会")  # source has OCR spaces nearby
    invented_id = _c("union-law-2021/art-99", "用人单位有会员二十五人以上的")
    not_in_clause = _c("union-law-2021/art-11", "用人单位有会员十人以上的，应当建立基层工会委员会")
    too_short = _c("union-law-2021/art-11", "工会")
    kept = gate([good, spaced, invented_id, not_in_clause, too_short, good], store)
    assert kept == [good, spaced]
    assert not verified(invented_id, store)


def test_reply_contract_shape() -> None:
    r = Reply(status=ReplyStatus.ANSWERED, answer="a", citations=[_c("x", "y")], corpus_version="v")
    d = r.to_dict()
    assert set(d) == {"status", "answer", "citations", "rule", "missing_facts", "rewritten_question", "corpus_version"}
    assert d["status"] == "answered" and d["citations"][0]["superseded"] is False


@pytest.mark.parametrize(
    ("q", "topic", "expected"),
    [
        ("那不够这个人数的呢？", 0, True),
        ("如果是60万呢？", 0, True),
        ("这笔钱由谁出？", 0, True),
        ("那个体司机呢", 0, True),
        ("会计师事务所不足25人怎么建工会？", 2, False),
        ("劳务派遣工的工会经费由谁拨缴？", 3, False),
    ],
)
def test_followup_detection(q: str, topic: int, expected: bool) -> None:
    assert is_followup(q, topic) is expected


def test_rewrite_swaps_amount_and_joins_topic() -> None:
    h = [
        {"role": "user", "content": "我们单位每月工资总额50万，工会经费交多少？"},
        {"role": "assistant", "content": "…"},
    ]
    rw = rewrite("如果是60万呢？", h, 0)
    assert rw.rewritten == "我们单位每月工资总额60万，工会经费交多少？"
    rw2 = rewrite("那个体司机呢？", [{"role": "user", "content": "出租车公司人少怎么建会？"}], 0)
    assert rw2.rewritten is not None and "出租车公司人少怎么建会" in rw2.rewritten and "个体司机" in rw2.rewritten
    assert rewrite("会计师事务所怎么建工会？", h, 2).rewritten is None
    assert rewrite("那个体司机呢？", [], 0).rewritten is None  # nothing to refer back to


@pytest.fixture()
def scope() -> ScopeGate:
    weights = {"dense": 1.0, "bm25": 1.0, "domain": 1.0, "cover": 1.0, "intent_in": 1.0}
    return ScopeGate(ScopeModel(weights, -2.0, 0.5), ["工会", "劳务派遣工"])


@pytest.mark.parametrize(
    ("q", "verdict"),
    [
        ("帮我写一首赞美工会的诗", Verdict.OUT_OF_SCOPE),
        ("123乘以456等于多少", Verdict.OUT_OF_SCOPE),
        ("明天会下雨吗", Verdict.OUT_OF_SCOPE),
    ],
)
def test_precheck(scope: ScopeGate, q: str, verdict: Verdict) -> None:
    """Off-topic tasks only: injected instructions are read by the intent classifier (tests/understand)."""
    res = scope.precheck(q)
    assert res is not None and res.verdict is verdict


def test_precheck_lets_union_questions_through(scope: ScopeGate) -> None:
    assert scope.precheck("劳务派遣工的工会经费由谁拨缴？") is None
    assert scope.precheck("工会法第十四条是什么？") is None


def test_score_is_monotone_in_evidence(scope: ScopeGate) -> None:
    low = scope.judge("工会", 0.80, 0.0)
    high = scope.judge("劳务派遣工 工会", 0.90, 20.0)
    assert high.probability > low.probability and high.verdict is Verdict.IN_SCOPE
    covered = scope.judge("工会", 0.80, 0.0, cover=1.0, intent_in=0.9)
    assert covered.probability > low.probability  # a sentence holding the whole question, an in-scope intent


def test_coverage_is_the_share_of_the_question_one_sentence_holds() -> None:
    idf = {"社会保险基金": 3.0, "挪用": 2.0, "天气": 4.0}.get
    weight = lambda t: idf(t) or 1.0  # noqa: E731
    text = "社会保险基金按照保险类型确定资金来源。任何组织和个人不得挪用社会保险基金。"
    assert coverage(["社会保险基金", "挪用"], [text], weight) == 1.0
    assert coverage(["天气", "挪用"], [text], weight) == pytest.approx(2.0 / 6.0)
    assert coverage([], [text], weight) == 0.0
