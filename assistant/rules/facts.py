"""Fact extraction: the facts a question states (counts, money, percentages, entity, choices, yes/no), for the rules.

The quantity mentions come from understand/quantities.py; here each is given its fact by the head noun of the
lexicon (corpus/dict/heads.toml: "30名工会会员" members, "女工有一千二" women_count), or by what the people counted
do ("35个人联名" proposers, "同意罢免的有30人" votes). A count with no noun ("我们有18个") lands in `count`, which the
engine gives to the slot being asked for. In one text, a figure said again after a correction word is the one
meant ("28个，不对，是32个"), a change word applies to the figure stated before ("原有40名，新发展了12名" = 52), and
several units each with their figures are `groups`, not a contradiction ("一家18名会员、一家11名").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from assistant.rules.base import Count, MoneyRange, jsonable
from assistant.text.numerals import cn_to_int
from assistant.understand import lexicon
from assistant.understand.chains import Placed, Verdict
from assistant.understand.quantities import BALLOTS, CN, Qty, prepare, quantities
from assistant.understand.roles import NONE, Mention, by_fact

_SPLIT = re.compile(r"[,，。;；!！?？\n、]")  # not the colon: "会员人数：58" is one statement
_SENTENCE = re.compile(r"[。;；!！?？\n]")
# role nouns come from the head-noun lexicon (corpus/dict/heads.toml); joining the union makes a member too:
# "18个人入了会", "26人加入了工会", "入会的只有20人", "交会费的才二十个"
_JOINED = r"(?:入了会|入会|入了工会|入工会|加入了?工会|参加了?工会|交了?会费|缴了?会费)"
_JOINED_AFTER = re.compile(rf"^(?:个|名|位)?(?:人)?(?:已经|已|都|也)?(?:是(?:工会)?会员|{_JOINED})")
_GENERIC_PERSON = re.compile(r"^人(?!员)")
_COPULA_AFTER = re.compile(r"^(?:人)?(?:都|也|全)?(?:是|为)")
# what the people counted do, right after the count ("35个人联名要求开", "30个同意"); the words before the verb
# never reach over another count ("60个代表30个同意": the 60 are the delegates, the 30 the votes)
_NO_COUNT = rf"(?:(?!\d|[{CN}]{{1,4}}[个名位人票])[^,])"
_ROLE_ACTION = (
    ("proposers", re.compile(rf"^{_NO_COUNT}{{0,6}}(?:提议|联名|提出|要求召开|要求开|签字|签名|倡议)")),
    ("votes", re.compile(rf"^{_NO_COUNT}{{0,6}}(?:同意|赞成|投票|投了|支持|举手|通过)")),
)
# the same, said before the count as "those who …": "联名提议临时开会员大会的只有40人", "同意罢免的有30人", "赞成票45张"
_THOSE = r"的(?:人|会员代表|会员|代表)?(?:只有|仅有|才|有|共|一共|总共|共计|是|为|达到|就)*$"
_ROLE_ACTION_BEFORE = (
    ("proposers", re.compile(r"(?:提议|联名|签字|签名|倡议)[^\d,]{0,14}?" + _THOSE)),
    (
        "votes",
        re.compile(
            r"(?:同意|赞成|赞同|支持)(?:罢免|撤换)?[^\d,]{0,8}?"
            + _THOSE
            + r"|(?:同意|赞成)票(?:只有|有|共|一共|是|为)*$"
        ),
    ),
)


@dataclass(frozen=True)
class Extraction:
    """Facts found in one text; `errors` are contradictions the user must resolve."""

    facts: dict[str, Any]
    errors: tuple[str, ...] = ()
    spans: dict[str, str] = field(default_factory=dict)
    entities: tuple[str, ...] = ()
    groups: tuple[dict[str, Any], ...] = ()  # one dict of counts per unit: "一家18名会员、一家11名"

    @property
    def approx(self) -> frozenset[str]:
        """Names whose value is vague (a count range or an approximate amount)."""
        return frozenset(
            k for k, v in self.facts.items() if (isinstance(v, Count) and v.approx) or isinstance(v, MoneyRange)
        )

    def json(self) -> dict[str, Any]:
        return {k: jsonable(v) for k, v in self.facts.items()}


# -- roles ------------------------------------------------------------------------------------

HEADS = lexicon.default()


def _count_role(clause: str, q: Qty) -> tuple[str, bool]:
    """(fact name, explicit?) for a head count, from the nouns around it."""
    after = clause[q.end :]
    before = clause[: q.start]
    # a copula may stand between the figure and its noun: "里面十九个是女同志", "有30个都是会员"
    head = HEADS.after(after) or HEADS.after(_COPULA_AFTER.sub("", after, count=1))
    role = head[1] if head else ""
    if (not role or _GENERIC_PERSON.match(after)) and _JOINED_AFTER.match(after):
        role = "members"  # "18个人入了会"
    elif role == "staff" and _GENERIC_PERSON.match(after):
        role = ""  # "会员只有1个人": the plain 人 defers to the noun before the number
    if not role:
        noun = HEADS.before(before)
        role = noun[1] if noun else ""
    if role not in ("women_count", "dispatched"):
        for name, rx in _ROLE_ACTION:
            if rx.match(after):
                return name, True
        for name, rx in _ROLE_ACTION_BEFORE:
            if rx.search(before):
                return name, True
    if q.unit in BALLOTS and role != "votes":
        return "", False  # ballots that are not for the motion ("10票反对") count no one the rules ask about
    if not role and re.match(rf"^(?:个|名|位)?人?.{{0,2}}{_JOINED}", after):
        role = "members"
    if role:
        return role, True
    return "count", False


_PERSONAL = re.compile(r"我(?!们)|本人|个人|俺(?!们)|咱(?!们)")
_OWN = re.compile(r"本单位|自己|本公司|本厂|全部|全体|所有|职工|员工")
_THEIR = re.compile(r"他们|这部分|这些|那批|这批|其")
_OTHERS = re.compile(r"职工|员工|会员|工人|同事")
_PAYROLL = re.compile(r"总额|全部|全体|所有|公司|单位|厂|集团|整个|大家|他们|这部分|派遣")


def _money_role(clause: str, sentence: str = "") -> str:
    name = HEADS.amount(clause)
    if name == "monthly_income" and re.search(r"经费|2%|拨缴|上缴", clause):
        return "wage_total"  # "工资50万，经费交多少" is the payroll, not someone's salary
    before = sentence[: max(0, sentence.find(clause))] if clause in sentence else ""
    # "派遣工35名，他们的工资总额一年210万": the sentence says whose wage bill, unless it counts others too
    dispatch = name in (None, "wage_total") and "派遣" in before
    theirs = _THEIR.search(clause) or not _OTHERS.search(before)
    if dispatch and theirs and not (_PERSONAL.search(clause) or _OWN.search(clause)):
        return "dispatch_wages"
    if name in (None, "wage_total", "monthly_income") and _PERSONAL.search(sentence) and not _PAYROLL.search(clause):
        # one person's pay ("我每月实发工资六千二", "我一年税前收入9.6万"): the period word says which
        if _PERIOD_YEAR.search(clause):
            return "annual_income"
        if _PERIOD_MONTH.search(clause) or name == "monthly_income":
            return "monthly_income"
    return name or "amount"


# -- categorical facts --------------------------------------------------------------------------

_ENTITIES = (
    ("会计师事务所", r"会计师事务所|会计事务所|会计所|注册会计师|cpa|审计事务所|审计所"),
    ("律师事务所", r"律师事务所|律所|律师所|律师行"),
    (
        "个体出租车",
        r"个体(?:出租|的哥|的姐|司机|户|的|经营|从业)|出租车?个体|自己的车.{0,4}(?:跑|开)出租|自己开出租|单干.{0,4}出租|个人.{0,2}跑出租",
    ),
    ("出租车公司", r"(?:出租车|出租汽车|的士|出租)(?:公司|企业)"),
    ("劳务派遣单位", r"劳务派遣(?:单位|公司|机构)|派遣(?:公司|单位|机构|方)|劳务公司|人力资源公司|人力公司"),
    ("用工单位", r"用工单位|用工方|实际用工|接收单位|使用(?:劳务)?派遣工的(?:单位|企业|公司)"),
    ("外商投资企业", r"外商投资|外商独资|外资|外企|合资企业|中外合资|中外合作"),
    ("港澳台商投资企业", r"港澳台|港资|台资|澳资|港企|台企"),
    ("私营企业", r"私营企业|民营企业|民企|私企|私人(?:公司|企业)"),
    ("国有企业", r"国有企业|国企|央企|国有控股|国有独资"),
    ("集体企业", r"集体企业"),
    ("民办非企业单位", r"民办非企业|民非|民办(?:学校|医院|幼儿园|培训)"),
    ("事业单位", r"事业单位|公立(?:医院|学校)"),
    ("机关", r"(?<!事业)机关|政府部门|行政单位"),
    ("社会组织", r"社会组织|社会团体(?!法人)|社团(?!法人)|基金会|行业协会|商会|协会"),
    ("企业", r"企业|公司|工厂|厂(?!长)|门店"),
)
_ENTITY_RX = tuple((name, re.compile(rx)) for name, rx in _ENTITIES)

_KINDS = (
    (
        "终止",
        r"破产|倒闭|关闭|关门|注销|停业|歇业|(?:企业|公司|单位|厂)(?:被|要)?(?:终止|撤销|解散|关停)|终止经营|终止营业",
    ),
    ("租赁承包转让", r"租赁|承包(?!费)|转让|出售|卖给|卖掉|卖了|转卖|租给|包给"),
    ("重组", r"重组"),
    ("分立", r"分立|拆分|分拆|一分为二"),
    ("联合兼并", r"兼并|并购|收购|被.{0,6}合并|(?:企业|公司|厂|单位|家)(?:之间)?.{0,2}(?:联合|合并)"),
    ("整体改制", r"整体改制|整体转制|股份制改造|改制(?:为|成)|改(?:为|成)股份|公司制改制|混改|混合所有制"),
)
_KIND_RX = tuple((name, re.compile(rx)) for name, rx in _KINDS)
# what a restructuring question asks about, when it is something the guidance requires of every kind
# ("改制中工会经费和财产怎么处理", "要做到哪三个不", "专职人员被裁减怎么办"); the first listed wins
_ASPECTS = (
    ("要求", r"三个不|三不|不断线|不断流|不流失|(?:什么|哪些|总体|基本)要求|原则|同步改建|同步研究|同步实施"),
    ("资产", r"经费|财产|资产|办公设施|活动场所"),
    ("人员", r"(?:专职|工会)(?:工会)?(?:工作)?人员|工会干部|专职干部"),
    ("会员", r"会籍|会员(?:都|也|全|大多|很多|不少)?(?:流失|身份|关系|散|走|跑|丢|少|没了)"),
)
_ASPECT_RX = tuple((name, re.compile(rx)) for name, rx in _ASPECTS)
# A restructuring named without its kind ("企业改制方案里要不要写工会") asks what the guidance requires of every
# kind, unless it asks what becomes of the union organisation itself ("改制了工会怎么办", "工会还保留吗",
# "对工会有什么影响"), which the kind decides.
_RESTRUCTURING = re.compile(r"改制|转制|改组")
_UNION_FATE = re.compile(
    r"工会(?:组织|委员会)?(?:的)?(?:牌子|名称|名字|主席|隶属关系|机构)?.{0,4}?"
    r"(?:怎么办|咋办|怎么处理|如何处理|怎么弄|咋弄|怎么搞|咋整|怎么样|怎样|如何|何去何从|去留|还在|存在|还有吗|保留|存续"
    r"|撤|没了|取消|改名|更名|名称|重建|重新|组建|改建|隶属|归谁|归哪|影响|变化|变不变|变吗)"
)

_AGENCY = r"(?:劳务派遣单位|劳务派遣公司|派遣公司|派遣单位|派遣机构|派遣方|劳务公司)"
_USER = r"(?:用工单位|用工方|实际用工单位)"
# what may stand between a unit and "没建工会": "派遣公司那边压根（就）没建工会", "派遣单位至今还没成立工会"
_ASIDE = r"(?:那边|那儿|那里|这边|方面)?(?:还|都|也|本身|压根儿?|根本|从来|一直|至今|到现在|目前|现在|就|并)*"
_DISMISS = (
    r"开除|辞退|辞了|辞掉|把我开了|开了我|让我走人|解雇|解除(?:劳动)?合同"
    r"|炒(?:了)?鱿鱼|炒掉|裁掉|被裁|赶走|劝退|不续签|除名|开掉"
)

# (fact, value, regex) — negative forms are listed first and win over the positive ones.
_BOTH_NONE = r"(?:和|与|跟|及)"
_FLAGS: tuple[tuple[str, bool, str], ...] = (
    (
        "agency_has_union",
        False,
        _AGENCY + _BOTH_NONE + _USER + r"(?:都|均|也都)(?:没有|没|未|尚未)(?:建立?|成立)?(?:了)?工会",
    ),
    (
        "user_has_union",
        False,
        _AGENCY + _BOTH_NONE + _USER + r"(?:都|均|也都)(?:没有|没|未|尚未)(?:建立?|成立)?(?:了)?工会",
    ),
    (
        "has_union",
        False,
        r"(?:没有|没|未|尚未|还没有?|并未|不曾)(?:建立|成立|组建|建|设立)?(?:过)?(?:了)?工会(?!法)|未建会|没建会|无工会",
    ),
    (
        "has_union",
        True,
        r"(?:已经?|已)(?:建立|成立|组建|建)(?:了)?工会|(?<![没未无])(?:有|建了|成立了|组建了)工会(?![吗么法])|建会了",
    ),
    (
        "agency_has_union",
        False,
        _AGENCY + _ASIDE + r"(?:没有|没|未|尚未|还没有?)(?:建立|成立|组建|设立|建)?(?:过)?(?:了)?工会",
    ),
    ("agency_has_union", True, _AGENCY + r"(?:已经?|已)?(?:有|建立了?|成立了?|建了)工会"),
    (
        "user_has_union",
        False,
        _USER + _ASIDE + r"(?:没有|没|未|尚未|还没有?)(?:建立|成立|组建|设立|建)?(?:过)?(?:了)?工会",
    ),
    ("user_has_union", True, _USER + r"(?:已经?|已)?(?:有|建立了?|成立了?|建了)工会"),
    ("entrusted", True, r"委托|代管|托管"),
    # who looks after (dispatched) members day to day: "平时由哪个工会管、参加谁的活动"
    (
        "ask_manage",
        True,
        r"(?:哪个|哪家|哪边的?|谁)(?:工会)?(?:来)?管(?!理办法)|归(?:哪|谁)管|(?:参加|参与)(?:谁|哪个工会|哪边)的?(?:工会)?活动",
    ),
    ("cross_region", True, _AGENCY + r".{0,8}牵头|跨(?:区域|地区|市|省|区县).{0,12}联合会"),
    (
        "union_revoked",
        True,
        r"(?:撤销|撤掉|撤了|取消|解散|合并|并入|并到|撤并|合署)(?:了)?(?:我们|原来)?(?:的)?工会(?!法|主席)"
        r"|工会(?:组织)?(?:被|给|要被)?(?:撤销|撤掉|撤了|取消|解散|并入|合并|并到|合署|撤并|砍掉)"
        r"|把工会.{0,8}(?:撤|取消|并|合署|解散|砍)|合署办公|摘(?:了|掉)?(?:工会)?(?:的)?牌子|牌子(?:被)?摘",
    ),
    (
        "alone_possible",
        False,
        r"不具备单独建会条件|建不起来|人太少|人少|人数少|人不多|规模小|小公司|没法单独|不能单独|无法单独|单独建不了",
    ),
    ("alone_possible", True, r"(?<!不)具备单独建会条件"),
    ("transport_union", False, r"没有(?:建立)?(?:交通|交通建设|交通\(建设\))(?:产业)?工会"),
    ("transport_union", True, r"(?<![没无])有(?:交通|交通建设|交通\(建设\))(?:产业)?工会"),
    (
        "delayed",
        True,
        r"拖欠|拖延|拖着|欠缴|欠了|欠着|欠费|少交|少缴|没缴|没拨|不给.{0,10}(?:拨|交|缴)|不交|不缴|不拨|不按时|未按时|没按时|迟迟不|延迟|拒不|拒绝(?:拨缴|缴纳|交|缴)|不肯交|一直没交|不愿意?交|不给(?:交|拨|钱)|没交过|赖账",
    ),
    (
        "relative",
        False,
        r"(?:不是|并非|没有|无)(?:老板|董事长|总经理|厂长|老总|负责人|主要负责人)?的?(?:近亲属|亲属|亲戚)",
    ),
    (
        "relative",
        True,
        r"老板娘|(?:老板|董事长|总经理|经理|厂长|老总|法定代表人|法人|主要负责人|负责人|院长|校长|所长|主任|合伙人)"
        rf"(?:的)?(?:{lexicon.default().kin_pattern()})"
        r"|近亲属",
    ),
    ("full_time", False, r"非专职|兼职|不脱产|业余"),
    ("full_time", True, r"专职|脱产"),
    ("contract_shorter", False, r"合同.{0,8}(?:长于任期|比任期长|超过任期|无固定期限|还长)"),
    (
        "contract_shorter",
        True,
        r"合同.{0,10}(?:快到期|要到期|即将到期|到期了|就到期|短于任期|比任期短|没有任期长|不到任期|先到期|早于任期|只剩|还剩)"
        r"|任期(?:还)?(?:没|未|还没)(?:满|结束).{0,8}合同.{0,4}到期",
    ),
    ("dismissed", True, _DISMISS),
    # the asker speaks as a taxi driver ("我们出租车司机想建工会"): whether they work for a firm or on their own matters
    (
        "drivers",
        True,
        r"(?:我们|我|咱们|咱)(?:都|几个|这些|这帮)?(?:是)?(?:开)?(?:出租车?|的士)?(?:司机|的哥|的姐)"
        r"|(?:我们|我|咱们|咱)(?:都)?(?:是)?(?:开|跑)(?:出租|的士)",
    ),
    ("misconduct", True, r"严重过失|严重违纪|严重违反|重大过错"),
    ("retirement", True, r"退休|到龄"),
    ("transfer", True, r"调动|调岗|调走|调离|换岗|调到|调往|调整.{0,2}岗位|调去"),
    ("by_committee", True, r"(?:工会)?委员会.{0,4}(?:提议|提出|要求召开|决定召开)"),
    # the vote is taken by the members' delegates, not all members (not 职工代表大会, a different body)
    ("delegate_body", True, r"(?<!职工)(?<!职)代表大会|全体代表"),
    ("ask_amount", True, r"多少|几倍|怎么算|如何计算|怎么计算|算一下|算算|计算|金额|几个月"),
    # the monthly levy asked of an annual total: "全年工资一共90万，每个月该拨多少"
    (
        "ask_monthly",
        True,
        r"(?:每个?月|一个月|按月|月均)(?:该|要|应该|应当|得|需要)?(?:拨|交|缴|付|拨缴|上缴)?(?:多少|几)",
    ),
    (
        "annual",
        True,
        r"(?:一年|全年|每年|一整年|年度|12个月|十二个月)(?:下来)?(?:总共|一共|合计|共计|累计|总计|加起来)?.{0,4}(?:多少|几)",
    ),
    # "这个月超没超": a yes/no about one case, which needs that case's figure
    ("ask_check", True, r"超没超|超了没|超了吗|超过了吗|超没超过|有没有超|是否超|算不算超|超不超|超标"),
)
_FLAG_RX = tuple((name, value, re.compile(rx)) for name, value, rx in _FLAGS)
_UNION_ACTIVITY = re.compile(
    r"(?:参加|参与|组织|搞|筹建|组建|建立|成立|张罗)(?:了)?工会|工会活动|工会工作|工会的事|履行.{0,6}职责|当(?:了)?工会|工会(?:副?主席|干部|委员|小组长)|维权|建会"
    r"|(?:替|为|帮)职工(?:说话|出头|维权|争取)|维护职工"
)
_DISMISS_RX = re.compile(_DISMISS)
# "我是派遣工，该入哪边？": which union the asker joins — a case, unlike "劳务派遣工应该加入哪个工会" (the category) or
# "首先/先入哪个" (the order of preference), which the general rule answers
_WHICH_UNION = re.compile(r"(?:入|加入|参加|进)(?:哪|哪个|哪家|哪边)|哪(?:个|家|一个|边)(?:的)?工会|哪边|归哪")
_ORDER = re.compile(r"首先|优先|先(?:入|加入|参加|进|选)")
_FIRST_PERSON = re.compile(r"我|咱")
_NO_RELATION = re.compile(
    r"(?:不存在|没有|没|无|不是)(?:直接的?)?劳动关系|没签劳动合同|不是(?:我们|本单位)的?(?:员工|职工|人)"
)
_REFUSE = re.compile(r"拒|不让|不收|不接收|不吸收|不要|不同意|不给|推给|推脱|推诿")

_WOMEN_FEW = re.compile(
    r"女(?:职工|工|员工|同事|性|的|生)?[^,。;?]{0,6}(?:较少|很少|不多|少数|比较少|偏少|没几个|只有几个|少)|(?:少数|个别|几个)(?:是)?女|没(?:有)?(?:几个)?女"
)
_WOMEN_MANY = re.compile(
    r"女(?:职工|工|员工|同事|性|的|生)?[^,。;?]{0,6}(?:较多|很多|居多|多数|占多数|大多数|大部分|为主|比较多|挺多|过半|一半以上|偏多|多"
    r"|[六七八九]成|百分之[六七八九]十)"
    r"|大(?:多数|部分)(?:都)?(?:是)?女"
)
_ROLE_FROM = re.compile(
    r"(?:我们|我|本会|我们工会|我们这里|我们这|这边)(?:是|属于|作为|在)(?:劳务|农民工)?(输出地|户籍地|老家|输入地|务工地|打工地)"
)
_OUT = re.compile(r"输出地|户籍地|老家|劳务输出")
_IN = re.compile(r"输入地|务工地|打工地|务工所在地|打工的地方|干活的地方")
_PERIOD_YEAR = re.compile(r"每年|全年|一年|年度|年工资|去年|今年|一整年|按年|年薪|年收入")
_PERIOD_MONTH = re.compile(r"每月|每个月|一个月|月度|月工资|/月|月均|上个月|上月|本月|这个月|当月|按月|月薪|月入")
# "任期定为4年" / "每届5年" / "3年一届" state a term; "任期还有两年" does not
_TERM_BEFORE = re.compile(r"(?:任期|每届|一届|届期|我们定的|我们定了)(?:定为|定成|定|是|为|设为|设|改为|改成)?$")
_TERM_AFTER = re.compile(r"^(?:一届|一换届|换届|一换)")
_DAYS_CONTEXT = re.compile(r"每月|每个月|一个月|月")
_ALT = re.compile(r"还是|或者|或是|或")
_FIRM = re.compile(r"事务所|律所|贵所|我们所|本所|所里|会计所")


# "不够这个人数" / "人数没这么多" / "比这多" point at the number of the previous turn, not at a new one
_REF_BELOW = re.compile(
    r"(?:不够|不足|不到|没有?|没达到|达不到|少于|低于|凑不够|不满|未满)(?:这个|那个|这么|那么|这|那)(?:人数|数字|数|多人|多|些人)"
    r"|(?:人数|人|会员|职工)(?:还)?(?:没有?|不到|达不到|不够|不足)(?:这么|那么)多|比这(?:个数|个人数)?(?:还)?少"
)
_REF_ABOVE = re.compile(
    r"(?:超过|超出|多于|高于|不止)(?:了)?(?:这个|那个|这么|那么|这|那)(?:人数|数字|数|多人|多|些人)|比这(?:个数|个人数)?(?:还)?多"
)
# "要是全部都入会了呢": every member of staff has joined
_REF_ALL = re.compile(rf"(?:全部|全都|所有人|所有职工|所有员工|大家|全员)(?:都)?(?:已经)?{_JOINED}")


def _elected_year(text: str) -> int | None:
    """The year the sitting committee was elected: a year with an election word in its clause ("上次选举2021年",
    "2018年召开的会员大会选举产生了现任委员会", "换届年份：2023"), else the year the union was founded, since that
    elected the first committee ("2020年成立的基层工会委员会"). Of several, the latest ("上届2016年，这届2021年"), or
    after a correction the one said last ("换届是2021年，复核了一下档案，是2020年"); a year taken back ("是2019而非
    2018") or the date of something else ("2015年入职") is none."""
    years: list[int] = []
    founded: list[int] = []
    for clause in _YEAR_CLAUSE.split(text):
        elected = _ELECTION_WORD.search(clause) is not None
        for m in _YEAR.finditer(clause):
            tail = clause[m.end() : m.end() + 8]
            if _NEGATED_YEAR.search(clause[max(0, m.start() - 3) : m.start()]) or _NOT_ELECTION.match(tail):
                continue
            y = int(m.group(1))
            y = 2000 + y if y < 100 else y
            if elected:
                years.append(y)
            elif _FOUNDED.match(tail) and "工会" in clause:
                founded.append(y)
    years = years or founded
    if not years:
        return None
    return years[-1] if HEADS.corrects(text) else max(years)


_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d|[12]\d)(?=年|[^\d]|$)(?!\d)")
_YEAR_CLAUSE = re.compile(r"[,，。;；!！?？\n]")
_ELECTION_WORD = re.compile(
    r"换届|换的届|换了届|换过|选举|选出|选的|选了|选上|当选|被选为|改选|上届|上一届|本届|这届|现任|选[出举]?产生|届期"
)
_NEGATED_YEAR = re.compile(r"而非|不是|并非")
# the date of something else in the same clause: "2015年入职", "2026年到期"
_NOT_ELECTION = re.compile(r"年?(?:入职|进厂|出生|毕业|退休|到期|届满|开始施行|施行)")
_FOUNDED = re.compile(r"年?(?:底|初)?(?:的时候|时)?(?:就)?(?:成立|组建|建立)")


