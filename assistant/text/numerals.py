"""Chinese numerals ↔ digits (cn2an), article numbers (第四十三条 ↔ 43) and percent forms."""

from __future__ import annotations

import re

import cn2an

_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_ARTICLE = re.compile(rf"第\s*([{_CN_DIGITS}]+|\d+)\s*条")
_CN_NUM = re.compile(rf"[{_CN_DIGITS}]+")


def cn_to_int(token: str) -> int:
    """'四十三' → 43, '43' → 43; raises ValueError on anything else."""
    token = token.strip()
    if token.isdigit():
        return int(token)
    value = cn2an.cn2an(token, "smart")
    return int(value)


def int_to_cn(n: int) -> str:
    """43 → '四十三' (the form the statutes use: 十一, not 一十一)."""
    return str(cn2an.an2cn(n, "low"))


def article_number(text: str) -> int | None:
    """The article number in '第四十三条' / '第43条', or None."""
    m = _ARTICLE.search(text)
    if not m:
        return None
    try:
        return cn_to_int(m.group(1))
    except ValueError:
        return None


def digits_to_cn_articles(text: str) -> str:
    """'第43条' → '第四十三条' so a query matches statute wording."""

    def repl(m: re.Match[str]) -> str:
        raw = m.group(1)
        return f"第{int_to_cn(int(raw))}条" if raw.isdigit() else m.group(0)

    return _ARTICLE.sub(repl, text)


_PERCENT_CN = re.compile(r"百分之([零〇一二两三四五六七八九十]+)")


def percent_to_digits(text: str) -> str:
    """'百分之二' → '2%'."""
    return _PERCENT_CN.sub(lambda m: f"{cn_to_int(m.group(1))}%", text)


_PLACES = {"万": 10000, "千": 1000, "百": 100}
_ONE = "零〇一二两三四五六七八九"
# a numeral ending in 万/千/百 and one more digit, the next place left unsaid: "二十三万五" = 235,000, "4万8" = 48,000,
# "一千二" = 1,200, "一百八" = 180 (not "四千五百", "三万五千", which say their places)
_ABBREVIATED = re.compile(
    rf"(?<![\d{_CN_DIGITS}.])((?:\d+(?:\.\d+)?|[{_CN_DIGITS}]+?)[万千百])([\d{_ONE}])(?![\d{_CN_DIGITS}.个月年天号])"
)


def expand_abbreviated(text: str) -> str:
    """Write out the spoken short forms of round numbers as digits ("两万五" → "25000")."""

    def repl(m: re.Match[str]) -> str:
        head, tail = m.group(1), m.group(2)
        try:
            base = float(head[:-1]) * _PLACES[head[-1]] if head[:-1].replace(".", "").isdigit() else cn_to_int(head)
            digit = int(tail) if tail.isdigit() else cn_to_int(tail)
        except (ValueError, TypeError, KeyError):
            return m.group(0)
        value = base + digit * _PLACES[head[-1]] // 10
        return magnitude(int(value)) if value == int(value) else m.group(0)

    return _ABBREVIATED.sub(repl, text)


def magnitude(n: int) -> str:
    """Digits that keep the spoken magnitude, which tells an amount from a head count: 356000 → "35.6万", 1200 →
    "1.2千", 180 → "180"."""
    for word, place in (("万", 10000), ("千", 1000)):
        if n >= place:
            return f"{n / place:.4f}".rstrip("0").rstrip(".") + word
    return str(n)


_CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})年")
_YEAR_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}


def cn_years(text: str) -> str:
    """'二〇二〇年' → '2020年' (years are read digit by digit)."""
    return _CN_YEAR.sub(lambda m: "".join(_YEAR_DIGIT[c] for c in m.group(1)) + "年", text)
