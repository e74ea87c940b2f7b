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