def _first_entity(text: str) -> tuple[str | None, tuple[str, ...]]:
    hits: list[tuple[int, int, str]] = []
    for rank, (name, rx) in enumerate(_ENTITY_RX):
        m = rx.search(text)
        if m:
            hits.append((rank, m.start(), name))
    if not hits:
        return None, ()
    names = tuple(n for _, _, n in sorted(hits, key=lambda h: h[1]))
    specific = [h for h in hits if h[2] != "企业"]
    chosen = min(specific or hits, key=lambda h: (h[1], h[0]))
    return chosen[2], names


def _restructuring_kind(text: str) -> str | None:
    found: list[tuple[int, str]] = []
    for name, rx in _KIND_RX:
        m = rx.search(text)
        if m:
            found.append((m.start(), name))
    return min(found)[1] if found else None


_YEARS = r"(\d+(?:\.\d+)?|[一二两三四五六七八九十半]+)\s*年"
_TERM_YEARS = re.compile(r"任期(?:是|为|有|共)?" + _YEARS)
_CONTRACT_YEARS = re.compile(
    r"合同(?:期限?)?(?:还有|还剩下?|剩余|剩下|只剩下?|尚余|未履行的?(?:期限)?(?:是|为|有)?)" + _YEARS
)


def _years(token: str) -> float | None:
    if token == "半":
        return 0.5
    try:
        return float(token)
    except ValueError:
        try:
            return float(cn_to_int(token))
        except (ValueError, TypeError, KeyError):
            return None


