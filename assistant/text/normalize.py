"""One normalisation for clauses and queries: NFKC width folding, traditional→simplified, CJK space removal."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Spaces touching a CJK character are OCR noise in these sources ("入 会", "乡镇 (街道)").
_CJK_LEFT = re.compile(rf"(?<=[{_CJK}])[ \t\u3000]+")
_CJK_RIGHT = re.compile(rf"[ \t\u3000]+(?=[{_CJK}])")
# Lone surrogates too ("\ud800" arrives via JSON escapes): opencc cannot encode them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")
_SPACES = re.compile(r"[ \t\u3000]+")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def strip_cjk_spaces(text: str) -> str:
    """Remove spaces that touch a CJK character; keep spaces between Latin words."""
    text = _CJK_LEFT.sub("", text)
    return _CJK_RIGHT.sub("", text)


def fold(text: str) -> str:
    """NFKC (full-width → half-width), drop control characters, collapse spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub("", text)
    return _SPACES.sub(" ", text)


def to_simplified(text: str) -> str:
    return str(_t2s().convert(text))


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Canonical comparable form: folded, simplified, CJK-adjacent spaces removed, stripped."""
    return strip_cjk_spaces(to_simplified(fold(text))).strip()


def display(text: str) -> str:
    """Human-facing clean text: original punctuation kept, only OCR spaces inside Chinese removed."""
    return strip_cjk_spaces(_CONTROL.sub("", text)).strip()
