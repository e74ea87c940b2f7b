"""Follow-up turns: detect a turn that refers back and rewrite it into a standalone question from the history.

A turn is a follow-up when there is an earlier user turn and the new one either opens with a linking
word (那/那么/如果/要是/这笔…) or refers back to what was done (签完以后…, 建好之后…), ends with a bare 呢, or is
too short to carry a topic of its own. The
rewrite swaps the amount, count or entity the follow-up changes into the earlier question when it can
("如果是60万呢" → the earlier question with 60万), or the one person or unit it swaps for one of the same kind
("网约车司机工会管吗？" + "那网约送餐员呢" → "网约送餐员工会管吗？"), puts a bare "why" on the earlier yes/no
question ("…跨区域工会联合会行吗？" + "为什么不行？" → "…跨区域工会联合会为什么不行？"), and otherwise joins the two
("出租车公司人少怎么建会？" + "那个体司机呢" → "出租车公司人少怎么建会？追问：个体司机呢").

A follow-up that asks something new but leaves out what it is about takes the topic of the earlier question
instead of being joined to it, since the earlier question would otherwise decide what is retrieved:
- a bare noun for the noun the earlier question asks for ("工会会员有哪些权利？" + "那义务呢" → "工会会员有哪些义务？");
- a question that refers back to what was done ("集体合同由谁跟企业签？" + "签完以后多久生效？" → "集体合同签完以后多久
  生效？") or is about "someone" of them ("工会会员可以退会吗？" + "那要是有人一直不交会费呢" → "工会会员要是一直不交
  会费呢？") gets the earlier question's subject;
- a question of its own after a question that first states a situation keeps the situation ("企业违章指挥、强令工人冒险
  作业，工会能做什么？" + "那工人自己能不干吗？" → "企业违章指挥、强令工人冒险作业，工人自己能不干吗？");
- a question that points back ("那它的上级是谁？", "这种情况找谁") is put to the earlier question's subject ("出租车
  司机怎么建工会？" → "出租车司机，上级是谁？").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.text.normalize import display, normalize

_LEAD = re.compile(
    r"^(那么?|那如果|那要是|如果|要是|假如|假设|换成|改成|还有|另外|再问|那假如|那个|这笔|这个|这些|这种|这样|他们|它们?|其)"
)
_REFER = re.compile(r"(这笔|这个人数|这个数|上面|刚才|前面|上述|同样|也是|那种情况|这种情况|这钱|这些钱|那笔)")
_TAIL = re.compile(r"(呢|的呢|怎么办|吗)[？?。！!]*$")
_STRIP_LEAD = re.compile(
    r"^(那么?|那如果|那要是|那假如|如果|要是|假如|假设|还有|另外|再问一下|再问)(是|换成|改成)?[,，]?\s*"
)
# Who a question is about, by the last word of the noun phrase: people (司机, 送餐员, 委员) or units (公司, 律所).
# The lookaheads keep the word from being the start of a longer one (委员会, 会员代表, 员工, 工会).
_KINDS = {
    "person": re.compile(
        r"(?:司机|骑手|小哥|师傅|人员|职工(?!会)|员工|工人|会员(?!代表|大会)|代表(?!大会)|副主席|主席|委员(?!会)|员(?![工会])"
        r"|(?<!职)工(?![会资作人厂龄伤])|者)"
    ),
    "unit": re.compile(r"(?:公司|单位|企业|事务所|律所|工厂|机关|学校|医院)"),
}
# characters a noun phrase in the earlier question does not reach back over
_PHRASE_STOP = set("的是和与及在我你他她它这那个有没能要把被对向给从了吗呢们也都就还想")
# what makes the follow-up more than a bare noun phrase ("那兼职的委员呢" is bare; "那律所要交多少呢" is not)
_PREDICATE = re.compile(r"能|要|可以|怎么|如何|是不是|是否|有没有|多少|几|建|入会|加入|参加|交|缴|管|算|吗")
_WHY = re.compile(
    r"^(?:那)?(?:为什么|为啥|为何|凭什么|什么原因|原因是什么|依据是什么|有什么依据|根据是什么)"
    r"(?:不行|不可以|不能|不合规|不合法|不对|可以|能|行|要这样)?(?:呢)?[？?。]*$"
)
_YES_NO_TAIL = re.compile(
    r"(?:行不行|可不可以|能不能|合不合法|合不合规|对不对|是不是|行吗|可以吗|能吗|合规吗|合法吗|对吗|是吗)[？?。!！]*$"
)
_ASKS = re.compile(r"[？?]|吗|呢|怎么|什么|多少|哪|是否|能否|可否|要不要|能不能|可不可以|有没有|谁|如何|为什么|为啥|咋")
# what was done before, referred back to without its object: "签完以后…", "建好之后…", "以后…"
_AFTER = re.compile(r"^(?:那)?(?:[\u4e00-\u9fff]{1,2}(?:完|好)了?(?:以后|之后|后)|(?:以后|之后|此后|然后|完了以后))")
# "someone" among those the earlier question is about: "要是有人一直不交会费"
_SOMEONE = re.compile(r"^(要是|如果|假如|万一)?(?:有人|有的人|有些人|有的会员|个别人|某人)")
# where the subject of a question ends: its predicate ("工会会员|可以退会吗", "集体合同|由谁跟企业签")
_PREDICATE_START = re.compile(
    r"由|可以|可不可以|能不能|能否|能|要不要|需要|要|应当|应该|该|必须|有没有|有哪|有什么|有(?!限)|是不是|是|怎么|怎样|如何"
    r"|为什么|为何|跟|和|与|向|在|哪|谁|什么|多少|几|不|没"
)
_PRONOUN = re.compile(r"^(?:我|咱|你|您|他|她|它|这|那|其|贵)")
# the noun an earlier question asks for, as what its subject has or contains: "有哪些权利？", "包括什么内容？" — not
# "由哪些人员组成" (a verb of its own follows), "履行哪些义务" (履行 fits 义务 only) or "是什么组织" (after "X是什么",
# "那Y呢" asks what Y is)
_ASKED_NOUN = re.compile(r"(?:有|包括|包含)(?:哪些|哪几项|哪几种|哪几类|哪种|哪类|什么)([\u4e00-\u9fff]{2,4})[？?。]*$")
# a question of its own, beyond a bare "呢" ("工人自己能不干吗", not "要是确实工作需要呢")
_OWN_QUESTION = re.compile(
    r"吗|么|怎么|什么|多少|哪|是否|能否|可否|要不要|能不能|可不可以|有没有|谁|如何|咋|多久|多长|几|是不是"
)
_CLAUSE = re.compile(r"[，,；;]")
_QUANTITY = re.compile(r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]+)\s*(万元|亿元|万|元|人|名|个|位)")


@dataclass(frozen=True)
class Rewrite:
    question: str  # what the pipeline answers
    rewritten: str | None  # the standalone question shown to the user (None: the turn stood alone)
    base: str | None  # the earlier user question it builds on


def user_turns(history: Sequence[dict[str, str]]) -> list[str]:
    return [t["content"] for t in history if t.get("role") == "user" and t.get("content", "").strip()]


def is_followup(question: str, topic_words: int) -> bool:
    """`topic_words`: how many domain terms the question carries itself."""
    q = normalize(question)
    if _LEAD.match(q) or _REFER.search(q) or _AFTER.match(q):
        return True
    if _TAIL.search(q) and len(q) <= 14 and topic_words <= 1:
        return True
    return len(q) <= 8 and topic_words == 0


def _core(question: str) -> str:
    return _STRIP_LEAD.sub("", display(question)).strip()


def _swap_quantity(base: str, follow: str) -> str | None:
    """Put the follow-up's single quantity into the base question in place of the one with the same unit."""
    new = list(_QUANTITY.finditer(follow))
    if len(new) != 1:
        return None
    unit = new[0].group(2)
    same = [m for m in _QUANTITY.finditer(base) if _unit_kind(m.group(2)) == _unit_kind(unit)]
    if len(same) != 1:
        return None
    m = same[0]
    return base[: m.start()] + new[0].group(0) + base[m.end() :]


