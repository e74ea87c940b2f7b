"""问答对 (FAQ): question variants bound to a clause and the verbatim span that answers them."""

from assistant.faq.base import Entry, Faq, Match

__all__ = ["Entry", "Faq", "Match"]
