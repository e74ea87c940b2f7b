"""Follow-up rewriting: swapping the person or unit, grafting a bare why, and statements as context."""

from __future__ import annotations

import pytest

from assistant.answer.followup import asks, rewrite


def _h(*turns: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": t} for t in turns]


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        (["网约车司机工会管吗？"], "那网约送餐员呢？", "网约送餐员工会管吗？"),
        (["专职工会主席的劳动合同会自动延长吗？"], "那兼职的委员呢？", "兼职的委员的劳动合同会自动延长吗？"),
        (["会计师事务所不足25人怎么建工会？"], "那律所呢？", "律所不足25人怎么建工会？"),
        (["我们单位会员18人，需要建基层工会委员会吗？"], "那律所呢？", "我们律所会员18人，需要建基层工会委员会吗？"),
    ],
)
def test_the_follow_up_swaps_the_person_or_unit(history: list[str], question: str, expected: str) -> None:
    assert rewrite(question, _h(*history), 0).rewritten == expected


@pytest.mark.parametrize(
    ("history", "question"),
    [
        (["出租车公司人少怎么建会？"], "那个体司机呢？"),  # a person for a unit: no counterpart, joined
        (["女职工多的单位要不要成立女职工委员会？"], "那男职工呢？"),  # two candidates: joined
        (["工会经费是怎么交的？"], "那律所要交多少呢？"),  # the follow-up asks something of its own
    ],
)
def test_no_unique_counterpart_joins(history: list[str], question: str) -> None:
    rw = rewrite(question, _h(*history), 0)
    assert rw.rewritten is not None and "追问" in rw.rewritten


def test_a_bare_why_is_asked_of_the_earlier_yes_no_question() -> None:
    rw = rewrite("为什么不行？", _h("劳务派遣公司牵头建跨区域工会联合会行吗？"), 0)
    assert rw.rewritten == "劳务派遣公司牵头建跨区域工会联合会为什么不行？"
    joined = rewrite("为什么？", _h("企业改制了，工会怎么办？"), 0)  # not a yes/no question: joined
    assert joined.rewritten == "企业改制了，工会怎么办？追问：为什么？"


def test_statements_are_context_not_the_topic() -> None:
    history = _h("我们公司用了不少派遣工。", "派遣公司有工会。", "他们每月工资总额10万。")
    rw = rewrite("那这些派遣工平时由哪个工会管、参加谁的活动？", history, 1)
    assert (
        rw.rewritten
        == "我们公司用了不少派遣工。派遣公司有工会。他们每月工资总额10万。这些派遣工平时由哪个工会管、参加谁的活动？"
    )
    rw2 = rewrite("那要是以后会员发展到30个呢？", _h("我们是一家民企，想组织大家入工会。", "现在会员有20人。"), 0)
    assert (
        rw2.rewritten is not None and rw2.rewritten.startswith("我们是一家民企") and "现在会员有20人" in rw2.rewritten
    )


def test_a_standalone_statement_after_a_question_joins_it() -> None:
    rw = rewrite("那要交多少？", _h("会计师事务所怎么建工会？", "我们所有18个会员，女职工较多。"), 0)
    assert rw.rewritten == "会计师事务所怎么建工会？追问：我们所有18个会员，女职工较多？追问：要交多少？"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("派遣公司有工会。", False),
        ("现在会员有20人。", False),
        ("要交吗", True),
        ("怎么建？", True),
        ("这笔钱由谁出", True),
    ],
)
def test_asks(text: str, expected: bool) -> None:
    assert asks(text) is expected


# -- a follow-up that asks something new but leaves out its topic takes the earlier question's topic ------------


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        (["工会会员有哪些权利？"], "那义务呢？", "工会会员有哪些义务？"),
        (["工会会员有什么待遇？"], "那义务呢？", "工会会员有什么义务？"),
        (["会员证包括什么内容？"], "那格式呢？", "会员证包括什么格式？"),
    ],
)
def test_a_bare_noun_swaps_the_noun_asked_for(history: list[str], question: str, expected: str) -> None:
    assert rewrite(question, _h(*history), 0).rewritten == expected


@pytest.mark.parametrize(
    ("history", "question"),
    [
        (["基层工会委员会每届任期几年？"], "那市总工会呢？"),  # no noun asked for ("几年"): joined
        (["基层工会委员会由哪些人员组成？"], "那职责呢？"),  # the noun has a verb of its own ("人员组成")
        (["会员要履行哪些义务？"], "那权利呢？"),  # 履行 fits 义务, not 权利
        (["女职工委员会是什么组织？"], "那工会小组呢？"),  # asks what 工会小组 is
        (["工会会员有哪些权利？"], "那兼职会员的呢？"),  # a 的-phrase, not a bare noun
        (["工会会员有哪些权利？"], "那义务有哪些呢？"),  # a question of its own
    ],
)
def test_no_asked_noun_to_swap_joins(history: list[str], question: str) -> None:
    rw = rewrite(question, _h(*history), 0)
    assert rw.rewritten is not None and "追问" in rw.rewritten


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        # what was done, referred back to without its object
        (["集体合同由谁跟企业签？"], "签完以后多久生效？", "集体合同签完以后多久生效？"),
        (["工会委员会怎么选举产生？"], "那选完之后要报批吗？", "工会委员会选完之后要报批吗？"),
        (["国有企业可以建工会吗？"], "建好以后要交经费吗？", "国有企业建好以后要交经费吗？"),  # 有 inside 国有
        # "someone" among those the earlier question is about
        (
            ["工会会员可以退会吗？"],
            "那要是有人一直不交会费、也不参加活动呢？",
            "工会会员要是一直不交会费、也不参加活动呢？",
        ),
        (["派遣工能入工会吗？"], "有的人不愿意入呢？", "派遣工不愿意入呢？"),
    ],
)
def test_a_subjectless_follow_up_takes_the_earlier_subject(history: list[str], question: str, expected: str) -> None:
    assert rewrite(question, _h(*history), 0).rewritten == expected