def _unit_kind(unit: str) -> str:
    return "money" if unit in ("万元", "亿元", "万", "元") else "count"


def _phrases(text: str, kind: re.Pattern[str]) -> list[tuple[int, int]]:
    """Spans of the noun phrases in `text` that end in a word of `kind`, reaching back at most 8 characters."""
    spans = []
    for m in kind.finditer(text):
        start = m.start()
        while start > 0 and m.end() - start < 8 and "\u4e00" <= text[start - 1] <= "\u9fff":
            if text[start - 1] in _PHRASE_STOP:
                break
            start -= 1
        spans.append((start, m.end()))
    return spans


def _swap_phrase(base: str, follow: str) -> str | None:
    """'那网约送餐员呢' after '网约车司机工会管吗？': the base with its one person (or unit) swapped for the new one."""
    core = re.sub(r"(?:的情况)?(?:呢|吗)?[？?。!！]*$", "", _core(follow))
    if not 2 <= len(core) <= 10 or not re.fullmatch(r"[\u4e00-\u9fff]+", core) or _PREDICATE.search(core):
        return None
    for kind in _KINDS.values():
        last = list(kind.finditer(core))
        if not last or last[-1].end() != len(core):
            continue
        spans = [(a, b) for a, b in _phrases(base, kind) if base[a:b] != core]
        if len(spans) != 1:
            return None
        a, b = spans[0]
        return base[:a] + core + base[b:]
    return None


