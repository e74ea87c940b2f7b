"""Clauses: parse the corpus into stable, citable clause IDs."""

from assistant.clauses.base import Clause
from assistant.clauses.store import ClauseStore

__all__ = ["Clause", "ClauseStore"]
