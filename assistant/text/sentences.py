"""Sentence splitting shared by the sentence index and the composer: what a quotable sentence is."""

from __future__ import annotations

import re

from assistant.text.normalize import display

_SENT = re.compile(r"[^。；！？!?;\n]+[。；！？!?;]?")


def sentences(text: str) -> list[str]:
    """Display-form sentences (and ；-separated items) of at least four characters, in reading order."""
    return [s.strip() for s in _SENT.findall(display(text)) if len(s.strip()) >= 4]