def _contract_vs_term(text: str) -> bool | None:
    """'任期3年，劳动合同还有4年' → False: the remaining contract is compared with the term (第十九条)."""
    term, left = _TERM_YEARS.search(text), _CONTRACT_YEARS.search(text)
    if not term or not left:
        return None
    a, b = _years(term.group(1)), _years(left.group(1))
    return None if a is None or b is None else b < a


_ALL_MEMBERS = re.compile(
    rf"(?:全部|全都|都|全员|个个)(?:已经)?(?:是|为)?(?:工会)?会员|(?:全部|全都|都|全员)(?:已经)?{_JOINED}"
)
_COUNTED = ("members", "staff", "women_count", "dispatched", "delegates", "proposers", "votes")
_GROUPED = (
    "members", "staff", "women_count", "dispatched", "delegates", "proposers", "votes", "wage_total", "dispatch_wages",
)  # fmt: skip


class RoleReader(Protocol):
    def role(self, m: Mention) -> str: ...

    def meant(self, text: str, chain: Sequence[Placed], marks: dict[str, bool]) -> Verdict | None: ...


_CLAUSE = re.compile(r"[^,，。;；!！?？\n、]+")


def walk(text: str, prepared: bool = False) -> list[Mention]:
    """Every quantity mention of the text in reading order, each with the lexicon's fact (NONE when it states none)."""
    t = text if prepared else prepare(text)
    out: list[Mention] = []
    ci = 0
    at = 0
    for si, sentence in enumerate(_SENTENCE.split(t)):
        for piece in _CLAUSE.finditer(sentence):
            clause = piece.group(0)
            if not clause.strip():
                continue
            for q in quantities(clause, sentence):
                role = _lexicon_role(clause, q, sentence)
                out.append(Mention(clause, q, ci, si, role, sentence, at + piece.start(), t))
            ci += 1
        at += len(sentence) + 1  # the sentence and its one-character separator
    return out