def _graft_why(base: str, follow: str) -> str | None:
    """'为什么不行？' after '…行吗？': the earlier yes/no question asked as a why-question."""
    why = _core(follow)
    if not _WHY.match(why):
        return None
    stem = _YES_NO_TAIL.sub("", base)
    if stem == base or not stem:
        return None
    return stem.rstrip("，,") + re.sub(r"^那", "", why).rstrip("。") + ("" if why.endswith(("？", "?")) else "？")


def _bare_noun(follow: str) -> str | None:
    """'那义务呢？' → '义务': a follow-up that is only a noun (no predicate, no 的-phrase), else None."""
    core = re.sub(r"(?:的情况)?(?:呢|吗)?[？?。!！]*$", "", _core(follow))
    if not 2 <= len(core) <= 6 or not re.fullmatch(r"[\u4e00-\u9fff]+", core) or "的" in core:
        return None
    return None if _PREDICATE.search(core) or _OWN_QUESTION.search(core) else core


def _swap_asked(base: str, follow: str) -> str | None:
    """'那义务呢' after '工会会员有哪些权利？': the noun the earlier question asks for, swapped for the new one."""
    noun = _bare_noun(follow)
    m = _ASKED_NOUN.search(base)
    if noun is None or m is None or m.group(1) == noun or "追问" in base:
        return None
    return base[: m.start(1)] + noun + base[m.end(1) :]


def _subject(base: str) -> str | None:
    """The subject of a one-clause question, up to its predicate: '集体合同由谁跟企业签？' → '集体合同'."""
    if "追问" in base or _CLAUSE.search(base.rstrip("？?。")):
        return None
    m = _PREDICATE_START.search(base, 2)
    if m is None:
        return None
    subject = base[: m.start()]
    if not 2 <= len(subject) <= 12 or not re.fullmatch(r"[\u4e00-\u9fff]+", subject) or _PRONOUN.match(subject):
        return None
    return subject


def _take_subject(base: str, follow: str) -> str | None:
    """A follow-up about what was done ('签完以后多久生效？') or about 'someone' ('那要是有人一直不交会费呢'), put
    to the earlier question's subject: '集体合同签完以后多久生效？', '工会会员要是一直不交会费呢？'."""
    subject = _subject(base)
    if subject is None:
        return None
    rest = re.sub(r"^那么?[,，]?", "", follow).strip()
    if _AFTER.match(rest):
        return subject + rest
    m = _SOMEONE.match(rest)
    if m:
        return subject + (m.group(1) or "") + rest[m.end() :].lstrip("，,")
    return None


