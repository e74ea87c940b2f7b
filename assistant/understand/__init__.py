"""Question understanding: spelling, intents and injected instructions, read before rules or retrieval."""

from assistant.understand.base import Correction, Intent, IntentKind, Segment
from assistant.understand.spelling import Speller

__all__ = ["Correction", "Intent", "IntentKind", "Segment", "Speller"]