def marks(text: str) -> dict[str, bool]:
    """The lexicon's marker words of a prepared question, as the chain model reads them."""
    return {"corrects": HEADS.corrects(text), "units": HEADS.several_units(text)}


def _lexicon_role(clause: str, q: Qty, sentence: str = "") -> str:
    if q.kind == "count":
        return _count_role(clause, q)[0]
    if q.kind == "money":
        return _money_role(clause, sentence)
    if q.kind == "percent":
        return "rate"
    if q.kind == "days":
        return "days" if _DAYS_CONTEXT.search(clause) or "工作日" in q.text else NONE
    if _TERM_BEFORE.search(clause[: q.start]) or _TERM_AFTER.match(clause[q.end :]):
        return "term_years"
    return NONE


def extract(text: str, roles: RoleReader | None = None) -> Extraction:
    """All facts the text states. Never raises; contradictions are returned in `errors`. `roles` (the learned
    mention-role model of understand/roles.py) may re-read which fact a mention states; without it the lexicon's
    reading stands.

    Several units each given their own figures ("两家所，一家9个一家11个", "东区店会员15人，西区店会员18人") are
    `groups`, one dict per unit, instead of a contradiction: see `_groups`."""
    return _extract_one(text, roles)


def _carried(mentions: list[tuple[str, Any, int]]) -> list[tuple[str, Any]]:
    """The mentions with each bare count given the fact of the counted mention before it in the same sentence
    ("会员分别是七个、九个"; not "……？能不能合起来建一个", a new sentence)."""
    out: list[tuple[str, Any]] = []
    last: tuple[str, int] | None = None
    for name, value, sentence in mentions:
        if name == "count" and last is not None and last[1] == sentence:
            name = last[0]
        if name in _GROUPED:
            last = (name, sentence)
        out.append((name, value))
    return out


