"""Head-noun lexicon: which fact a counted noun names, by longest match after a number, by fact order before it."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

THING = ""  # the fact name of a noun that is counted but is not people
HEADS = Path(__file__).resolve().parents[2] / "corpus" / "dict" / "heads.toml"
GAP = 6  # characters a noun before the number may stand away from it ("会员人数一共是30")


@dataclass(frozen=True)
class HeadLexicon:
    after_nouns: tuple[tuple[str, str], ...]  # (noun, fact), longest noun first
    before_nouns: tuple[tuple[str, tuple[str, ...]], ...]  # (fact, nouns), in priority order
    corrections: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    fewer: tuple[str, ...] = ()
    more: tuple[str, ...] = ()
    kin: tuple[str, ...] = ()
    money: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (fact, words), in the order tried

    @classmethod
    def load(cls, path: Path) -> HeadLexicon:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        people: dict[str, list[str]] = {k: [str(n) for n in v] for k, v in data.get("people", {}).items()}
        first: dict[str, str] = {}
        for fact, nouns in people.items():
            for n in nouns:
                first.setdefault(n, fact)
        for n in data.get("things", {}).get("words", []):
            first.setdefault(str(n), THING)
        after = tuple(sorted(first.items(), key=lambda p: -len(p[0])))
        extra = {k: [str(n) for n in v] for k, v in data.get("before", {}).items()}
        # single characters (人, 员) name people only right after a number: before it they are any word's part
        before = tuple(
            (fact, tuple([n for n in nouns if len(n) > 1] + extra.get(fact, []))) for fact, nouns in people.items()
        ) + tuple((fact, tuple(nouns)) for fact, nouns in extra.items() if fact not in people)
        markers = data.get("markers", {})
        corrections = tuple(str(w) for w in markers.get("correction", []))
        units = tuple(str(w) for w in markers.get("units", []))
        fewer = tuple(str(w) for w in markers.get("fewer", []))
        more = tuple(str(w) for w in markers.get("more", []))
        kin = tuple(sorted((str(w) for w in data.get("kin", {}).get("words", [])), key=len, reverse=True))
        money = tuple((str(k), tuple(str(w) for w in v)) for k, v in data.get("money", {}).items())
        return cls(after, before, corrections, units, fewer, more, kin, money)

    def amount(self, clause: str) -> str | None:
        """The fact a sum of money in this clause is, by the first listed word it holds; None when none."""
        for fact, words in self.money:
            if any(w in clause for w in words):
                return fact
        return None

    def kin_pattern(self) -> str:
        """A regex alternation of the kin words, each optionally prefixed by 亲 (longest first)."""
        return "亲?(?:" + "|".join(re.escape(w) for w in self.kin) + ")" if self.kin else "(?!)"

    def change(self, before: str, after: str = "") -> int:
        """-1 / +1 when a figure follows a word of change within GAP characters (nothing numeric between), or is
        followed by one right after its counted noun ("2人撤回了签名", "三个后来退出了"); else 0."""
        head = re.sub(r"^(?:个|名|位)?人?(?:又|也|都|已经|后来|先后|陆续)*", "", after[:8])
        for sign, words in ((-1, self.fewer), (1, self.more)):
            for w in words:
                if len(w) > 1 and head.startswith(w) and not _TO.match(head[len(w) :]):
                    return sign
        tail = before[-(GAP + 3) :]
        for sign, words in ((-1, self.fewer), (1, self.more)):
            for w in words:
                at = tail.rfind(w)
                rest = tail[at + len(w) :]
                if at >= 0 and not _TO.match(rest) and not any(c.isdigit() or c == "#" for c in rest):
                    return sign
        return 0

    def ending(self, text: str) -> str | None:
        """The fact of the people noun `text` ends with ("…女工" → women_count), the longest noun; else None."""
        best: tuple[int, str] | None = None
        for fact, nouns in self.before_nouns:
            for noun in nouns:
                if text.endswith(noun) and (best is None or len(noun) > best[0]):
                    best = (len(noun), fact)
        return best[1] if best else None

    def several_units(self, text: str) -> bool:
        """Whether the text speaks of more than one unit."""
        return any(w in text for w in self.units)

    def corrects(self, text: str) -> bool:
        """Whether the text takes back an earlier figure."""
        return any(w in text for w in self.corrections)

    def after(self, text: str) -> tuple[str, str] | None:
        """The (noun, fact) the text starts with, the longest one; None when it starts with no listed noun."""
        for noun, fact in self.after_nouns:
            if text.startswith(noun):
                return noun, fact
        return None

    def before(self, text: str) -> tuple[str, str] | None:
        """The first fact (in priority order) one of whose nouns ends within GAP characters of the end of `text`."""
        for fact, nouns in self.before_nouns:
            for noun in nouns:
                at = text.rfind(noun, max(0, len(text) - GAP - len(noun)))
                if at >= 0 and not any(c.isdigit() for c in text[at + len(noun) :]):
                    return noun, fact
        return None


# "增加到26人", "减少至18个", "变为": the figure after states the new value, not the change (figure chains decide)
_TO = re.compile(r"^(?:了)?(?:到|至|为|成)")


@cache
def default() -> HeadLexicon:
    return HeadLexicon.load(HEADS)
