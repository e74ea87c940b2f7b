"""Follow-up turns: detect a turn that refers back and rewrite it into a standalone question from the history.

A turn is a follow-up when there is an earlier user turn and the new one either opens with a linking
word (那/那么/如果/要是/这笔…), ends with a bare 呢, or is too short to carry a topic of its own. The
rewrite swaps the amount, count or entity the follow-up changes into the earlier question when it can
("如果是60万呢" → the earlier question with 60万), and otherwise joins the two
("出租车公司人少怎么建会？" + "那个体司机呢" → "出租车公司人少怎么建会？追问：个体司机呢").
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
    if _LEAD.match(q) or _REFER.search(q):
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


def rewrite(question: str, history: Sequence[dict[str, str]], topic_words: int) -> Rewrite:
    """Resolve a follow-up against the most recent standalone form of the conversation."""
    prior = user_turns(history)
    if not prior or not is_followup(question, topic_words):
        return Rewrite(question, None, None)
    # The base is the last earlier turn, itself resolved against what came before it.
    base = prior[0]
    for turn in prior[1:]:
        base = rewrite(turn, [{"role": "user", "content": base}], 2 if len(normalize(turn)) > 14 else 0).question
    base_n = display(base)
    swapped = _swap_quantity(base_n, display(question))
    if swapped is not None and len(_core(question)) <= 12:
        return Rewrite(swapped, swapped, base)
    joined = f"{base_n.rstrip('？?。')}？追问：{_core(question)}"
    return Rewrite(joined, joined, base)