def _keep_situation(base: str, follow: str) -> str | None:
    """'那工人自己能不干吗？' after '企业违章指挥、强令工人冒险作业，工会能做什么？': the situation the earlier question
    states first, with the new question in place of the earlier one."""
    if "追问" in base:
        return None
    parts = _CLAUSE.split(base.rstrip("？?。"))
    if len(parts) < 2 or not asks(parts[-1]) or any(asks(p) for p in parts[:-1]):
        return None
    core = _core(follow)
    if _WHY.match(core) or _bare_noun(follow) is not None or not _OWN_QUESTION.search(normalize(core)):
        return None
    situation = base[: len(base.rstrip("？?。")) - len(parts[-1])].rstrip("，,；; ")
    return f"{situation}，{core}"


# what a follow-up points back with before its own question: "它的上级是谁", "这种情况找谁", "他们的经费呢"
# (pronouns only: "这些库…", "这种合同…" name a thing of their own)
_BACK = re.compile(r"^(?:它们?|他们|她们|其|这种情况|那种情况|这样的话|那样的话)(?:的)?")


def _topic_question(base: str, follow: str) -> str | None:
    """'那它的上级是谁？' or '这种情况找谁' after '出租车司机怎么建工会？': the new question put to the earlier
    question's subject ('出租车司机，上级是谁？'), so that what is retrieved is the new question about the same topic,
    not the earlier question again."""
    subject = _subject(base)
    core = _core(follow)
    if subject is None or _WHY.match(core):
        return None
    back = _BACK.match(core)
    if back is None:
        return None  # pointing back to nothing, it stays a 追问 of the earlier question
    rest = core[back.end() :]
    if not rest or subject in rest or not _OWN_QUESTION.search(normalize(rest)):
        return None
    return f"{subject}，{rest}"


def rewrite(question: str, history: Sequence[dict[str, str]], topic_words: int) -> Rewrite:
    """Resolve a follow-up against the most recent standalone form of the conversation."""
    prior = user_turns(history)
    if not prior or not is_followup(question, topic_words):
        return Rewrite(question, None, None)
    # The base is the last earlier turn, itself resolved against what came before it; a statement that stands
    # alone ("现在会员有20人。") adds to the context instead of replacing it.
    base = prior[0]
    for turn in prior[1:]:
        topic = 2 if len(normalize(turn)) > 14 else 0
        if not asks(turn) and not is_followup(turn, topic):
            base = _join(base, turn)
        else:
            base = rewrite(turn, [{"role": "user", "content": base}], topic).question
    base_n = display(base)
    if not asks(base_n):  # only statements so far ("我们是民企。现在会员有20人。"): the question comes last
        joined = _join(base_n, _core(question))
        return Rewrite(joined, joined, base)
    swapped = _swap_quantity(base_n, display(question))
    if swapped is not None and len(_core(question)) <= 12:
        return Rewrite(swapped, swapped, base)
    follow = display(question)
    for alt in (
        _swap_phrase(base_n, follow),
        _graft_why(base_n, follow),
        _swap_asked(base_n, follow),
        _keep_situation(base_n, follow),
        _take_subject(base_n, follow),
        _topic_question(base_n, follow),
    ):
        if alt is not None:
            return Rewrite(alt, alt, base)
    joined = _join(base_n, _core(question))
    return Rewrite(joined, joined, base)


def asks(text: str) -> bool:
    """Whether a turn asks something ("…怎么建？", "要交吗") rather than only stating facts ("派遣公司有工会。")."""
    return _ASKS.search(normalize(text)) is not None


def _join(base: str, turn: str) -> str:
    """The turn after the base: as a 追问 to a question, as one more sentence after statements."""
    base, turn = display(base), display(turn)
    if asks(base):
        return f"{base.rstrip('？?。')}？追问：{turn}"
    return f"{base.rstrip('。.')}。{turn}"