@pytest.mark.parametrize(
    ("history", "question"),
    [
        (["我们单位可以建工会吗？"], "建好以后要交经费吗？"),  # the subject is the asker: nothing to carry
        (["我们厂会员24人，怎么建工会？"], "那要是有人不愿意入会呢？"),  # no one-clause subject
        (["工会主席任期没满能调走吗？"], "那要是确实工作需要呢？"),  # a condition on the same question
    ],
)
def test_no_subject_to_carry_joins(history: list[str], question: str) -> None:
    rw = rewrite(question, _h(*history), 0)
    assert rw.rewritten is not None and "追问" in rw.rewritten


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        (
            ["企业违章指挥、强令工人冒险作业，工会能做什么？"],
            "那工人自己能不干吗？",
            "企业违章指挥、强令工人冒险作业，工人自己能不干吗？",
        ),
        (["我们厂会员24人，怎么建工会？"], "那要交会费吗？", "我们厂会员24人，要交会费吗？"),
        (["我们是外企，想建工会，从哪入手？"], "那工会经费怎么交？", "我们是外企，想建工会，工会经费怎么交？"),
    ],
)
def test_a_new_question_keeps_the_situation_stated_first(history: list[str], question: str, expected: str) -> None:
    assert rewrite(question, _h(*history), 0).rewritten == expected


@pytest.mark.parametrize(
    ("history", "question"),
    [
        (["企业改制了，工会怎么办？"], "为什么？"),  # a bare why is no question of its own
        (["我们厂会员24人，怎么建工会？"], "那要是单位没建工会呢？"),  # a condition only: the earlier question stands
        (["出租车公司人少，怎么建工会？"], "那个体司机呢？"),  # a bare noun
        (["会员多少人要建委员会？不到呢？"], "那要交会费吗？"),  # the earlier turn asks twice: no situation stated
    ],
)
def test_the_situation_is_kept_only_for_a_question_of_its_own(history: list[str], question: str) -> None:
    rw = rewrite(question, _h(*history), 0)
    assert rw.rewritten is not None and "追问" in rw.rewritten


def test_a_reference_back_is_a_follow_up() -> None:
    from assistant.answer.followup import is_followup

    assert is_followup("签完以后多久生效？", 1)
    assert is_followup("建好之后要备案吗？", 1)
    assert not is_followup("改制以后职工走的走、转的转，会员都散了，指导意见让工会咋办？", 3)


@pytest.mark.integration
@pytest.mark.parametrize(
    ("history", "question", "rewritten", "cited"),
    [
        # both laws state when a collective contract takes effect (15 days without objection)
        (
            ["集体合同由谁跟企业签？"],
            "签完以后多久生效？",
            "集体合同签完以后多久生效？",
            {"labor-law/art-34", "labor-contract-law/art-54"},
        ),
        (
            ["企业违章指挥、强令工人冒险作业，工会能做什么？"],
            "那工人自己能不干吗？",
            "企业违章指挥、强令工人冒险作业，工人自己能不干吗？",
            {"labor-contract-law/art-32", "labor-law/art-56"},  # each gives the worker the right to refuse
        ),
        (
            ["工会会员可以退会吗？"],
            "那要是有人一直不交会费、也不参加活动呢？",
            "工会会员要是一直不交会费、也不参加活动呢？",
            {"acftu-constitution-2008/art-6"},
        ),
    ],
)
def test_the_reply_shows_and_answers_the_standalone_question(  # type: ignore[no-untyped-def]
    bot, history: list[str], question: str, rewritten: str, cited: set[str]
) -> None:
    r = bot.ask(question, [{"role": "user", "content": t} for t in history])
    assert r.rewritten_question == rewritten
    assert cited & {c.id for c in r.citations}


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        (["出租车司机怎么建工会？"], "那它的上级是谁？", "出租车司机，上级是谁？"),
        (["货车司机怎么入会？"], "这种情况找谁？", "货车司机，找谁？"),
        (["劳务派遣工应该加入哪个工会？"], "那他们的会费谁来收？", "劳务派遣工，会费谁来收？"),
    ],
)
def test_a_question_pointing_back_keeps_the_topic(history: list[str], question: str, expected: str) -> None:
    assert rewrite(question, _h(*history), 0).rewritten == expected


def test_a_question_pointing_back_to_no_subject_joins() -> None:
    rw = rewrite("那它的上级是谁？", _h("我们单位可以建工会吗？"), 0)  # the subject is the asker
    assert rw.rewritten is not None and "追问" in rw.rewritten