def _groups(mentions: list[tuple[str, Any, int]]) -> tuple[dict[str, Any], ...]:
    """Per-unit facts from the count and amount mentions in reading order: a fact met again starts the next unit."""
    groups: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    for name, value in _carried(mentions):
        if name not in _GROUPED:
            continue
        if name in current:
            groups.append(current)
            current = {}
        current[name] = value
    if current:
        groups.append(current)
    return tuple(groups) if len(groups) >= 2 else ()


def _period(clause: str, text: str) -> str | None:
    """The period a payroll figure is stated for: its clause's word, else the text's when only one is named."""
    for t in (clause, text):
        year, month = _PERIOD_YEAR.search(t), _PERIOD_MONTH.search(t)
        if year and not month:
            return "年"
        if month and not year:
            return "月"
    return None


def _extract_one(text: str, roles: RoleReader | None) -> Extraction:
    t = prepare(text)
    facts: dict[str, Any] = {}
    spans: dict[str, str] = {}
    errors: list[str] = []
    seen: dict[str, list[tuple[Any, int]]] = {}
    mentions: list[tuple[str, Any, int]] = []  # (fact, value, sentence) in reading order
    changes: list[tuple[str, int, Count]] = []
    periods: dict[int, str] = {}  # id of a payroll value → the period its clause states

    clauses = [c for sentence in _SENTENCE.split(t) for c in _SPLIT.split(sentence) if c.strip()]
    end = len(clauses)  # the index of "after every clause": a corrected or changed figure is the last said
    found = walk(t, prepared=True)
    read = {id(m): (roles.role(m) if roles is not None else m.role) for m in found}
    for said in found:
        clause, q, ci = said.clause, said.qty, said.index
        name = read[id(said)]
        if not name:
            continue
        sign = HEADS.change(clause[: q.start], clause[q.end :]) if q.kind == "count" else 0
        if sign and isinstance(q.value, Count):
            earlier = [n for n, _, _ in mentions if n in _COUNTED]
            target = name if name in _COUNTED else (earlier[-1] if earlier else name)
            if target in seen:  # a change of a figure stated before in this text
                changes.append((target, sign, q.value))
                continue
            if target in ("members", "count"):  # a change of the figure of an earlier turn
                name = "members_left" if sign < 0 else "members_added"
        seen.setdefault(name, []).append((q.value, ci))
        mentions.append((name, q.value, said.sentence_index))
        if name == "wage_total" and (period := _period(clause, "")):
            periods[id(q.value)] = period
        spans.setdefault(name, q.text)
        if name in ("wage_total", "dispatch_wages", "amount") and "wage_period" not in facts:
            if _PERIOD_YEAR.search(clause):
                facts["wage_period"] = "年"
            elif _PERIOD_MONTH.search(clause):
                facts["wage_period"] = "月"

    for target, sign, delta in changes:  # "会员原先有100人，调走了15人，又新入会8人" = 93
        base = seen[target][-1][0]
        if isinstance(base, Count):
            seen[target] = [(base.plus(delta) if sign > 0 else base.minus(delta), end)]
    # a fact given several values ("从19人增加到26人", "不是52万，是55万", "一店15人，二店12人"): the chain model
    # says which is meant, or that each unit has its own; where it is unsure the marker words below decide
    units = False
    if roles is not None:
        changed = {target for target, _, _ in changes}
        for name, chain in by_fact(found, lambda m: read[id(m)]).items():
            if name in changed or name not in seen:
                continue
            verdict = roles.meant(t, chain, marks(t))
            if verdict is None:
                continue
            if verdict.units:
                units = units or name in _GROUPED
            else:
                seen[name] = [(verdict.value, end)]
            values = [p.value for p in chain]
            for bare in ("count", "amount"):  # a bare figure of the chain is this fact's, not the conversation's
                if bare in seen:
                    seen[bare] = [(v, i) for v, i in seen[bare] if v not in values]
                    if not seen[bare]:
                        del seen[bare]
    groups: tuple[dict[str, Any], ...] = ()
    if HEADS.corrects(t) and not units:
        # "会员28个，不对，是32个": a bare figure after the correction is the fact just named
        for (stated, _, _), (name, value) in zip(mentions, _carried(mentions), strict=True):
            if stated == "count" and name != "count" and name in seen:
                seen[name].append((value, end))
                seen.pop("count", None)
    elif units or HEADS.several_units(t):
        groups = _groups(mentions)
        for n in {k for g in groups for k in g} | ({"count"} if groups else set()):
            seen.pop(n, None)
        if any("wage_total" in g for g in groups):  # each unit's payroll with its own period
            text_period = facts.get("wage_period")
            groups = tuple(
                {**g, "wage_period": p}
                if "wage_total" in g and (p := periods.get(id(g["wage_total"])) or text_period)
                else g
                for g in groups
            )
            facts.pop("wage_period", None)
    for name, values in seen.items():
        distinct: list[Any] = []
        for v, _ in values:
            if v not in distinct:
                distinct.append(v)
        if len(distinct) == 1:
            facts[name] = distinct[0]
            continue
        if HEADS.corrects(t):
            facts[name] = values[-1][0]  # "28个，不对，是32个": the figure said last is the one meant
            continue
        alternatives = _ALT.search(t) is not None
        if name in ("members", "staff", "women_count", "dispatched", "delegates") and not alternatives:
            shown = "、".join(_show(v) for v in distinct)
            label = {
                "members": "会员人数",
                "staff": "职工人数",
                "women_count": "女职工人数",
                "dispatched": "劳务派遣工人数",
                "delegates": "代表人数",
            }[name]
            errors.append(f"您提到了不同的{label}（{shown}），请确认是哪一个。")
        elif name in ("term_years",) and alternatives:
            continue  # "三年还是五年" lists options, it states no fact
        else:
            facts[name] = distinct[0]

    entity, entities = _first_entity(t)
    if entity:
        facts["entity"] = entity
        hit = dict(_ENTITY_RX)[entity].search(t)
        if hit:
            spans["entity"] = hit.group(0)
    firm = _FIRM.search(t)
    if firm:
        facts["firm"] = True
        spans["firm"] = firm.group(0)

    kind = _restructuring_kind(t)
    if kind:
        facts["restructuring_kind"] = kind
    aspect = next(((name, m) for name, rx in _ASPECT_RX if (m := rx.search(t))), None)
    if aspect:
        facts["restructuring_aspect"] = aspect[0]
        spans["restructuring_aspect"] = aspect[1].group(0)
    elif not kind and (general := _RESTRUCTURING.search(t)) and not _UNION_FATE.search(t):
        facts["restructuring_aspect"] = "要求"
        spans["restructuring_aspect"] = general.group(0)

    shorter = _contract_vs_term(t)
    if shorter is not None:
        facts["contract_shorter"] = shorter
    for name, value, rx in _FLAG_RX:
        if name in facts:
            continue
        m = rx.search(t)
        if m:
            facts[name] = value
            spans[name] = m.group(0)
    if _NO_RELATION.search(t) and _REFUSE.search(t):
        facts["refused"] = True
    if _DISMISS_RX.search(t) and _UNION_ACTIVITY.search(t):
        facts["union_activity"] = True
    which = _WHICH_UNION.search(t)
    if which and _FIRST_PERSON.search(t) and not _ORDER.search(t):
        facts["ask_join"] = True
        spans["ask_join"] = which.group(0)

    few = [i for i, c in enumerate(clauses) if _WOMEN_FEW.search(c)]
    many = [i for i, c in enumerate(clauses) if _WOMEN_MANY.search(c) and i not in few]
    if few and many:
        errors.append("您既说女职工较多又说较少，请确认女职工人数是较多还是较少。")
    elif few:
        facts["women"] = "较少"
    elif many:
        facts["women"] = "较多"

    if re.search(r"地方总工会|[省市县区]总工会|各级总工会", t) and not re.search(r"基层", t):
        facts["union_level"] = "地方总工会"
    elif re.search(r"产业工会", t) and not re.search(r"基层", t):
        facts["union_level"] = "产业工会"

    for men, total in (("men_members", "members"), ("men_staff", "staff")):
        women, them = facts.get("women_count"), facts.pop(men, None)
        if isinstance(them, Count) and isinstance(women, Count) and total not in facts:
            facts[total] = women.plus(them)  # "女会员18个，男会员22个": 40 in all
    if isinstance(facts.get("staff"), Count) and "members" not in facts and _ALL_MEMBERS.search(t):
        facts["members"] = facts["staff"]  # "职工96人，全部是会员"
    added, left, members = facts.get("members_added"), facts.get("members_left"), facts.get("members")
    if isinstance(members, Count):
        # "原来20个会员，又有5个人入会了" states the new total in one breath
        if isinstance(added, Count):
            facts["members"] = members.plus(added)
            del facts["members_added"]
        if isinstance(left, Count):
            facts["members"] = facts["members"].minus(left)
            del facts["members_left"]
    ref = _REF_BELOW.search(t) or _REF_ABOVE.search(t) or _REF_ALL.search(t)
    if ref:
        spans["count_ref"] = ref.group(0)
    if _REF_ALL.search(t):
        facts["count_ref"] = "all"
    elif _REF_BELOW.search(t):
        facts["count_ref"] = "below"
    elif _REF_ABOVE.search(t):
        facts["count_ref"] = "above"
    year = _elected_year(t)
    if year is not None:
        facts["elected_year"] = year

    m = _ROLE_FROM.search(t)
    if m:
        facts["migrant_role"] = "输出地" if _OUT.match(m.group(1)) else "输入地"
    elif _OUT.search(t) and not _IN.search(t):
        facts["migrant_role"] = "输出地"
    elif _IN.search(t) and not _OUT.search(t):
        facts["migrant_role"] = "输入地"

    return Extraction(facts, tuple(errors), spans, entities, groups)


def _show(v: Any) -> str:
    if isinstance(v, Count):
        return v.shown()
    return str(v)
